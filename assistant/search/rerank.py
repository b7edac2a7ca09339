"""A learned reranker over the hybrid candidates (learning to rank, as Anserini does it).

Hybrid retrieval finds the right passage in its top 5 far more often than at rank 1
(issue 15: R@5 0.95 but R@1 0.36 on held-out legal questions). The reranker reads, for
each of the first ``depth`` candidates, features that fusion cannot see — how much of the
question's rare vocabulary one passage (and one of its sentences) covers, how close the
matched words stand, whether the passage cites the article the question names, what kind
of sentence the question asks for and whether the passage has one (``question_type``),
the text's status —
and scores them with a linear model trained by ``evals/train_reranker.py`` on questions
written for training (``evals/train.jsonl``) and on PIAF's training articles, never on the
gold set or PIAF's evaluation articles. The weights ship as ``reranker.json``.

No model runs here besides the embedder whose vectors the index already holds: features
cost a few stemmings and dot products per candidate.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .dense import DenseIndex
from .glossary import Glossary
from .lexical import FrenchAnalyzer, LexicalIndex
from .question_type import classify, form_score
from .retrieval import Passage

RERANKER_FILE = Path(__file__).with_name("reranker.json")

LEGAL_TYPES = frozenset({"loi", "code", "decret", "arrete"})

# "article L. 3411-1", "L3411-1", "R. 1110-2": the reference a legal question may name.
ARTICLE_REF = re.compile(r"\b([LRD])\.?\s?(\d{3,4}(?:-\d+)+)\b")

FEATURES = (
    "fused",
    "inv_rank",
    "dense_chunk",
    "dense_unit",
    "dense_gap",
    "bm25_rel",
    "cover",
    "cover_title",
    "cover_unit",
    "proximity",
    "article_match",
    "in_force",
    "legal",
    "age",
    "form_best",
    "form_any",
)


def article_refs(text: str) -> set[str]:
    """Article references of a text, normalised: "article L. 3411-1" -> "L3411-1"."""
    return {f"{m.group(1)}{m.group(2)}" for m in ARTICLE_REF.finditer(text)}


# How many times more a repealed or replaced text's log-odds shift when the question
# does not ask about the past (see ``rerank``): 0.8 → 0.8⁴ ≈ 0.41 by default. Measured
# on the training set (evals/train.jsonl): answer_hit 0.709 → 0.716, citation precision
# 0.693 → 0.696, recall unchanged; 10 cost the gold set recall@1 (0.694 → 0.690).
PRESENT_FACTOR = 4.0
# A question about what a text said before: « l'ancien article », « la version de 2007 »,
# « à l'époque », a verb in the imperfect (« que prévoyait », « pouvait »).
_PAST = re.compile(
    r"\b(?:anciens?|anciennes?|versions?|abrog\w*|autrefois|époque|auparavant|"
    r"(?:avant|en|de|depuis|jusqu'en) (?:19|20)\d\d|était|étaient|\w{3,}(?:ait|aient))\b",
    re.I,
)


def asks_about_the_past(question: str) -> bool:
    """Whether the question asks what was (« Que prévoyait l'ancien article … ? »), not
    what is."""
    return _PAST.search(question) is not None


@dataclass
class RerankerModel:
    """A linear scorer over standardised features: score = Σ w_f × (x_f − mean_f) / scale_f."""

    weights: dict[str, float]
    mean: dict[str, float]
    scale: dict[str, float]
    depth: int = 30
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = RERANKER_FILE) -> RerankerModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            weights={k: float(v) for k, v in data["weights"].items()},
            mean={k: float(v) for k, v in data["mean"].items()},
            scale={k: float(v) for k, v in data["scale"].items()},
            depth=int(data.get("depth", 30)),
            info=dict(data.get("info", {})),
        )

    def save(self, path: Path = RERANKER_FILE) -> None:
        data = {
            "features": list(self.weights),
            "weights": self.weights,
            "mean": self.mean,
            "scale": self.scale,
            "depth": self.depth,
            "info": self.info,
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def score(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        names = list(self.weights)
        x = np.array([[r.get(f, 0.0) for f in names] for r in rows], dtype=np.float64)
        mu = np.array([self.mean.get(f, 0.0) for f in names])
        sd = np.array([self.scale.get(f, 1.0) or 1.0 for f in names])
        w = np.array([self.weights[f] for f in names])
        return ((x - mu) / sd) @ w if len(rows) else np.zeros(0)


class Reranker:
    """Reorders the hybrid candidates of one question by the learned model.

    ``lexical`` gives the IDF of terms and BM25; ``dense`` the stored vectors of the
    passages and of their answer units (no embedding is computed here besides none).
    """

    def __init__(
        self,
        lexical: LexicalIndex,
        dense: DenseIndex | None,
        model: RerankerModel | None = None,
        analyzer: FrenchAnalyzer | None = None,
        today_year: int | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.lexical = lexical
        self.dense = dense
        # A definition's term is also written as its acronym or long form.
        self.glossary = glossary or Glossary()
        self._model = model
        self.analyzer = analyzer or lexical.analyzer
        self.today_year = today_year or dt.date.today().year
        # Stems of a passage, of its heading and of each of its units: the costly part of
        # the features, the same for every question. Bounded; cleared when full.
        self._stems: dict[str, tuple[list[str], list[str], list[list[str]]]] = {}

    _MAX_CACHED = 50_000

    def _analysed(self, p: Passage) -> tuple[list[str], list[str], list[list[str]]]:
        hit = self._stems.get(p.chunk_id)
        if hit is None:
            if len(self._stems) >= self._MAX_CACHED:
                self._stems.clear()
            head = f"{p.metadata.get('title', '')} {p.metadata.get('section', '')}"
            hit = (
                self.analyzer.stems(p.text),
                self.analyzer.stems(head),
                [self.analyzer.stems(u) for u in self._unit_texts(p)],
            )
            self._stems[p.chunk_id] = hit
        return hit

    @property
    def model(self) -> RerankerModel:
        if self._model is None:
            self._model = RerankerModel.load()
        return self._model

    @property
    def depth(self) -> int:
        return self.model.depth

    def features(
        self, question: str, query_vector: Sequence[float], passages: Sequence[Passage]
    ) -> list[dict[str, float]]:
        """One feature row per passage, in the order given (their hybrid rank order)."""
        if not passages:
            return []
        q = np.asarray(query_vector, dtype=np.float32)
        qtype = classify(question)
        # The topic's terms, without the frame that names the kind of answer (« quelle
        # peine », « combien de temps », « quel est le montant »): the answer says
        # « puni d'un an », not « peine » (question_type.py).
        stems = self.analyzer.stems(qtype.content) or self.analyzer.stems(question)
        q_stems = list(dict.fromkeys(stems))
        idf = {t: self.lexical.idf(t) for t in q_stems}
        idf_total = sum(idf.values()) or 1.0
        q_refs = article_refs(question)
        kind_asked = qtype.kind != "other"
        names = self.glossary.names_of(qtype.subject) if qtype.kind == "definition" else ()
        # « Qui peut demander … ? » is answered by « … peuvent solliciter » (glossary).
        verbs = self.glossary.said_as(qtype.verb) if qtype.kind == "agent" else ()
        bm25_all = self.lexical.scores(question)
        pos = self.lexical.position
        bm25 = [
            float(bm25_all[pos[p.chunk_id]]) if p.chunk_id in pos and bm25_all.size else 0.0
            for p in passages
        ]
        bm25_max = max(bm25) or 1.0

        # A passage that writes an acronym's long form, or the documents' term for an
        # everyday word, covers the question's word (as the choice of sentences reads it).
        # Everyday words only when the documents seldom use them (as for the search:
        # « finance » is also the texts' own word, « crédits » no proof of an answer).
        pairs = self.glossary.equivalents(
            question, self.analyzer.stems, everyday=True, rare=self.lexical.is_rare
        )

        def said(seq: list[str]) -> set[str]:
            own_words = set(seq)  # no pair granted through another (CHANGELOG)
            out = set(own_words)
            for own, other in pairs:
                # A term of several words counts where its words stand together
                # (« addictions sans substances »), not where each is said apart.
                if other and other <= own_words and together(seq, other):
                    out |= own
            return out

        rows: list[dict[str, float]] = []
        unit_best: list[float] = []
        for p in passages:
            chunk_sim, best_unit, best_unit_text = self._dense_of(p, q)
            unit_best.append(best_unit)
            text_stems, head_seq, unit_seqs = self._analysed(p)
            present = said(text_stems) | said(head_seq)
            head_stems = said(head_seq)
            unit_stems = [said(u) for u in unit_seqs]
            cover = sum(idf[t] for t in q_stems if t in present) / idf_total
            cover_title = sum(idf[t] for t in q_stems if t in head_stems) / idf_total
            cover_unit = max(
                (sum(idf[t] for t in q_stems if t in u) / idf_total for u in unit_stems),
                default=cover,
            )
            refs = article_refs(f"{p.metadata.get('section', '')} {p.text}")
            date = str(p.metadata.get("date") or "")
            answer_text = best_unit_text or p.text
            # Whether the passage has a sentence of the form asked for (the rule for a
            # yes/no question, a definition, a number, a date, a body): question_type.py.
            units = self._unit_texts(p) if kind_asked else []
            forms = [form_score(qtype, t, names, verbs) for t in units]
            rows.append(
                {
                    "fused": float(p.score),
                    "inv_rank": 1.0 / max(p.rank, 1),
                    "dense_chunk": chunk_sim,
                    "dense_unit": best_unit,
                    "bm25_rel": bm25[len(rows)] / bm25_max,
                    "cover": cover,
                    "cover_title": cover_title,
                    "cover_unit": cover_unit,
                    "proximity": _proximity(text_stems, set(q_stems)),
                    "article_match": float(bool(q_refs & refs)) - float(bool(q_refs) and not refs),
                    "in_force": float(p.metadata.get("status", "en_vigueur") == "en_vigueur"),
                    "legal": float(p.metadata.get("type") in LEGAL_TYPES),
                    "age": min(max(self.today_year - int(date[:4]), 0), 40) / 10 if date else 0.0,
                    "form_best": (
                        form_score(qtype, answer_text, names, verbs) if kind_asked else 0.0
                    ),
                    "form_any": max(forms, default=0.0),
                }
            )
        top_unit = max(unit_best)
        for row, u in zip(rows, unit_best, strict=True):
            row["dense_gap"] = u - top_unit
        return rows

    def rerank(
        self,
        question: str,
        query_vector: Sequence[float],
        passages: Sequence[Passage],
        k: int | None = None,
        superseded_penalty: float = 1.0,
    ) -> list[Passage]:
        """The passages by decreasing reranker score (ties: hybrid order), ranks renumbered;
        each passage keeps its hybrid score in ``extra["hybrid_score"]``.

        Texts replaced or repealed still rank behind texts in force: the score is a
        log-odds, so multiplying their odds by ``superseded_penalty`` (0.8 by default
        settings, as fusion multiplies their score) subtracts ``-ln(penalty)``;
        ``PRESENT_FACTOR`` times as much when the question asks what is, not what was.
        """
        head = list(passages[: self.depth])
        scores = self.model.score(self.features(question, query_vector, head))
        if superseded_penalty < 1.0:
            shift = math.log(max(superseded_penalty, 1e-6))
            if not asks_about_the_past(question):
                # « Quelle est la peine encourue pour usage … ? » asks today's rule: the
                # 2007 version of an article answered it before the one in force.
                shift *= PRESENT_FACTOR
            for i, p in enumerate(head):
                if p.metadata.get("status", "en_vigueur") != "en_vigueur":
                    scores[i] += shift
        order = sorted(range(len(head)), key=lambda i: (-round(float(scores[i]), 6), i))
        out: list[Passage] = []
        for new_rank, i in enumerate(order, 1):
            p = head[i]
            p.extra["hybrid_score"] = p.score
            p.extra["hybrid_rank"] = p.rank
            p.score = float(scores[i])
            p.rank = new_rank
            out.append(p)
        tail = list(passages[self.depth :])
        for j, p in enumerate(tail, len(out) + 1):
            p.rank = j
        return (out + tail)[: k or len(passages)]

    def _dense_of(self, p: Passage, q: np.ndarray) -> tuple[float, float, str]:
        """(chunk similarity, best unit similarity, best unit text) from stored vectors."""
        d = self.dense
        if d is None or p.chunk_id not in d.position:
            sim = float(p.dense or 0.0)
            return sim, sim, ""
        row = d.position[p.chunk_id]
        chunk_sim = float(d.chunk_vectors[row] @ q)
        units = d.units_of(p.chunk_id)
        if not units:
            return chunk_sim, chunk_sim, ""
        sims = d.unit_vectors[units] @ q
        best = int(np.argmax(sims))
        s, e = d.unit_spans[units[best]]
        return chunk_sim, max(float(sims[best]), chunk_sim), p.text[int(s) : int(e)]

    def _unit_texts(self, p: Passage) -> list[str]:
        d = self.dense
        if d is None:
            return []
        return [
            p.text[int(s) : int(e)] for s, e in (d.unit_spans[j] for j in d.units_of(p.chunk_id))
        ]


def together(seq: Sequence[str], phrase: set[str]) -> bool:
    """Whether the stems of ``phrase`` all stand in one window of ``seq`` at most one
    stem longer than the phrase (any order: « addictions sans substances », « les
    substances … addictions »). One stem: anywhere."""
    n = len(phrase)
    return n <= 1 or any(phrase <= set(seq[i : i + n + 1]) for i in range(len(seq) - n + 1))


def _proximity(text_stems: Sequence[str], q_terms: set[str]) -> float:
    """How tightly the question's terms cluster in the passage: matched distinct terms
    over the length of the shortest window holding all of them (1.0 = adjacent)."""
    if not q_terms:
        return 0.0
    positions = [(i, t) for i, t in enumerate(text_stems) if t in q_terms]
    wanted = len({t for _, t in positions})
    if wanted < 2:
        return 0.0
    best = math.inf
    counts: dict[str, int] = {}
    have = 0
    left = 0
    for right in range(len(positions)):
        t = positions[right][1]
        counts[t] = counts.get(t, 0) + 1
        if counts[t] == 1:
            have += 1
        while have == wanted:
            best = min(best, positions[right][0] - positions[left][0] + 1)
            lt = positions[left][1]
            counts[lt] -= 1
            if counts[lt] == 0:
                have -= 1
            left += 1
    return wanted / best if best < math.inf else 0.0
