"""The assistant as one object: what the CLI, the UI and the evaluation call.

Expensive parts (embedder, Chroma client) come in as arguments; ``build_assistant`` is
the one place that makes the real ones from the settings.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from .answer.extractive import Answer, AnswerConfig, ExtractiveAnswerer, load_calibration
from .answer.generation import GenerationConfig, LLMAnswerer
from .answer.llm import build_chat_model
from .answer.sentence_ranker import SentenceModel
from .errors import InputError
from .search.dense import DenseIndex
from .search.embeddings import build_embeddings, collection_name, embedder_name
from .search.glossary import GLOSSARY_FILE, Glossary, french_word
from .search.indexing import Indexer, IndexProgress, ProgressCallback, SyncReport
from .search.informal import standard, unglued
from .search.lexical import FrenchAnalyzer, LexicalIndex
from .search.question_type import search_text
from .search.rerank import Reranker
from .search.retrieval import Filters, HybridRetriever, Passage
from .search.store import ChunkStore, make_client
from .settings import Settings

log = logging.getLogger("assistant")


@dataclass
class Assistant:
    settings: Settings
    embeddings: Embeddings
    store: ChunkStore
    indexer: Indexer
    _lexical: LexicalIndex | None = None
    _dense: DenseIndex | None = None
    _dense_loaded: bool = False
    _reranker: Reranker | None = None
    _calibration: tuple[float, dict[str, float], float, float] | None = None
    _sentence_model: SentenceModel | None = None
    _glossary: Glossary | None = None
    chat_model: BaseChatModel | None = None  # set: answers are generated, then checked
    # Replicas sharing a Chroma server: when the store was last compared with the lexical
    # index (monotonic clock), and the lock under which the derived indexes are dropped
    # and reloaded (one question never mixes an old lexical index with a new dense copy).
    _store_checked: float = field(default=float("-inf"), init=False, repr=False)
    _store_lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    # One sync at a time: the admin's « Synchroniser » during the first start's background
    # indexing waits for it rather than writing the same chunks alongside.
    _sync_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def create(
        cls,
        settings: Settings,
        embeddings: Embeddings,
        client: Any,
        chat_model: BaseChatModel | None = None,
    ) -> Assistant:
        store = ChunkStore(
            client, collection_name(settings.collection, embeddings), embedder_name(embeddings)
        )
        name = collection_name(settings.collection, embeddings)
        indexer = Indexer(
            store,
            embeddings,
            lexical_dir_for(settings, embeddings),
            max_chars=settings.chunk_chars,
            dense_dir=settings.index_dir / "dense" / name,
            exact_search_max_vectors=settings.exact_search_max_vectors,
        )
        return cls(settings, embeddings, store, indexer, chat_model=chat_model)

    # --- index ----------------------------------------------------------------------
    def sync(
        self,
        progress: bool = False,
        on_progress: ProgressCallback | None = None,
        live_every_s: float | None = None,
    ) -> SyncReport:
        """Bring the index in line with the corpus. ``progress``: a bar on stderr;
        ``on_progress``: see :class:`IndexProgress`.

        ``live_every_s`` (a sync in the background of a serving chat): questions asked
        meanwhile are answered from the documents indexed so far, the derived indexes
        being dropped at most every that many seconds (they reload from the store on the
        next question); their final rebuild holds the lock, so that no question rebuilds
        them at the same time."""
        held = False
        last = monotonic()

        def step(p: IndexProgress) -> None:
            nonlocal held, last
            if live_every_s is not None:
                if p.finishing and not held:
                    self._store_lock.acquire()
                    held = True
                elif p.docs_done and monotonic() - last >= live_every_s:
                    self._forget_store()
                    last = monotonic()
            if on_progress is not None:
                on_progress(p)

        with self._sync_lock:
            try:
                report = self.indexer.sync(self.settings.corpus_dir, progress, step)
                self._keep_glossary()
                self._forget_store()
                self._glossary = None
            finally:
                if held:
                    self._store_lock.release()
        return report

    def _forget_store(self) -> None:
        """Drop what is derived from the store's chunks (lexical index, exact-search copy,
        reranker built on both): they reload, from disk or Chroma, on next use."""
        with self._store_lock:
            self._lexical = None
            self._dense, self._dense_loaded = None, False
            self._reranker = None

    def check_store(self) -> bool:
        """With a Chroma server (``chroma_url``), notice a change made by another replica:
        at most every ``replica_check_s`` seconds, the store's chunk ids and the version
        of its per-document records (an ids-only Chroma call and a one-row read) are
        compared with the lexical index's; when they differ (a document added, removed,
        or only its metadata changed), the derived indexes are dropped and reload. Returns
        whether they were dropped. A local store has one owner: no call."""
        if not self.settings.chroma_url:
            return False
        with self._store_lock:
            if self._lexical is None:
                return False  # nothing loaded yet: loading compares with the store
            now = monotonic()
            if now - self._store_checked < self.settings.replica_check_s:
                return False
            self._store_checked = now
            if self.indexer.is_current(self._lexical):
                return False
            log.info("index modifié par une autre instance : index dérivés rechargés")
            self._forget_store()
            return True

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index of the store's chunks. It is checked against the store (see
        ``check_store``) once per question, in ``search``, not on every read: a question
        reads it several times and must see one version throughout."""
        with self._store_lock:
            if self._lexical is None:
                self._lexical = self.indexer.refresh_lexical()  # compared with the store
                self._store_checked = monotonic()
            return self._lexical

    @property
    def dense_index(self) -> DenseIndex | None:
        """Exact dense search, when the collection fits ``exact_search_max_vectors``."""
        with self._store_lock:
            if not self._dense_loaded:
                self._dense = self.indexer.refresh_dense(self.lexical)
                self._dense_loaded = True
            return self._dense

    @property
    def reranker(self) -> Reranker:
        """The learned reranker; its weights load on first use."""
        with self._store_lock:
            if self._reranker is None:
                self._reranker = Reranker(self.lexical, self.dense_index, glossary=self.glossary)
            return self._reranker

    # --- ask ------------------------------------------------------------------------
    def retriever(self, mode: str | None = None) -> HybridRetriever:
        s = self.settings
        with self._store_lock:  # one version of the derived indexes
            lexical, dense = self.lexical, self.dense_index
            reranker = self.reranker if (mode or s.mode) == "reranked" else None
        return HybridRetriever(
            store=self.store,
            lexical=lexical,
            embeddings=self.embeddings,
            k=s.top_k,
            candidates=s.candidates,
            rrf_k=s.rrf_k,
            dense_weight=s.dense_weight,
            lexical_weight=s.lexical_weight,
            mode=mode or s.mode,
            unit_signal=s.unit_signal,
            fusion=s.fusion,
            superseded_penalty=s.superseded_penalty,
            dense_index=dense,
            reranker=reranker,
        )

    def answerer(self) -> ExtractiveAnswerer:
        s = self.settings
        if self._calibration is None:
            self._calibration = load_calibration(embedder_name(self.embeddings))
        bias, weights, threshold, related_floor = self._calibration
        return ExtractiveAnswerer(
            self.embeddings,
            self.lexical,
            AnswerConfig(
                max_sentences=s.answer_sentences,
                max_passages=s.answer_passages,
                abstain_threshold=(
                    s.abstain_threshold if s.abstain_threshold is not None else threshold
                ),
                conf_bias=bias,
                conf_weights=weights,
                max_age_years=s.max_age_years,
                related_floor=related_floor,
            ),
            store=self.store,
            glossary=self.glossary,
            sentence_model=self.sentence_model,
        )

    @property
    def sentence_model(self) -> SentenceModel:
        """The sentence ranker of the extractive answer, read from the package once (an
        answerer is built per question)."""
        if self._sentence_model is None:
            self._sentence_model = SentenceModel.load()
        return self._sentence_model

    def llm_answerer(self) -> LLMAnswerer | None:
        if self.chat_model is None:
            return None
        s = self.settings
        return LLMAnswerer(
            self.chat_model,
            self.lexical.analyzer,
            GenerationConfig(timeout=s.llm_timeout, retries=s.llm_retries, stream=s.llm_stream),
            notice=self.answerer().notice,
        )

    def validate_question(self, question: str) -> str:
        q = question.strip()
        if not q:
            raise InputError("la question est vide")
        if len(q) > self.settings.max_question_chars:
            raise InputError(
                f"la question est trop longue ({len(q)} caractères, "
                f"maximum {self.settings.max_question_chars})"
            )
        # A control character (a bell, a terminal escape, a NUL) is no part of a question
        # and would be echoed raw to a terminal or a log; line breaks and tabs are text.
        bad = next((c for c in q if unicodedata.category(c) == "Cc" and c not in "\n\r\t"), "")
        if bad:
            raise InputError(f"la question contient un caractère de contrôle (U+{ord(bad):04X})")
        return q

    @property
    def glossary(self) -> Glossary:
        """The acronyms and renamed bodies the index was built with: its own copy, so that
        a question asked from any working directory reads the same glossary; the corpus's
        for an index synced before the index kept one."""
        if self._glossary is None:
            kept = self.settings.index_dir / GLOSSARY_FILE
            source = self.settings.index_dir if kept.exists() else self.settings.corpus_dir
            self._glossary = Glossary.load(source)
        return self._glossary

    def written(self, question: str) -> str:
        """The question as the documents would write it: the apostrophes and accents of
        its interrogatives put back (« a quoi sert un caarud », see
        :func:`~assistant.search.informal.standard`) and its acronyms in the glossary's
        case (« csapa » → « CSAPA »), an elision glued to its word split (« dannees » →
        « d'annees », :func:`~assistant.search.informal.unglued`), its first letter a
        capital (the embedder reads case: « qui paye les csapa » and « Qui paye les
        CSAPA » ranked two passages in another order). Every reader of a question reads
        this form."""
        text = self.glossary.with_acronyms(
            standard(unglued(question, self._known_word, self._whole_word))
        )
        return text[:1].upper() + text[1:]

    def _whole_word(self, word: str, rest: str) -> bool:
        """A French word (simplemma's dictionary) whose end is no stop word: « cars »
        stays, « dune » is « d'une » (fourteenth fresh-user test: « compagnie de c'ars »)."""
        return bool(self.lexical.analyzer.stems(rest)) and french_word(word.lower())

    def _known_word(self, word: str) -> bool:
        """A word of the documents' vocabulary, or a stop word (no stem)."""
        _, unknown = self.lexical.known_terms(word)
        return not unknown

    def _keep_glossary(self) -> None:
        """Copy the corpus glossary into the index (written then renamed: never half a
        file); an index whose corpus has none keeps none."""
        src = self.settings.corpus_dir / GLOSSARY_FILE
        dest = self.settings.index_dir / GLOSSARY_FILE
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        if not src.exists():
            dest.unlink(missing_ok=True)
            return
        Glossary.load(self.settings.corpus_dir)  # an invalid glossary is refused here
        tmp = dest.with_suffix(".tmp")
        tmp.write_bytes(src.read_bytes())
        tmp.replace(dest)

    def search(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> tuple[list[Passage], list[float]]:
        """Retrieve for a question; BM25 also gets the other names of its acronyms and
        renamed bodies. (Expanding the dense query too was measured: it hurts.) Both read
        ``question_type.search_text``: a penalty asked with « risquer » is searched with
        the law's « encourir »."""
        q = self.validate_question(question)
        self.check_store()  # another replica may have changed the shared store
        written = self.written(q)
        text = search_text(written)
        qvec = self.embeddings.embed_query(text)
        expanded = self.glossary.expand(text, self.lexical.is_rare)
        passages = self.retriever(mode).search(
            expanded, k=k, filters=filters, query_vector=qvec, original_question=written
        )
        return passages, qvec

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> Answer:
        passages, qvec = self.search(question, k=k, filters=filters, mode=mode)
        q = self.written(question.strip())  # validated by search
        return self.answerer().answer(q, passages, query_vector=qvec)


def lexical_dir_for(settings: Settings, embeddings: Embeddings) -> Any:
    return settings.lexical_dir / collection_name(settings.collection, embeddings)


def build_assistant(
    settings: Settings,
    embeddings: Embeddings | None = None,
    client: Any = None,
    chat_model: BaseChatModel | None = None,
) -> Assistant:
    """Make the real components from the settings (or use those given)."""
    emb = embeddings or build_embeddings(
        settings.embedder,
        settings.query_prefix,
        settings.passage_prefix,
        settings.embed_batch_size,
    )
    cli = client if client is not None else make_client(settings.chroma_url, settings.chroma_dir)
    model = chat_model if chat_model is not None else build_chat_model(settings)
    return Assistant.create(settings, emb, cli, model)


__all__ = ["Assistant", "FrenchAnalyzer", "build_assistant"]
