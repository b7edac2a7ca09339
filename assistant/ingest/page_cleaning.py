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
    OPEN_ENDINGS,
    _ends_sentence,
    _is_label,
    _keeps_hyphen,
    _last_text,
    _starts_lower,
    clean_text,
)
from .extraction import find_date
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
    a typed page and a scanned one. The title block of the first page
    (``Page.title_lines``) becomes one heading (``title_heading``).
    """
    if len(pages) == 1 and pages[0].number is None:
        return [CleanPage(clean_text(pages[0].text), None, pages[0].label)]
    drops = furniture_lines([p.text for p in pages], [p.number for p in pages])
    raw = [
        _with_title(_lines(p.text), drop, _title_lines(pages, k))
        for k, (p, drop) in enumerate(zip(pages, drops, strict=True))
    ]
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


def _title_lines(pages: Sequence[Page], k: int) -> int:
    """The title block of page ``k`` (``Page.title_lines``), unless it is all the text
    of the document (a one-page notice in large type): a heading has no passage."""
    lines = pages[k].title_lines
    alone = not "".join(pages[k].text.split("\n")[lines:]).strip()
    if lines and alone and not any(p.text.strip() for p in pages[k + 1 :]):
        return 0
    return lines


def _with_title(lines: list[str], drop: set[int], title: int) -> str:
    """A page's raw text without its furniture lines (``drop``), its first ``title``
    lines (a title block: title, issuer, date, reference) made one Markdown heading,
    « # Guide des réseaux de santé — Fédération Addiction — Mars 2023 »: the chunker
    makes it the section of what follows, and neither its lines nor the first sentence
    of the body are read as one sentence. A line that goes on from the one before (it
    starts in lower case, or the one before ends open: « … usagers » then « de drogues
    en CSAPA ») joins it with a space."""
    parts: list[str] = []
    for i, raw in enumerate(lines[:title]):
        line = " ".join(raw.split())
        if not line or i in drop:
            continue  # a running header above the title stays furniture
        runs_on = _starts_lower(line) and find_date(line) is None  # not « mise à jour : … »
        if parts and (runs_on or parts[-1].split()[-1].lower() in OPEN_ENDINGS):
            parts[-1] = f"{parts[-1]} {line}"
        else:
            parts.append(line)
    kept = [ln for i, ln in enumerate(lines) if i >= title and i not in drop]
    return "\n".join(["# " + " — ".join(parts), *kept] if parts else kept)


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
    physical page numbers) without their furniture (``furniture_lines``)."""
    drops = furniture_lines(texts, numbers)
    return [
        "\n".join(ln for i, ln in enumerate(_lines(text)) if i not in drop)
        for text, drop in zip(texts, drops, strict=True)
    ]


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def furniture_lines(texts: Sequence[str], numbers: Sequence[int | None]) -> list[set[int]]:
    """The indexes of the furniture lines of each page (its text split on line breaks,
    "\r\n" and "\r" as "\n"), for the raw texts of a document's pages (one string per
    page, ``numbers`` their physical page numbers).

    Furniture is whole lines at the very top or bottom of a page: the run of lines
    from the page's first (or last) line, among its first and last ``_EDGE_LINES``
    lines, that are all furniture; the first line that is not stops the run, so nothing
    is ever taken from the middle of the text, and a removed line never stands between
    two kept ones (it cannot glue them together). Furniture is:

    - a page number ("3", "- 3 -", "Page 3", "3/10", "Page 3 sur 10"): the number is the
      physical page number plus the offset of the document's page numbers (printed
      numbering may start at 5; an offset other than 0 must be seen on two pages), and
      the line before does not end with ":" (then it is a value: "Nombre de places
      autorisées :" then "12");
    - a line repeated, in the same zone (top or bottom), on at least two pages and on
      half of the pages with text: the same words and numbers (a running title), or the
      same words with the page's own number ("Guide – page 2", "Guide – page 3").

    A repeated line is text, kept everywhere, when it also stands in the body of a page
    (after kept text at the top, before it at the bottom, or in the middle: a sentence
    the text repeats), or when, wherever it is repeated, it is part of a sentence that
    runs on into the kept text (the first line of a wrapped sentence whose end stays).
    A line without a word (a number, a value) is never repeated furniture, and a line
    whose numbers differ from page to page otherwise ("Article 5", "Article 9" at the
    tops of pages) is kept.
    """
    pages = [_lines(t) for t in texts]
    edges = [_edge_indexes(lines) for lines in pages]
    offsets: Counter[int] = Counter()
    for lines, (top, bottom), number in zip(pages, edges, numbers, strict=True):
        for i in {*top, *bottom}:
            value = _page_number(lines, i)
            if value is not None and number is not None:
                offsets[value - number] += 1
    offset = next((o for o, n in offsets.most_common() if o == 0 or n >= 2), None)

    def line_keys(lines: list[str], number: int | None) -> dict[int, set[str]]:
        printed = None if number is None else str(number + (offset or 0))
        out: dict[int, set[str]] = {}
        for i, line in enumerate(lines):
            found = {_furniture_key(line, numbered=True)}
            if printed is not None and printed in re.findall(r"\d+", line):
                found.add(_furniture_key(line, numbered=False))
            found = {k for k in found if _WORD.search(k)}
            if found:
                out[i] = found
        return out

    all_keys = [line_keys(lines, number) for lines, number in zip(pages, numbers, strict=True)]
    seen: Counter[tuple[str, str]] = Counter()
    for by_line, (top, bottom) in zip(all_keys, edges, strict=True):
        zoned = {
            (zone, k)
            for zone, ix in (("top", top), ("bottom", bottom))
            for i in ix
            for k in by_line.get(i, ())
        }
        seen.update(zoned)
    with_text = sum(1 for lines in pages if any(ln.strip() for ln in lines))
    needed = max(2, math.ceil(with_text / 2))
    candidates = {zk for zk, n in seen.items() if n >= needed}
    numbered = [
        {
            i
            for i in {*top, *bottom}
            if number is not None
            and offset is not None
            and _page_number(lines, i) == number + offset
        }
        for lines, (top, bottom), number in zip(pages, edges, numbers, strict=True)
    ]
    while True:
        runs = [
            _runs(lines, top, bottom, by_line, nums, candidates)
            for lines, (top, bottom), by_line, nums in zip(
                pages, edges, all_keys, numbered, strict=True
            )
        ]
        text_keys: set[str] = set()
        alone: set[tuple[str, str]] = set()
        for lines, by_line, (top_run, bottom_run) in zip(pages, all_keys, runs, strict=True):
            for i, found in by_line.items():
                if i not in top_run and i not in bottom_run:
                    text_keys |= found  # in the body of this page
            for zone, run in (("top", top_run), ("bottom", bottom_run)):
                glued = _glued_to_text(lines, run, top=zone == "top")
                for i in run:
                    if i != glued:
                        alone.update((zone, k) for k in by_line.get(i, ()))
        kept = {(z, k) for z, k in candidates if k not in text_keys and (z, k) in alone}
        if kept == candidates:
            break
        candidates = kept
    return [top_run | bottom_run for top_run, bottom_run in runs]


def _runs(
    lines: list[str],
    top: list[int],
    bottom: list[int],
    by_line: dict[int, set[str]],
    numbered: set[int],
    candidates: set[tuple[str, str]],
) -> tuple[set[int], set[int]]:
    """The furniture lines of one page: the run from its first line and the run from its
    last line (within the edge zones) of lines that are page numbers or candidates."""

    def run(indexes: list[int], zone: str) -> set[int]:
        out: set[int] = set()
        for i in indexes:
            if i not in numbered and not any((zone, k) in candidates for k in by_line.get(i, ())):
                break
            out.add(i)
        return out

    return run(top, "top"), run(list(reversed(bottom)), "bottom")


_LOWER_WORD = re.compile(r"[a-zà-öø-ÿ][\w'’-]*[\s,;]")


def _glued_to_text(lines: list[str], run: set[int], *, top: bool) -> int | None:
    """The line of the run that is part of a sentence with the kept line next to the
    run (the run's last line at the top when it runs on into the first kept line, its
    first line at the bottom when it ends the sentence of the last kept line), else None."""
    if not run:
        return None
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    if top:
        edge = max(run)
        after = [i for i in filled if i > edge and i not in run]
        if (
            after
            and not _ends_sentence(lines[edge])
            and _LOWER_WORD.match(lines[after[0]].lstrip())
        ):
            return edge
        return None
    edge = min(run)
    before = [i for i in filled if i < edge and i not in run]
    if (
        before
        and not _ends_sentence(lines[before[-1]])
        and _LOWER_WORD.match(lines[edge].lstrip())
        and _PAGE_NUMBER.match(lines[edge]) is None
    ):
        return edge
    return None


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
