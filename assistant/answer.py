"""The extractive answer: the sentences of the retrieved passages that best answer the
question, in their original words, each followed by the marker of its passage.

Nothing in an answer is written by us: every sentence is a span of a cited passage. Below
a calibrated confidence, the assistant abstains and shows the closest passages instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from .corpus import DOC_TYPES
from .glossary import Glossary
from .lexical import FrenchAnalyzer, LexicalIndex
from .retrieval import Passage
from .sentences import answer_units
from .store import ChunkStore

# What the confidence model reads of a question and its passages (see evals/calibrate.py).
FEATURES = ("dense", "cover", "vocab", "lexical")

log = logging.getLogger(__name__)

ABSTAIN_MESSAGE = "Je n'ai pas trouvé de réponse à cette question dans les documents."


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
    notice: str = ""  # "texte abrogé", "remplacé par …", "texte de 2000 …"

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
        label = f"{self.title} — {', '.join(parts)}"
        return f"{label} ⚠ {self.notice}" if self.notice else label


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[Passage]
    confidence: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # acronyms, renamed bodies
    generated: bool = False  # written by an LLM and checked, rather than extracted

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
                    lines.append(f"- {meta.get('title', p.doc_id)} : « {shorten(p.text, 240)} »")
        else:
            lines.append("Sources :")
            for c in self.citations:
                # The passage's opening words tell apart two passages of one document.
                lines.append(f"[{c.n}] {c.label()}")
                lines.append(f"    « {shorten(c.text, 160)} »")
        if self.notes:
            lines.extend(["", "À savoir :", *(f"- {n}" for n in self.notes)])
        return "\n".join(lines).rstrip() + "\n"


def citation_for(n: int, p: Passage, sentences: list[str], notice: str = "") -> Citation:
    """Source n of an answer: passage p, with the sentences to highlight in it."""
    m = p.metadata
    return Citation(
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
        sentences=sentences,
        notice=notice,
    )


def _page(p: Passage) -> int | None:
    page = int(p.metadata.get("page") or 0)
    return page or None


def shorten(text: str, n: int) -> str:
    """One line of at most n characters, cut at a word."""
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
    # Confidence = sigmoid(bias + Σ weight × feature), fitted per embedder on the gold set
    # by evals/calibrate.py and stored in calibration.json.
    conf_bias: float = 0.0
    conf_weights: dict[str, float] = field(default_factory=dict)
    # Sentence score = cosine + lexical weight * term overlap + rank prior weight / rank.
    sentence_lexical: float = 0.3
    sentence_rank_prior: float = 0.02
    # Sentences must score within this margin of the best one to be kept.
    sentence_margin: float = 0.04
    # An answer cites at most this many passages.
    max_cited: int = 2
    # Cited texts older than this are flagged.
    max_age_years: int = 10


CALIBRATION_FILE = Path(__file__).with_name("calibration.json")

# A sentence opening with one of these leans on its neighbour: "En effet celui-ci…"
# needs the sentence before; "Je souhaite que vous en assuriez la présidence." completes
# the one it follows.
_ANAPHORIC = re.compile(
    r"^(?:en effet|ainsi|de plus|par ailleurs|néanmoins|toutefois|cependant|mais|or|donc|"
    r"dans ce cadre|à cet effet|de la même façon|c['’]est ainsi|"
    r"celui-ci|celle-ci|ceux-ci|celles-ci|ceci|cela|ce|cet|cette|ces|"
    r"il|elle|ils|elles|son|sa|ses|leur|leurs|je|nous|on)\b",
    re.I,
)
_MAX_FOLLOWER_CHARS = 200


def load_calibration(
    embedder: str, path: Path = CALIBRATION_FILE
) -> tuple[float, dict[str, float], float]:
    """(bias, weights, threshold) of the confidence model fitted for this embedder.

    An embedder never calibrated gets the default embedder's model, which may not fit its
    similarity scale: run ``python -m evals.calibrate --embedder … --write``.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data.get(embedder)
    if entry is None:
        log.warning("pas de calibration pour %s : calibration par défaut", embedder)
        entry = data[data["default"]]
    weights = {k: float(v) for k, v in entry["weights"].items()}
    return float(entry["bias"]), weights, float(entry.get("threshold", 0.5))


class ExtractiveAnswerer:
    def __init__(
        self,
        embeddings: Embeddings,
        lexical: LexicalIndex,
        config: AnswerConfig | None = None,
        analyzer: FrenchAnalyzer | None = None,
        store: ChunkStore | None = None,
        glossary: Glossary | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.lexical = lexical
        # Where the answer units and their vectors were stored at index time.
        self.store = store
        self.glossary = glossary or Glossary()
        self.today = today or dt.date.today()
        self.config = config or AnswerConfig()
        self.analyzer = analyzer or lexical.analyzer

    # --- confidence -----------------------------------------------------------------
    def features(self, question: str, passages: Sequence[Passage]) -> dict[str, float]:
        top = passages[: self.config.max_passages]
        dense = max((p.dense or 0.0) for p in top) if top else 0.0
        q_terms = set(self.analyzer.stems(question))
        if q_terms and top:
            cover = max(
                len(q_terms & set(self.analyzer.stems(p.text))) / len(q_terms) for p in top[:3]
            )
            known, _ = self.lexical.known_terms(question)
            vocab = len(set(known)) / len(q_terms)
        else:
            cover = vocab = 0.0
        lexical = math.log1p(max((p.lexical or 0.0) for p in top)) if top else 0.0
        return {"dense": dense, "cover": cover, "vocab": vocab, "lexical": lexical}

    def confidence(self, feats: dict[str, float]) -> float:
        c = self.config
        z = c.conf_bias + sum(w * feats[name] for name, w in c.conf_weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

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
        citations = [
            citation_for(
                n,
                passages[pi],
                [c.text for c in chosen if c.passage_index == pi],
                self.notice(passages[pi].metadata),
            )
            for pi, n in order.items()
        ]
        text = " ".join(parts)
        notes = self.glossary.notes(text, [c.text for c in citations])
        return Answer(question, text, False, citations, list(passages), conf, feats, notes)

    def notice(self, meta: Mapping[str, Any]) -> str:
        """What a reader must know about a cited text's validity."""
        status = str(meta.get("status") or "en_vigueur")
        replaced_by = str(meta.get("replaced_by") or "")
        if status == "abroge":
            return "texte abrogé" + (
                f", remplacé par {self._describe(replaced_by)}" if replaced_by else ""
            )
        if status == "remplace":
            return "texte remplacé" + (f" par {self._describe(replaced_by)}" if replaced_by else "")
        date = str(meta.get("date") or "")
        if date:
            year = int(date[:4])
            if self.today.year - year > self.config.max_age_years:
                return f"texte de {year} : vérifier qu'il est toujours d'actualité"
        return ""

    def _describe(self, doc_id: str) -> str:
        """'« Title » (date)' of a document, from the index; its id when unknown."""
        if self.store is not None:
            res = self.store.collection.get(
                where={"doc_id": doc_id}, limit=1, include=["metadatas"]
            )
            if res["ids"]:
                m = res["metadatas"][0]
                date = f" ({m['date']})" if m.get("date") else ""
                return f"« {m['title']} »{date}"
        return doc_id

    def _units(self, passages: Sequence[Passage]) -> tuple[list[_Candidate], np.ndarray]:
        """The answer units of the passages with their vectors: stored at index time,
        or computed now for passages that have none stored."""
        stored = self.store.units_of([p.chunk_id for p in passages]) if self.store else []
        by_chunk: dict[str, list[tuple[int, int, list[float]]]] = {}
        for u in stored:
            by_chunk.setdefault(u.chunk_id, []).append((u.start, u.end, u.vector))
        cands: list[_Candidate] = []
        vecs: list[list[float]] = []
        todo: list[_Candidate] = []
        for pi, p in enumerate(passages):
            if p.chunk_id in by_chunk:
                for s, e, v in sorted(by_chunk[p.chunk_id], key=lambda t: t[0]):
                    cands.append(_Candidate(pi, s, e, p.text[s:e]))
                    vecs.append(v)
            else:
                todo.extend(_Candidate(pi, s, e, p.text[s:e]) for s, e in answer_units(p.text))
        if todo:
            cands.extend(todo)
            vecs.extend(self.embeddings.embed_documents([c.text for c in todo]))
        return cands, np.asarray(vecs, dtype=np.float32).reshape(len(cands), -1)

    def _select(
        self, question: str, qvec: np.ndarray, passages: Sequence[Passage]
    ) -> list[_Candidate]:
        cands, vecs = self._units(passages)
        if not cands:
            return []
        cos = vecs @ qvec
        q_terms = set(self.analyzer.stems(question))
        idf = {t: self.lexical.idf(t) for t in q_terms}
        total = sum(idf.values())
        cfg = self.config
        for c, sim in zip(cands, cos, strict=True):
            terms = set(self.analyzer.stems(c.text))
            # Rare terms of the question say more about a sentence than common ones.
            overlap = sum(idf[t] for t in q_terms & terms) / total if total else 0.0
            c.score = (
                float(sim)
                + cfg.sentence_lexical * overlap
                + cfg.sentence_rank_prior / (1 + c.passage_index)
            )
        ranked = sorted(cands, key=lambda c: -c.score)
        best = ranked[0].score
        kept: list[_Candidate] = []
        cited: set[int] = set()
        for c in ranked:
            if len(kept) == cfg.max_sentences or c.score < best - cfg.sentence_margin:
                break
            if c.passage_index not in cited and len(cited) == cfg.max_cited:
                continue
            kept.append(c)
            cited.add(c.passage_index)
        kept = self._with_neighbours(kept, cands)
        # Read in document order within each passage, passages in the order of relevance.
        first_rank: dict[int, int] = {}
        for i, c in enumerate(kept):
            first_rank.setdefault(c.passage_index, i)
        return sorted(kept, key=lambda c: (first_rank[c.passage_index], c.start))

    @staticmethod
    def _with_neighbours(kept: list[_Candidate], cands: list[_Candidate]) -> list[_Candidate]:
        """Add, for the best pick only (the answer stays short), the sentence it leans on
        when it opens with an anaphor, and a short anaphoric sentence that follows it."""
        best = kept[0]
        row = sorted(
            (c for c in cands if c.passage_index == best.passage_index), key=lambda c: c.start
        )
        i = next(k for k, c in enumerate(row) if c.start == best.start)
        extra = []
        if _ANAPHORIC.match(best.text) and i > 0:
            extra.append(row[i - 1])
        if i + 1 < len(row):
            nxt = row[i + 1]
            if _ANAPHORIC.match(nxt.text) and len(nxt.text) <= _MAX_FOLLOWER_CHARS:
                extra.append(nxt)
        have = {(c.passage_index, c.start) for c in kept}
        return kept + [c for c in extra if (c.passage_index, c.start) not in have]
