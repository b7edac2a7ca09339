"""Chroma, the source of truth: every chunk with its metadata and its vector.

Vectors are always computed by our embedder and passed in; the collection is opened
without an embedding function, so Chroma's default one (which downloads a model) never runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import IndexError_

Metadata = dict[str, str | int | float | bool]

# What ``doc_hashes`` puts before the hash of a version whose chunks are not all written.
INCOMPLETE = "incomplete:"


@dataclass
class StoredChunk:
    chunk_id: str
    text: str
    metadata: Metadata


@dataclass
class StoredUnit:
    """An answer unit (a sentence, or a sentence with its list) of a chunk, with its vector."""

    unit_id: str
    chunk_id: str
    start: int  # span in the chunk text
    end: int
    vector: list[float]


@dataclass
class DenseHit:
    chunk_id: str
    similarity: float  # cosine similarity
    text: str
    metadata: Metadata


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

        A version is complete when all of its chunks are written: each chunk carries the
        number of chunks of its version (``doc_chunks``). A version written in several
        batches and cut short (a crash between two batches) has fewer chunks than that;
        its hash is then reported as ``incomplete:HASH``, so that it matches no document
        and the next sync writes it again. Chunks without ``doc_chunks`` (an index written
        before it existed) count as complete.
        """
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
        return out

    def metadatas(self) -> Iterator[Metadata]:
        """The metadata of every chunk, read page by page."""
        for _, m, _ in self._paged(include=["metadatas"]):
            yield m

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
        if not chunk_ids:
            return []
        res = self.units.get(
            where={"chunk_id": {"$in": list(chunk_ids)}}, include=["metadatas", "embeddings"]
        )
        return [
            StoredUnit(uid, str(m["chunk_id"]), int(m["start"]), int(m["end"]), list(v))
            for uid, m, v in zip(res["ids"], res["metadatas"], res["embeddings"], strict=True)
        ]

    def query_units(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the units closest to the vector."""
        n = min(n, int(self.units.count()))
        if n <= 0:
            return []
        res = self.units.query(
            query_embeddings=[list(embedding)],
            n_results=n,
            where=dict(where) if where else None,
            include=["metadatas", "distances"],
        )
        return [
            (str(m["chunk_id"]), 1.0 - float(d))
            for m, d in zip(res["metadatas"][0], res["distances"][0], strict=True)
        ]

    def all_chunks(self) -> list[StoredChunk]:
        return [
            StoredChunk(chunk_id=cid, text=doc, metadata=meta)
            for cid, meta, doc in self._paged(include=["metadatas", "documents"])
        ]

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        res = self.collection.get(ids=list(ids), include=["metadatas", "documents"])
        by_id = {
            cid: StoredChunk(cid, doc, dict(meta))
            for cid, doc, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def query(
        self, embedding: Sequence[float], n: int, where: Mapping[str, Any] | None = None
    ) -> list[DenseHit]:
        n = min(n, self.count())
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
            yield from zip(ids, [dict(m) for m in metas], docs, strict=True)
            offset += len(ids)
