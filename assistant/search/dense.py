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

import io
import json
import os
import shutil
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import replace_dir
from .store import ChunkStore, Metadata, StoredChunk, release_memory

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
    # Each chunk's text and metadata, one JSON line [text, metadata] per chunk, and the
    # (start, end) bytes of row i's line (end 0: not held).
    FILE_PASSAGES = "passages.jsonl"
    FILE_PASSAGE_SPANS = "passage_spans.npy"

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
        self.in_memory = True  # False: vectors mapped from disk, too many for exact search
        self._passages: _Passages | None = None
        # Units of each chunk row, in text order: rows ``_unit_order[_unit_start[r] :
        # _unit_start[r + 1]]`` (arrays, not a dict of lists: 100,000 chunks load at once).
        self._unit_order = np.lexsort(
            (unit_spans[:, 0] if len(unit_spans) else unit_chunk, unit_chunk)
        )
        self._unit_start = np.searchsorted(
            unit_chunk[self._unit_order], np.arange(len(ids) + 1), side="left"
        )

    @classmethod
    def write(
        cls, store: ChunkStore, ids: Sequence[str], fingerprint: str, directory: Path
    ) -> None:
        """Read every chunk (vector, text, metadata) and unit vector of ``store`` and write
        the copy to ``directory``, chunk rows in the order of ``ids``.

        Page by page, straight to the files (issue 12: at 100,000 chunks the vectors are
        580 MB, which the indexing process never holds). A crash never leaves half of it.
        """
        position = {cid: i for i, cid in enumerate(ids)}

        def fill(tmp: Path) -> None:
            _write_chunks(store, position, tmp)
            unit_chunk: list[np.ndarray] = []
            unit_spans: list[np.ndarray] = []
            raw, n, dim = tmp / (cls.FILE_UNITS + ".raw"), 0, 0
            with raw.open("wb") as f:
                for keys, vecs, spans, _ in _vector_pages(store.units, units=True):
                    take = [i for i, k in enumerate(keys) if k in position]
                    f.write(np.ascontiguousarray(vecs[take]).tobytes())
                    unit_chunk.append(np.asarray([position[keys[i]] for i in take], np.int64))
                    # (0, 2) when the page holds no unit of ``ids`` (a sync under way:
                    # units of chunks the lexical index does not have yet).
                    unit_spans.append(np.asarray([spans[i] for i in take], np.int64).reshape(-1, 2))
                    n, dim = n + len(take), vecs.shape[1]
            if not n:  # as many columns as the chunk vectors
                dim = np.load(tmp / cls.FILE_CHUNKS, mmap_mode="r").shape[1]
            with (tmp / cls.FILE_UNITS).open("wb") as out, raw.open("rb") as f:
                out.write(_npy_header((n, dim)))
                shutil.copyfileobj(f, out, 1 << 20)
            raw.unlink()
            np.save(tmp / cls.FILE_UNIT_CHUNK, np.concatenate([np.zeros(0, np.int64), *unit_chunk]))
            spans_all = np.concatenate([np.zeros((0, 2), np.int64), *unit_spans])
            np.save(tmp / cls.FILE_UNIT_SPANS, spans_all.reshape(-1, 2))
            (tmp / cls.FILE_META).write_text(
                json.dumps({"fingerprint": fingerprint, "ids": list(ids)}), encoding="utf-8"
            )

        replace_dir(directory, fill)

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
    def load(cls, directory: Path, max_in_memory: int | None = None) -> DenseIndex | None:
        """The saved copy, or None when missing or unreadable (then rebuild).

        In memory when it holds at most ``max_in_memory`` vectors (None: always); else its
        vectors stay on disk, mapped, and it serves only reads of passages and units
        (``in_memory`` False: Chroma's HNSW searches)."""
        try:
            meta = json.loads((directory / cls.FILE_META).read_text(encoding="utf-8"))
            chunks = _load(directory / cls.FILE_CHUNKS, mapped=True)
            units = _load(directory / cls.FILE_UNITS, mapped=True)
            in_memory = max_in_memory is None or len(chunks) + len(units) <= max_in_memory
            if in_memory:  # read, not mapped: mapped pages would count twice in the RSS
                chunks = _load(directory / cls.FILE_CHUNKS, mapped=False)
                units = _load(directory / cls.FILE_UNITS, mapped=False)
            index = cls(
                list(meta["ids"]),
                chunks,
                units,
                np.load(directory / cls.FILE_UNIT_CHUNK),
                np.load(directory / cls.FILE_UNIT_SPANS),
                str(meta["fingerprint"]),
            )
            index.in_memory = in_memory
            if (directory / cls.FILE_PASSAGES).exists():
                index._passages = _Passages(
                    directory / cls.FILE_PASSAGES, np.load(directory / cls.FILE_PASSAGE_SPANS)
                )
            return index
        except (OSError, ValueError, KeyError):
            return None

    def stored_chunks(self, ids: Sequence[str], with_vectors: bool) -> dict[str, StoredChunk]:
        """The chunks of ``ids`` this copy holds (text, metadata, and vector if asked), as
        ``ChunkStore.get`` reads them from Chroma: a question's passages cost no call."""
        out: dict[str, StoredChunk] = {}
        if self._passages is None:
            return out
        for cid in ids:
            row = self.position.get(cid)
            held = None if row is None else self._passages.read(row)
            if row is not None and held is not None:
                vec = [float(x) for x in self.chunk_vectors[row]] if with_vectors else None
                out[cid] = StoredChunk(cid, held[0], held[1], vec)
        return out

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


def _vector_pages(
    collection: Any, units: bool, page: int = 2000
) -> Iterator[tuple[list[str], np.ndarray, list[tuple[int, int]], list[tuple[str, Metadata]]]]:
    """(chunk ids, vectors (n, dim) float32, spans, (text, metadata)) of a collection's
    records, one page at a time. Units: the chunk id and span are each unit's metadata,
    no text; chunks: spans (0, 0), with text and metadata."""
    offset = 0
    include = ["embeddings", "metadatas"] if units else ["embeddings", "documents", "metadatas"]
    while True:
        res = collection.get(include=include, limit=page, offset=offset)
        ids = res["ids"]
        if not ids:
            return
        vecs = np.asarray(res["embeddings"], dtype=np.float32).reshape(len(ids), -1)
        metas = res["metadatas"]
        release_memory()
        if units:
            keys = [str(m["chunk_id"]) for m in metas]
            spans = [(int(m["start"]), int(m["end"])) for m in metas]
            yield keys, vecs, spans, []
        else:
            rows = [(str(d), dict(m)) for d, m in zip(res["documents"], metas, strict=True)]
            yield list(ids), vecs, [(0, 0)] * len(ids), rows
        offset += len(ids)


def _write_chunks(store: ChunkStore, position: dict[str, int], tmp: Path) -> None:
    """Chunk vectors (rows of ``position``, zeros for a chunk Chroma no longer has) and
    the passages file, written as the pages come."""
    n = len(position)
    spans = np.zeros((n, 2), dtype=np.int64)
    start = -1
    with (tmp / DenseIndex.FILE_CHUNKS).open("wb") as fc:
        with (tmp / DenseIndex.FILE_PASSAGES).open("wb") as fp:
            for keys, vecs, _, rows in _vector_pages(store.collection, units=False):
                if start < 0:
                    fc.write(_npy_header((n, vecs.shape[1])))
                    start = fc.tell()
                    fc.truncate(start + n * vecs.shape[1] * 4)  # zeros, written sparsely
                for i, cid in enumerate(keys):
                    row = position.get(cid)
                    if row is None:
                        continue
                    fc.seek(start + row * vecs.shape[1] * 4)
                    fc.write(vecs[i].tobytes())
                    line = json.dumps(rows[i], ensure_ascii=False).encode() + b"\n"
                    spans[row] = (fp.tell(), fp.tell() + len(line))
                    fp.write(line)
        if start < 0:  # an empty collection
            fc.write(_npy_header((0, 0)))
    np.save(tmp / DenseIndex.FILE_PASSAGE_SPANS, spans)


def _npy_header(shape: tuple[int, int]) -> bytes:
    """The header of a float32 .npy file of ``shape`` (the rows follow it)."""
    buf = io.BytesIO()
    d = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False}
    np.lib.format.write_array_header_1_0(buf, {**d, "shape": shape})
    return buf.getvalue()


def _load(path: Path, mapped: bool) -> np.ndarray:
    if mapped:
        try:
            arr: np.ndarray = np.load(path, mmap_mode="r")
            return arr
        except ValueError:  # an empty array cannot be mapped
            pass
    arr = np.load(path)
    return arr


class _Passages:
    """The passages file, read by offset (``os.pread``: safe across threads). The file is
    opened once: a rebuild that replaces the folder leaves this copy its own file."""

    def __init__(self, path: Path, spans: np.ndarray) -> None:
        self.spans = spans
        self.fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self.fd)

    def read(self, row: int) -> tuple[str, Metadata] | None:
        start, end = int(self.spans[row, 0]), int(self.spans[row, 1])
        if end == 0:
            return None
        text, meta = json.loads(os.pread(self.fd, end - start, start))
        return str(text), dict(meta)
