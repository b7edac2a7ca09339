"""Word (.docx) files read with python-docx: headings, paragraphs, list items, tables
row by row, text boxes, footnotes and endnotes (conventions in ``office.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DocumentError

if TYPE_CHECKING:
    from .loaders import Page

from .office import _MAX_COLUMNS, _heading, _notes_blocks, _table_rows


def read_docx(path: Path) -> list[Page]:
    """The text of a Word file as one Page (see the module's conventions).

    Call ``check_archive`` first (``loaders.load_pages`` does). Raises DocumentError.
    """
    from .loaders import Page

    try:
        import docx

        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document))
        blocks.extend(_notes_blocks(_docx_notes(document)))
    except MemoryError:
        raise  # the child process that parses reports it as such (safe_loading)
    except Exception as exc:  # any parser failure is the document's, reported in one line
        raise DocumentError(
            f"{path.name} : fichier Word (.docx) corrompu ou illisible ({type(exc).__name__})"
        ) from None
    return [Page(text="\n\n".join(blocks) + "\n" if blocks else "")]


def _docx_blocks(document: Any) -> Iterator[str]:
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_rows(_docx_rows(item))
            continue
        text = item.text.strip()
        boxes = _docx_text_boxes(item)
        if not text:
            yield from boxes
            continue
        level = _docx_heading_level(item)
        if level is not None:
            yield _heading(level, text)
        elif _docx_is_list_item(item):
            yield f"- {text}"
        else:
            yield text
        yield from boxes


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


_NOTE_PARTS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
)


def _w_paragraphs(element: Any) -> Iterator[str]:
    """The text of each ``w:p`` under ``element``, spaces squashed, empty ones left out."""
    for p in element.iter(f"{{{_W_NS}}}p"):
        text = " ".join("".join(t.text or "" for t in p.iter(f"{{{_W_NS}}}t")).split())
        if text:
            yield text


def _docx_text_boxes(paragraph: Any) -> list[str]:
    """The paragraphs of the text boxes anchored in a paragraph (a Word file holds each
    box twice, as a drawing and as its VML fallback: the fallback is left out)."""
    out: list[str] = []
    for box in paragraph._p.iter(f"{{{_W_NS}}}txbxContent"):
        if any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            continue
        out.extend(_w_paragraphs(box))
    return out


def _docx_notes(document: Any) -> list[tuple[str, str]]:
    """(number, text) of the footnotes, then the endnotes, numbered in order (as Word
    prints them); the separators Word stores among them are left out."""
    from docx.oxml import parse_xml  # python-docx's parser: no entities, no network

    notes: list[tuple[str, str]] = []
    for kind in _NOTE_PARTS:
        rel = next((r for r in document.part.rels.values() if r.reltype == kind), None)
        if rel is None or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        n = 0
        for note in root:
            if note.get(f"{{{_W_NS}}}type") not in (None, "normal"):
                continue
            text = " ".join(_w_paragraphs(note))
            if text:
                n += 1
                notes.append((str(n) if kind.endswith("footnotes") else f"fin {n}", text))
    return notes


def _docx_heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    name = (style.name or "").strip().lower() if style is not None else ""
    if name in ("title", "titre"):
        return 1
    # Word stores its built-in styles under their English names ("heading 1") whatever
    # the language of the interface; some producers write the French ones.
    m = re.fullmatch(r"(?:heading|titre)\s*(\d)", name)
    if m:
        return max(1, int(m[1]))
    # Otherwise an outline level (0-8; 9 is body text), on the paragraph or its styles.
    levels = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    while not levels and style is not None:
        levels = style.element.xpath("./w:pPr/w:outlineLvl/@w:val")
        style = style.base_style
    if levels and levels[0].isdigit() and int(levels[0]) < 9:
        return int(levels[0]) + 1
    return None


def _docx_is_list_item(paragraph: Any) -> bool:
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    return name.startswith(("list", "liste")) or bool(paragraph._p.xpath("./w:pPr/w:numPr"))


def _docx_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A cell merged across columns is returned once per column: keep its text
            # once, and the position, so that later values stay under their header.
            if id(cell._tc) in seen:
                cells.append("")
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append(cells[:_MAX_COLUMNS])
    return rows
