"""A letter's or a circular's signature block: the names of its signatories under their
roles (« Nicole MAESTRACCI », « Etienne APAIRE »), which text extraction leaves after the
last sentence of its last passage, and the sentence that says who signed it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..ingest.corpus import DOC_TYPES
from .name_words import _NOT_NAMES, _TITLES, _is_thing_word

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
# « Etienne », « Jean-Pierre », « J. »; then the surname in capitals: « APAIRE »,
# « LE GOFF », « D'ARTAGNAN », « MARTIN-DUPONT », after a particle (« de GAULLE »).
_GIVEN = rf"(?:[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*|[{_UP}]\.)"
_SURNAME = rf"[{_UP}][{_UP}'’]*[{_UP}](?:-[{_UP}][{_UP}'’]*[{_UP}])*"
_PARTICLE = r"(?:(?:de|du|des|di|da|del|van|von) |d['’])"
_PERSON = rf"{_GIVEN}(?: {_GIVEN})* {_PARTICLE}?{_SURNAME}(?: {_SURNAME})*"
_NAMES_LINE = re.compile(rf"{_PERSON}(?:\s+{_PERSON})*")
_ONE_PERSON = re.compile(_PERSON)
# The line of roles above the names (« La Présidente de la MILD'T Le Directeur des
# Hôpitaux … »), or the place and date of signing (« Fait à Paris, le 6 mai 2000 »).
_ROLES_LINE = re.compile(
    r"\b(?:(?:sous-)?direct(?:eur|rice)|présidente?|ministre|préfète?|secrétaire|"
    r"délégué(?:e)?|chef(?:fe)?|coordinat(?:eur|rice)|responsable|adjointe?|"
    r"conseill(?:er|ère)|médecin|pour (?:le|la|l['’])|par délégation|p/)"
    rf"|^(?:fait à|[{_UP}][\w' -]+, le )",
    re.I,
)
# A line that ends a sentence: what comes before a signature block.
_SENTENCE_END = re.compile(r"[.!?…»)\"]\s*$")
# Feminine kinds of document (« la note », « signée »).
_FEMININE = frozenset(
    {"lettre_de_mission", "note", "circulaire", "instruction", "actualite", "fiche", "loi"}
)


def signatories(text: str, meta: Mapping[str, object] | None = None) -> list[str]:
    """The names of the signature block that ends a passage, in order (« Nicole
    MAESTRACCI », « Edouard COUTY », « Lucien ABENHAIM »), or [] when it has none.

    The block is the lines after the passage's last sentence, each one or more
    personal names, optionally under a line of roles. Only the last passage of a
    document can end with it, when its record says which passage it is (``chunk_index``
    and ``doc_chunks``). A name within a sentence (« Dr Martin a présenté … ») is none.
    """
    index, count = (meta.get("chunk_index"), meta.get("doc_chunks")) if meta else (None, None)
    if isinstance(index, int) and isinstance(count, int) and index != count - 1:
        return []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    names: list[str] = []
    while lines and _is_names_line(lines[-1]):
        names[:0] = [m.group(0) for m in _ONE_PERSON.finditer(lines.pop())]
    if not names:
        return []
    # At most a line of roles and a line of place and date between the block and the
    # last sentence.
    for _ in range(2):
        if lines and not _SENTENCE_END.search(lines[-1]) and _is_roles_line(lines[-1]):
            lines.pop()
    if lines and not _SENTENCE_END.search(lines[-1]):
        return []  # the end of a sentence, a heading or a list: no signature
    return names


# Where a role of the line of roles begins: its capitalised article (« La Présidente de
# la MILD'T Le Directeur des Hôpitaux Le Directeur Général de la Santé »).
_ROLE_START = re.compile(r"(?:^|\s)(?=(?:La|Le|Les|L['’])\s?[A-ZÀ-Ý])")


def signature_roles(text: str, count: int) -> list[str]:
    """The roles over the ``count`` names of the signature block ending ``text``, in the
    names' order (« La Présidente de la MILD'T », « Le Directeur des Hôpitaux », « Le
    Directeur Général de la Santé »): a letter's block sets each role over its name, one
    column each, which text extraction puts on one line. [] when the block has no line
    of roles or its roles are not one per name (then which name holds which role is not
    known)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while lines and _is_names_line(lines[-1]):
        lines.pop()
    if not lines or _SENTENCE_END.search(lines[-1]) or not _is_roles_line(lines[-1]):
        return []
    roles = [r.strip() for r in _ROLE_START.split(lines[-1]) if r.strip()]
    return roles if len(roles) == count else []


def _is_names_line(line: str) -> bool:
    if not _NAMES_LINE.fullmatch(line):
        return False
    for person in _ONE_PERSON.finditer(line):
        words = person.group(0).split()
        surname = [w for w in words if w.isupper() and not w.endswith(".")]
        given = [w for w in words if w[0].isupper() and w not in surname]
        if given and given[0].lower() in _TITLES:
            given = given[1:]  # « Pr Didier HOUSSIN »
        # « Bulletin OFDT », « La MILDT », « Madame DUPONT »: no one's name.
        if not given or any(w.lower() in _NOT_NAMES or _is_thing_word(w) for w in given):
            return False
        if any(_is_thing_word(w) for w in surname):
            return False
    return True


def _is_roles_line(line: str) -> bool:
    return len(line) <= 200 and _ROLES_LINE.search(line) is not None


def _signed_sentence(doc_type: str, title: str, names: Sequence[str]) -> str:
    """« La lettre de mission « … » est signée par A, B et C. »"""
    kind = DOC_TYPES.get(doc_type, doc_type) or "document"
    feminine = doc_type in _FEMININE
    article = "L'" if kind[0] in "aeiouéèêâ" else ("La " if feminine else "Le ")
    signed = "signée" if feminine else "signé"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"{article}{kind} « {title} » est {signed} par {listed}."
