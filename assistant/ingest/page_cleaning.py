"""A PDF cleaned across its pages: the furniture repeated on every page (running title,
"Page 1 sur 2") and printed page numbers removed, a sentence cut by a page break joined."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .chunking import CleanPage
from .cleaning import (
    _LIGATURES,
    _LIST_ITEM,
    _ends_sentence,
    _is_label,
    _keeps_hyphen,
    _last_text,
    _starts_lower,
    clean_text,
)
from .loaders import Page

# Furniture sits in the first and last lines of a page (header, footer).
_EDGE_LINES = 3


# "12", "- 12 -", "Page 12", "p. 12", "12/40", "Page 12 sur 40": a printed page number.
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—(\[]*(?:page\s+|p\.\s*)?(\d{1,4})(?:\s*(?:/|sur|de)\s*\d{1,4})?[\s\-–—)\]]*$", re.I
)


_WORD = re.compile(r"[^\W\d_]{2,}")


def clean_pages(pages: Sequence[Page]) -> list[CleanPage]:
    """Clean the pages of one document, as ``chunk_document`` takes them.

    A text file (one page without number) is cleaned by ``clean_text``. A PDF's pages
    are first stripped of their furniture (``strip_furniture``), cleaned one by one, then
    a sentence that a page break cuts is joined on the page where it starts: its end is
    moved from the top of the next page, and ``CleanPage.spill`` marks where it begins,
    so that the passage holding it is cited with both pages ("p. 1–2"). A page whose
    text is all moved, or that had none (an image), keeps its number with empty text.
    A page read by OCR stays flagged (``CleanPage.ocr``); no sentence is joined across
    a typed page and a scanned one.
    """
    if len(pages) == 1 and pages[0].number is None:
        return [CleanPage(clean_text(pages[0].text), None, pages[0].label)]
    raw = strip_furniture([p.text for p in pages], [p.number for p in pages])
    texts = [clean_text(t, page_numbers=False) for t in raw]
    spills: list[int | None] = [None] * len(texts)
    for k in range(len(texts) - 1):
        if pages[k].ocr != pages[k + 1].ocr:
            continue  # a scanned page after a typed one: not one sentence across them
        texts[k], texts[k + 1], spills[k] = _join_page_break(texts[k], texts[k + 1])
    return [
        CleanPage(t, p.number, p.label, spill=s, ocr=p.ocr)
        for t, p, s in zip(texts, pages, spills, strict=True)
    ]


# The end of a sentence followed by another one on the same line.
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[«\"(]?[A-ZÀ-ÖØ-Þ])")


def _join_page_break(cur: str, nxt: str) -> tuple[str, str, int | None]:
    """(this page, next page, spill): the first line of the next page moved onto this
    one when it ends the sentence this page leaves open, else the pages unchanged."""
    body = cur.rstrip()
    if not body or not nxt.strip():
        return cur, nxt, None
    last = body.rsplit("\n", 1)[-1]
    first, _, rest = nxt.lstrip().partition("\n")
    if (
        last.startswith("#")
        or _ends_sentence(last)
        or _LIST_ITEM.match(first)
        or not _starts_lower(first)
    ):
        return cur, nxt, None
    cut = re.search(r"(\w+)-$", last)
    word = re.match(r"\w+", first)
    if cut and word:  # a word cut at the page break
        context = f"{cur}\n{nxt}".lower()
        keep = _keeps_hyphen(cut.group(1), word.group(), context)
        joined = body if keep else body[:-1]
        glue = ""
    else:
        joined, glue = body, " "
    # Only the end of the cut sentence moves; what follows it stays on its page.
    end = _SENTENCE_END.search(first)
    moved, left = (first[: end.end()], first[end.end() :].lstrip()) if end else (first, "")
    remainder = f"{left}\n{rest}" if left else rest.lstrip("\n")
    return f"{joined}{glue}{moved}\n", remainder, len(joined)


def strip_furniture(texts: Sequence[str], numbers: Sequence[int | None]) -> list[str]:
    """The raw texts of a document's pages (one string per page, ``numbers`` their
    physical page numbers) without their furniture.

    Removed, among the first and last ``_EDGE_LINES`` lines of each page only:

    - a page number ("3", "- 3 -", "Page 3", "3/10", "Page 3 sur 10"): the number is the
      physical page number plus the offset of the document's page numbers (printed
      numbering may start at 5; an offset other than 0 must be seen on two pages), and
      the line before does not end with ":" (then it is a value: "Nombre de places
      autorisées :" then "12");
    - a line repeated, in the same zone (top or bottom), on at least two pages and on
      half of the pages with text: the same words and numbers (a running title), or the
      same words with the page's own number ("Guide – page 2", "Guide – page 3").

    A line without a word (a number, a value) is never repeated furniture, and a line
    whose numbers differ from page to page otherwise ("Article 5", "Article 9" at the
    tops of pages) is kept.
    """
    pages = [t.replace("\r\n", "\n").replace("\r", "\n").split("\n") for t in texts]
    edges = [_edge_indexes(lines) for lines in pages]
    offsets: Counter[int] = Counter()
    for lines, (top, bottom), number in zip(pages, edges, numbers, strict=True):
        for i in {*top, *bottom}:
            value = _page_number(lines, i)
            if value is not None and number is not None:
                offsets[value - number] += 1
    offset = next((o for o, n in offsets.most_common() if o == 0 or n >= 2), None)

    def keys(
        lines: list[str], top: list[int], bottom: list[int], number: int | None
    ) -> dict[int, set[tuple[str, str]]]:
        printed = None if number is None else str(number + (offset or 0))
        out: dict[int, set[tuple[str, str]]] = {}
        for zone, indexes in (("top", top), ("bottom", bottom)):
            for i in indexes:
                found = {_furniture_key(lines[i], numbered=True)}
                if printed is not None and printed in re.findall(r"\d+", lines[i]):
                    found.add(_furniture_key(lines[i], numbered=False))
                out.setdefault(i, set()).update((zone, k) for k in found if _WORD.search(k))
        return out

    page_keys = [
        keys(lines, top, bottom, number)
        for lines, (top, bottom), number in zip(pages, edges, numbers, strict=True)
    ]
    seen: Counter[tuple[str, str]] = Counter()
    for by_line in page_keys:
        seen.update(set().union(*by_line.values()) if by_line else set())
    with_text = sum(1 for lines in pages if any(ln.strip() for ln in lines))
    needed = max(2, math.ceil(with_text / 2))
    out: list[str] = []
    for lines, by_line, number in zip(pages, page_keys, numbers, strict=True):
        drop = {i for i, found in by_line.items() if any(seen[k] >= needed for k in found)}
        if number is not None and offset is not None:
            drop |= {i for i in by_line if _page_number(lines, i) == number + offset}
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in drop))
    return out


def _edge_indexes(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indexes of the first and of the last ``_EDGE_LINES`` non-blank lines."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    return filled[:_EDGE_LINES], filled[-_EDGE_LINES:]


def _furniture_key(line: str, *, numbered: bool) -> str:
    """A line as furniture is compared: case and spacing aside, and its numbers too
    unless ``numbered``."""
    line = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line.lower())
    if not numbered:
        line = re.sub(r"\d+", "#", line)
    return re.sub(r"\s+", " ", line).strip()


def _page_number(lines: list[str], i: int) -> int | None:
    """The number of a page-number line, None for any other line or for a value (the
    line before ends with ":")."""
    m = _PAGE_NUMBER.match(lines[i])
    if m is None or _is_label(_last_text(lines[:i])):
        return None
    return int(m.group(1))
