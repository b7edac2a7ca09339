"""Train the reranker (assistant/search/rerank.py) and write ``assistant/search/reranker.json``.

    python -m evals.train_reranker [--piaf-index DIR] [--write]

Training data, never the test sets:
- ``evals/train.jsonl``: questions written for training on the documents of corpus/
  (disjoint from ``evals/gold.jsonl``, checked by tests/test_train_set.py);
- optionally PIAF's training articles (positions not a multiple of 5, see
  ../shared/datasets/piaf/README.md), searched in an index of all PIAF articles built by
  ``python -m evals.piaf``.

For each question, the hybrid top ``depth`` candidates are the list to reorder; a
candidate is relevant when it contains an expected passage span (the rule of the gold
set). The model is a pairwise logistic regression (RankNet's linear case): for each
question, every (relevant, irrelevant) pair of candidates is one example of "first above
second"; the weights are those of the difference of their standardised features.
Cross-validation is grouped by question (5 folds) and reports R@1 and MRR@10 of the
hybrid order and of the reranked order on the held-out folds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant import Settings, build_assistant
from assistant.search.question_type import search_text
from assistant.search.rerank import FEATURES, RERANKER_FILE, RerankerModel
from assistant.search.retrieval import Passage

from .metrics import contains_any, mrr_at

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "train.jsonl"


@dataclass
class Group:
    """One question's candidates: feature rows in hybrid order, and which are relevant."""

    qid: str
    source: str
    rows: list[dict[str, float]]
    relevant: list[bool]


def groups_for(
    settings: Settings,
    questions: Sequence[tuple[str, str]],
    judge: Callable[[str, Passage], bool],
    source: str,
    depth: int,
) -> list[Group]:
    """Search each (id, question) as ``Assistant.search`` does in hybrid mode and compute
    the candidates' features; ``judge(id, passage)`` says which are relevant."""
    a = build_assistant(settings)
    reranker = a.reranker
    out: list[Group] = []
    retriever = a.retriever("hybrid")
    for qid, question in questions:
        text = search_text(question)
        qvec = a.embeddings.embed_query(text)
        passages = retriever.search(a.glossary.expand(text), k=depth, query_vector=qvec)
        rel = [judge(qid, p) for p in passages]
        out.append(Group(qid, source, reranker.features(question, qvec, passages), rel))
    return out


def corpus_groups(index: Path, depth: int) -> list[Group]:
    """The training questions on corpus/: relevant = holds an expected passage span."""
    rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line]
    spans = {r["id"]: r["expected"]["passage_contains"] for r in rows}
    questions = [(r["id"], r["question"]) for r in rows if r["kind"] != "out_of_scope"]
    return groups_for(
        Settings(index_dir=index),
        questions,
        lambda qid, p: contains_any(p.text, spans[qid]),
        "corpus",
        depth,
    )


def piaf_groups(index: Path, limit: int, depth: int) -> list[Group]:
    """PIAF's training articles (never its evaluation ones), in the index of all articles
    that ``python -m evals.piaf`` builds; relevance is the README's rule."""
    from . import piaf

    articles, questions = piaf.load_piaf(piaf.DEFAULT_DATA)
    train = piaf.split_questions(questions, "train")
    rng = np.random.default_rng(0)
    picked = [train[i] for i in sorted(rng.permutation(len(train))[:limit])]
    spans = piaf.paragraph_spans(index / "corpus", articles)
    by_id = {q.id: q for q in picked}
    return groups_for(
        Settings(index_dir=index, corpus_dir=index / "corpus"),
        [(q.id, q.question) for q in picked],
        lambda qid, p: piaf.passage_relevant(p, by_id[qid], spans),
        "piaf",
        depth,
    )


def pair_examples(
    groups: Sequence[Group],
    mean: np.ndarray,
    sd: np.ndarray,
    features: Sequence[str] = FEATURES,
) -> tuple[np.ndarray, np.ndarray]:
    xs: list[np.ndarray] = []
    ys: list[int] = []
    for g in groups:
        if not any(g.relevant) or all(g.relevant):
            continue
        x = (np.array([[r[f] for f in features] for r in g.rows]) - mean) / sd
        pos = [i for i, r in enumerate(g.relevant) if r]
        neg = [i for i, r in enumerate(g.relevant) if not r]
        for i in pos:
            for j in neg:
                # Both orders, so the problem is symmetric and needs no intercept.
                xs.append(x[i] - x[j])
                ys.append(1)
                xs.append(x[j] - x[i])
                ys.append(0)
    return np.array(xs), np.array(ys)


def fit_pairwise(
    groups: Sequence[Group], c: float, features: Sequence[str]
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(weights, mean, scale) of a pairwise logistic regression over ``features``, with
    L2 regularisation of inverse strength ``c``; shared with train_sentences.py."""
    from sklearn.linear_model import LogisticRegression

    allx = np.array([[r[f] for f in features] for g in groups for r in g.rows])
    mean = allx.mean(axis=0)
    sd = allx.std(axis=0)
    sd[sd == 0] = 1.0
    x, y = pair_examples(groups, mean, sd, features)
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    clf.fit(x, y)
    w = clf.coef_[0]

    def rounded(values: np.ndarray) -> dict[str, float]:
        return {f: float(round(v, 6)) for f, v in zip(features, values, strict=True)}

    return rounded(w), rounded(mean), rounded(sd)


def fit(groups: Sequence[Group], c: float) -> RerankerModel:
    weights, mean, scale = fit_pairwise(groups, c, FEATURES)
    return RerankerModel(weights=weights, mean=mean, scale=scale)


def ranks(model: RerankerModel, g: Group) -> list[bool]:
    scores = model.score(g.rows)
    order = sorted(range(len(g.rows)), key=lambda i: (-round(float(scores[i]), 6), i))
    return [g.relevant[i] for i in order]


def report(name: str, lists: Sequence[Sequence[bool]]) -> dict[str, float]:
    n = len(lists) or 1
    r1 = sum(1.0 for rel in lists if rel[:1] and rel[0]) / n
    r5 = sum(1.0 for rel in lists if any(rel[:5])) / n
    mrr = sum(mrr_at(list(rel), 10) for rel in lists) / n
    print(f"  {name:<10} R@1 {r1:.3f}  R@5 {r5:.3f}  MRR@10 {mrr:.3f}  (n={len(lists)})")
    return {"recall@1": round(r1, 3), "recall@5": round(r5, 3), "mrr@10": round(mrr, 3)}


def cross_validate(
    groups: Sequence[Group], c: float, folds: int = 5
) -> dict[str, dict[str, dict[str, float]]]:
    idx = np.arange(len(groups))
    np.random.default_rng(1).shuffle(idx)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for source in sorted({g.source for g in groups}):
        hybrid: list[list[bool]] = []
        reranked: list[list[bool]] = []
        for k in range(folds):
            test = {int(i) for i in idx[k::folds]}
            model = fit([g for i, g in enumerate(groups) if i not in test], c)
            for i in test:
                g = groups[i]
                if g.source != source:
                    continue
                hybrid.append(g.relevant)
                reranked.append(ranks(model, g))
        print(f"{source} (validation croisée, {folds} plis) :")
        out[source] = {
            "hybrid": report("hybrid", hybrid),
            "reranked": report("reranked", reranked),
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    ap = argparse.ArgumentParser(
        description="Entraîne le reranker (assistant/search/reranker.json)."
    )
    ap.add_argument("--index", type=Path, default=Path("index"), help="index du corpus")
    ap.add_argument("--piaf-index", type=Path, help="index de tous les articles PIAF")
    ap.add_argument("--piaf-limit", type=int, default=1500)
    ap.add_argument("--depth", type=int, default=30)
    ap.add_argument("--c", type=float, default=0.1, help="inverse de la régularisation L2")
    ap.add_argument("--write", action="store_true", help="écrit assistant/search/reranker.json")
    args = ap.parse_args(argv)

    groups = corpus_groups(args.index, args.depth)
    if args.piaf_index:
        groups += piaf_groups(args.piaf_index, args.piaf_limit, args.depth)
    found = [g for g in groups if any(g.relevant)]
    print(f"{len(groups)} questions, {len(found)} avec un passage pertinent parmi les candidats")
    cv = cross_validate(found, args.c)
    model = fit(found, args.c)
    model.depth = args.depth
    model.info = {
        "trained_on": sorted({g.source for g in found}),
        "questions": len(found),
        "c": args.c,
        "cross_validation": cv,
    }
    print("poids :", json.dumps(model.weights, ensure_ascii=False))
    if args.write:
        model.save(RERANKER_FILE)
        print(f"écrit : {RERANKER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
