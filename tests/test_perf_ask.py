"""Round trips to Chroma per question (issue 12, item 2), counted through a wrapper around
the real collections (real Chroma in a temp dir). Behaviour tests: nothing is timed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, Filters
from assistant.search.store import StoredUnit
from tests.fakes import HashEmbeddings

QUESTIONS = [
    "Que peuvent financer les crédits des chefs de projet ?",
    "Ai-je le droit de partager des informations sur un patient ?",
    "Comment orienter un usager de crack vers une structure résidentielle ?",
]


class Counting:
    """A Chroma collection that counts the calls made to it."""

    def __init__(self, inner: Any, calls: Counter[str], label: str) -> None:
        self._inner = inner
        self._calls = calls
        self._label = label

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls[f"{self._label}.{name}"] += 1
            return attr(*args, **kwargs)

        return call


def counted(a: Assistant) -> Counter[str]:
    calls: Counter[str] = Counter()
    a.store.collection = Counting(a.store.collection, calls, "chunks")
    a.store.units = Counting(a.store.units, calls, "units")
    return calls


@pytest.fixture
def assistant_on(small_corpus: Path, make_assistant: Callable[..., Assistant]) -> Any:
    def make(**settings: Any) -> Assistant:
        # abstain_threshold 0: random vectors, yet every answer goes through its units.
        a = make_assistant(small_corpus, HashEmbeddings(size=64), abstain_threshold=0.0, **settings)
        a.sync()
        a.ask(QUESTIONS[0])  # warm: indexes loaded
        return a

    return make


@pytest.mark.parametrize("mode", ["reranked", "hybrid", "dense", "bm25"])
def test_ask_makes_at_most_two_chroma_calls(assistant_on: Any, mode: str) -> None:
    a = assistant_on()
    calls = counted(a)
    for q in QUESTIONS:
        before = sum(calls.values())
        answer = a.ask(q, mode=mode)
        assert answer.passages
        assert sum(calls.values()) - before <= 2, calls
    assert not any(k.endswith(".count") for k in calls), calls


def test_filtered_ask_stays_within_two_calls(assistant_on: Any) -> None:
    a = assistant_on()
    doc = a.lexical.facets[0]["doc_id"]
    calls = counted(a)
    answer = a.ask(QUESTIONS[0], filters=Filters(doc_ids=(doc,)))
    assert {p.doc_id for p in answer.passages} <= {doc}
    assert sum(calls.values()) <= 2, calls


def test_approximate_search_makes_two_calls(assistant_on: Any) -> None:
    """Without the in-memory copy (a collection above ``exact_search_max_vectors``): the
    two HNSW queries only. The passages found by BM25 alone and the units of every
    passage are read from the copy on disk; no ``count()`` to clamp ``n``."""
    a = assistant_on(exact_search_max_vectors=0, mode="hybrid")
    assert a.dense_index is None
    calls = counted(a)
    for q in QUESTIONS:
        before = sum(calls.values())
        answer = a.ask(q)
        assert answer.passages
        assert sum(calls.values()) - before <= 2, calls
    assert set(calls) <= {"chunks.query", "units.query"}, calls


def test_approximate_search_without_the_copy_reads_chroma(assistant_on: Any) -> None:
    """A copy that holds no passages (written before they were): one get for the texts
    and vectors missing, one read of the units, which the answer step then reuses."""
    a = assistant_on(exact_search_max_vectors=0, mode="hybrid")
    assert a.dense_index is None
    a.store.chunk_source = a.store.unit_source = None
    calls = counted(a)
    for q in QUESTIONS:
        before = sum(calls.values())
        assert a.ask(q).passages
        assert sum(calls.values()) - before <= 4, calls
    assert calls["units.get"] <= len(QUESTIONS), calls
    assert not any(k.endswith(".count") for k in calls), calls


@pytest.mark.parametrize("limit", [0, 200_000])
def test_passages_from_the_copy_match_chroma(assistant_on: Any, limit: int) -> None:
    """Mapped from disk (limit 0) or in memory: texts, metadata and vectors as Chroma's."""
    a = assistant_on(exact_search_max_vectors=limit)
    ids = [*a.lexical.ids[:7], "inconnu"]
    held = a.store.get(ids, with_vectors=True)
    source, a.store.chunk_source = a.store.chunk_source, None
    read = a.store.get(ids, with_vectors=True)
    a.store.chunk_source = source
    assert source is not None and len(held) == len(ids) - 1
    assert [(c.chunk_id, c.text, c.metadata, c.vector) for c in held] == [
        (c.chunk_id, c.text, c.metadata, c.vector) for c in read
    ]


def test_units_from_memory_match_chroma(assistant_on: Any) -> None:
    a = assistant_on()
    ids = a.lexical.ids[:5]
    held = a.store.units_of(ids)
    source, a.store.unit_source = a.store.unit_source, None
    a.store._unit_cache.clear()
    read = a.store.units_of(ids)
    a.store.unit_source = source

    def key(u: StoredUnit) -> tuple[str, int, int]:
        return (u.chunk_id, u.start, u.end)

    assert sorted(map(key, held)) == sorted(map(key, read))
    vec = {key(u): u.vector for u in read}
    for u in held:
        assert u.vector == pytest.approx(vec[key(u)], abs=1e-6)


def test_approximate_filtered_search_filters_in_memory_when_it_can(assistant_on: Any) -> None:
    """Chroma's ``where`` costs more than the search: a filter that keeps most chunks is
    applied to a wider search's hits; one that keeps few still goes to Chroma."""
    a = assistant_on(exact_search_max_vectors=0, mode="hybrid")
    wheres: list[object] = []
    for col in ("collection", "units"):
        inner = getattr(a.store, col)

        class Spy:
            def __init__(self, inner: Any) -> None:
                self._inner = inner

            def __getattr__(self, name: str) -> Any:
                return getattr(self._inner, name)

            def query(self, *args: Any, **kwargs: Any) -> Any:
                wheres.append(kwargs.get("where"))
                return self._inner.query(*args, **kwargs)

        setattr(a.store, col, Spy(inner))
    broad = Filters(in_force_only=True)
    assert broad.mask(a.lexical.facet_arrays()).mean() > 0.5
    answer = a.ask(QUESTIONS[0], filters=broad)
    assert answer.passages and all(p.metadata["status"] == "en_vigueur" for p in answer.passages)
    assert wheres and all(w is None for w in wheres)
    wheres.clear()
    doc = a.lexical.facets[0]["doc_id"]
    narrow = Filters(doc_ids=(doc,))
    answer = a.ask(QUESTIONS[0], filters=narrow)
    assert {p.doc_id for p in answer.passages} <= {doc}
    if narrow.mask(a.lexical.facet_arrays()).mean() < 0.05:
        assert any(w is not None for w in wheres)
