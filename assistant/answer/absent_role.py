"""« Qui est le président de la République ? »: a role the documents never name.

A question that asks who someone is, by a role of several words, is answered only where
a text names that role: « le président de l'Institut national du cancer » shares two
words with the President of the Republic, not the role. Its first two content words
(the head and its complement or adjective) are looked for in the passages retrieved
for it, in their order, with at most a few words between them; when no passage has
them so, the documents do not speak of the role, and the question abstains saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..search.asked_values import POST_NOUNS
from ..search.retrieval import Passage

# « Qui est le président de … ? », « Qui sont les membres de … ? », « Qui était … ? »
# Only a post (« président », « directeur », « chef » …): « Qui est la mère de Kate
# Barry ? », « Qui était l'employeur de Leavitt … ? » are answered in other words (« fille
# de Jane Birkin »; PIAF: 27 questions abstained, false abstention 0.046 → 0.082).
_WHO_IS = re.compile(
    r"^\s*(?:et\s+)?qui\s+(?:est|sont|était|étaient)\s+(?P<np>(?:le|la|les|l['’])\s*"
    rf"(?:actuel(?:le)?s?\s+)?{POST_NOUNS}\b[^?]*?)\s*\?*\s*$",
    re.I,
)
# « Où se trouvent les salles de consommation à moindre risque ? »: the same for a place
# asked of something the documents never name (its activities' places were quoted).
_WHERE_IS = re.compile(
    r"^\s*(?:et\s+)?où\s+(?:se\s+trouvent?|trouver|sont|est|se\s+situent?|"
    r"(?:est|sont)\s+située?s?)\s+(?P<np>(?:le|la|les|l['’]|un|une|des)\s*[^?]+?)\s*\?*\s*$",
    re.I,
)
# Words between two of the role's, in a text that names it (« président de la mission
# interministérielle » for « président de la mission »).
_GAP = 3
# How many of the role's content words are looked for: roles of one (« le président »)
# are named in some text, of any body.
_MIN_WORDS = 2


def absent_role(
    question: str, passages: Sequence[Passage], stems: Callable[[str], list[str]]
) -> str:
    """The role « Qui est … ? » asks about (« le président de la République ») when no
    passage writes its content words in order (``stems``: the lexical analyzer's, which
    drops function words); "" otherwise, or for another question."""
    m = _WHO_IS.match(question) or _WHERE_IS.match(question)
    if m is None:
        return ""
    # The role's head and the word after it (« président … République », « chef …
    # projet »): what follows may be said otherwise (« des agences régionales de santé »
    # is « des ARS » in the text that names « l'interlocuteur privilégié des ARS »).
    role = stems(m.group("np"))[:_MIN_WORDS]
    if len(role) < _MIN_WORDS:
        return ""
    for p in passages:
        if _in_order(role, stems(p.text)):
            return ""
    return m.group("np").strip()


def _in_order(role: list[str], words: list[str]) -> bool:
    """Whether ``words`` hold ``role`` in its order, at most ``_GAP`` words apart."""
    for start, w in enumerate(words):
        if w != role[0]:
            continue
        at, ok = start, True
        for r in role[1:]:
            window = words[at + 1 : at + 2 + _GAP]
            if r not in window:
                ok = False
                break
            at = at + 1 + window.index(r)
        if ok:
            return True
    return False
