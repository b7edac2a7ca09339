"""Ingest: read the corpus (its catalogue, the format readers, OCR, isolated loading),
clean the text, propose metadata and cut it into chunks and sentences."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module of this stage that defines it, imported on first use (the
# CLI's start-up must not load the heavy modules behind them).
_WHERE = {
    "DOC_TYPES": "corpus",
    "CorpusEntry": "corpus",
    "DocMeta": "corpus",
    "discover": "corpus",
    "Page": "loaders",
    "load_pages": "loaders",
    "clean_pages": "page_cleaning",
    "Chunk": "chunking",
    "chunk_document": "chunking",
    "Proposal": "extraction",
    "propose": "extraction",
    "Limits": "safe_loading",
    "load_pages_isolated": "safe_loading",
    "answer_units": "sentences",
    "split_spans": "sentences",
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
