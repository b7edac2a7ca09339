"""Which sentence of the retrieved passages answers: a learned linear sentence ranker.

The extractive answer quotes the sentences of its passages that score best. Their score
is a linear model over SENTENCE_FEATURES (similarity to the question, share of its key
terms, the form of the answer asked for, position, length, …) computed by
``ExtractiveAnswerer`` (answer.py). The weights are learned by
``evals/train_sentences.py``, pairwise as the passage reranker's are, on the training
questions (``evals/train.jsonl``) and PIAF's training articles, never on the gold set or
PIAF's evaluation articles: a sentence holding the expected answer should outscore the
others of the same question. They ship as ``sentence_ranker.json``; without that file
the hand-set weights below (those of the first release) apply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SENTENCE_RANKER_FILE = Path(__file__).with_name("sentence_ranker.json")

SENTENCE_FEATURES = (
    "sim",  # cosine of the sentence's vector with the question's
    "sim_gap",  # sim minus the best sim among the candidates (≤ 0)
    "cover",  # IDF share of the question's key terms in the sentence
    "cover_gap",  # cover minus the best cover (≤ 0)
    "form",  # form of the answer asked for (permission or prohibition, a body): question_type
    "form_definition",  # the same for « qu'est-ce que … » (the term as the subject, …)
    "form_typed",  # the same for « combien » and « quand »: a number, a date
    "action",  # writes the question's action as a verb
    "normative",  # yes/no or definition, from a text in force that lays down rules
    "defining",  # definition, from the text whose title names the term
    "rank_prior",  # 1 / (1 + rank of its passage)
    "first",  # first sentence of its passage
    "log_chars",  # ln(1 + characters)
    "short",  # under 60 characters (headings, fragments)
    "colon_end",  # ends with « : » (announces a list)
    "leans_back",  # opens with a pronoun or a connective standing for what came before
    "subject",  # holds every stem of the question's subject
    "cover_passage",  # cover of its passage and its document's title
    "cover_prev",  # cover of the sentence before it in its passage (0 for the first)
    "cover_next",  # cover of the sentence after it (0 for the last)
    "sim_prev",  # sim_gap of the sentence before it (−1 for the first)
)

# The first release's hand-set score: cosine + 0.3 × cover + 0.12 × form (0.25 for a
# number or a date) + 0.04 × action + 0.06 normative + 0.03 defining + 0.02 / (1 + rank).
_HAND_WEIGHTS = {
    "sim": 1.0,
    "cover": 0.3,
    "form": 0.12,
    "form_definition": 0.12,
    "form_typed": 0.25,
    "action": 0.04,
    "normative": 0.06,
    "defining": 0.03,
    "rank_prior": 0.02,
}


@dataclass
class SentenceModel:
    """score = Σ w_f × (x_f − mean_f) / scale_f; ``focus`` is added for a sentence with a
    word a follow-up brought (« Et avec un pharmacien ? »), which no training question
    has, set to what 0.2 of cosine is worth; ``margin`` is how far below the best a
    sentence may score and still be quoted with it, in the same units."""

    weights: dict[str, float]
    mean: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    focus: float = 0.2
    margin: float = 0.04
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def hand_set(cls) -> SentenceModel:
        return cls(dict(_HAND_WEIGHTS), info={"source": "hand-set"})

    @classmethod
    def load(cls, path: Path = SENTENCE_RANKER_FILE) -> SentenceModel:
        """The shipped model; the hand-set one when ``path`` does not exist.

        Raises ``ValueError`` when the file names a feature this code does not compute."""
        if not path.exists():
            return cls.hand_set()
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(v) for k, v in data["weights"].items()}
        unknown = set(weights) - set(SENTENCE_FEATURES)
        if unknown:
            raise ValueError(f"{path.name} : caractéristiques inconnues {sorted(unknown)}")
        return cls(
            weights=weights,
            mean={k: float(v) for k, v in data.get("mean", {}).items()},
            scale={k: float(v) for k, v in data.get("scale", {}).items()},
            focus=float(data["focus"]),
            margin=float(data["margin"]),
            info=dict(data.get("info", {})),
        )

    def save(self, path: Path = SENTENCE_RANKER_FILE) -> None:
        data = {
            "features": list(self.weights),
            "weights": self.weights,
            "mean": self.mean,
            "scale": self.scale,
            "focus": self.focus,
            "margin": self.margin,
            "info": self.info,
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def score(self, features: Mapping[str, float]) -> float:
        total = 0.0
        for name in sorted(self.weights):  # sorted: the same sum on every run
            sd = self.scale.get(name, 1.0) or 1.0
            total += self.weights[name] * (features[name] - self.mean.get(name, 0.0)) / sd
        return total
