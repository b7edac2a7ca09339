"""French sentence segmentation with character spans (no model: fast and deterministic)."""

from __future__ import annotations

import re

# Tokens after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "me",
        "art",
        "arts",
        "al",
        "p",
        "pp",
        "n",
        "no",
        "cf",
        "ex",
        "fig",
        "vol",
        "chap",
        "éd",
        "ed",
        "st",
        "ste",
        "av",
        "bd",
        "env",
        "sq",
        "suiv",
        "coll",
        "dir",
        "réf",
        "ref",
        "tél",
        "tel",
        "min",
        "max",
        "approx",
        "ann",
        "vs",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[»\"”)\]]*(?=\s+[«\"“(\-–—]?\s*[A-ZÀ-ÖØ-Ý0-9])")
_ROMAN = re.compile(r"^[IVXLC]+$")


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``; line breaks also split."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _BOUNDARY.finditer(line):
            if _is_abbreviation(line, m.start()):
                continue
            spans.append((offset + start, offset + m.end()))
            start = m.end()
        spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    m = re.search(r"(\w+)$", line[:dot])
    if not m:
        return False
    word = m.group(1)
    # Initials (J. Fernandez), article letters (L. 1110-4), roman numerals (II. Section).
    return len(word) == 1 or word.lower() in _ABBREVIATIONS or bool(_ROMAN.match(word))


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


_ITEM = re.compile(r"^\s*(?:[-–—•♦▪>*]|\d{1,2}[°.)]|[a-z][.)])\s*")
_ENDS_SENTENCE = (".", "!", "?", "…", "»", '"', "”", ")", ";")
_MAX_UNIT_CHARS = 700


def answer_units(text: str, min_chars: int = 30) -> list[tuple[int, int]]:
    """Spans that can stand alone in an answer.

    A sentence that introduces a list (ends with ':') keeps what follows it: its items,
    or at least the next sentence, so that "il s'agit d'assurer :" comes with what is to
    be ensured. Questions of the text and title lines (short, no final punctuation)
    answer nothing and are left out.
    """
    spans = split_spans(text)
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        j = i
        if text[s:e].rstrip().endswith(":"):
            while j + 1 < len(spans):
                ns, ne = spans[j + 1]
                nxt = text[ns:ne].rstrip()
                is_item = bool(_ITEM.match(nxt)) or not nxt.endswith(_ENDS_SENTENCE)
                if ne - s > _MAX_UNIT_CHARS or nxt.endswith(":") or (j > i and not is_item):
                    break
                j += 1
                if nxt.endswith(".") and (j > i + 1 or not is_item):
                    break
        unit = text[s : spans[j][1]].strip()
        absorbed = j > i
        i = j + 1
        if len(unit) < min_chars or unit.endswith("?"):
            continue
        title_like = not unit.endswith((*_ENDS_SENTENCE, ":", ",")) and not _ITEM.match(unit)
        if title_like and not absorbed and len(unit) < 100:
            continue
        units.append((s, s + len(text[s : spans[j][1]].rstrip())))
    return units
