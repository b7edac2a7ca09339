"""Sync the index with the corpus: embed new and changed documents, delete removed ones,
leave unchanged ones alone, then refresh the lexical index (derived from Chroma).
Each document is made ready in ``prepare.py``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from ..errors import CorpusError, DocumentError
from ..ingest.corpus import CorpusEntry, DiscoveryCache, discover
from ..ingest.safe_loading import Limits
from .dense import DenseIndex
from .lexical import FrenchAnalyzer, LexicalIndex
from .prepare import PreparedDocument, blank_pages_warning, lexical_text, pipeline_version, prepare
from .store import ChunkStore, release_memory

# Documents whose records are written at once (ChunkStore.record_docs).
RECORD_BATCH = 200


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Indexed, with something left out: "x.pdf : les pages 2, 3 (sur 3) n'ont pas de texte…"
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} ajouté(s), {len(self.updated)} mis à jour, "
            f"{len(self.removed)} supprimé(s), {len(self.unchanged)} inchangé(s), "
            f"{len(self.skipped)} ignoré(s) ; {self.chunks_embedded} passage(s) vectorisé(s), "
            f"{self.chunks_total} dans l'index ; {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class IndexProgress:
    """Where a sync stands, given to its ``on_progress`` callback: at the start, after
    each document, and once all are written (``finishing``: the lexical index and the
    exact-search copy are being rebuilt)."""

    docs_done: int
    docs_total: int
    passages: int  # passages written so far
    elapsed: float  # seconds since the documents started
    finishing: bool = False

    @property
    def eta(self) -> float | None:
        """Seconds left, from the mean time per document so far (None before the first)."""
        if self.docs_done == 0 or self.docs_done >= self.docs_total:
            return None
        return self.elapsed / self.docs_done * (self.docs_total - self.docs_done)

    def line(self) -> str:
        """« indexation : 12/41 documents, 640 passages, reste ≈ 2 min »"""
        text = (
            f"indexation : {self.docs_done}/{self.docs_total} documents, {self.passages} passages"
        )
        if self.finishing:
            return text + ", construction des index de recherche…"
        eta = self.eta
        return text if eta is None else f"{text}, reste ≈ {duration(eta)}"


def duration(seconds: float) -> str:
    """« 40 s », « 2 min », « 1 h 05 » (rounded up to 10 s under a minute)."""
    if seconds < 60:
        return f"{max(10, int(-(-seconds // 10) * 10))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


ProgressCallback = Callable[[IndexProgress], None]


class Indexer:
    def __init__(
        self,
        store: ChunkStore,
        embeddings: Embeddings,
        lexical_dir: Path,
        analyzer: FrenchAnalyzer | None = None,
        max_chars: int = 800,
        dense_dir: Path | None = None,
        exact_search_max_vectors: int = 200_000,
        pdf_limits: Limits | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.lexical_dir = lexical_dir
        # The in-memory copy of the vectors for exact search (see dense.py).
        self.dense_dir = dense_dir or lexical_dir.parent.parent / "dense" / lexical_dir.name
        self.exact_search_max_vectors = exact_search_max_vectors
        self.analyzer = analyzer or FrenchAnalyzer()
        self.max_chars = max_chars
        self.pdf_limits = pdf_limits  # None: safe_loading's defaults
        # Metadata and content hashes of the documents unchanged since the last sync.
        self.discovery_cache = DiscoveryCache()

    def sync(
        self,
        corpus_dir: Path,
        progress: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> SyncReport:
        """``progress``: a bar on stderr; ``on_progress``: called with an
        :class:`IndexProgress` at the start, after each document and before the final
        rebuild of the search indexes."""
        t0 = time.perf_counter()
        report = SyncReport()
        found = discover(corpus_dir, cache=self.discovery_cache)
        report.skipped.extend(found.problems)
        stored = self.store.doc_hashes()
        if not found.entries and stored:
            raise CorpusError(
                f"aucun document valide dans {corpus_dir} : l'index existant est conservé"
            )
        # Documents present in the folder but unreadable keep their indexed version.
        # Not a link out of the folder: what such a link let in is removed.
        protected = {Path(n).stem for n, _ in found.problems if n not in found.refused}

        todo: list[tuple[CorpusEntry, str]] = []
        for entry in found.entries:
            h = entry.content_hash(pipeline_version(self.max_chars))
            if stored.get(entry.doc_id) == {h}:
                report.unchanged.append(entry.doc_id)
            else:
                todo.append((entry, h))

        bar = tqdm(
            total=len(todo), unit="doc", desc="Indexation", disable=not progress, file=sys.stderr
        )
        # Records of the documents written, stored every RECORD_BATCH documents and at the
        # end, even when the sync fails: a record comes after its document's chunks, and a
        # document without one is read from its chunks (ChunkStore.doc_hashes).
        records: list[tuple[str, str, int, bool]] = []
        t_docs = time.perf_counter()
        done = 0

        def tick(finishing: bool = False) -> None:
            if on_progress is not None:
                on_progress(
                    IndexProgress(
                        done,
                        len(todo),
                        report.chunks_embedded,
                        time.perf_counter() - t_docs,
                        finishing,
                    )
                )

        def step() -> None:
            nonlocal done
            done += 1
            bar.update(1)
            tick()

        tick()
        try:
            self._write_docs(todo, stored, protected, report, records, bar, step)
        finally:
            self.store.record_docs(records)
            bar.close()
        if todo:
            tick(finishing=True)

        present = {e.doc_id for e in found.entries} | protected
        for doc_id in sorted(set(stored) - present):
            self.store.delete(self.store.chunk_ids_of(doc_id))
            self.store.forget_docs([doc_id])
            report.removed.append(doc_id)

        if report.changed or not self._derived_fresh():
            lexical = self.refresh_lexical(force=report.changed)
            # Forced too: a new pipeline may change a document's answer units and keep its
            # chunks, whose ids alone make the fingerprint.
            self.refresh_dense(lexical, force=report.changed)
        report.chunks_total = self.store.count()
        report.seconds = time.perf_counter() - t0
        return report

    def _write_docs(
        self,
        todo: list[tuple[CorpusEntry, str]],
        stored: dict[str, set[str]],
        protected: set[str],
        report: SyncReport,
        records: list[tuple[str, str, int, bool]],
        bar: Any,
        step: Callable[[], None],
    ) -> None:
        for entry, _ in todo:
            bar.set_postfix_str(entry.doc_id[:30])
            try:
                doc = prepare(entry, self.max_chars, self.pdf_limits)
            except DocumentError as exc:
                report.skipped.append((entry.path.name, str(exc)))
                protected.add(entry.doc_id)
                step()
                continue
            records.append(self._swap(doc, known=entry.doc_id in stored))
            if len(records) >= RECORD_BATCH:
                self.store.record_docs(records)
                records.clear()
                release_memory()  # what Chroma's writes freed (see store.release_memory)
            if warning := blank_pages_warning(doc):
                report.warnings.append(warning)
            report.chunks_embedded += len(doc.chunks)
            (report.updated if entry.doc_id in stored else report.added).append(entry.doc_id)
            step()

    def _swap(self, doc: PreparedDocument, known: bool = True) -> tuple[str, str, int, bool]:
        """Write the new version, then delete what is left of the old one (``known``:
        the index holds a version of the document; a new one has nothing to delete).

        Until the delete, the old chunks stay searchable; if the process dies in between,
        the document carries two content hashes and the next sync redoes it. If it dies
        between two upsert batches of a long document, fewer chunks than ``doc_chunks``
        carry the new hash: ``ChunkStore.doc_hashes`` marks that version incomplete and
        the next sync redoes it too.
        """
        doc_id = doc.entry.doc_id
        old_ids = set(self.store.chunk_ids_of(doc_id)) if known else set()
        # Units are looked up even for a new document: a sync killed after writing them
        # (before its chunks) leaves units that no count reveals.
        old_units = set(self.store.unit_ids_of(doc_id))
        chunk_texts = doc.embedding_texts()
        chunk_metas = doc.metadatas()
        unit_ids, unit_texts, unit_metas = doc.units(chunk_metas)
        vectors = self.embeddings.embed_documents(chunk_texts + unit_texts)
        ids = [c.chunk_id for c in doc.chunks]
        # Units first: a chunk is never searchable without the units its answer needs.
        self.store.upsert_units(unit_ids, unit_texts, unit_metas, vectors[len(ids) :])
        self.store.upsert(ids, [c.text for c in doc.chunks], chunk_metas, vectors[: len(ids)])
        self.store.delete(sorted(old_ids - set(ids)))
        self.store.delete_units(sorted(old_units - set(unit_ids)))
        # The document's record, to be written after this (see ``sync``): until it is, the
        # chunk count disagrees with the records, or the record names the old version.
        return (doc_id, doc.content_hash, len(doc.chunks), True)

    def is_current(self, lexical: LexicalIndex) -> bool:
        """Whether ``lexical`` still matches the store, which another replica sharing a
        Chroma server may have changed: its chunk ids (one ids-only Chroma call) and the
        version of its per-document records (one row). A change of a document's metadata
        alone keeps its chunk ids but writes its record (issue 12)."""
        return lexical.fingerprint == self._store_version()

    def _store_version(self) -> str:
        """The store's version (chunk ids and records), as a derived index carries it.
        The records first: a change made between the two reads shows next time."""
        records = self.store.records_fingerprint()
        return LexicalIndex.version_of(LexicalIndex.fingerprint_of(self.store.ids()), records)

    def _derived_fresh(self) -> bool:
        """Whether the saved lexical index and exact-search copy match the store, read
        from their small metadata files (a sync that changes nothing loads neither)."""
        saved = LexicalIndex.saved_fingerprint(self.lexical_dir)
        if saved is None or saved[0] != self._store_version():
            return False
        # The copy is written at every size (searched in memory or read from disk).
        return DenseIndex.saved_fingerprint(self.dense_dir) == saved

    def refresh_lexical(self, force: bool = False) -> LexicalIndex:
        """Load the lexical index, rebuilding it from Chroma when stale or missing."""
        if not force:
            current = LexicalIndex.load(self.analyzer, self.lexical_dir)
            if current is not None and current.fingerprint == self._store_version():
                return current
        return self.rebuild_lexical()

    def refresh_dense(self, lexical: LexicalIndex, force: bool = False) -> DenseIndex | None:
        """The exact-search copy of the vectors, aligned with ``lexical``; rebuilt from
        Chroma when stale or missing. None when the collection holds more vectors than
        ``exact_search_max_vectors`` (4 bytes x dimension each in memory): then Chroma's
        approximate search serves, ties still broken by chunk id, and the copy, mapped
        from disk, still serves the reads of passages and units."""
        copy = self._dense_for(lexical, force)
        # The passages and their units are read from this copy, not from Chroma, even when
        # it is too large to search (then mapped from disk): a question costs only its
        # searches (issue 12: at most two Chroma calls).
        self.store.unit_source = copy
        self.store.chunk_source = copy
        return copy if copy is not None and copy.in_memory else None

    def _dense_for(self, lexical: LexicalIndex, force: bool = False) -> DenseIndex | None:
        limit = self.exact_search_max_vectors
        current = None if force else DenseIndex.load(self.dense_dir, limit)
        fresh = current is not None and current.fingerprint == lexical.fingerprint
        if current is not None and fresh and current.ids == lexical.ids:
            return current
        DenseIndex.write(self.store, lexical.ids, lexical.fingerprint, self.dense_dir)
        return DenseIndex.load(self.dense_dir, limit)

    def rebuild_lexical(self) -> LexicalIndex:
        # The records are read first: a change made meanwhile makes them differ next time.
        records = self.store.records_fingerprint()
        # Streamed: only each chunk's term ids stay in memory, not its text (issue 12).
        index = LexicalIndex.build_from(
            self.analyzer,
            (
                (c.chunk_id, lexical_text(c.text, c.metadata), c.metadata)
                for c in self.store.iter_chunks()
            ),
            records,
        )
        index.save(self.lexical_dir)
        return index
