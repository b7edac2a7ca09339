"""Passages found without the question's retrieval, for what it may miss: by their words
alone (BM25 over the index): the document a question about a document describes (« Qui a
signé la lettre de mission de mai 2000 ? »), a body under the new name the glossary gives
it; by the article number their title gives (« L'article 131-35-1 … est-il en vigueur ? »)."""

from __future__ import annotations

import numpy as np

from ..search.lexical import LexicalIndex
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .document_facts import numbered


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
