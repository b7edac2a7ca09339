"""The head of a letter or a note: to whom it is addressed, through whom (« Sous couvert
de Mesdames et Messieurs les Préfets »), who follows the matter (« Affaire suivie par »).

These lines are no sentences (no verb, no final point): the answer units leave them
out, and « À qui est adressée la lettre de mission … ? » was answered with a sentence
of the letter's body. The document's first passage holds them; ``letterhead`` reads
them, ``document_facts`` asks for them (facts « addressee », « via », « contact »).
"""

from __future__ import annotations

import re

from ..search.retrieval import Passage
from ..search.store import ChunkStore

# A civility that opens an address (« Monsieur Pierre POLOMENI », « Mesdames et
# Messieurs les chefs de projet … »), not a salutation (« Monsieur, »).
_CIVILITY = (
    r"(?:Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Mesdames et Messieurs|M\.|Mme|"
    r"Dr|Docteur|Professeur|Pr)"
)
_ADDRESS = re.compile(rf"^{_CIVILITY}\s+(?!,)\S.*$")
_FOR_ATTENTION = re.compile(r"\b(?:à|a) l['’]attention (?:des|du|de)\b\s*(?P<rest>.*)$", re.I)
_VIA = re.compile(r"^(?:sous couvert|par l['’]intermédiaire) (?:des|du|de)\s+(?P<who>.+)$", re.I)
_CONTACT = re.compile(r"^(?:affaire|dossier) suivie? par\s*:?\s*(?P<who>.*)$", re.I)
# A telephone number or an e-mail after a name (« Françoise Toussaint ☎ 01.44… »).
_REACH = re.compile(r"\s*(?:☎|tél\.?|tel\.?|\d{2}[ .]\d{2}[ .]\d{2}|\S+@\S+).*$", re.I)

Field = str  # « addressee », « via », « contact »


def letterhead(text: str) -> dict[Field, str]:
    """The fields of a letter's head found in ``text`` (its first passage), each as the
    line writes it: {"addressee": "Monsieur Pierre POLOMENI", "via": "Mesdames et
    Messieurs les Préfets de départements", "contact": "Françoise Toussaint"}; the
    fields it lacks are left out. The head ends at the first sentence (a line with a
    final point that is no dateline)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    fields: dict[Field, str] = {}
    for i, line in enumerate(lines):
        if len(line) > 160 and line.endswith("."):
            break  # the body
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (m := _CONTACT.match(line)) is not None:
            fields.setdefault("contact", _REACH.sub("", m["who"] or nxt).strip())
        elif (m := _VIA.match(line)) is not None:
            fields.setdefault("via", m["who"].rstrip(" ."))
        elif (m := _FOR_ATTENTION.search(line)) is not None:
            fields.setdefault("addressee", (m["rest"] or nxt).rstrip(" ."))
        elif _ADDRESS.match(line) and not line.endswith(","):
            fields.setdefault("addressee", line.rstrip(" ."))
    return fields


def head_lines(text: str, field: Field) -> list[str]:
    """The line of ``text``'s head that gives ``field``, for a citation to show ([] when
    the head has none)."""
    value = letterhead(text).get(field, "")
    return [value] if value else []


def head_passage(store: ChunkStore | None, passage: Passage) -> Passage:
    """The first passage of ``passage``'s document, where its head is (``passage``
    itself without a store or chunk positions)."""
    if store is None:
        return passage
    for c in store.get(store.chunk_ids_of(passage.doc_id)):
        if c.metadata.get("chunk_index") == 0:
            return Passage(c.chunk_id, c.text, dict(c.metadata), 0.0)
    return passage
