"""What maintainers do to the corpus: add a document with its metadata, list, show,
remove. The CLI and the UI's admin tab call these; each keeps the index in sync."""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import tomlkit

from .errors import CorpusError
from .ingest.corpus import (
    DOC_TYPES,
    META_SUFFIX,
    SUPPORTED_SUFFIXES,
    CorpusEntry,
    DocMeta,
    discover,
)
from .ingest.extraction import Proposal, propose, type_from_title
from .ingest.loaders import Page, read_markup
from .ingest.markup import HTML_SUFFIXES, MARKDOWN_SUFFIXES
from .ingest.office import apply_properties
from .ingest.safe_loading import Limits, load_pages_isolated
from .search.indexing import SyncReport
from .search.prepare import pipeline_version
from .service import Assistant

MARKUP_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES


@dataclass
class Draft:
    """A document about to be added: where it will go, what was read, what is proposed."""

    source: Path
    doc_id: str
    pages: list[Page]
    proposal: Proposal
    meta: dict[str, Any]  # proposal overridden by what the maintainer gave


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s[:80] or "document"


def check_id(doc_id: str) -> str:
    """A document id given by hand must be a slug: it names files inside the corpus, so
    ``../x``, ``/tmp/x`` or ``a/b`` would write elsewhere."""
    if doc_id != slug(doc_id):
        raise CorpusError(
            f"identifiant invalide « {doc_id} » : minuscules sans accent, chiffres et tirets "
            f"seulement, 80 caractères au plus (par exemple « {slug(doc_id)} »)"
        )
    return doc_id


def prepare_add(
    source: Path,
    overrides: Mapping[str, Any],
    corpus_dir: Path,
    doc_id: str | None = None,
    password: str | None = None,
    limits: Limits | None = None,
    max_bytes: int | None = None,
) -> Draft:
    """Read an incoming file safely and propose its metadata; nothing is written yet.

    The file passes ``loaders.check_document`` (format, size cap ``max_bytes``, by
    default ``ASSISTANT_MAX_UPLOAD_BYTES``, no NUL byte in a text) before it is parsed.
    """
    ident = check_id(doc_id) if doc_id is not None else slug(source.stem)
    if source.is_dir():
        raise CorpusError(
            f"{source} est un dossier : donnez un fichier (ou copiez les fichiers dans "
            "le dossier du corpus puis lancez « assistant index »)"
        )
    if not source.is_file():
        raise CorpusError(f"fichier introuvable : {source}")
    if source.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise CorpusError(
            f"{source.name} : format non pris en charge (formats admis : "
            f"{', '.join(SUPPORTED_SUFFIXES)})"
        )
    # load_pages_isolated checks the file first (check_document), before any parsing.
    pages = load_pages_isolated(source, password=password, limits=limits, max_bytes=max_bytes)
    # A front matter or a page's metadata is read from the file itself: the pages hold
    # only the text.
    declared = read_markup(source).meta if source.suffix.lower() in MARKUP_SUFFIXES else None
    proposal = propose("\n".join(p.text for p in pages), declared)
    apply_properties(proposal, source)  # a .docx/.odt's own title and date
    # The type a title names (« Guide … »), for a .docx/.odt's own title too.
    if not proposal.fields.get("type") and (
        kind := type_from_title(proposal.fields.get("title", ""))
    ):
        proposal.fields["type"] = kind
    meta: dict[str, Any] = dict(proposal.fields)
    meta.pop("source", None)
    meta["source"] = proposal.fields.get("source") or source.name
    meta.update({k: v for k, v in overrides.items() if v not in (None, "")})
    if (corpus_dir / f"{ident}{source.suffix.lower()}").exists() or any(
        corpus_dir.glob(f"{ident}.*")
    ):
        raise CorpusError(
            f"un document « {ident} » existe déjà dans le corpus (--id pour un autre)"
        )
    return Draft(source, ident, pages, proposal, meta)


def validate(meta: Mapping[str, Any], name: str | None = None, *, fix: str = "--type") -> DocMeta:
    """Validate metadata given on the command line or in the admin form.

    ``name`` is the document's file name, for the message; by default the ``source`` of
    ``meta`` when it is a file name (``prepare_add`` sets it so). Raises CorpusError in
    one line; a type that could not be guessed names the file and ``fix``, the way to
    give it (the CLI's ``--type`` option by default).
    """
    from pydantic import ValidationError

    if name is None:
        source = str(meta.get("source") or "")
        name = source if source and Path(source).name == source else None
    if not meta.get("type") and meta.get("title"):
        # The only field a proposal cannot always guess: say which file, and the fix.
        raise CorpusError(
            f"{name or 'document'} : type de document non deviné ; précisez-le avec {fix} "
            f"(types admis : {', '.join(DOC_TYPES)})"
        )
    try:
        return DocMeta.model_validate(dict(meta))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        msg = "champ obligatoire manquant" if err["type"] == "missing" else err["msg"]
        raise CorpusError(f"champ « {field} » : {msg.removeprefix('Value error, ')}") from None


def sidecar_text(meta: DocMeta) -> str:
    """The sidecar of ``meta``, written by a TOML library and checked to read back as
    the same metadata: nothing a maintainer types can break or inject into the TOML."""
    data: dict[str, Any] = {}
    for key, value in meta.model_dump(exclude_defaults=True).items():
        data[key] = value.value if isinstance(value, Enum) else value
    # Status is written even when it is the default: maintainers look for it.
    data.setdefault("status", meta.status.value)
    text = tomlkit.dumps(data)
    try:
        same = DocMeta.model_validate(tomllib.loads(text)) == meta
    except (tomllib.TOMLDecodeError, ValueError):
        same = False
    if not same:
        raise CorpusError("métadonnées impossibles à écrire telles quelles (caractères spéciaux ?)")
    return text


def write_sidecar(path: Path, meta: DocMeta) -> None:
    path.write_text(sidecar_text(meta), encoding="utf-8")


def commit_add(draft: Draft, corpus_dir: Path) -> CorpusEntry:
    """Copy the document (without its header block, kept in the metadata) and its sidecar.

    Everything is validated before the first byte is written; both files are written
    under hidden temporary names, then renamed, and removed again if anything fails: the
    corpus never keeps half an addition.
    """
    # Reached with a missing type from the admin form or ``add``, not from the CLI
    # (which validates first): name the form's field rather than an option.
    meta = validate(draft.meta, draft.source.name, fix="le champ « type »")
    text = sidecar_text(meta)
    ident = check_id(draft.doc_id)
    dest = corpus_dir / f"{ident}{draft.source.suffix.lower()}"
    meta_path = corpus_dir / f"{ident}{META_SUFFIX}"
    if dest.exists() or meta_path.exists():
        raise CorpusError(
            f"un document « {ident} » existe déjà dans le corpus (--id pour un autre)"
        )
    # Hidden names: discovery skips them, even if the process dies before the cleanup.
    tmp = corpus_dir / f".{dest.name}.part"
    tmp_meta = corpus_dir / f".{meta_path.name}.part"
    placed: list[Path] = []
    try:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        # Only a text file is rewritten without its header block; any other format is
        # copied as is (writing text into a .pdf, .docx or .odt would corrupt it).
        if draft.proposal.body is not None and dest.suffix in (".txt", ".md"):
            tmp.write_text(draft.proposal.body, encoding="utf-8")
        else:
            shutil.copyfile(draft.source, tmp)
        tmp_meta.write_text(text, encoding="utf-8")
        tmp_meta.replace(meta_path)
        placed.append(meta_path)
        tmp.replace(dest)  # the document appears whole, after its metadata
        placed.append(dest)
    except BaseException as exc:
        for path in (tmp, tmp_meta, *placed):
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CorpusError(
                f"{dest.name} : écriture impossible dans le corpus ({exc.strerror or exc})"
            ) from None
        raise
    return CorpusEntry(ident, dest, meta_path, meta)


def add(
    assistant: Assistant,
    source: Path,
    overrides: Mapping[str, Any],
    doc_id: str | None = None,
    password: str | None = None,
) -> tuple[CorpusEntry, SyncReport]:
    """Add a document and index it (non-interactive: the proposal plus the overrides)."""
    corpus_dir = assistant.settings.corpus_dir
    draft = prepare_add(
        source,
        overrides,
        corpus_dir,
        doc_id,
        password,
        max_bytes=assistant.settings.max_upload_bytes,
    )
    entry = commit_add(draft, corpus_dir)
    return entry, assistant.sync()


def remove(assistant: Assistant, doc_id: str) -> SyncReport:
    """Remove a document from the index, then its files from the corpus, then sync.

    The index goes first: if the process dies before the files are deleted, the next
    sync indexes the document again, nothing is half removed. Removing the last document
    is allowed: an empty corpus is a valid state after an explicit removal (``sync``
    alone still refuses to empty the index when the folder looks empty). A document whose
    files are already gone but which is still indexed (an earlier removal cut short) is
    removed from the index.
    """
    found = discover(assistant.settings.corpus_dir)
    entry = next((e for e in found.entries if e.doc_id == doc_id), None)
    chunk_ids = assistant.store.chunk_ids_of(doc_id)
    if entry is None and not chunk_ids:
        raise CorpusError(f"aucun document « {doc_id} » dans le corpus")
    assistant.store.delete(chunk_ids)
    assistant.store.delete_units(assistant.store.unit_ids_of(doc_id))  # any left over
    if entry is not None:
        try:
            entry.path.unlink(missing_ok=True)
            entry.meta_path.unlink(missing_ok=True)
        except OSError as exc:
            raise CorpusError(
                f"{entry.path.name} : suppression impossible ({exc.strerror or exc}) ; "
                "le document est retiré de l'index, il y reviendra à la prochaine "
                "indexation"
            ) from None
    report = assistant.sync()
    if doc_id not in report.removed:
        report.removed.append(doc_id)
    return report


def find(assistant: Assistant, doc_id: str) -> CorpusEntry:
    found = discover(assistant.settings.corpus_dir)
    for e in found.entries:
        if e.doc_id == doc_id:
            return e
    raise CorpusError(f"aucun document « {doc_id} » dans le corpus")


@dataclass
class Row:
    doc_id: str
    title: str
    type: str
    date: str
    status: str
    pages: int | None
    chunks: int
    indexed: bool
    current: bool
    problem: str = ""
    blank_pages: str = ""  # PDF pages without text (images, scans): "2, 3"
    ocr_pages: str = ""  # PDF pages read by OCR (scans): "1, 2"


def ocr_hint() -> str | None:
    """The one-line French warning that scanned pages need Tesseract, when it is not
    installed (``ocr.MISSING_MESSAGE``); None when scans are read."""
    from .ingest.ocr import MISSING_MESSAGE, default_engine

    return None if default_engine() is not None else MISSING_MESSAGE


def status_rows(assistant: Assistant) -> list[Row]:
    """One row per document of the folder, and per indexed document no longer there."""
    found = discover(assistant.settings.corpus_dir)
    stored: dict[str, dict[str, Any]] = {}
    for m in assistant.store.metadatas():
        d = stored.setdefault(str(m["doc_id"]), {"chunks": 0, "pages": set(), "ocr": set()})
        d["chunks"] += 1
        # The page count of the PDF (``doc_pages``; indexes written before it only have
        # the pages that passages lie on, which misses pages without text at the end).
        for key in ("page", "page_end", "doc_pages"):
            if m.get(key):
                d["pages"].add(int(m[key]))
        if m.get("blank_pages"):
            d["blank_pages"] = str(m["blank_pages"])
        if m.get("ocr"):  # a passage read by OCR: its pages are scans
            d["ocr"].update(int(m[k]) for k in ("page", "page_end") if m.get(k))
    hashes = assistant.store.doc_hashes()
    version = pipeline_version(assistant.indexer.max_chars)
    rows = []
    for e in found.entries:
        s = stored.get(e.doc_id)
        rows.append(
            Row(
                e.doc_id,
                e.meta.title,
                e.meta.type,
                e.meta.date.isoformat() if e.meta.date else "",
                e.meta.status.value,
                (max(s["pages"]) if s and s["pages"] else None)
                if e.path.suffix == ".pdf"
                else None,
                s["chunks"] if s else 0,
                s is not None,
                # doc_hashes, not the raw hashes: a version cut short is not up to date.
                hashes.get(e.doc_id) == {e.content_hash(version)},
                blank_pages=str(s.get("blank_pages", "")) if s else "",
                ocr_pages=", ".join(map(str, sorted(s["ocr"]))) if s else "",
            )
        )
    listed = {r.doc_id for r in rows}
    for name, why in found.problems:
        stem = Path(name).stem
        s = stored.get(stem)
        rows.append(
            Row(stem, "", "", "", "", None, s["chunks"] if s else 0, s is not None, False, why)
        )
        listed.add(stem)
    for doc_id, s in stored.items():
        if doc_id not in listed:
            rows.append(
                Row(
                    doc_id,
                    "",
                    "",
                    "",
                    "",
                    None,
                    s["chunks"],
                    True,
                    False,
                    "absent du corpus (supprimé à la prochaine synchronisation)",
                )
            )
    return rows


def show(assistant: Assistant, doc_id: str) -> dict[str, Any]:
    """Metadata, sections and chunks (with pages) of one document."""
    entry = find(assistant, doc_id)
    res = assistant.store.collection.get(
        where={"doc_id": doc_id}, include=["metadatas", "documents"]
    )
    chunks = sorted(
        zip(res["metadatas"], res["documents"], strict=True),
        key=lambda t: int(t[0].get("chunk_index", 0)),
    )
    sections = list(dict.fromkeys(str(m.get("section", "")) for m, _ in chunks if m.get("section")))
    return {
        "doc_id": doc_id,
        "file": entry.path.name,
        "metadata": entry.meta.model_dump(mode="json"),
        "sections": sections,
        "chunks": [
            {
                "chunk_id": m["chunk_id"],
                "page": m.get("page") or None,
                "page_label": m.get("page_label") or None,
                # Absent from indexes written before page ranges: one page.
                "page_end": m.get("page_end") or None,
                "page_end_label": m.get("page_end_label") or None,
                "section": m.get("section", ""),
                "text": d,
            }
            for m, d in chunks
        ],
    }
