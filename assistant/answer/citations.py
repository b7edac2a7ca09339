"""What an answer is: its text, the passages it cites (``Citation``, made by
``citation_for``) and the JSON contract the CLI, the UI and the evaluation read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ingest.corpus import DOC_TYPES
from ..search.retrieval import Passage


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
