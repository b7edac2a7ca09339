"""The extractive answer: the sentences of the retrieved passages that best answer the
question, in their original words, each followed by the marker of its passage.

Nothing in an answer is written by us: every sentence is a span of a cited passage. Below
a calibrated confidence, the assistant abstains and shows the closest passages instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from . import sentences
from .corpus import DOC_TYPES
from .lexical import FrenchAnalyzer, LexicalIndex
from .retrieval import Passage

ABSTAIN_MESSAGE = "Je n'ai pas trouvé de réponse à cette question dans les documents."
_MIN_SENTENCE_CHARS = 30


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    type: str
    date: str | None
    page: int | None
    section: str
    text: str
    chunk_id: str = ""
    page_label: str | None = None
    issuer: str = ""
    status: str = ""
    sentences: list[str] = field(default_factory=list)  # the cited sentences, for highlighting

    def to_dict(self) -> dict[str, Any]:
        keys = ("n", "doc_id", "title", "type", "date", "page", "section", "text")
        return {k: getattr(self, k) for k in keys}

    def label(self) -> str:
        """'Titre — type, date, p. 3, section' for people."""
        parts = [DOC_TYPES.get(self.type, self.type)]
        if self.date:
            parts.append(self.date)
        if self.page:
            parts.append(f"p. {self.page_label or self.page}")
        if self.section:
            parts.append(f"section « {self.section.split(' > ')[-1]} »")
        return f"{self.title} — {', '.join(parts)}"


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[Passage]
    confidence: float = 0.0
    features: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract read by the CLI, the UI and the evaluation."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [
                {
                    "rank": p.rank,
                    "doc_id": p.doc_id,
                    "chunk_id": p.chunk_id,
                    "score": round(p.score, 6),
                    "page": _page(p),
                    "text": p.text,
                }
                for p in self.passages
            ],
        }

    def to_text(self) -> str:
        lines = [self.answer, ""]
        if self.abstained:
            if self.passages:
                lines.append("Passages les plus proches (peut-être utiles) :")
                for p in self.passages[:3]:
                    meta = p.metadata
                    lines.append(f"- {meta.get('title', p.doc_id)} : « {_shorten(p.text, 240)} »")
        else:
            lines.append("Sources :")
            lines.extend(f"[{c.n}] {c.label()}" for c in self.citations)
        return "\n".join(lines).rstrip() + "\n"


def _page(p: Passage) -> int | None:
    page = int(p.metadata.get("page") or 0)
    return page or None


def _shorten(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


@dataclass
class _Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    score: float = 0.0


@dataclass
class AnswerConfig:
    max_sentences: int = 3
    max_passages: int = 5
    abstain_threshold: float = 0.5
    # Confidence = sigmoid(bias + w_dense * top cosine + w_cover * query-term coverage).
    # Calibrated on the gold set by `assistant eval` (see evals/).
    conf_bias: float = -26.0
    conf_dense: float = 28.0
    conf_cover: float = 6.0
    # Sentence score = cosine + lexical weight * term overlap + rank prior weight / rank.
    sentence_lexical: float = 0.15
    sentence_rank_prior: float = 0.02
    # Sentences must score within this margin of the best one to be kept.
    sentence_margin: float = 0.04


class ExtractiveAnswerer:
    def __init__(
        self,
        embeddings: Embeddings,
        lexical: LexicalIndex,
        config: AnswerConfig | None = None,
        analyzer: FrenchAnalyzer | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.lexical = lexical
        self.config = config or AnswerConfig()
        self.analyzer = analyzer or lexical.analyzer

    # --- confidence -----------------------------------------------------------------
    def features(self, question: str, passages: Sequence[Passage]) -> dict[str, float]:
        top = passages[: self.config.max_passages]
        dense = max((p.dense or 0.0) for p in top) if top else 0.0
        q_terms = set(self.analyzer.analyze(question))
        if q_terms and top:
            cover = max(
                len(q_terms & set(self.analyzer.analyze(p.text))) / len(q_terms) for p in top[:3]
            )
            known, _ = self.lexical.known_terms(question)
            vocab = len(set(known)) / len(q_terms)
        else:
            cover = vocab = 0.0
        return {"dense": dense, "cover": cover, "vocab": vocab}

    def confidence(self, feats: dict[str, float]) -> float:
        c = self.config
        z = c.conf_bias + c.conf_dense * feats["dense"] + c.conf_cover * feats["cover"]
        return 1.0 / (1.0 + math.exp(-z))

    # --- answer ---------------------------------------------------------------------
    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None = None,
    ) -> Answer:
        feats = self.features(question, passages)
        conf = self.confidence(feats)
        if not passages or conf < self.config.abstain_threshold:
            return Answer(question, ABSTAIN_MESSAGE, True, [], list(passages), conf, feats)

        qvec = np.asarray(
            query_vector if query_vector is not None else self.embeddings.embed_query(question),
            dtype=np.float32,
        )
        chosen = self._select(question, qvec, passages[: self.config.max_passages])
        if not chosen:
            return Answer(question, ABSTAIN_MESSAGE, True, [], list(passages), conf, feats)

        # Number the sources in the order the answer first cites them.
        order: dict[int, int] = {}
        for cand in chosen:
            order.setdefault(cand.passage_index, len(order) + 1)
        parts = [f"{cand.text} [{order[cand.passage_index]}]" for cand in chosen]
        citations = []
        for pi, n in order.items():
            p = passages[pi]
            m = p.metadata
            citations.append(
                Citation(
                    n=n,
                    doc_id=p.doc_id,
                    title=str(m.get("title", "")),
                    type=str(m.get("type", "")),
                    date=str(m.get("date") or "") or None,
                    page=_page(p),
                    section=str(m.get("section", "")),
                    text=p.text,
                    chunk_id=p.chunk_id,
                    page_label=str(m.get("page_label") or "") or None,
                    issuer=str(m.get("issuer", "")),
                    status=str(m.get("status", "")),
                    sentences=[c.text for c in chosen if c.passage_index == pi],
                )
            )
        return Answer(question, " ".join(parts), False, citations, list(passages), conf, feats)

    def _select(
        self, question: str, qvec: np.ndarray, passages: Sequence[Passage]
    ) -> list[_Candidate]:
        cands = [
            _Candidate(pi, s, e, p.text[s:e])
            for pi, p in enumerate(passages)
            for s, e in sentences.split_spans(p.text)
            if e - s >= _MIN_SENTENCE_CHARS
        ]
        if not cands:
            return []
        vecs = np.asarray(self.embeddings.embed_documents([c.text for c in cands]), np.float32)
        cos = vecs @ qvec
        q_terms = set(self.analyzer.analyze(question))
        cfg = self.config
        for c, sim in zip(cands, cos, strict=True):
            terms = set(self.analyzer.analyze(c.text))
            overlap = len(q_terms & terms) / len(q_terms) if q_terms else 0.0
            c.score = (
                float(sim)
                + cfg.sentence_lexical * overlap
                + cfg.sentence_rank_prior / (1 + c.passage_index)
            )
        ranked = sorted(cands, key=lambda c: -c.score)
        best = ranked[0].score
        kept = [c for c in ranked[: cfg.max_sentences] if c.score >= best - cfg.sentence_margin]
        # Read in document order within each passage, passages in the order of relevance.
        first_rank: dict[int, int] = {}
        for i, c in enumerate(kept):
            first_rank.setdefault(c.passage_index, i)
        return sorted(kept, key=lambda c: (first_rank[c.passage_index], c.start))
