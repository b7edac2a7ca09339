"""Search: embed and store the chunks (dense and lexical indexes, kept in sync with the
corpus by indexing), then retrieve, rerank and expand with the glossary."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module of this stage that defines it, imported on first use (the
# CLI's start-up must not load the heavy modules behind them).
_WHERE = {
    "build_embeddings": "embeddings",
    "ChunkStore": "store",
    "make_client": "store",
    "DenseIndex": "dense",
    "FrenchAnalyzer": "lexical",
    "LexicalIndex": "lexical",
    "Indexer": "indexing",
    "SyncReport": "indexing",
    "Filters": "retrieval",
    "HybridRetriever": "retrieval",
    "Passage": "retrieval",
    "Reranker": "rerank",
    "Glossary": "glossary",
    "QuestionType": "question_type",
    "classify": "question_type",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
