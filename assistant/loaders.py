"""Read a document file into pages of raw text (pypdf for PDF, page by page)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError


@dataclass(frozen=True)
class Page:
    text: str
    number: int | None = None  # 1-based physical page; None for text files
    label: str | None = None  # printed page label, where the PDF defines one


def load_pages(path: Path, password: str | None = None) -> list[Page]:
    """Return the pages of a document; raise DocumentError with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        pages = [Page(text=_read_text(path))]
    elif suffix == ".pdf":
        pages = _read_pdf(path, password)
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


def _read_pdf(path: Path, password: str | None) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

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
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{name} : PDF corrompu ou illisible ({type(exc).__name__})") from None
