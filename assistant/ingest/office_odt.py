"""OpenDocument text (.odt) files read with odfpy: titles, paragraphs, lists, tables row
by row, notes (conventions in ``office.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DocumentError

if TYPE_CHECKING:
    from .loaders import Page

from .office import _MAX_COLUMNS, _heading, _notes_blocks, _table_rows


def read_odt(path: Path) -> list[Page]:
    """The text of an OpenDocument text file as one Page (see the module's conventions).

    Call ``check_archive`` first (``loaders.load_pages`` does). Raises DocumentError.
    """
    from .loaders import Page

    try:
        from odf.opendocument import load

        document = load(str(path))
        titled = _odt_title_styles(document)
        blocks = list(_odt_blocks(document.text, titled))
        blocks.extend(_notes_blocks(_odt_notes(document.text)))
    except MemoryError:
        raise  # the child process that parses reports it as such (safe_loading)
    except Exception as exc:  # any parser failure is the document's, reported in one line
        raise DocumentError(
            f"{path.name} : fichier OpenDocument (.odt) corrompu ou illisible "
            f"({type(exc).__name__})"
        ) from None
    return [Page(text="\n\n".join(blocks) + "\n" if blocks else "")]


_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


# Not the document's running text: footnotes, comments, the deleted text of tracked
# changes, the index and table of contents (a copy of the headings).
_SKIPPED = {
    (_TEXT_NS, "note"),
    (_OFFICE_NS, "annotation"),
    (_TEXT_NS, "tracked-changes"),
    (_TEXT_NS, "table-of-content"),
    (_TEXT_NS, "alphabetical-index"),
    (_TEXT_NS, "bibliography"),
}


def _odt_title_styles(document: Any) -> set[str]:
    """The paragraph styles that derive from "Title" (LibreOffice writes the document
    title as a ``text:p`` in that style, or an automatic style based on it)."""
    parents: dict[str, str] = {}
    for styles in (document.styles, document.automaticstyles):
        for el in styles.childNodes:
            if getattr(el, "qname", None) == (_STYLE_NS, "style"):
                parents[str(el.getAttrNS(_STYLE_NS, "name"))] = str(
                    el.getAttrNS(_STYLE_NS, "parent-style-name") or ""
                )
    titled: set[str] = set()
    for name in parents:
        seen, current = set(), name
        while current and current not in seen:
            if current == "Title":
                titled.add(name)
                break
            seen.add(current)
            current = parents.get(current, "")
    return titled


def _odt_blocks(element: Any, titled: set[str]) -> Iterator[str]:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None or qname in _SKIPPED:
            continue
        if qname == (_TEXT_NS, "h"):
            text = " ".join(_odt_text(child).split())
            raw = child.getAttrNS(_TEXT_NS, "outline-level")
            level = int(raw) if raw and str(raw).isdigit() else 1
            if text:
                yield _heading(level, text)
        elif qname == (_TEXT_NS, "p"):
            text = _odt_text(child).strip()
            if not text:
                continue
            if child.getAttrNS(_TEXT_NS, "style-name") in titled:
                yield _heading(1, " ".join(text.split()))
            else:
                yield text
        elif qname == (_TEXT_NS, "list-item"):
            for block in _odt_blocks(child, titled):
                yield block if block.startswith(("#", "- ")) else f"- {block}"
        elif qname == (_TABLE_NS, "table"):
            yield from _table_rows(_odt_rows(child))
        else:
            # Lists, sections, frames: containers of paragraphs.
            yield from _odt_blocks(child, titled)


def _odt_notes(element: Any) -> list[tuple[str, str]]:
    """(number as printed, text) of the footnotes and endnotes, in document order."""
    notes: list[tuple[str, str]] = []
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        if qname == (_TEXT_NS, "note"):
            number, body = "", ""
            for part in child.childNodes:
                part_name = getattr(part, "qname", None)
                if part_name == (_TEXT_NS, "note-citation"):
                    number = " ".join(_odt_text(part).split())
                elif part_name == (_TEXT_NS, "note-body"):
                    body = " ".join(_odt_text_blocks(part).split())
            if body:
                notes.append((number or str(len(notes) + 1), body))
        elif qname not in _SKIPPED:
            notes.extend(_odt_notes(child))
    return notes


def _odt_text(element: Any) -> str:
    parts: list[str] = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
            continue
        qname = getattr(child, "qname", None)
        if qname in _SKIPPED:
            continue
        if qname == (_TEXT_NS, "s"):
            raw = child.getAttrNS(_TEXT_NS, "c")
            parts.append(" " * min(int(raw) if raw and str(raw).isdigit() else 1, 100))
        elif qname == (_TEXT_NS, "tab"):
            parts.append(" ")
        elif qname == (_TEXT_NS, "line-break"):
            parts.append("\n")
        else:
            parts.append(_odt_text(child))
    return "".join(parts)


def _odt_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in _odt_descendants(table, (_TABLE_NS, "table-row")):
        cells: list[str] = []
        for cell in row.childNodes:
            qname = getattr(cell, "qname", None)
            if qname not in ((_TABLE_NS, "table-cell"), (_TABLE_NS, "covered-table-cell")):
                continue
            if qname == (_TABLE_NS, "covered-table-cell"):
                # The hidden part of a merged cell: its text is in the first one; the
                # position is kept so that later values stay under their header.
                cells.append("")
                continue
            raw = cell.getAttrNS(_TABLE_NS, "number-columns-repeated")
            repeat = int(raw) if raw and str(raw).isdigit() else 1
            text = " ".join(_odt_text_blocks(cell).split())
            cells.extend([text] * min(repeat, _MAX_COLUMNS - len(cells)))
            if len(cells) >= _MAX_COLUMNS:
                break
        rows.append(cells)
    return rows


def _odt_text_blocks(cell: Any) -> str:
    return " ".join(_odt_text(p) for p in cell.childNodes if getattr(p, "qname", None))


def _odt_descendants(element: Any, qname: tuple[str, str]) -> Iterator[Any]:
    """The rows of this table (in header rows, row groups…), not those of nested tables."""
    for child in element.childNodes:
        q = getattr(child, "qname", None)
        if q == qname:
            yield child
        elif q is not None and q != (_TABLE_NS, "table"):
            yield from _odt_descendants(child, qname)
