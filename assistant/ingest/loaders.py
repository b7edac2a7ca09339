"""Read a document file into pages of raw text (pypdf for PDF, page by page; a PDF page
with no text but an image is read by OCR, ``assistant.ingest.ocr``)."""

from __future__ import annotations

import codecs
import contextlib
import functools
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DocumentError

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdf import PageObject

    from .markup_blocks import Converted
    from .ocr import OcrEngine

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".odt", ".html", ".htm")
# The formats of SUPPORTED_SUFFIXES as a reader names them (the admin's upload label):
# "TXT, MD, PDF, DOCX, ODT ou HTML" (.htm is HTML).
_NAMES = list(dict.fromkeys({"htm": "html"}.get(s[1:], s[1:]).upper() for s in SUPPORTED_SUFFIXES))
FORMAT_NAMES = ", ".join(_NAMES[:-1]) + " ou " + _NAMES[-1]
_BLOCK = 1 << 20
_HEAD = 4096  # where a text's byte order mark or an HTML page's charset is looked for
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf-16", "utf-32")
# <meta charset="windows-1252">, <meta http-equiv="Content-Type" content="text/html;
# charset=iso-8859-15">, <?xml version="1.0" encoding="ISO-8859-1"?>.
_DECLARED = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
# Wall time (seconds) that OCR may take in one document: the pages past it stay unread
# (image-only), so that a long scan ends within the reading's time-out (safe_loading).
OCR_BUDGET_S = 40.0


@dataclass(frozen=True)
class Page:
    text: str
    number: int | None = None  # 1-based physical page; None for text files
    label: str | None = None  # printed page label, where the PDF defines one
    ocr: bool = False  # text read by OCR from the page's image (a scanned page)
    # The first lines of ``text`` that make the document's title block (title, issuer,
    # date, reference: ``title_block.title_lines``), on a PDF's first page; 0 elsewhere.
    title_lines: int = 0


def default_max_bytes() -> int:
    """The size cap of a document file: ``ASSISTANT_MAX_UPLOAD_BYTES`` (20 MB by default)."""
    raw = {k.upper(): v for k, v in os.environ.items()}.get("ASSISTANT_MAX_UPLOAD_BYTES")
    return _max_bytes(raw)


@functools.lru_cache(maxsize=8)
def _max_bytes(raw: str | None) -> int:
    from ..settings import Settings

    return Settings().max_upload_bytes  # read and validated as every other setting


def check_size(path: Path, max_bytes: int | None = None) -> None:
    """Refuse a file larger than the cap, from its size alone (nothing is read)."""
    limit = default_max_bytes() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path.name} : lecture impossible ({exc.strerror})") from None
    if size > limit:
        raise DocumentError(f"{path.name} : fichier trop gros ({size} octets, maximum {limit})")


def check_document(path: Path, max_bytes: int | None = None, *, utf8_only: bool = False) -> None:
    """The rules a document file meets however it comes in (the admin's upload,
    ``corpus add``, indexing): a supported format; at most ``max_bytes``
    (``ASSISTANT_MAX_UPLOAD_BYTES`` by default); a PDF header for a PDF; for a .docx or
    .odt, a zip of that format that expands to at most 20 × ``max_bytes``
    (``office.check_archive``); no NUL byte in a text (but in UTF-16 or UTF-32 with a
    byte order mark); a text decodable with the encoding its BOM or, for an HTML page,
    its ``<meta charset>`` declares (``text_encoding``), and, with ``utf8_only``
    (uploads from a browser), UTF-8 text when it declares none.

    Raises DocumentError with a one-line reason naming the file.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{name} : format non pris en charge ({suffix or 'sans extension'} ; "
            f"formats admis : {', '.join(SUPPORTED_SUFFIXES)})"
        )
    check_size(path, max_bytes)
    if suffix in (".docx", ".odt"):
        from .office import check_archive

        # A zip of the right kind, and no zip bomb, before any parser opens it.
        check_archive(path, default_max_bytes() if max_bytes is None else max_bytes)
        return
    encoding: str | None = None
    try:
        with path.open("rb") as f:
            if suffix == ".pdf":
                # The specification lets the header start within the first 1024 bytes.
                if b"%PDF-" not in f.read(1024):
                    raise DocumentError(
                        f"{name} : ce n'est pas un PDF (en-tête %PDF- absent : fichier "
                        "corrompu ou d'un autre format)"
                    )
                return
            head = f.read(_HEAD)
            f.seek(0)
            declared = text_encoding(head, html=suffix in (".html", ".htm"))
            wide = declared in _WIDE  # UTF-16/32 text holds NUL bytes
            # Checked: UTF-16/32 always; for an upload, what the text declares, else
            # UTF-8. Elsewhere a wrong declaration is read by the fallbacks (_read_text).
            if wide or utf8_only:
                encoding = declared or "utf-8-sig"
            decoder = codecs.getincrementaldecoder(encoding)() if encoding else None
            while block := f.read(_BLOCK):
                if not wide and b"\x00" in block:
                    raise DocumentError(f"{name} : fichier binaire, pas du texte (octet NUL)")
                if decoder is not None:
                    decoder.decode(block)
            if decoder is not None:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if encoding in (None, "utf-8-sig"):
            raise DocumentError(f"{name} : le texte n'est pas en UTF-8") from None
        raise DocumentError(
            f"{name} : encodage non pris en charge (le texte n'est pas en {encoding})"
        ) from None
    except OSError as exc:
        raise DocumentError(f"{name} : lecture impossible ({exc.strerror})") from None


def load_pages(
    path: Path,
    password: str | None = None,
    max_bytes: int | None = None,
    ocr: OcrEngine | None = None,
) -> list[Page]:
    """Return the pages of a document; raise DocumentError with a one-line reason.

    A PDF page without text but with an image (a scan) is read by ``ocr``, by default
    ``ocr.default_engine()`` (Tesseract, when installed), and flagged ``Page.ocr``;
    without an engine it stays empty (an image-only page).
    """
    check_document(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        pages = [Page(text=_read_text(path))]
    elif suffix in (".md", ".html", ".htm"):
        pages = [Page(text=read_markup(path).text)]
    elif suffix == ".pdf":
        pages = _read_pdf(path, password, ocr)
    elif suffix in (".docx", ".odt"):
        from .office_docx import read_docx
        from .office_odt import read_odt

        pages = read_docx(path) if suffix == ".docx" else read_odt(path)
    else:
        raise DocumentError(f"{path.name} : format non pris en charge ({suffix})")
    if not any(p.text.strip() for p in pages):
        if suffix == ".pdf":
            from .ocr import default_engine

            if ocr is None and default_engine() is None:
                raise DocumentError(
                    f"{path.name} : pas de couche texte (scan) ; OCR indisponible : "
                    "installer les paquets tesseract-ocr et tesseract-ocr-fra"
                )
            raise DocumentError(f"{path.name} : pas de couche texte, et l'OCR n'y lit aucun texte")
        raise DocumentError(f"{path.name} : document vide")
    return pages


def text_encoding(head: bytes, html: bool = False) -> str | None:
    """The encoding a text declares in its first bytes ``head``: its byte order mark
    (UTF-8, UTF-16, UTF-32), or, for an HTML page (``html``), its ``<meta charset>``,
    its ``http-equiv`` content type or its XML declaration, as a Python codec name
    ("iso-8859-1" and "us-ascii" read as "cp1252", as browsers do). None when it
    declares none, or an encoding Python does not know."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if not html:
        return None
    m = _DECLARED.search(head[:_HEAD])
    if m is None:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    if codec in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        return "utf-8-sig" if codec == "utf-8" else None  # UTF-16 needs a BOM
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _read_text(path: Path, html: bool = False) -> str:
    data = path.read_bytes()
    encoding = text_encoding(data[:_HEAD], html=html)
    if encoding is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older French texts are often Windows-1252.
        return data.decode("cp1252", errors="replace")


def read_markup(path: Path) -> Converted:
    """A Markdown or HTML file as text, with the metadata its markup declares (front
    matter, the page's title and date); ``meta`` is empty for any other format.

    The file must have passed ``check_document``; raises nothing of its own.
    """
    from .markup import HTML_SUFFIXES, markdown_to_text
    from .markup_blocks import Converted
    from .markup_html import html_to_text

    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return html_to_text(_read_text(path, html=True))
    if suffix == ".md":
        return markdown_to_text(_read_text(path))
    return Converted(text="")


_PYPDF_LOG = logging.getLogger("pypdf")
_quiet_lock = threading.Lock()
_quiet_users = 0
_quiet_saved = logging.NOTSET


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's own log lines (« EOF marker not found »…) while a PDF is read:
    what goes wrong is said once, by our one-line French error. Safe across threads:
    the level is restored when the last reader is done."""
    global _quiet_users, _quiet_saved
    with _quiet_lock:
        if _quiet_users == 0:
            _quiet_saved = _PYPDF_LOG.level
            _PYPDF_LOG.setLevel(logging.CRITICAL + 1)
        _quiet_users += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_users -= 1
            if _quiet_users == 0:
                _PYPDF_LOG.setLevel(_quiet_saved)


def _read_pdf(path: Path, password: str | None, engine: OcrEngine | None = None) -> list[Page]:
    with quiet_pypdf():
        return _read_pdf_pages(path, password, engine)


def _read_pdf_pages(path: Path, password: str | None, engine: OcrEngine | None) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    from .title_block import text_and_sizes, title_lines

    name = path.name
    try:
        reader = PdfReader(path)
        # An empty user password is common; try it before giving up.
        if reader.is_encrypted and reader.decrypt(password or "") == 0:
            raise DocumentError(
                f"{name} : PDF chiffré (mot de passe requis)"
                if not password
                else f"{name} : PDF chiffré, mot de passe incorrect"
            )
        labels = list(reader.page_labels)
        pages: list[Page] = []
        ocr = _PageOcr(engine)
        for i, page in enumerate(reader.pages):
            label = labels[i] if i < len(labels) else None
            title = 0
            if i == 0:  # the title block is read from the type sizes of the first page
                text, sizes = text_and_sizes(page)
                title = title_lines(text, sizes)
            else:
                text = page.extract_text() or ""
            scanned = False
            if not text.strip():
                text = ocr.read(page)
                scanned = bool(text.strip())
            pages.append(
                Page(
                    text=text,
                    number=i + 1,
                    # pypdf gives "1", "2"… when the PDF defines no labels: keep only real ones.
                    label=label if label and label != str(i + 1) else None,
                    ocr=scanned,
                    title_lines=0 if scanned else title,
                )
            )
        return pages
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError(f"{name} : PDF chiffré (mot de passe requis)") from None
    except DependencyError:
        # AES needs the ``cryptography`` package (a dependency): say so, not "illisible".
        raise DocumentError(
            f"{name} : PDF chiffré en AES, illisible sans le paquet « cryptography » (à installer)"
        ) from None
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as exc:
        # pypdf's exception class means nothing to a maintainer: it goes to the log only.
        logging.getLogger(__name__).debug("%s : %r", name, exc)
        raise DocumentError(f"{name} : PDF corrompu ou illisible") from None


class _PageOcr:
    """OCR of a document's image-only pages, the engine found on first need, within
    ``OCR_BUDGET_S`` for the whole document."""

    def __init__(self, engine: OcrEngine | None) -> None:
        self.engine = engine
        self.looked_up = engine is not None
        self.deadline: float | None = None

    def read(self, page: PageObject) -> str:
        """The page's text read from its images ("" without images, engine or time)."""
        images = page_images(page)
        if not images:
            return ""
        if not self.looked_up:
            from .ocr import default_engine

            self.engine, self.looked_up = default_engine(), True
        if self.engine is None:
            return ""
        if self.deadline is None:
            self.deadline = time.monotonic() + OCR_BUDGET_S
        from .ocr import OcrError, prepare, tidy

        parts = []
        for image, dpi in images:
            if time.monotonic() > self.deadline:
                break
            try:
                parts.append(tidy(self.engine.read(prepare(image, dpi))))
            except OcrError:
                continue
        return "\n\n".join(p for p in parts if p)


def page_images(page: PageObject) -> list[tuple[Image, float | None]]:
    """The images of a PDF page large enough to be a scan (``ocr.MIN_PIXELS``), each
    with its resolution on the page in dots per inch (None when unknown), in the order
    the page draws them. An image pypdf cannot decode is skipped."""
    from .ocr import MIN_PIXELS

    found: list[tuple[Image, float | None]] = []
    try:
        files = list(page.images)
    except Exception:  # a damaged or unsupported image dictionary: no image read
        return []
    width_in = float(page.mediabox.width) / 72 if page.mediabox.width else 0.0
    for f in files:
        try:
            image = f.image
        except Exception:  # JBIG2 without its decoder, broken streams
            continue
        if image is None or image.width * image.height < MIN_PIXELS:
            continue
        # A scan fills the page's width: its pixels per inch of page.
        dpi = image.width / width_in if width_in else None
        found.append((image, dpi))
    return found
