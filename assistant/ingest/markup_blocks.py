"""What Markdown and HTML conversion share: the converted text with its metadata, table
rows written one per paragraph with their headers, blocks joined, dates read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_TERMINAL = tuple(".!?;:…")


@dataclass
class Converted:
    """A document as text, and the metadata its markup declares.

    ``meta`` holds strings under the keys ``title``, ``date`` (ISO ``AAAA-MM-JJ``),
    ``description``, ``tags`` (comma-separated) and ``type`` (as written), each only
    when present.
    """

    text: str
    meta: dict[str, str] = field(default_factory=dict)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := re.match(r"\s*(\d{4}-\d\d-\d\d)", value)):
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def labelled_row(header: Sequence[str], cells: Sequence[str]) -> str:
    """One table row as a sentence with its column names: « Colonne : valeur ; … »
    (a cell under no header, or equal to its header, alone); "" for an empty row. Shared
    by every format with tables (Markdown, HTML, Word, OpenDocument)."""
    pieces = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        name = header[i] if i < len(header) else ""
        pieces.append(f"{name} : {cell}" if name and name != cell else cell)
    return " ; ".join(pieces)


def _table_rows(rows: list[tuple[bool, list[str]]]) -> list[str]:
    """One paragraph per row, each value with its column's name: "A : 1 ; B : 2."

    ``rows`` are (is a header row, cells). The first header row names the columns; a
    table without one is read row by row, its cells separated by " ; ".
    """
    header: list[str] = []
    out: list[str] = []
    for is_head, cells in rows:
        if is_head and not header:
            header = cells
            continue
        row = labelled_row(header, cells)
        if row:
            # A final stop: the cleaner must not join a row to the next one.
            out.append(row if row.endswith(_TERMINAL) else row + ".")
    if header and not out:
        out.append(" ; ".join(c for c in header if c))
    return out


def _join(blocks: Iterable[str]) -> str:
    text = "\n\n".join(b.strip("\n") for b in blocks if b.strip())
    return text + "\n" if text else ""
