"""An everyday phrase of the glossary written with grammar words (« au volant », « le
prévenir », « conducteur de car », « se faire payer »), found in a text only with them.

Matched by their content words alone, such phrases were found where they are not: « un
vol de médicaments » was « au volant » (« volant » and « vol » share a stem), so a theft
was answered with the penalty for driving after drugs; « Comment prévenir les
overdoses ? » was « le prévenir » (tell someone beforehand); « un conducteur de
voiture » was the transport staff of « conducteur de car » (« car » is a stop word).
A grammar word may be written in another form of its kind (an article, a possessive, a
reflexive pronoun: « je me shoote » is « se shooter »), or a form of its
verb (« est poursuivi » is « être poursuivi »); a determiner the phrase does not write
may stand before one of its nouns (« parler de mon patient » is « parler du patient »).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_POSSESSIVES = frozenset(
    {"mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos"}
) | {"leur", "leurs"}
# Grammar words of one kind, one for another.
_KINDS = (
    # An article for another (« demander l'appui » is « demander un appui »).
    frozenset({"le", "la", "les", "l'", "un", "une", "des", "du"}),
    frozenset({"de", "d'", "du", "des"}),
    frozenset({"à", "au", "aux"}),
    _POSSESSIVES,
    frozenset({"se", "s'", "me", "m'", "te", "t'", "nous", "vous"}),
)
# What may stand before a noun that the phrase writes without it.
_DETERMINERS = _KINDS[0] | _POSSESSIVES
# Words as written, an elided one with its apostrophe (« s' », « d' »).
_WORD = re.compile(r"[^\W\d_]+['’]|\w+(?:-\w+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, an elision's apostrophe as « ' »."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def _same_grammar(want: str, have: str, lemma: Callable[[str], str]) -> bool:
    if want == have or lemma(have) == want:
        return True
    return any(want in kind and have in kind for kind in _KINDS)


def phrase_in(
    text: str,
    phrase: str,
    stems_of: Callable[[str], frozenset[str]],
    lemma: Callable[[str], str],
) -> bool:
    """Whether ``text`` writes ``phrase`` with its grammar words. ``stems_of(word)``: the
    plural-free stems a text word may stand for (its own, its lemma's), empty for a
    grammar word; ``lemma(word)``: its dictionary form."""
    want = words(phrase)
    have = words(text)
    return any(_from(have, i, want, stems_of, lemma) for i in range(len(have)))


def _from(
    have: list[str],
    i: int,
    want: list[str],
    stems_of: Callable[[str], frozenset[str]],
    lemma: Callable[[str], str],
) -> bool:
    for w in want:
        content = stems_of(w)
        if content:
            if i < len(have) and not content & stems_of(have[i]) and have[i] in _DETERMINERS:
                i += 1  # « parler de mon patient » for « parler du patient »
            if i >= len(have) or not content & stems_of(have[i]):
                return False
        elif i >= len(have) or not _same_grammar(w, have[i], lemma):
            return False
        i += 1
    return True
