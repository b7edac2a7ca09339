"""Read Word (.docx, python-docx) and OpenDocument text (.odt, odfpy) files into pages.

Both formats have no reliable page breaks, so a document is one ``Page`` (``number`` None,
as a text file), written in the plain-text conventions the cleaner and the chunker read:

- a heading (a Word heading style or outline level, an ODT ``text:h``) becomes a
  Markdown heading line (``## Titre``), which ``chunking.heading_level`` turns into a
  section;
- a paragraph is followed by a blank line; a list item starts with ``- ``;
- a table is written one row per paragraph, each value with its column header
  (``En-tête A : valeur ; En-tête B : valeur.``), so one row can be found and cited alone;
- the text of a Word text box follows the paragraph that anchors it;
- footnotes and endnotes come last, under a heading ``## Notes``, each a paragraph
  ``Note 1 : texte`` (numbered as printed), so that a reference in a note can be cited;
- headers, footers, comments and deleted tracked changes are left out.

Files come from maintainers and from the admin's upload: ``check_archive`` refuses what is
not a zip of the right kind, and zip bombs, before any parser runs. Every failure is a
``DocumentError`` with a one-line French reason naming the file (reported and skipped at
indexing, like any unreadable document).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DocumentError
from .markup import labelled_row

if TYPE_CHECKING:
    from .extraction import Proposal
    from .loaders import Page

OFFICE_SUFFIXES = (".docx", ".odt")
# Parts may expand to this many times the upload cap, no more: a real document (XML
# compresses about 10×, images not at all) stays far below; a zip bomb does not.
EXPANSION_FACTOR = 20
MAX_PARTS = 10_000  # a Word or Writer file has a few dozen parts
# A row wider than this is a spreadsheet pasted into a note, not a table to cite cell by
# cell; ODT also declares thousands of repeated empty cells to fill a row.
_MAX_COLUMNS = 64

_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_KIND = {".docx": "Word (.docx)", ".odt": "OpenDocument (.odt)"}


def check_archive(path: Path, max_bytes: int) -> None:
    """Refuse a .docx/.odt that is not a zip of its format, or whose parts expand past
    ``EXPANSION_FACTOR`` × ``max_bytes`` (zip bomb). Nothing is decompressed but the small
    manifest part (``[Content_Types].xml`` or ``mimetype``).

    The sizes checked are those the zip declares: Python's ``zipfile`` (which python-docx
    and odfpy read through) never inflates a part past its declared size, so a lying
    header cannot slip a bigger part through. Raises DocumentError (one line, in French).
    """
    name, suffix = path.name, path.suffix.lower()
    kind = _KIND[suffix]
    not_kind = f"{name} : ce n'est pas un fichier {kind} valide"
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_PARTS:
                raise DocumentError(f"{name} : archive {kind} anormale ({len(infos)} parties)")
            total = sum(i.file_size for i in infos)
            cap = EXPANSION_FACTOR * max_bytes
            if total > cap:
                raise DocumentError(
                    f"{name} : archive {kind} refusée, son contenu décompressé ferait "
                    f"{total} octets (maximum {cap}) : bombe de décompression ?"
                )
            names = {i.filename for i in infos}
            if suffix == ".docx":
                if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                    raise DocumentError(f"{not_kind} (document Word absent de l'archive)")
                types = z.read("[Content_Types].xml")
                if _DOCX_MAIN.encode() not in types:
                    raise DocumentError(
                        f"{not_kind} (type de contenu inattendu : modèle, document à macros "
                        "ou autre format)"
                    )
            else:
                mimetype = z.read("mimetype").strip() if "mimetype" in names else b""
                if mimetype != _ODT_MIMETYPE or "content.xml" not in names:
                    raise DocumentError(
                        f"{not_kind} (type MIME « {mimetype.decode('ascii', 'replace')[:80]} » "
                        f"au lieu de « {_ODT_MIMETYPE.decode()} »)"
                    )
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise DocumentError(f"{not_kind} (archive zip illisible ou corrompue)") from None
    except OSError as exc:
        raise DocumentError(f"{name} : lecture impossible ({exc.strerror or exc})") from None


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


def read_properties(path: Path) -> dict[str, str]:
    """``{"title": …, "date": "AAAA-MM-JJ"}`` from a .docx's core properties
    (``docProps/core.xml``) or an .odt's ``meta.xml``, each key only when present; ``{}``
    for another format or an unreadable file (the proposal then relies on the text). The
    date is the creation date, the closest to the date the document was written.

    Only that small part is read, straight from the zip and without entities: the
    document itself is parsed in a child process under limits (``safe_loading``), never
    here. Call after ``check_archive``; raises nothing.
    """
    suffix = path.suffix.lower()
    if suffix not in OFFICE_SUFFIXES:
        return {}
    part = "docProps/core.xml" if suffix == ".docx" else "meta.xml"
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(part)
            if info.file_size > _MAX_PROPERTIES_BYTES:
                return {}
            data = z.read(info)
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except Exception:  # the properties are a convenience; the text is read elsewhere
        return {}
    title = _xml_text(root, "dc:title")
    if suffix == ".docx":
        raw = _xml_text(root, "dcterms:created") or _xml_text(root, "dcterms:modified")
    else:
        raw = _xml_text(root, "meta:creation-date") or _xml_text(root, "dc:date")
    found: dict[str, str] = {}
    if title and (title := " ".join(title.split())):
        found["title"] = title[:200]
    if date := _iso_date(raw):
        found["date"] = date.isoformat()
    return found


def apply_properties(proposal: Proposal, path: Path) -> None:
    """Put a .docx/.odt's own title and date into the metadata proposal, with a note
    saying where they come from (the maintainer confirms). A header block typed at the
    top of the text (``titre : …``) is more deliberate than the file's properties: its
    values are kept."""
    props = read_properties(path)
    from_header = proposal.body is not None
    for key, label in (("title", "titre"), ("date", "date")):
        value = props.get(key)
        if not value or (from_header and proposal.fields.get(key)):
            continue
        proposal.fields[key] = value
        proposal.notes.append(f"{label} lu dans les propriétés du fichier")


# --- Word ---------------------------------------------------------------------------


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


# --- OpenDocument ---------------------------------------------------------------------

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


def _notes_blocks(notes: Sequence[tuple[str, str]]) -> list[str]:
    if not notes:
        return []
    return [_heading(1, "Notes"), *(f"Note {n} : {text}" for n, text in notes)]


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


_PROPERTY_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_MAX_PROPERTIES_BYTES = 1 << 20  # a few hundred bytes in practice


def _xml_text(root: Any, name: str) -> str | None:
    for el in root.iterfind(f".//{name}", _PROPERTY_NS):
        return "".join(el.itertext()).strip() or None
    return None


def _iso_date(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


# --- Shared ---------------------------------------------------------------------------


def _heading(level: int, text: str) -> str:
    # Markdown headings go to level 6, the deepest the chunker reads.
    return f"{'#' * min(max(level, 1), 6)} {' '.join(text.split())}"


def _table_rows(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """One paragraph per row after the first, each value after its column header:
    "Structure : CSAPA Nord ; Places : 12." A row ends with a full stop: the answerer
    leaves out a short line without one as a title, and the cleaner would glue it to the
    next row if that one started in lower case."""
    rows = [list(r) for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    header = rows[0]
    if len(rows) == 1 or not any(header):
        # No header to repeat: the rows as they are, cells separated.
        for row in rows:
            yield _row(" ; ".join(c for c in row if c))
        return
    for row in rows[1:]:
        text = labelled_row(header, row)
        if text:
            yield _row(text)


def _row(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
