"""Read a document file into pages of raw text (pypdf for PDF, page by page)."""

from __future__ import annotations

import codecs
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DocumentError

if TYPE_CHECKING:
    from .markup import Converted

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".odt", ".html", ".htm")
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Page:
    text: str
    number: int | None = None  # 1-based physical page; None for text files
    label: str | None = None  # printed page label, where the PDF defines one


def default_max_bytes() -> int:
    """The size cap of a document file: ``ASSISTANT_MAX_UPLOAD_BYTES`` (20 MB by default)."""
    raw = {k.upper(): v for k, v in os.environ.items()}.get("ASSISTANT_MAX_UPLOAD_BYTES")
    return _max_bytes(raw)


@functools.lru_cache(maxsize=8)
def _max_bytes(raw: str | None) -> int:
    from .settings import Settings

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
    (``office.check_archive``); no NUL byte in a text, and, with ``utf8_only`` (uploads
    from a browser), UTF-8 text.

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
            decoder = codecs.getincrementaldecoder("utf-8-sig")() if utf8_only else None
            while block := f.read(_BLOCK):
                if b"\x00" in block:
                    raise DocumentError(f"{name} : fichier binaire, pas du texte (octet NUL)")
                if decoder is not None:
                    decoder.decode(block)
            if decoder is not None:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise DocumentError(f"{name} : le texte n'est pas en UTF-8") from None
    except OSError as exc:
        raise DocumentError(f"{name} : lecture impossible ({exc.strerror})") from None


def load_pages(path: Path, password: str | None = None, max_bytes: int | None = None) -> list[Page]:
    """Return the pages of a document; raise DocumentError with a one-line reason."""
    check_document(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        pages = [Page(text=_read_text(path))]
    elif suffix in (".md", ".html", ".htm"):
        pages = [Page(text=read_markup(path).text)]
    elif suffix == ".pdf":
        pages = _read_pdf(path, password)
    elif suffix in (".docx", ".odt"):
        from .office import read_docx, read_odt

        pages = read_docx(path) if suffix == ".docx" else read_odt(path)
    else:
        raise DocumentError(f"{path.name} : format non pris en charge ({suffix})")
    if not any(p.text.strip() for p in pages):
        if suffix == ".pdf":
            raise DocumentError(f"{path.name} : pas de couche texte (OCR non pris en charge)")
        raise DocumentError(f"{path.name} : document vide")
    return pages


def _read_text(path: Path) -> str:
    data = path.read_bytes()
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
    from .markup import HTML_SUFFIXES, Converted, html_to_text, markdown_to_text

    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return html_to_text(_read_text(path))
    if suffix == ".md":
        return markdown_to_text(_read_text(path))
    return Converted(text="")


def _read_pdf(path: Path, password: str | None) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

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
        for i, page in enumerate(reader.pages):
            label = labels[i] if i < len(labels) else None
            pages.append(
                Page(
                    text=page.extract_text() or "",
                    number=i + 1,
                    # pypdf gives "1", "2"… when the PDF defines no labels: keep only real ones.
                    label=label if label and label != str(i + 1) else None,
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
        raise DocumentError(f"{name} : PDF corrompu ou illisible ({type(exc).__name__})") from None
