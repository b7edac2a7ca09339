"""What maintainers do to the corpus: add a document with its metadata, list, show,
remove. The CLI and the UI's admin tab call these; each keeps the index in sync."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import META_SUFFIX, SUPPORTED_SUFFIXES, CorpusEntry, DocMeta, discover
from .errors import CorpusError
from .extraction import Proposal, propose
from .indexing import SyncReport, pipeline_version
from .loaders import Page
from .safe_loading import Limits, load_pages_isolated
from .service import Assistant


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


def prepare_add(
    source: Path,
    overrides: Mapping[str, Any],
    corpus_dir: Path,
    doc_id: str | None = None,
    password: str | None = None,
    limits: Limits | None = None,
) -> Draft:
    """Read an incoming file safely and propose its metadata; nothing is written yet."""
    if not source.is_file():
        raise CorpusError(f"fichier introuvable : {source}")
    if source.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise CorpusError(
            f"{source.name} : format non pris en charge (formats admis : "
            f"{', '.join(SUPPORTED_SUFFIXES)})"
        )
    pages = load_pages_isolated(source, password=password, limits=limits)
    proposal = propose("\n".join(p.text for p in pages))
    meta: dict[str, Any] = dict(proposal.fields)
    meta.pop("source", None)
    meta["source"] = proposal.fields.get("source") or source.name
    meta.update({k: v for k, v in overrides.items() if v not in (None, "")})
    ident = doc_id or slug(source.stem)
    if (corpus_dir / f"{ident}{source.suffix.lower()}").exists() or any(
        corpus_dir.glob(f"{ident}.*")
    ):
        raise CorpusError(
            f"un document « {ident} » existe déjà dans le corpus (--id pour un autre)"
        )
    return Draft(source, ident, pages, proposal, meta)


def validate(meta: Mapping[str, Any]) -> DocMeta:
    """Validate metadata given on the command line or in the admin form."""
    from pydantic import ValidationError

    try:
        return DocMeta.model_validate(dict(meta))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        msg = "champ obligatoire manquant" if err["type"] == "missing" else err["msg"]
        raise CorpusError(f"champ « {field} » : {msg.removeprefix('Value error, ')}") from None


def write_sidecar(path: Path, meta: DocMeta) -> None:
    lines = []
    for key, value in meta.model_dump(exclude_defaults=True).items():
        if hasattr(value, "value"):  # enums
            value = value.value
        if isinstance(value, str):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{escaped}"')
        elif isinstance(value, dt.date):
            lines.append(f"{key} = {value.isoformat()}")
        else:
            lines.append(f"{key} = {value}")
    # Status is written even when it is the default: maintainers look for it.
    if not any(line.startswith("status ") for line in lines):
        lines.append(f'status = "{meta.status.value}"')
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a sidecar that would not read back
    path.write_text(text, encoding="utf-8")


def commit_add(draft: Draft, corpus_dir: Path) -> CorpusEntry:
    """Copy the document (without its header block, kept in the metadata) and its sidecar."""
    meta = validate(draft.meta)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    dest = corpus_dir / f"{draft.doc_id}{draft.source.suffix.lower()}"
    meta_path = corpus_dir / f"{draft.doc_id}{META_SUFFIX}"
    tmp = dest.with_name(dest.name + ".part")
    if draft.proposal.body is not None and dest.suffix != ".pdf":
        tmp.write_text(draft.proposal.body, encoding="utf-8")
    else:
        shutil.copyfile(draft.source, tmp)
    write_sidecar(meta_path, meta)
    tmp.replace(dest)  # the document appears whole, after its metadata
    return CorpusEntry(draft.doc_id, dest, meta_path, meta)


def add(
    assistant: Assistant,
    source: Path,
    overrides: Mapping[str, Any],
    doc_id: str | None = None,
    password: str | None = None,
) -> tuple[CorpusEntry, SyncReport]:
    """Add a document and index it (non-interactive: the proposal plus the overrides)."""
    corpus_dir = assistant.settings.corpus_dir
    draft = prepare_add(source, overrides, corpus_dir, doc_id, password)
    entry = commit_add(draft, corpus_dir)
    return entry, assistant.sync()


def remove(assistant: Assistant, doc_id: str) -> SyncReport:
    entry = find(assistant, doc_id)
    entry.path.unlink()
    entry.meta_path.unlink()
    return assistant.sync()


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


def status_rows(assistant: Assistant) -> list[Row]:
    """One row per document of the folder, and per indexed document no longer there."""
    found = discover(assistant.settings.corpus_dir)
    stored: dict[str, dict[str, Any]] = {}
    for m in assistant.store.metadatas():
        d = stored.setdefault(str(m["doc_id"]), {"hashes": set(), "chunks": 0, "pages": set()})
        d["hashes"].add(m["content_hash"])
        d["chunks"] += 1
        if m.get("page"):
            d["pages"].add(m["page"])
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
                s is not None and s["hashes"] == {e.content_hash(version)},
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
                "section": m.get("section", ""),
                "text": d,
            }
            for m, d in chunks
        ],
    }
