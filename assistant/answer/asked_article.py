"""The article a question asks about by its number (« Que dit l'article 222-39 du code
pénal ? », « Que prévoit l'article R1110-2 ? »), read from the index by the section its
passages carry rather than found by its words.

Retrieval finds the passages that share the question's words; for a question that is
only a number, those are often the articles that cite it (« La provocation … aux
infractions prévues par les articles 222-34 à 222-39 … » for 222-39) or the article next
to it (L3411-10 for L3411-11, which the corpus does not hold): fourth fresh-user test.
The passages whose section names the article answer instead, taken from the whole
index; when no passage has that section and no title lists the article, the documents
do not hold its text, and the answer says so (it quotes what cites the article, or
abstains).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..ingest.sentences import answer_units, strip_furniture
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .document_facts import article_numbers, numbered
from .sentence_scoring import _Candidate

# « les établissements du 9° du I de l'article L312-1 » names a category by the article
# that lists it: the answer is elsewhere (measured: a training question lost).
_QUALIFYING = re.compile(
    r"\b(?:de|du|d'|des|à|au|aux|mentionnée?s?|prévue?s?|visée?s?)\s+(?:l'|les\s+)?"
    r"articles?\s*$",
    re.IGNORECASE,
)
# The number of the article a section is about: « Article L1110-4 > II » → L1110-4.
_SECTION_ARTICLE = re.compile(r"^\s*Article\s+(?:([LRDA])\.?\s?)?(\d{1,4}(?:-\d+)+)\b", re.I)


def asked_articles(question: str) -> set[str]:
    """The article numbers a question asks about (« L3411-11 », « 222-39 »), not those
    it names a category by (« … du 9° du I de l'article L312-1 »)."""
    out: set[str] = set()
    for number in article_numbers(question):
        digits = re.sub(r"^[LRDA]", "", number)
        at = re.search(rf"(?:\b[LRDA]\.?\s?)?{re.escape(digits)}\b", question)
        if at is None or not _QUALIFYING.search(question[: at.start()]):
            out.add(number)
    return out


def section_article(section: str) -> str:
    """« Article L1110-4 > II » → "L1110-4"; "" for a section that is no article."""
    m = _SECTION_ARTICLE.match(section)
    return f"{(m.group(1) or '').upper()}{m.group(2)}" if m else ""


def article_passages(
    store: ChunkStore, numbers: set[str], retrieved: Sequence[Passage], limit: int
) -> list[Passage]:
    """At most ``limit`` passages whose section is one of the articles ``numbers``: those
    retrieval found first, in its order, then the others in document order; with no
    ``retrieved`` passage, the article's first ones (its opening)."""
    found = [p for p in retrieved if section_article(str(p.metadata.get("section", ""))) in numbers]
    have = {p.chunk_id for p in found}
    ids = sorted(
        (str(m.get("doc_id", "")), int(m.get("chunk_index", 0) or 0), str(m.get("chunk_id", "")))
        for m in store.metadatas()
        if section_article(str(m.get("section", ""))) in numbers
    )
    rest = [cid for _, _, cid in ids if cid and cid not in have][: max(0, limit - len(found))]
    found += [Passage(c.chunk_id, c.text, c.metadata, 0.0) for c in store.get(rest)]
    return found[:limit]


def titled(store: ChunkStore, numbers: set[str]) -> bool:
    """Whether the title of a text of the index lists one of the articles (« Code de la
    santé publique, articles L3411-1 à L3411-5 » holds L3411-3)."""
    titles = {str(m.get("doc_id", "")): str(m.get("title", "")) for m in store.metadatas()}
    return numbered(numbers, list(titles.values())) is not None


# « Que dit l'article L3411-9 ? », « Que prévoit l'article 222-39 du code pénal ? »,
# « article L3411-5 ? »: the article is the whole question, its text the answer.
_WHAT_IT_SAYS = re.compile(
    r"^\s*(?:(?:que|qu'est-ce que)\s+(?:dit|disent|prévoit|prévoient|contient|énonce|précise)"
    r"\s+|(?:quel est )?(?:le )?contenu de\s+|de quoi (?:parle|parlent|traite|traitent)\s+|"
    r"sur quoi porte(?:nt)?\s+|quel est l'objet de\s+)?(?:l'|les\s+)?art(?:icles?|\.)\s*"
    r"(?:[LRDA]\.?\s?)?\d{1,4}(?:-\d+)+"
    r"(?:\s+(?:du|de la|des)\s+(?:code|csp|casf|css|cpp|cp)\b[^?]*)?\s*\??\s*$",
    re.IGNORECASE,
)
# An editor's note under an article (« NOTA : Conformément à … »): its history.
_EDITOR_NOTE = re.compile(r"^\W*nota\b", re.I)


def asks_what_it_says(question: str) -> bool:
    """Whether the question asks for an article's text and nothing else."""
    return bool(_WHAT_IT_SAYS.match(question.replace("’", "'")))


def opening(passages: Sequence[Passage], count: int) -> list[_Candidate]:
    """The first ``count`` answer units of the article, in document order across
    ``passages`` (an editor's note left out): what « Que dit l'article … ? » is answered
    with, not the sentence that best matches a number."""
    out: list[_Candidate] = []
    for i in sorted(range(len(passages)), key=lambda i: _position(passages[i])):
        text = passages[i].text
        for start, end in answer_units(text):
            start = strip_furniture(text, start, end)
            if not _EDITOR_NOTE.match(text[start:end]):
                out.append(_Candidate(i, start, end, text[start:end]))
            if len(out) == count:
                return out
    return out


# How a document is said to begin (« De quoi parle la note … ? »).
_OPENING_SENTENCES = 2
_OPENING_MIN_WORDS = 8


def document_opening(store: ChunkStore | None, p: Passage) -> tuple[Passage, list[str]]:
    """The first passage of ``p``'s document and its first ``_OPENING_SENTENCES``
    sentences (no letterhead, dateline or addressee line: what is a sentence of its own,
    of at least ``_OPENING_MIN_WORDS`` words): what « De quoi parle la note … ? » is
    answered with. ``p`` itself without a store."""
    doc = [p]
    if store is not None:
        chunks = store.get(store.chunk_ids_of(p.doc_id))
        doc = [Passage(c.chunk_id, c.text, c.metadata, 0.0) for c in chunks] or doc
    units = [
        u
        for u in opening(doc, 12)
        if u.text.rstrip().endswith((".", "!", "…")) and len(u.text.split()) >= _OPENING_MIN_WORDS
    ][:_OPENING_SENTENCES]
    first = doc[units[0].passage_index] if units else p
    return first, [u.text for u in units if doc[u.passage_index] is first]


def _position(p: Passage) -> tuple[str, int]:
    return (p.doc_id, int(p.metadata.get("chunk_index", 0) or 0))
