"""« Qui est le président de la MILDT ? », « Comment s'appelle le directeur général de la
santé ? »: who held a post, as the documents that person signed say it.

No sentence of the documents says who holds a post; their signature blocks and records
do, at their date. A letter's block sets each signatory's name under a role (« La
Présidente de la MILD'T » over « Nicole MAESTRACCI », see signatures.py); a record's
issuer may name the person who issued the text for a body (« MILDT (président Étienne
Apaire) »). The answer gives each holder with the document and its date, which says
that the post was so held then, not now; the question « Qui est le président de la
MILDT ? » abstained for want of a sentence naming the role (seventh fresh-user test).

A role matches when each of its content words (stems; « MILD'T » read as « MILDT ») is
a word of the block's role or of the record's issuer; a role of one word (« le
président ») names no post, and is left to the other rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..ingest.corpus import DOC_TYPES
from ..ingest.sentences import answer_units, strip_furniture
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .absent_role import absent_role
from .citations import Citation, citation_for
from .document_facts import _french_date
from .signatures import signatories, signature_roles

# « Qui est / était le président de … ? », « Comment s'appelle la présidente de … ? »,
# « Quel est le nom du directeur … ? »
_ASKED = re.compile(
    r"^\s*(?:et\s+)?(?:qui\s+(?:est|était|fut)|c['’]est\s+qui|c['’]était\s+qui|"
    r"comment\s+s['’]appel(?:le|ait)|"
    r"quel\s+(?:est|était)\s+le\s+nom\s+(?:de\s+|d['’]|du\s+(?=\w)))\s*"
    r"(?P<role>(?:le|la|l['’])?\s*[^?]+?)\s*\?*\s*$",
    re.I,
)
# When the post is asked of: a year (« … de la MILDT en 2000 ? »), or now.
_IN_YEAR = re.compile(
    r"\s*,?\s*\b(?:en|pour|au cours de|durant)\s+(?:l['’]année\s+)?(?P<year>(?:19|20)\d\d)\b"
)
_NOW = re.compile(
    r"\s*,?\s*\b(?:aujourd['’]hui|actuel(?:le)?(?:ment)?|en ce moment|de nos jours|"
    r"maintenant|à présent|en poste|en fonctions?)\b",
    re.I,
)
# Posts one person holds, named in the government's texts (« le ministre chargé de la
# santé » is a member of the committee): asked who holds one, a text that only names the
# post does not answer.
_PERSON_POST = re.compile(
    r"^(?:le|la|l['’])?\s*(?:ministre|président|présidente|directeur|directrice|préfet|"
    r"préfète|premier ministre|secrétaire général|secrétaire générale)\b",
    re.I,
)
# « MILD'T » is « MILDT »: an apostrophe between capitals is no elision.
_CAPS_APOSTROPHE = re.compile(r"(?<=[A-Z])['’](?=[A-Z])")
# A record's issuer that names a person: « MILDT (président Étienne Apaire) ».
_ISSUED_BY = re.compile(r"^(?P<body>[^()]+?)\s*\((?P<role>[^()\d]+?)\s+(?P<name>[A-ZÉ][^()]+)\)$")
# The role's content words needed for a post (« président » alone is any body's).
_MIN_WORDS = 2


@dataclass(frozen=True)
class Holder:
    """A person named for the post asked about, by the document that says so."""

    name: str
    role: str  # as the document writes it (« La Présidente de la MILD'T »)
    passage: Passage  # the passage of the document to cite (its signature block)
    signed: bool  # named by a signature block (else by the record's issuer)
    shown: list[str]  # what the citation highlights: the names its passage writes


def asked_role(question: str) -> str:
    """The post « Qui est … ? » asks who holds (« le président de la MILDT »), without
    when it is asked of (« en 2000 », « aujourd'hui »), or ""."""
    m = _ASKED.match(question)
    return _NOW.sub("", _IN_YEAR.sub("", m.group("role"))).strip(" ,") if m else ""


def post_answer(
    question: str,
    passages: Sequence[Passage],
    store: ChunkStore | None,
    stems: Callable[[str], Sequence[str]],
    notice: Callable[[Mapping[str, Any]], str],
    glossary_notes: Callable[[str, list[str]], list[str]],
) -> tuple[str, list[Citation], list[str]] | None:
    """The answer to « Qui est <post> ? » from the documents that name its holders, as
    (text, citations, notes); ("", [], notes) to abstain with what the notes say: a
    post asked of today (the documents say who held it at their date), of a year no
    document names a holder for, or one person's post that the ``passages`` name but no
    document names a holder of (« Qui est le ministre de la santé ? »). None for another
    question, or a post no passage names (absent_role says so)."""
    role = asked_role(question)
    if not role:
        return None
    holders = role_holders(question, store, stems)
    year = _IN_YEAR.search(question)
    when = f" en {year['year']}" if year else ""
    named = ", ".join(f"{h.name} ({_year(h)})" for h in holders)
    said = f"à leur date, ils nomment : {named}"
    if year and holders:
        holders = [h for h in holders if _year(h) == year["year"]]
        if not holders:
            return "", [], [f"Les documents ne nomment pas qui est « {role} »{when} ; {said}."]
    if holders and _NOW.search(question):
        return "", [], [f"Les documents ne disent pas qui est « {role} » aujourd'hui ; {said}."]
    if holders:
        return holders_answer(holders, notice, glossary_notes)
    # A post no passage names is absent_role's to say so; a post a sentence speaks of
    # (« Le président de la mission est nommé par décret. ») says what the post is.
    if (
        not absent_role(question, passages, lambda t: list(stems(t)))
        and _PERSON_POST.match(role)
        and len(set(stems(role))) >= _MIN_WORDS
        and not _subject_of_a_sentence(role, passages, stems)
    ):
        return "", [], [f"Les documents ne nomment pas qui est « {role} »{when}."]
    return None


def _subject_of_a_sentence(
    role: str, passages: Sequence[Passage], stems: Callable[[str], Sequence[str]]
) -> bool:
    """Whether a sentence of the passages opens on the post (its first two content words
    within its first six words), not a list item that only names it (« 18° Le ministre
    chargé de la santé ; »)."""
    head = set(list(stems(role))[:_MIN_WORDS])
    for p in passages:
        for start, end in answer_units(p.text):
            unit = p.text[strip_furniture(p.text, start, end) : end]
            if not unit.endswith((";", ",")) and head <= set(stems(" ".join(unit.split()[:6]))):
                return True
    return False


def _year(h: Holder) -> str:
    return str(h.passage.metadata.get("date", ""))[:4]


def role_holders(
    question: str, store: ChunkStore | None, stems: Callable[[str], Sequence[str]]
) -> list[Holder]:
    """Who the documents name for the post the question asks about, oldest document
    first; [] for another question, a post of one word, or without a store."""
    wanted = set(stems(_CAPS_APOSTROPHE.sub("", asked_role(question))))
    if store is None or len(wanted) < _MIN_WORDS:
        return []
    holders: list[Holder] = []
    for c in store.last_chunks():
        p = Passage(c.chunk_id, c.text, dict(c.metadata), 0.0)
        names = signatories(p.text, p.metadata)
        for name, role in zip(names, signature_roles(p.text, len(names)), strict=False):
            if _matches(wanted, role, stems):
                holders.append(Holder(name, role, p, True, [name]))
        issued = _ISSUED_BY.match(str(p.metadata.get("issuer", "")).strip())
        if issued and _matches(wanted, f"{issued['role']} {issued['body']}", stems):
            holders.append(Holder(issued["name"].strip(), issued["role"], p, False, names))
    return sorted(holders, key=lambda h: str(h.passage.metadata.get("date", "")))


def _matches(wanted: set[str], text: str, stems: Callable[[str], Sequence[str]]) -> bool:
    return wanted <= set(stems(_CAPS_APOSTROPHE.sub("", text)))


def holder_sentence(h: Holder) -> str:
    """« Nicole MAESTRACCI signe la lettre de mission « … » du 6 mai 2000 comme « La
    Présidente de la MILD'T ». », or from the record: « D'après sa fiche, le document
    « … » du 4 novembre 2009 émane de : MILDT (président Étienne Apaire). »"""
    m = h.passage.metadata
    kind = DOC_TYPES.get(str(m.get("type", "")), "") or "document"
    dated = f" du {_french_date(str(m['date']))}" if m.get("date") else ""
    title = f"« {m.get('title', h.passage.doc_id)} »{dated}"
    if h.signed:
        article = "l'" if kind[0] in "aeiouéèêâ" else "le " if kind == "document" else "la "
        return f"{h.name} signe {article}{kind} {title} comme « {h.role} »."
    return f"D'après sa fiche, le document {title} émane de : {m.get('issuer')}."


def holders_note(holders: Sequence[Holder]) -> str:
    """What the answer's dates mean: who held the post then, not who holds it now."""
    years = sorted({str(h.passage.metadata.get("date", ""))[:4] for h in holders} - {""})
    when = f" ({', '.join(years)})" if years else ""
    return f"Ces documents disent qui occupait ce poste à leur date{when}, pas aujourd'hui."


def holders_answer(
    holders: Sequence[Holder],
    notice: Callable[[Mapping[str, Any]], str],
    glossary_notes: Callable[[str, list[str]], list[str]],
) -> tuple[str, list[Citation], list[str]]:
    """(answer text, citations, notes) naming ``holders``: one sentence each, cited with
    its document's validity ``notice``; the notes say what the dates mean, and what the
    glossary says of the names (« MILDT : devenue MILDECA en 2014 »)."""
    cited = [
        citation_for(n, h.passage, h.shown, notice(h.passage.metadata))
        for n, h in enumerate(holders, 1)
    ]
    text = " ".join(f"{holder_sentence(h)} [{n}]" for n, h in enumerate(holders, 1))
    return text, cited, [holders_note(holders), *glossary_notes(text, [c.text for c in cited])]
