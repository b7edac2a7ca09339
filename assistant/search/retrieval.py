"""Hybrid retrieval: dense (Chroma) and French BM25, fused by weighted reciprocal rank,
with metadata filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..errors import InputError
from .dense import SCORE_DECIMALS, DenseIndex, top_positions
from .lexical import LexicalIndex
from .store import ChunkStore, Metadata

# Filtered approximate search (``HybridRetriever._hnsw``): Chroma is asked for
# POST_FILTER_MARGIN / share more neighbours than needed, without ``where``, when the
# filters keep at least POST_FILTER_MIN_SHARE of the chunks and that many is at most
# POST_FILTER_MAX_N; else (or when too few pass) with ``where``.
POST_FILTER_MARGIN = 1.5
POST_FILTER_MIN_SHARE = 0.05
POST_FILTER_MAX_N = 3000


class _Hit(Protocol):
    """A hit of an HNSW query: its chunk's id, similarity and metadata."""

    chunk_id: str
    similarity: float
    metadata: Metadata


_H = TypeVar("_H", bound=_Hit)

# "reranked": hybrid candidates reordered by the learned reranker (rerank.py).
MODES = ("reranked", "hybrid", "dense", "bm25")
FUSIONS = ("rrf", "relative")


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    in_force_only: bool = False

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("période vide : la date de début est après la date de fin")

    def is_empty(self) -> bool:
        return self == Filters()

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.types:
            clauses.append({"type": {"$in": list(self.types)}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.date_from:
            clauses.append({"date_int": {"$gte": date_int(self.date_from)}})
        if self.date_to:
            clauses.append({"date_int": {"$lte": date_int(self.date_to)}})
        if self.date_from or self.date_to:
            clauses.append({"date_int": {"$gt": 0}})  # undated documents are out of a range
        if self.in_force_only:
            clauses.append({"status": "en_vigueur"})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, arrays: Mapping[str, np.ndarray]) -> np.ndarray:
        """``accepts`` for every row of ``LexicalIndex.facet_arrays()`` at once."""
        n = len(arrays["date_int"])
        keep = np.ones(n, dtype=bool)
        if self.types:
            keep &= np.isin(arrays["type"], list(self.types))
        if self.doc_ids:
            keep &= np.isin(arrays["doc_id"], list(self.doc_ids))
        d = arrays["date_int"]
        if self.date_from or self.date_to:
            keep &= d != 0
        if self.date_from:
            keep &= d >= date_int(self.date_from)
        if self.date_to:
            keep &= d <= date_int(self.date_to)
        if self.in_force_only:
            keep &= arrays["status"] == "en_vigueur"
        return keep

    def accepts(self, facets: Mapping[str, Any]) -> bool:
        if self.types and facets.get("type") not in self.types:
            return False
        if self.doc_ids and facets.get("doc_id") not in self.doc_ids:
            return False
        d = int(facets.get("date_int") or 0)
        if (self.date_from or self.date_to) and d == 0:
            return False
        if self.date_from and d < date_int(self.date_from):
            return False
        if self.date_to and d > date_int(self.date_to):
            return False
        return not (self.in_force_only and facets.get("status") != "en_vigueur")


def parse_date(value: str | None, what: str) -> dt.date | None:
    """An ISO date typed by a user (a flag, a form field); empty means none."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} : date invalide « {value} » (format AAAA-MM-JJ)") from None


def date_int(d: dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


@dataclass
class Passage:
    chunk_id: str
    text: str
    metadata: Metadata
    score: float  # fused score
    rank: int = 0
    dense: float | None = None  # cosine similarity to the question
    lexical: float | None = None  # BM25 score
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))


class HybridRetriever(BaseRetriever):
    """LangChain retriever over our store and lexical index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    lexical: LexicalIndex
    embeddings: Embeddings
    k: int = 10
    candidates: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    mode: str = "hybrid"
    # A chunk's dense score is the best of its own similarity and its units' similarity:
    # a question often matches one sentence better than the whole chunk.
    unit_signal: bool = True
    # "rrf": weighted reciprocal rank fusion; "relative": convex combination of the
    # scores, each scaled to [0, 1] over the candidates (keeps how far ahead a hit is).
    fusion: str = "rrf"
    # Multiplies the score of texts that are replaced or repealed: texts in force first.
    superseded_penalty: float = 1.0
    # Exact dense search in memory (aligned with ``lexical.ids``); None: Chroma's HNSW,
    # for collections too large to hold in memory.
    dense_index: DenseIndex | None = None
    # Reorders the hybrid candidates in "reranked" mode (a rerank.Reranker).
    reranker: Any = None

    def search(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        query_vector: Sequence[float] | None = None,
        original_question: str | None = None,
    ) -> list[Passage]:
        """The k best passages for ``question`` (the text BM25 reads, acronyms expanded).

        ``original_question``: the question as asked, which the reranker reads (expanded
        terms weigh through BM25 only); defaults to ``question``.
        """
        k = k or self.k
        filters = filters or Filters()
        if self.mode not in MODES:
            raise InputError(f"mode de recherche inconnu « {self.mode} » ({', '.join(MODES)})")
        qvec = np.asarray(
            query_vector if query_vector is not None else self.embeddings.embed_query(question),
            dtype=np.float32,
        )
        if self.mode == "reranked":
            if self.reranker is None:
                raise InputError("mode « reranked » : aucun reranker chargé")
            hybrid = self.model_copy(update={"mode": "hybrid", "reranker": None})
            depth = max(k, self.reranker.depth)
            candidates = hybrid.search(question, depth, filters, qvec.tolist())
            return list(
                self.reranker.rerank(
                    original_question or question,
                    qvec,
                    candidates,
                    k,
                    superseded_penalty=self.superseded_penalty,
                )
            )
        fused: dict[str, float] = {}
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        found: dict[str, tuple[str, Metadata]] = {}

        exact = self._exact_dense(qvec)
        if self.mode in ("hybrid", "dense"):
            if exact is not None:
                ranked_pairs = self._exact_top(exact, filters)
                dense.update(ranked_pairs)
            else:
                for hit in self._hnsw(self.store.query, qvec, self.candidates, filters):
                    dense[hit.chunk_id] = hit.similarity
                    found[hit.chunk_id] = (hit.text, hit.metadata)
                if self.unit_signal:
                    near = self._hnsw(self.store.query_units, qvec, 3 * self.candidates, filters)
                    for h in near:
                        dense[h.chunk_id] = max(dense.get(h.chunk_id, -1.0), h.similarity)
                ids = list(dense)
                order = top_positions(ids, np.asarray([dense[c] for c in ids]), self.candidates)
                ranked_pairs = [(ids[i], dense[ids[i]]) for i in order]
            fused.update(self._fuse(ranked_pairs, self.dense_weight))

        if self.mode in ("hybrid", "bm25"):
            lex = self._lexical_top(question, filters)
            lexical.update(lex)
            w = 1.0 if self.mode == "bm25" else self.lexical_weight
            for cid, score in self._fuse(lex, w).items():
                fused[cid] = fused.get(cid, 0.0) + score

        if self.superseded_penalty < 1.0:
            status = {cid: meta.get("status") for cid, (_, meta) in found.items()}
            status.update(
                (cid, self.lexical.facets[self.lexical.position[cid]].get("status"))
                for cid in fused
                if cid not in status and cid in self.lexical.position
            )
            for cid in fused:
                if status.get(cid, "en_vigueur") != "en_vigueur":
                    fused[cid] *= self.superseded_penalty
        top = sorted(fused, key=lambda c: (-round(fused[c], SCORE_DECIMALS), c))[:k]
        # One Chroma call for the texts of the passages that only BM25 found (with their
        # vectors when the exact copy is not in memory): every passage gets its dense
        # similarity, so that confidence has one scale.
        missing = [c for c in top if c not in found]
        need_vec = set() if exact is not None else {c for c in top if c not in dense}
        for sc in self.store.get(missing, with_vectors=bool(need_vec)):
            found[sc.chunk_id] = (sc.text, sc.metadata)
            if sc.chunk_id in need_vec and sc.vector is not None:
                dense[sc.chunk_id] = float(np.dot(np.asarray(sc.vector, dtype=np.float32), qvec))
        if exact is not None:
            pos = self.lexical.position
            dense.update((c, float(exact[pos[c]])) for c in top if c not in dense and c in pos)
        else:
            # The units of every passage, in one call: the answer step finds them in the
            # store's cache instead of asking Chroma again.
            units = self.store.units_of([c for c in top if c in found])
            for u in units if self.unit_signal else ():
                if u.chunk_id in need_vec and u.chunk_id in dense:
                    sim = float(np.dot(np.asarray(u.vector, dtype=np.float32), qvec))
                    dense[u.chunk_id] = max(dense[u.chunk_id], sim)
        return [
            Passage(
                chunk_id=c,
                text=found[c][0],
                metadata=found[c][1],
                score=fused[c],
                rank=i + 1,
                dense=dense.get(c),
                lexical=lexical.get(c),
            )
            for i, c in enumerate(x for x in top if x in found)
        ]

    def _hnsw(
        self, query: Callable[..., list[_H]], qvec: np.ndarray, n: int, filters: Filters
    ) -> list[_H]:
        """The ``n`` nearest records that pass the filters, by Chroma's HNSW search.

        Chroma applies a ``where`` by reading metadata, which costs more than the search
        itself and grows with the collection (0.1-0.3 s CPU at 10k chunks). Unless the
        filters keep few chunks, the search asks for more neighbours without ``where`` and
        keeps those that pass; when too few pass, it asks again with ``where``.
        """
        vec = qvec.tolist()
        where = filters.chroma_where()
        if where is None:
            return query(vec, n)
        share = 1.0
        if self.lexical.ids:
            share = float(np.mean(filters.mask(self.lexical.facet_arrays())))
        wide = int(n * POST_FILTER_MARGIN / share) if share > 0 else 0
        if share >= POST_FILTER_MIN_SHARE and wide <= POST_FILTER_MAX_N:
            hits = query(vec, wide)
            kept = [h for h in hits if filters.accepts(h.metadata)]
            if len(kept) >= n or len(hits) < wide:  # enough, or the whole collection seen
                return kept[:n]
        return query(vec, n, where)

    def _fuse(self, ranked: list[tuple[str, float]], weight: float) -> dict[str, float]:
        """One ranked list's contribution to the fused scores."""
        if not ranked:
            return {}
        if self.fusion == "relative":
            hi, lo = ranked[0][1], ranked[-1][1]
            span = (hi - lo) or 1.0
            return {c: weight * (s - lo) / span for c, s in ranked}
        return {c: weight / (self.rrf_k + r + 1) for r, (c, _) in enumerate(ranked)}

    def _exact_dense(self, qvec: np.ndarray) -> np.ndarray | None:
        """Every chunk's similarity (rows of ``lexical.ids``), when the exact index fits."""
        d = self.dense_index
        if d is None or d.ids != self.lexical.ids:
            return None
        return d.similarities(qvec, self.unit_signal)

    def _exact_top(self, sims: np.ndarray, filters: Filters) -> list[tuple[str, float]]:
        """The ``candidates`` best chunks that pass the filters, best first, ties by id."""
        ids = self.lexical.ids
        if filters.is_empty():
            keep = np.arange(len(ids))
        else:
            keep = np.flatnonzero(filters.mask(self.lexical.facet_arrays()))
        sub_ids = [ids[i] for i in keep]
        order = top_positions(sub_ids, sims[keep], self.candidates)
        return [(sub_ids[i], float(sims[keep[i]])) for i in order]

    def _lexical_top(self, question: str, filters: Filters) -> list[tuple[str, float]]:
        scores = self.lexical.scores(question)
        if scores.size == 0:
            return []
        if not filters.is_empty():
            mask = filters.mask(self.lexical.facet_arrays())
            scores = np.where(mask, scores, 0.0)
        n = min(self.candidates, int(np.count_nonzero(scores)))
        if n == 0:
            return []
        # Ties (frequent in BM25) are broken by chunk id, never by array position.
        idx = top_positions(self.lexical.ids, scores, n)
        return [(self.lexical.ids[i], float(scores[i])) for i in idx]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                id=p.chunk_id,
                page_content=p.text,
                metadata={**p.metadata, "score": p.score, "rank": p.rank},
            )
            for p in self.search(query)
        ]
