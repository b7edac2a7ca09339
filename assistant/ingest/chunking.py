"""Split a cleaned document on its structure (headings, sections, paragraphs), then cap size.

Every chunk is a contiguous span of the cleaned text of one page, inside one section;
the page's text may end with a sentence run on from the next page (``CleanPage.spill``),
and a chunk holding it carries both pages (``page``, ``page_end``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import sentences

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Headings of French legal and administrative texts, with their depth.
_LEGAL_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^(?:Livre|LIVRE)\s+[IVXLC\d]+\b.{0,150}$"), 1),
    (re.compile(r"^(?:Titre|TITRE)\s+(?:[IVXLC]+|\d+|préliminaire)\b.{0,150}$"), 1),
    (re.compile(r"^(?:Annexe|ANNEXE)\b.{0,150}$"), 1),
    (re.compile(r"^(?:Chapitre|CHAPITRE)\s+(?:[IVXLC]+|\d+|préliminaire)\b.{0,150}$"), 2),
    (re.compile(r"^(?:Section|SECTION)\s+\d+\b.{0,150}$"), 3),
    (re.compile(r"^(?:Sous-section|SOUS-SECTION)\s+\d+\b.{0,150}$"), 4),
    (
        re.compile(
            r"^(?:Article|ARTICLE|Art\.)\s+(?:[LRDA]\.?\s*\*?)?[\d][\d\-\s]*(?:bis|ter)?\s*$"
        ),
        5,
    ),
)
_GENERIC_LEVEL = 6
_MAX_LONG_HEADING_WORDS = 20
# "II.-Un professionnel peut…", "III bis. – Lorsque…": a numbered part of an article. The
# paragraph is body text, and its number joins the section path of what follows.
_ALINEA = re.compile(r"^([IVX]{1,5}(?: bis| ter)?)\s*\.\s*[-–—]\s*\S")
_ALINEA_LEVEL = 7
_TERMINAL = tuple('.,;:!?…»"')


@dataclass
class Chunk:
    doc_id: str
    chunk_id: str
    text: str
    start: int  # span in the cleaned text of the document
    end: int
    section: str
    page: int | None = None
    page_label: str | None = None
    index: int = 0
    # The last page, when the chunk runs onto the next one (a sentence across a break).
    page_end: int | None = None
    page_end_label: str | None = None
    # The text was read by OCR from a scanned page (``CleanPage.ocr``).
    ocr: bool = False
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanPage:
    text: str
    number: int | None = None
    label: str | None = None
    # Offset in ``text`` from which the text comes from the next page: the end of a
    # sentence cut by the page break, joined here (see cleaning.clean_pages).
    spill: int | None = None
    ocr: bool = False  # the page's text was read by OCR (``loaders.Page.ocr``)


def heading_level(paragraph: str, next_paragraph: str | None) -> tuple[int, str] | None:
    """Return (level, title) when the paragraph is a heading, else None."""
    if "\n" in paragraph:
        return None
    m = _MD_HEADING.match(paragraph)
    if m:
        return len(m.group(1)), m.group(2).strip("*_ ")
    for pattern, level in _LEGAL_HEADINGS:
        if pattern.match(paragraph):
            return level, paragraph
    # A short line standing alone before a body paragraph: a section title of a bulletin
    # or an article ("La question du secret professionnel", "ZOOM").
    words = paragraph.split()
    if (
        next_paragraph is not None
        and 1 <= len(words) <= 8
        and len(paragraph) <= 60
        and not paragraph.endswith(_TERMINAL)
        and paragraph[0].isupper()
        and "," not in paragraph
        and _is_body(next_paragraph)
    ):
        return _GENERIC_LEVEL, paragraph
    # A longer line in capitals before a body paragraph: a section title too (« ACCÈS
    # AUX SOINS DES PERSONNES EN SITUATION DE PRÉCARITÉ », as OCR reads a scanned page).
    # Not one in title case: a letterhead or an address line (« Sous couvert de
    # Mesdames et Messieurs les Préfets ») would become the section of a whole letter.
    letters = [c for c in paragraph if c.isalpha()]
    if (
        next_paragraph is not None
        and 2 <= len(words) <= _MAX_LONG_HEADING_WORDS
        and len(paragraph) <= 160
        and not paragraph.endswith(_TERMINAL)
        and letters
        and all(c.isupper() for c in letters)
        and _is_body(next_paragraph)
    ):
        return _GENERIC_LEVEL, paragraph
    return None


def _is_body(paragraph: str) -> bool:
    return len(paragraph) >= 120 or paragraph.rstrip().endswith((".", "!", "?", "…", ":"))


def chunk_document(
    doc_id: str,
    pages: Sequence[CleanPage],
    max_chars: int = 800,
) -> tuple[str, list[Chunk]]:
    """Return the document's cleaned text (pages joined) and its chunks."""
    full_parts: list[str] = []
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []
    offset = 0
    for n, page in enumerate(pages):
        text = page.text
        paras = _paragraph_spans(text)
        pending: list[tuple[int, int]] = []
        following = pages[n + 1] if n + 1 < len(pages) else None

        def flush(
            pending: list[tuple[int, int]] = pending,
            text: str = text,
            base: int = offset,
            page: CleanPage = page,
            following: CleanPage | None = following,
        ) -> None:
            for s, e in _pack(text, pending, max_chars):
                # A chunk that holds text spilt from the next page ends on that page.
                runs_on = following is not None and page.spill is not None and e > page.spill
                chunks.append(
                    Chunk(
                        doc_id=doc_id,
                        chunk_id="",
                        text=text[s:e],
                        start=base + s,
                        end=base + e,
                        section=" > ".join(t for _, t in stack),
                        page=page.number,
                        page_label=page.label,
                        page_end=following.number if following and runs_on else None,
                        page_end_label=following.label if following and runs_on else None,
                        ocr=page.ocr or bool(following and runs_on and following.ocr),
                    )
                )
            pending.clear()

        for i, (s, e) in enumerate(paras):
            para = text[s:e]
            nxt = text[paras[i + 1][0] : paras[i + 1][1]] if i + 1 < len(paras) else None
            alinea = _ALINEA.match(para)
            if alinea:
                flush()
                while stack and stack[-1][0] >= _ALINEA_LEVEL:
                    stack.pop()
                stack.append((_ALINEA_LEVEL, alinea.group(1)))
                pending.append((s, e))
                continue
            head = heading_level(para, nxt)
            if head:
                flush()
                level, title = head
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, title))
                continue
            pending.append((s, e))
        flush()
        full_parts.append(text)
        offset += len(text) + 2  # pages are joined by a blank line
    _assign_ids(chunks)
    return "\n\n".join(full_parts), chunks


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n](?:.|\n(?!\n))*", text):
        s, e = m.start(), m.end()
        if text[s:e].strip():
            spans.append((s, e))
    return spans


def _pack(text: str, paras: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Group consecutive paragraphs up to max_chars; split longer ones on sentences."""
    pieces: list[tuple[int, int]] = []
    for s, e in paras:
        if e - s <= max_chars:
            pieces.append((s, e))
            continue
        sent = [(s + a, s + b) for a, b in sentences.split_spans(text[s:e])]
        cur_s, cur_e = sent[0]
        for a, b in sent[1:]:
            if b - cur_s > max_chars:
                pieces.append((cur_s, cur_e))
                cur_s = a
            cur_e = b
        pieces.append((cur_s, cur_e))
    groups: list[tuple[int, int]] = []
    for s, e in pieces:
        if groups and e - groups[-1][0] <= max_chars:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return groups


def _assign_ids(chunks: list[Chunk]) -> None:
    """Ids derive from content, so re-indexing the same text yields the same ids."""
    seen: dict[str, int] = {}
    for i, c in enumerate(chunks):
        digest = hashlib.sha256(f"{c.doc_id}\x00{c.section}\x00{c.text}".encode()).hexdigest()[:16]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        c.chunk_id = f"{c.doc_id}:{digest}" + (f"-{n}" if n else "")
        c.index = i
