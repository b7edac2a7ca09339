"""Repair the artefacts of text extracted from laid-out documents.

Narrow columns break lines mid-sentence and cut words at line ends; running marks such
as ``.../...`` and page separators remain. The output keeps paragraphs (blank line) and
meaningful line breaks (list items, lines ending a sentence), and nothing else.
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)((?:[^*\n]|\n(?!\s*\n))+?)(?<=\S)\*(?![\w*])")
# Whole lines that are layout, not text.
_NOISE_LINE = re.compile(
    r"""^\s*(?:
        \.{2,}\s*/\s*\.{2,}            # .../... (continued on next page)
      | [.…·•\-_=*~]{3,}               # separators: ....., ---, ***
      | \.{3}\s*suite\s+de\s+la\s+page\s+\d+.*   # "... suite de la page 1"
      | \d{1,3}                        # a lone page number
    )\s*$""",
    re.X | re.I,
)
# Share-button residue glued into one word, e.g. "FacebookXBlueskyLinkedInEmail".
_GLUED_LABELS = re.compile(r"^\s*(?=[A-Za-z]{16,}\s*$)(?:[A-Z][a-z]+|[A-Z]){4,}\s*$")
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")
_TERMINAL = tuple('.!?:;»"”)')
_LIST_ITEM = re.compile(
    r"^\s*(?:[-–—•♦▪>*]\s?(?=\w)|(?:\d{1,2}[°.)]|[a-z][.)]|[IVX]{1,5}\s*[.-])\s)"
)


def clean_text(text: str) -> str:
    """Return the cleaned text: paragraphs separated by a blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    text = text.replace("\u00ad", "")  # soft hyphens
    text = html.unescape(_TAG.sub("", text))
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _join_hyphenated(text)
    lines = [
        ln.rstrip()
        for ln in _mark_block_starts(text.split("\n"))
        if not _NOISE_LINE.match(ln) and not _GLUED_LABELS.match(ln)
    ]
    paragraphs = _rebuild_paragraphs(lines)
    out = "\n\n".join("\n".join(_squash_spaces(line) for line in para) for para in paragraphs)
    return out.strip() + "\n" if out.strip() else ""


def _mark_block_starts(lines: list[str]) -> list[str]:
    """A line indented by one space after an unindented one starts a text box in PDF
    extractions of laid-out pages: make it a paragraph start."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        starts_box = (
            ln.startswith(" ")
            and not ln.startswith("  ")
            and ln.strip()
            and i > 0
            and lines[i - 1].strip()
            and not lines[i - 1].startswith(" ")
        )
        if starts_box:
            out.append("")
        out.append(ln)
    return out


def _squash_spaces(line: str) -> str:
    return re.sub(r" {2,}", " ", line).strip()


def _join_hyphenated(text: str) -> str:
    """Rejoin words cut at line ends, keeping the hyphen of real compounds.

    A compound is recognised when the document itself writes it with a hyphen elsewhere
    and never as one word, or when its second part is capitalised (Seine-Saint-Denis).
    """
    lowered = text.lower()

    def repl(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right[0].isupper():
            return f"{left}-{right}"
        joined, compound = f"{left}{right}".lower(), f"{left}-{right}".lower()
        if compound in lowered.replace(m.group(0).lower(), "") and joined not in lowered:
            return f"{left}-{right}"
        return f"{left}{right}"

    return _HYPHEN_BREAK.sub(repl, text)


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def _starts_lower(line: str) -> bool:
    s = line.lstrip(' «"(')
    return bool(s) and (s[0].islower() or s[0] in ",;.)")


def _rebuild_paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    blank_before = True
    for raw in lines:
        line = raw.strip()
        if not line:
            blank_before = True
            continue
        is_heading = line.startswith("#")
        if not paragraphs or is_heading or paragraphs[-1][-1].startswith("#"):
            paragraphs.append([line])
        else:
            prev = paragraphs[-1][-1]
            mid_sentence = not _ends_sentence(prev) and not _LIST_ITEM.match(line)
            if blank_before:
                # A blank line inside a sentence is a column or page break.
                if mid_sentence and _starts_lower(line):
                    paragraphs[-1][-1] = f"{prev} {line}"
                else:
                    paragraphs.append([line])
            elif _LIST_ITEM.match(line) or (_ends_sentence(prev) and not _starts_lower(line)):
                paragraphs[-1].append(line)
            else:
                paragraphs[-1][-1] = f"{prev} {line}"
        blank_before = False
    return paragraphs
