"""Passages found without the question's retrieval, for what it may miss: by their words
alone (BM25 over the index): the document a question about a document describes (« Qui a
signé la lettre de mission de mai 2000 ? »), a body under the new name the glossary gives
it; by the article number their title gives (« L'article 131-35-1 … est-il en vigueur ? »)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..search.lexical import LexicalIndex
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .document_facts import _DOC_NOUN, DocumentQuestion, Stems, _doc_type, find_document, numbered


def lexical_passages(
    lexical: LexicalIndex, store: ChunkStore | None, query: str, k: int
) -> list[Passage]:
    """The ``k`` best passages for ``query`` by BM25 with a positive score, best first;
    [] without a store."""
    scores = lexical.scores(query)
    if store is None or not scores.size:
        return []
    best = [lexical.ids[i] for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]
    return [Passage(c.chunk_id, c.text, dict(c.metadata), 0.0) for c in store.get(best)]


def numbered_text(store: ChunkStore | None, numbers: set[str]) -> Passage | None:
    """The first passage of the text whose title numbers one of ``numbers`` (« Code
    pénal, article 131-35-1 … » for « 131-35-1 »): « L'article 131-35-1 … est-il en
    vigueur ? » ranked that text 13th, below the articles that cite it. None when no
    text of the index has that number, or without a store."""
    if not numbers or store is None:
        return None
    titles = {str(m.get("doc_id", "")): str(m.get("title", "")) for m in store.metadatas()}
    doc_ids = sorted(titles)
    found = numbered(numbers, [titles[d] for d in doc_ids])
    if found is None:
        return None
    ids = sorted(store.chunk_ids_of(doc_ids[found]))[:1]
    return next((Passage(c.chunk_id, c.text, c.metadata, 0.0) for c in store.get(ids)), None)


# « Que dit la note de 2009 sur les stages ? »: a question that names the document it
# asks, and what about.
_FROM_DOCUMENT = re.compile(
    r"^\s*(?:et\s+)?(?:que|qu['’]est-ce que)\s+(?:dit|disent|prévoit|prévoient|écrit)\s+"
    r"(?P<doc>.+?)\s+(?:sur|à propos d(?:e|u|es|['’])|au sujet d(?:e|u|es|['’])|concernant)"
    r"\s*(?P<topic>[^?]+?)\s*\?*\s*$",
    re.I,
)


# « selon la lettre de la MILDT de 2000 », « d'après la note de 2009 », « Dans la note de
# 2009, … »: a document named as the source of what is asked.
_ACCORDING_TO = re.compile(
    r"(?:^|\s)(?:selon|d['’]après|dans)\s+(?P<doc>(?:la|le|les|l['’]|cette|ce|cet)\s*"
    r"(?:lettres? de mission|instructions?|circulaires?|notes?|bulletins?|lettres?|guides?|"
    r"fiches?|rapports?)\b[^,?]*)",
    re.I,
)


_LETTER = re.compile(r"\b(?P<noun>lettres?)\b", re.I)


def described_document_passages(
    question: str,
    passages: Sequence[Passage],
    lexical: LexicalIndex,
    store: ChunkStore | None,
    stems: Stems,
    k: int,
) -> list[Passage]:
    """The ``k`` passages of the document a question names as its source (« Que dit la
    note de 2009 sur les stages de sensibilisation ? »), best for its topic by BM25:
    the document's passages that do not share the question's other words (the note's
    growshops) are not read instead. [] for another question, or when no retrieved
    passage is of the document described (see document_facts.find_document)."""
    m = _FROM_DOCUMENT.match(question)
    doc, topic = (m["doc"], m["topic"]) if m else ("", "")
    retrieved = passages
    according = _ACCORDING_TO.search(question) if m is None else None
    if according is not None:
        # « Pourquoi … selon la lettre de la MILDT de 2000 ? », « Dans la note de 2009,
        # que deviennent … ? »: the question without the document it names.
        doc = according["doc"]
        topic = f"{question[: according.start()]} {question[according.end() :]}"
    noun = (_DOC_NOUN.search(doc) or _LETTER.search(doc)) if doc else None
    if noun is None or store is None:
        return []
    asked = DocumentQuestion("subject", _doc_type(noun["noun"]), doc)
    if not asked.doc_type:
        return []  # « les documents », « les textes »: all of them
    found = find_document(asked, passages, stems)
    if found is None:
        # Not retrieved for the question's words: found by its description's.
        passages = lexical_passages(lexical, store, doc, 10)
        found = find_document(asked, passages, stems)
    if found is None:
        return []
    doc_id = passages[found].doc_id
    chunks = {c.chunk_id: c for c in store.get(store.chunk_ids_of(doc_id))}
    scores = lexical.scores(topic)
    score = {cid: float(scores[i]) for i, cid in enumerate(lexical.ids) if cid in chunks}
    order = sorted(chunks, key=lambda cid: -score.get(cid, 0.0))
    own = [Passage(cid, chunks[cid].text, dict(chunks[cid].metadata), 0.0) for cid in order]
    if according is not None:
        # A source named in passing: its passages the search found for the whole question
        # first (« 21 en Hte Ndie » shares no word with « Haute-Normandie »).
        first = [p for p in retrieved if p.doc_id == doc_id]
        seen = {p.chunk_id for p in first}
        own = first + [p for p in own if p.chunk_id not in seen]
    return own[:k]
