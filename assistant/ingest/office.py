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

This module holds the archive check, the document properties and the writing conventions
both readers share; ``office_docx.py`` reads Word, ``office_odt.py`` OpenDocument.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DocumentError
from .markup_blocks import labelled_row

if TYPE_CHECKING:
    from .extraction import Proposal


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
    for key, label in (("title", "titre lu"), ("date", "date lue")):
        value = props.get(key)
        if not value or (from_header and proposal.fields.get(key)):
            continue
        proposal.fields[key] = value
        proposal.notes.append(f"{label} dans les propriétés du fichier")


def _notes_blocks(notes: Sequence[tuple[str, str]]) -> list[str]:
    if not notes:
        return []
    return [_heading(1, "Notes"), *(f"Note {n} : {text}" for n, text in notes)]


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
