"""The title block of a PDF's first page: the lines before the body that give its title,
issuer, date and reference, told apart by their type size (the title is set larger than
the body), so that they become a heading rather than a sentence of the text."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject

# A title is set at least this much larger than the body text.
_LARGER = 1.15
# How far down the page a title block may reach, in non-blank lines.
_MAX_LINES = 12
_MAX_TITLE_WORDS = 25
# A line that names what dates or identifies the document: « Version de mars 2023 »,
# « Réf. : FA/2023/01 », « mise à jour : juin 2021 », « NOR : SSAP2212345J ».
_LABEL = re.compile(
    r"^(?:r[ée]f(?:[ée]rence)?\b|n°|nor\b|version\b|mise à jour\b|mis à jour\b|date\b|"
    r"publi[ée]|édition\b|année\b|(?:19|20)\d\d$|le \d|[\w'’ -]{1,40}, le \d)",
    re.I,
)
_SENTENCE_END = (".", "!", "?", "…", ";", ":")


def text_and_sizes(page: PageObject) -> tuple[str, list[float]]:
    """The page's text as ``page.extract_text()`` gives it, and the type size (in points,
    as printed) of each of its lines, "\\n"-separated: the size most of the line's
    characters have, 0.0 for a blank line. The sizes are [] when pypdf's pieces of text
    do not add up to the text (then no size is known)."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        # The printed size: the font size scaled by the text and the graphics matrices.
        scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]))
        scale *= math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
        pieces.append((text, float(size or 0.0) * scale))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(p for p, _ in pieces) != text:
        return text, []
    chars: list[dict[float, int]] = [defaultdict(int)]
    for piece, size in pieces:
        for k, part in enumerate(piece.split("\n")):
            if k:
                chars.append(defaultdict(int))
            chars[-1][round(size, 1)] += sum(1 for c in part if not c.isspace())
    sizes = [max(by, key=lambda s: by[s]) if any(by.values()) else 0.0 for by in chars]
    return text, sizes


def title_lines(text: str, sizes: list[float]) -> int:
    """How many of the first lines of ``text`` (blank ones included) make its title
    block, 0 when it has none. ``sizes`` are the lines' type sizes (``text_and_sizes``).

    The block holds at least one line set larger than the body (the size of most of the
    characters of the lines of eight words or more; without such lines, the smallest
    size): its title, up to ``_MAX_TITLE_WORDS`` words a line. Before the title may
    stand short lines that are no sentence (a letterhead: « Direction générale de la
    santé »); after it, the lines that date or identify the document (« Mars 2023 »,
    « Réf. : FA/2023/01 », « Fédération Addiction », see ``_identifies``). The first
    other line starts the body, and so does a large line after those (the body's first
    heading); a title block never reaches past ``_MAX_LINES`` non-blank lines.
    """
    lines = text.split("\n")
    if len(sizes) != len(lines):
        return 0
    filled = [i for i, ln in enumerate(lines) if ln.strip() and sizes[i] > 0]
    if not filled:
        return 0
    weights: dict[float, int] = defaultdict(int)
    for i in filled:
        if len(lines[i].split()) >= 8:
            weights[sizes[i]] += len(lines[i])
    body = max(weights, key=lambda s: weights[s]) if weights else min(sizes[i] for i in filled)
    end = 0
    title_seen = after_title = False
    for i in filled[:_MAX_LINES]:
        line = " ".join(lines[i].split())
        if sizes[i] >= body * _LARGER and len(line.split()) <= _MAX_TITLE_WORDS:
            if after_title:
                break  # a large line after the date or the issuer: the body's first heading
            title_seen = True
            end = i + 1
        elif title_seen and _identifies(line):
            after_title = True
            end = i + 1
        elif title_seen or not _letterhead(line):
            break
    return end if title_seen else 0


def _letterhead(line: str) -> bool:
    """A short line that is no sentence: « Direction générale de la santé »."""
    short = len(line.split()) <= 12 and not line.endswith(_SENTENCE_END)
    return (short and not line[:1].islower()) or _identifies(line)


def _identifies(line: str) -> bool:
    """A short line that dates or identifies the document: a date (« Mars 2023 », « le
    3 mars 2024 »), a reference, a label of either (« Version … », « Réf. … »), or its
    issuer (« Fédération Addiction », « ARS Normandie »)."""
    from .extraction import find_date, find_issuer, find_reference

    words = len(line.split())
    labelled = _LABEL.match(line) is not None
    if len(line) > 120 or words > 16 or (line[:1].islower() and not labelled):
        return False
    if line.endswith((".", "!", "?")) and words > 8:
        return False  # a sentence of the body, even with a date in it
    named = words <= 10 and not line.endswith(".") and find_issuer("", [line]) is not None
    return labelled or named or find_date(line) is not None or find_reference(line) is not None
