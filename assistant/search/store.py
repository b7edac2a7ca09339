"""Chroma, the source of truth: every chunk with its metadata and its vector.

Vectors are always computed by our embedder and passed in; the collection is opened
without an embedding function, so Chroma's default one (which downloads a model) never runs.
"""

from __future__ import annotations

import ctypes
import functools
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from ..errors import IndexError_

Metadata = dict[str, str | int | float | bool]

# What ``doc_hashes`` puts before the hash of a version whose chunks are not all written.
INCOMPLETE = "incomplete:"
# The id of the row of ``<name>-state`` that holds the version of the records.
RECORDS_VERSION = "records"


@dataclass
class StoredChunk:
    chunk_id: str
    text: str
    metadata: Metadata
    vector: list[float] | None = None  # read only when asked for (``get(with_vectors=)``)


@dataclass
class StoredUnit:
    """An answer unit (a sentence, or a sentence with its list) of a chunk, with its vector."""

    unit_id: str
    chunk_id: str
    start: int  # span in the chunk text
    end: int
    vector: list[float]


class ChunkSource(Protocol):
    """What holds chunks' texts, metadata and vectors outside Chroma (dense.py's copy)."""

    def stored_chunks(self, ids: Sequence[str], with_vectors: bool) -> dict[str, StoredChunk]:
        """The chunks of ``ids`` it holds, by id (those it does not are left out)."""


class UnitSource(Protocol):
    """What holds the answer units of chunks in memory (the exact-search copy, dense.py)."""

    def unit_spans_vectors(self, chunk_id: str) -> list[tuple[int, int, np.ndarray]] | None:
        """(start, end, vector) of the units of a chunk; None when it is not held."""


# Answer units of this many chunks are kept after being read from Chroma: the units of the
# passages found for a question are read once, by the search, and the answer step finds
# them here. Chunk ids name their text (a digest), so the units of an id never change.
UNIT_CACHE_CHUNKS = 512


@dataclass
class UnitHit:
    chunk_id: str  # the unit's chunk
    similarity: float  # cosine similarity
    metadata: Metadata  # the unit's: its chunk, span and the chunk's facets


@dataclass
class DenseHit:
    chunk_id: str
    similarity: float  # cosine similarity
    text: str
    metadata: Metadata


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return None


def release_memory() -> None:
    """Give the heap memory freed so far back to the system (glibc; elsewhere nothing).

    Chroma's reads and writes free large buffers in several malloc arenas, which glibc
    keeps: reading 13,900 chunks page by page left 180 MB of freed memory in the RSS
    (issue 12: peak RSS). Called after each page of a full read: a few ms."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def make_client(chroma_url: str | None, chroma_dir: Path) -> Any:
    """A Chroma server client when a URL is configured, else a local persistent one."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if not u.hostname:
            raise IndexError_(f"URL de serveur Chroma invalide : {chroma_url}")
        try:
            return chromadb.HttpClient(
                host=u.hostname,
                port=u.port or (443 if u.scheme == "https" else 8000),
                ssl=u.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise IndexError_(f"serveur Chroma injoignable à {chroma_url} ({exc})") from None
    chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)


def _upsert(
    collection: Any,
    ids: Sequence[str],
    texts: Sequence[str],
    metadatas: Sequence[Metadata],
    embeddings: Sequence[Sequence[float]],
    batch: int,
) -> None:
    for i in range(0, len(ids), batch):
        collection.upsert(
            ids=list(ids[i : i + batch]),
            documents=list(texts[i : i + batch]),
            metadatas=[dict(m) for m in metadatas[i : i + batch]],
            embeddings=[list(e) for e in embeddings[i : i + batch]],
        )


class ChunkStore:
    """A Chroma collection of chunks. The client is injected (local, server or in-memory)."""

    def __init__(self, client: Any, name: str, embedder: str = "") -> None:
        self.client = client
        self.name = name
        self.collection = self._open(name, embedder)
        # The answer units of every chunk, embedded at index time, in their own collection.
        self.units = self._open(name + "-units", embedder)
        # One record per document (content hash, chunk count, complete): a sync that
        # changes nothing reads these, not the metadata of every chunk.
        self.docs = self._open(name + "-docs", embedder)
        # The version of those records (``records_fingerprint``), read in one small call.
        self.state = self._open(name + "-state", embedder)
        # Where units are read without a round trip to Chroma (set by the indexer when the
        # copy of the vectors is loaded, in memory or mapped), then the recently read ones.
        self.unit_source: UnitSource | None = None
        self.chunk_source: ChunkSource | None = None  # likewise, chunks read by ``get``
        self._unit_cache: OrderedDict[str, list[tuple[int, int, np.ndarray]]] = OrderedDict()
        self._unit_lock = threading.Lock()

    def _open(self, name: str, embedder: str) -> Any:
        return self.client.get_or_create_collection(
            name=name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder} if embedder else None,
        )

    def count(self) -> int:
        return int(self.collection.count())

    def ids(self) -> list[str]:
        return list(self.collection.get(include=[])["ids"])

    def doc_hashes(self) -> dict[str, set[str]]:
        """doc_id -> the content hashes its chunks carry (more than one: an unfinished swap).

        Read from the per-document records (one row per document, see ``record_doc``)
        when they account for every chunk: all complete, and their chunk counts add up to
        the collection's. Otherwise (an index written before the records, a crash in a
        swap, a removal made elsewhere) the chunks' metadata is read, and the records are
        rewritten from it.

        A version is complete when all of its chunks are written: each chunk carries the
        number of chunks of its version (``doc_chunks``). A version written in several
        batches and cut short (a crash between two batches) has fewer chunks than that;
        its hash is then reported as ``incomplete:HASH``, so that it matches no document
        and the next sync writes it again. Chunks without ``doc_chunks`` (an index written
        before it existed) count as complete.
        """
        records = self._doc_records()
        if all(r[2] for r in records.values()) and sum(r[1] for r in records.values()) == (
            self.count()
        ):
            return {doc_id: {h} for doc_id, (h, _, _) in records.items()}
        return self._scan_doc_hashes(records)

    def records_fingerprint(self) -> str:
        """The version of the per-document records: a token rewritten after every write
        of them (one Chroma call reading one row; "none" before the first). Every sync
        that changes a document writes its record, a change of metadata alone included,
        which keeps its chunk ids: how a replica notices it (``Indexer.is_current``)."""
        metas = self.state.get(ids=[RECORDS_VERSION], include=["metadatas"])["metadatas"]
        return str(metas[0]["token"]) if metas else "none"

    def _records_written(self) -> None:
        token = uuid.uuid4().hex
        self.state.upsert(ids=[RECORDS_VERSION], embeddings=[[1.0]], metadatas=[{"token": token}])

    def _doc_records(self) -> dict[str, tuple[str, int, bool]]:
        """doc_id -> (content hash, chunks, complete), from the records collection."""
        res = self.docs.get(include=["metadatas"])
        return {
            str(m["doc_id"]): (str(m["content_hash"]), int(m["doc_chunks"]), bool(m["complete"]))
            for m in res["metadatas"]
        }

    def _scan_doc_hashes(self, records: dict[str, tuple[str, int, bool]]) -> dict[str, set[str]]:
        counts: dict[tuple[str, str], int] = {}
        expected: dict[tuple[str, str], int] = {}
        for m in self.metadatas():
            key = (str(m["doc_id"]), str(m["content_hash"]))
            counts[key] = counts.get(key, 0) + 1
            if "doc_chunks" in m:
                expected[key] = max(expected.get(key, 0), int(m["doc_chunks"]))
        out: dict[str, set[str]] = {}
        for (doc_id, h), n in counts.items():
            complete = n >= expected.get((doc_id, h), 0)
            out.setdefault(doc_id, set()).add(h if complete else f"{INCOMPLETE}{h}")
        # Rewrite the records from what the chunks say: a document with one complete
        # version gets its record; one in an unfinished swap keeps the one it has (the
        # next sync redoes it); a record without chunks goes.
        rewrite = []
        for doc_id, hashes in out.items():
            (h,) = hashes if len(hashes) == 1 else ("",)
            if h and not h.startswith(INCOMPLETE):
                record = (h, counts[(doc_id, h)], True)
                if records.get(doc_id) != record:
                    rewrite.append((doc_id, *record))
        self.record_docs(rewrite)
        gone = sorted(set(records) - set(out))
        if gone:
            self.forget_docs(gone)
        return out

    def record_doc(self, doc_id: str, content_hash: str, chunks: int, complete: bool) -> None:
        """Write the record of a document: its content hash, its number of chunks, and
        whether they are all written (the indexer writes it after them)."""
        self.record_docs([(doc_id, content_hash, chunks, complete)])

    def record_docs(self, records: Sequence[tuple[str, str, int, bool]], batch: int = 500) -> None:
        for i in range(0, len(records), batch):
            part = records[i : i + batch]
            self.docs.upsert(
                ids=[r[0] for r in part],
                embeddings=[[1.0]] * len(part),  # a record is read by id, never searched
                metadatas=[
                    {"doc_id": d, "content_hash": h, "doc_chunks": n, "complete": c}
                    for d, h, n, c in part
                ],
            )
        if records:
            self._records_written()

    def forget_docs(self, doc_ids: Sequence[str]) -> None:
        """Delete the records of documents (after their chunks)."""
        if doc_ids:
            self.docs.delete(ids=list(doc_ids))
            self._records_written()

    def metadatas(self) -> Iterator[Metadata]:
        """The metadata of every chunk, read page by page."""
        for _, m, _ in self._paged(include=["metadatas"]):
            yield m

    def last_chunks(self) -> list[StoredChunk]:
        """The last chunk of each document (where a letter ends with its signatures)."""
        rows = self._paged(include=["metadatas"])
        last = [c for c, m, _ in rows if m.get("chunk_index") == int(m.get("doc_chunks", 0)) - 1]
        return self.get(last)

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return list(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def upsert(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
        embeddings: Sequence[Sequence[float]],
        batch: int = 500,
    ) -> None:
        _upsert(self.collection, ids, texts, metadatas, embeddings, batch)

    def delete(self, ids: Sequence[str], batch: int = 500) -> None:
        """Delete chunks and their units."""
        for i in range(0, len(ids), batch):
            part = list(ids[i : i + batch])
            with self._unit_lock:
                for cid in part:
                    self._unit_cache.pop(cid, None)
            self.units.delete(where={"chunk_id": {"$in": part}})
            self.collection.delete(ids=part)

    def unit_ids_of(self, doc_id: str) -> list[str]:
        return list(self.units.get(where={"doc_id": doc_id}, include=[])["ids"])

    def delete_units(self, ids: Sequence[str], batch: int = 500) -> None:
        for i in range(0, len(ids), batch):
            self.units.delete(ids=list(ids[i : i + batch]))

    def upsert_units(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
        embeddings: Sequence[Sequence[float]],
        batch: int = 500,
    ) -> None:
        _upsert(self.units, ids, texts, metadatas, embeddings, batch)

    def units_of(self, chunk_ids: Sequence[str]) -> list[StoredUnit]:
        """The answer units of chunks, with their vectors: from memory when held (the
        exact-search copy, or read recently), else in one Chroma call for all the rest."""
        held: dict[str, list[tuple[int, int, np.ndarray]]] = {}
        missing: list[str] = []
        source = self.unit_source
        with self._unit_lock:
            for cid in dict.fromkeys(chunk_ids):
                units = source.unit_spans_vectors(cid) if source is not None else None
                if units is None and cid in self._unit_cache:
                    units = self._unit_cache[cid]
                    self._unit_cache.move_to_end(cid)
                if units is None:
                    missing.append(cid)
                else:
                    held[cid] = units
        if missing:
            res = self.units.get(
                where={"chunk_id": {"$in": missing}}, include=["metadatas", "embeddings"]
            )
            read: dict[str, list[tuple[int, int, np.ndarray]]] = {c: [] for c in missing}
            for m, v in zip(res["metadatas"], res["embeddings"], strict=True):
                read.setdefault(str(m["chunk_id"]), []).append(
                    (int(m["start"]), int(m["end"]), np.asarray(v, dtype=np.float32))
                )
            with self._unit_lock:
                for cid, units in read.items():
                    self._unit_cache[cid] = units
                    self._unit_cache.move_to_end(cid)
                while len(self._unit_cache) > UNIT_CACHE_CHUNKS:
                    self._unit_cache.popitem(last=False)
            held.update(read)
        return [
            StoredUnit(f"{cid}/{s}-{e}", cid, s, e, v.tolist())
            for cid in dict.fromkeys(chunk_ids)
            for s, e, v in held.get(cid, [])
        ]

    def query_units(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[UnitHit]:
        """(chunk_id, cosine similarity) of the units closest to the vector. (Chroma gives
        fewer than ``n`` when it holds fewer: no ``count()`` round trip to clamp ``n``.)"""
        if n <= 0:
            return []
        res = self.units.query(
            query_embeddings=[list(embedding)],
            n_results=n,
            where=dict(where) if where else None,
            include=["metadatas", "distances"],
        )
        return [
            UnitHit(str(m["chunk_id"]), 1.0 - float(d), dict(m))
            for m, d in zip(res["metadatas"][0], res["distances"][0], strict=True)
        ]

    def all_chunks(self) -> list[StoredChunk]:
        return list(self.iter_chunks())

    def iter_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk, read page by page: a caller that keeps less than the texts (the
        lexical rebuild) never holds them all."""
        for cid, meta, doc in self._paged(include=["metadatas", "documents"]):
            yield StoredChunk(chunk_id=cid, text=doc, metadata=meta)

    def get(self, ids: Sequence[str], with_vectors: bool = False) -> list[StoredChunk]:
        """Chunks by id, in the order of ``ids`` (unknown ids left out): from the copy
        in ``chunk_source`` when it holds them, else in one Chroma call; ``with_vectors``:
        with their vectors too."""
        if not ids:
            return []
        source = self.chunk_source
        by_id = source.stored_chunks(ids, with_vectors) if source is not None else {}
        rest = [i for i in dict.fromkeys(ids) if i not in by_id]
        if rest:
            include = ["metadatas", "documents"] + (["embeddings"] if with_vectors else [])
            res = self.collection.get(ids=rest, include=include)
            vectors = res["embeddings"] if with_vectors else [None] * len(res["ids"])
            for cid, doc, meta, vec in zip(
                res["ids"], res["documents"], res["metadatas"], vectors, strict=True
            ):
                v = None if vec is None else [float(x) for x in vec]
                by_id[cid] = StoredChunk(cid, doc, dict(meta), v)
        return [by_id[i] for i in ids if i in by_id]

    def query(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[DenseHit]:
        if n <= 0:
            return []
        res = self.collection.query(
            query_embeddings=[list(embedding)],
            n_results=n,
            where=dict(where) if where else None,
            include=["metadatas", "documents", "distances"],
        )
        return [
            DenseHit(chunk_id=cid, similarity=1.0 - float(dist), text=doc, metadata=dict(meta))
            for cid, dist, doc, meta in zip(
                res["ids"][0],
                res["distances"][0],
                res["documents"][0],
                res["metadatas"][0],
                strict=True,
            )
        ]

    def _paged(self, include: list[str], page: int = 2000) -> Iterator[tuple[str, Metadata, str]]:
        offset = 0
        while True:
            res = self.collection.get(include=include, limit=page, offset=offset)
            ids = res["ids"]
            if not ids:
                return
            metas = res.get("metadatas") or [{}] * len(ids)
            docs = res.get("documents") or [""] * len(ids)
            rows = list(zip(ids, [dict(m) for m in metas], docs, strict=True))
            del res, metas, docs
            release_memory()
            yield from rows
            offset += len(rows)
