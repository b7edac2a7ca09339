"""Retrieval and answer metrics against the gold set (pure functions, no model)."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def normalize(text: str) -> str:
    """Case, whitespace and apostrophes are not meaningful when matching spans."""
    return re.sub(r"\s+", " ", text.translate(_APOSTROPHES).lower()).strip()


def contains_any(text: str, spans: Iterable[str]) -> bool:
    t = normalize(text)
    return any(normalize(s) in t for s in spans)


def recall_at(relevant: Sequence[bool], k: int) -> float:
    """1 when a relevant passage is in the top k (one relevant span suffices)."""
    return 1.0 if any(relevant[:k]) else 0.0


def mrr_at(relevant: Sequence[bool], k: int = 10) -> float:
    for i, rel in enumerate(relevant[:k]):
        if rel:
            return 1.0 / (i + 1)
    return 0.0


def ndcg_at(relevant: Sequence[bool], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(relevant[:k]) if rel)
    n_rel = min(k, sum(relevant))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(n_rel))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
