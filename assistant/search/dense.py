"""Exact dense search in memory: the same question ranks the same on every call.

Chroma's HNSW search is approximate, and which vectors sit in its brute-force buffer or
in its graph changes as it compacts in the background: two calls of one question could
return near-ties in another order (issue 16, item 0: a fused score moved by 1.3e-4 between
two calls). Below ``max_vectors`` the chunk and unit vectors are read once from Chroma
(the source of truth; this is a derived copy, rebuilt when the chunk ids change) and every
question is scored against all of them: a float32 matrix-vector product, computed by one
BLAS kernel per output row, so the result does not depend on thread scheduling.

Scores are rounded to ``SCORE_DECIMALS`` before ranking and ties are broken by chunk id,
so that a last-bit difference between CPUs (another SIMD path) cannot reorder two
passages that are equal to the precision that matters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import replace_dir
from .store import ChunkStore

# float32 dot products of unit vectors are exact to about 1e-7; ranking at 1e-6 keeps
# every real difference and drops the noise.
SCORE_DECIMALS = 6


def top_positions(ids: Sequence[str], scores: np.ndarray, n: int) -> list[int]:
    """Positions of the ``n`` best ``scores``, by decreasing score rounded to
    ``SCORE_DECIMALS``, ties broken by id (``ids[i]`` names ``scores[i]``).

    Only the scores that can make the top ``n`` are sorted in Python: cheap on 100,000 rows.
    """
    rounded = np.round(np.asarray(scores, dtype=np.float64), SCORE_DECIMALS)
    if n <= 0 or rounded.size == 0:
        return []
    if n < rounded.size:
        kth = -np.partition(-rounded, n - 1)[n - 1]
        cand = np.flatnonzero(rounded >= kth)
    else:
        cand = np.arange(rounded.size)
    return sorted(cand.tolist(), key=lambda i: (-rounded[i], ids[i]))[:n]


class DenseIndex:
    """Chunk and unit vectors in memory, aligned with the lexical index's chunk ids.

    ``chunk_vectors``: (n_chunks, dim) float32, row i is ``ids[i]``.
    ``unit_vectors``: (n_units, dim) float32; ``unit_chunk[j]`` is the row of its chunk,
    ``unit_spans[j]`` its (start, end) span in that chunk's text.
    """

    FILE_META = "dense.json"
    FILE_CHUNKS = "chunks.npy"
    FILE_UNITS = "units.npy"
    FILE_UNIT_CHUNK = "unit_chunk.npy"
    FILE_UNIT_SPANS = "unit_spans.npy"

    def __init__(
        self,
        ids: list[str],
        chunk_vectors: np.ndarray,
        unit_vectors: np.ndarray,
        unit_chunk: np.ndarray,
        unit_spans: np.ndarray,
        fingerprint: str,
    ) -> None:
        self.ids = ids
        self.position = {cid: i for i, cid in enumerate(ids)}
        self.chunk_vectors = chunk_vectors
        self.unit_vectors = unit_vectors
        self.unit_chunk = unit_chunk
        self.unit_spans = unit_spans
        self.fingerprint = fingerprint
        # Units of each chunk row, in text order: rows ``_unit_order[_unit_start[r] :
        # _unit_start[r + 1]]`` (arrays, not a dict of lists: 100,000 chunks load at once).
        self._unit_order = np.lexsort(
            (unit_spans[:, 0] if len(unit_spans) else unit_chunk, unit_chunk)
        )
        self._unit_start = np.searchsorted(
            unit_chunk[self._unit_order], np.arange(len(ids) + 1), side="left"
        )

    @classmethod
    def build(cls, store: ChunkStore, ids: Sequence[str], fingerprint: str) -> DenseIndex:
        """Read every chunk and unit vector of ``store``, rows in the order of ``ids``."""
        position = {cid: i for i, cid in enumerate(ids)}
        chunks: np.ndarray | None = None
        for cid, vec, _ in _paged_vectors(store.collection, include_chunk=False):
            if chunks is None:
                chunks = np.zeros((len(ids), len(vec)), dtype=np.float32)
            if cid in position:
                chunks[position[cid]] = vec
        if chunks is None:
            chunks = np.zeros((0, 0), dtype=np.float32)
        unit_rows: list[np.ndarray] = []
        unit_chunk: list[int] = []
        unit_spans: list[tuple[int, int]] = []
        for chunk_id, vec, span in _paged_vectors(store.units, include_chunk=True):
            if chunk_id in position:
                unit_rows.append(vec)
                unit_chunk.append(position[chunk_id])
                unit_spans.append(span)
        units = (
            np.vstack(unit_rows).astype(np.float32)
            if unit_rows
            else np.zeros((0, chunks.shape[1]), dtype=np.float32)
        )
        return cls(
            list(ids),
            chunks,
            units,
            np.asarray(unit_chunk, dtype=np.int64),
            np.asarray(unit_spans, dtype=np.int64).reshape(-1, 2),
            fingerprint,
        )

    def save(self, directory: Path) -> None:
        """Write the copy (a crash never leaves half of it)."""

        def write(tmp: Path) -> None:
            np.save(tmp / self.FILE_CHUNKS, self.chunk_vectors)
            np.save(tmp / self.FILE_UNITS, self.unit_vectors)
            np.save(tmp / self.FILE_UNIT_CHUNK, self.unit_chunk)
            np.save(tmp / self.FILE_UNIT_SPANS, self.unit_spans)
            (tmp / self.FILE_META).write_text(
                json.dumps({"fingerprint": self.fingerprint, "ids": self.ids}), encoding="utf-8"
            )

        replace_dir(directory, write)

    @classmethod
    def saved_fingerprint(cls, directory: Path) -> tuple[str, list[str]] | None:
        """(fingerprint, ids) of the saved copy, without loading its vectors."""
        try:
            meta = json.loads((directory / cls.FILE_META).read_text(encoding="utf-8"))
            return str(meta["fingerprint"]), list(meta["ids"])
        except (OSError, ValueError, KeyError):
            return None

    @classmethod
    def load(cls, directory: Path) -> DenseIndex | None:
        """The saved copy, or None when missing or unreadable (then rebuild)."""
        try:
            meta = json.loads((directory / cls.FILE_META).read_text(encoding="utf-8"))
            return cls(
                list(meta["ids"]),
                np.load(directory / cls.FILE_CHUNKS),
                np.load(directory / cls.FILE_UNITS),
                np.load(directory / cls.FILE_UNIT_CHUNK),
                np.load(directory / cls.FILE_UNIT_SPANS),
                str(meta["fingerprint"]),
            )
        except (OSError, ValueError, KeyError):
            return None

    @property
    def size(self) -> int:
        """Vectors held (chunks + units)."""
        return int(self.chunk_vectors.shape[0] + self.unit_vectors.shape[0])

    def similarities(self, query_vector: np.ndarray, unit_signal: bool = True) -> np.ndarray:
        """Cosine similarity of every chunk to the (unit-norm) query, shape (n_chunks,).

        With ``unit_signal``, a chunk scores the best of its own vector and its units'
        (a question often matches one sentence better than a whole chunk).
        """
        if self.chunk_vectors.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        q = np.asarray(query_vector, dtype=np.float32)
        sims = self.chunk_vectors @ q
        if unit_signal and self.unit_vectors.shape[0]:
            np.maximum.at(sims, self.unit_chunk, self.unit_vectors @ q)
        return sims

    def unit_similarities(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every unit to the query, shape (n_units,)."""
        return self.unit_vectors @ np.asarray(query_vector, dtype=np.float32)

    def chunk_similarities(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every chunk's own vector to the query, shape (n_chunks,)."""
        return self.chunk_vectors @ np.asarray(query_vector, dtype=np.float32)

    def unit_spans_vectors(self, chunk_id: str) -> list[tuple[int, int, np.ndarray]] | None:
        """(start, end, vector) of the units of a chunk, in text order; None for a chunk
        this copy does not hold (``ChunkStore.units_of`` then reads Chroma)."""
        row = self.position.get(chunk_id)
        if row is None:
            return None
        return [
            (int(self.unit_spans[j, 0]), int(self.unit_spans[j, 1]), self.unit_vectors[j])
            for j in self._rows_of(row)
        ]

    def _rows_of(self, row: int) -> list[int]:
        lo, hi = int(self._unit_start[row]), int(self._unit_start[row + 1])
        return [int(j) for j in self._unit_order[lo:hi]]

    def units_of(self, chunk_id: str) -> list[int]:
        """Rows of the units of a chunk, in text order (empty for an unknown chunk)."""
        row = self.position.get(chunk_id)
        return [] if row is None else self._rows_of(row)


def _paged_vectors(
    collection: Any, include_chunk: bool, page: int = 2000
) -> list[tuple[str, np.ndarray, tuple[int, int]]]:
    """(chunk id, vector, span) of every record of a collection, read page by page; for
    the units collection the chunk id and span are the unit's metadata."""
    out: list[tuple[str, np.ndarray, tuple[int, int]]] = []
    offset = 0
    include = ["embeddings", "metadatas"] if include_chunk else ["embeddings"]
    while True:
        res = collection.get(include=include, limit=page, offset=offset)
        ids = res["ids"]
        if not ids:
            return out
        vecs = res["embeddings"]
        metas = res["metadatas"] if include_chunk else [None] * len(ids)
        for rid, vec, meta in zip(ids, vecs, metas, strict=True):
            key = str(meta["chunk_id"]) if include_chunk else rid
            span = (int(meta["start"]), int(meta["end"])) if include_chunk else (0, 0)
            out.append((key, np.asarray(vec, dtype=np.float32), span))
        offset += len(ids)
