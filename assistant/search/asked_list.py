"""« Quels stages le tribunal peut-il imposer … ? »: the things a question asks to be
listed, and the sentences that open their list.

A question that asks which ones, in the plural (« Quels stages … », « Quelles sont les
missions … », « Liste des … »), is answered by the list the documents give of them: « Les
stages que peut prononcer la juridiction sont : 1° … 8° … » (Code pénal, article
131-5-1), not by the article's first sentence, which says a court may order « un stage »
(sixteenth fresh-user test: the stages, the committee's ministers, the prosecutor's
measures were each answered by a sentence near their list, without it). The sentence
that opens the list names the things before its « : » (« Les stages … sont : », « … une
telle mesure … : », « Le comité comprend, sous la présidence du Premier ministre : »).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# « Quels stages », « Quelles sont les missions », « Quels sont les différents types
# de stages », « Liste des membres », « Citez les actions »: the plural noun asked.
_ASKS_WHICH = re.compile(
    r"^(?:(?:et|mais|alors)\s+)?"
    r"(?:(?:quels|quelles)\s+(?:(?:sont|seraient|étaient)\s+(?:les|leurs|ses|ces)\s+)?|"
    r"(?:la\s+)?liste\s+(?:des|de\s+(?:ses|leurs|ces))\s+|"
    r"(?:lister|listez|énumérer|énumérez|citer|citez|donnez-moi|donne-moi)\s+(?:les|ses|leurs)\s+|"
    # « Qui sont les membres du conseil … ? »
    r"qui\s+sont\s+(?:les|ses|leurs)\s+)"
    r"(?:(?:différent|principa|autre|type|sorte|catégorie|genre|forme)\w*\s+(?:de\s+|d['’])?)*"
    r"(?P<noun>[a-zà-ÿœæ-]{3,}[sx])\b",
    re.I,
)
# Plural-looking words that are no things to list (« Quels sont les plus … »).
_NOT_THINGS = frozenset({"plus", "moins", "tous", "toutes", "mes", "vos", "nos", "leurs"})
# A sentence that opens a list: « … sont : », « … : 1° … », « … : - … » (the selection's
# rules read it too).
OPENS_LIST = re.compile(r":\s*(?:$|1°|[-–•]|a\))")


# « Missions d'un CAARUD ? », « Membres du comité ? »: a bare plural noun and what it is
# of, no verb.
_BARE_PLURAL = re.compile(
    r"^(?:(?:et|mais)\s+)?(?:les\s+)?(?P<noun>[a-zà-ÿœæ-]{3,}[sx])\s+(?:de|du|des|d['’])\s*"
    r"[^?]{0,80}\??$",
    re.I,
)
# Words that open such a phrase but ask no list (« Plus de … », « Sous … »).
_NOT_BARE = frozenset({"plus", "moins", "sous", "dans", "chez", "depuis", "après", "avant"})
# The members of a body are listed after « comprend : », « est composé de : ».
_MEMBERS = frozenset({"membres", "composition", "représentants"})
_MEMBERS_OPENING = re.compile(r"\b(?:comprend|comprennent|composée?s?|réunit)\b", re.I)


# « Combien de ministres siègent au comité ? »: the things counted, which a list may
# give one by one when no sentence writes their number (seventeenth fresh-user test).
_COUNTS = re.compile(
    r"^(?:(?:et|mais|alors)\s+)?combien\s+(?:y\s+a-t-il\s+|existe-t-il\s+)?(?:de\s+|d['’]\s*)"
    r"(?P<noun>[a-zà-ÿœæ-]{3,}[sx])\b",
    re.I,
)
# What a number measures rather than counts: no list gives them one by one.
_MEASURES = frozenset(
    {"fois", "ans", "années", "mois", "jours", "semaines", "heures", "minutes", "euros", "places"}
)


def asked_items(question: str) -> str:
    """The plural noun a question asks to be listed (« Quels stages … ? » → « stages »,
    « Quelles sont les missions d'un CAARUD ? » → « missions »); "" for a question that
    asks for one thing (« Quel stage … ? »), a figure or anything else (« combien » is
    ``counted_items``)."""
    m = _ASKS_WHICH.match(question.strip())
    if m is None and len(question.split()) <= 10:
        m = _BARE_PLURAL.match(question.strip())
    if m is None:
        return ""
    noun = m.group("noun").lower()
    return "" if noun in _NOT_THINGS | _NOT_BARE else noun


def counted_items(question: str) -> str:
    """The plural noun a « combien de … ? » question counts (« Combien de ministres
    siègent au comité ? » → « ministres »); "" for a measure (« combien de fois / de
    jours / d'euros ») or another question."""
    m = _COUNTS.match(question.strip())
    if m is None:
        return ""
    noun = m.group("noun").lower()
    return "" if noun in _MEASURES | _NOT_THINGS else noun


def names_the_items(noun: str, head: str, stems: Callable[[str], Sequence[str]]) -> bool:
    """Whether the opening of a list (``head``, what it writes before its « : ») names the
    things asked (``noun``): its word (« Les stages que peut prononcer … sont »), or, for
    members, the verb of a composition (« Le comité comprend, sous la présidence … »)."""
    wanted = set(stems(noun))
    if noun in _MEMBERS and _MEMBERS_OPENING.search(head):
        return True
    return bool(wanted) and wanted <= set(stems(head))


def list_opening_head(sentence: str) -> str:
    """What a sentence that opens a list writes before its « : » (« Les stages que peut
    prononcer la juridiction sont »); "" when the sentence opens no list."""
    m = OPENS_LIST.search(sentence)
    if m is None:
        return ""
    return sentence[: m.start()]
