"""The corpus on disk: documents and their hand-edited metadata sidecars.

Each document ``NAME.<format>`` (a suffix of ``SUPPORTED_SUFFIXES``) has a sidecar
``NAME.meta.toml`` beside it. The document id is ``NAME``. The sidecar is validated on
load; a bad field is reported with the file and the field, and that document is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from ..errors import CorpusError, DocumentError
from .loaders import SUPPORTED_SUFFIXES, check_size, default_max_bytes

__all__ = ["SUPPORTED_SUFFIXES"]  # re-exported: the formats are the loaders'

log = logging.getLogger("assistant.ingest.corpus")
META_SUFFIX = ".meta.toml"
# Files of the corpus folder that are not documents.
IGNORED_FILES = frozenset({"README.md"})

# Document types, with the label shown to users.
DOC_TYPES: dict[str, str] = {
    "lettre_de_mission": "lettre de mission",
    "note": "note",
    "circulaire": "circulaire",
    "instruction": "instruction",
    "article": "article",
    "bulletin": "bulletin",
    "actualite": "actualité",
    "guide": "guide",
    "fiche": "fiche",
    "rapport": "rapport",
    "loi": "loi",
    "code": "code",
    "decret": "décret",
    "arrete": "arrêté",
}


# Control characters but the tab (C0, DEL, C1), and the Unicode line and paragraph
# separators.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_NOTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Status(StrEnum):
    EN_VIGUEUR = "en_vigueur"
    REMPLACE = "remplace"
    ABROGE = "abroge"


class DocMeta(BaseModel):
    """What a maintainer writes by hand about a document."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str
    type: str
    date: dt.date | None = None
    date_note: str = ""
    issuer: str = ""
    reference: str = ""
    status: Status = Status.EN_VIGUEUR
    replaced_by: str = ""
    source: str = ""
    notes: str = ""
    language: str = "fr"

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, v: object, info: ValidationInfo) -> object:
        # A field is one line of text (notes may hold several): a newline or another
        # control character in a title breaks every one-line display, and the TOML.
        if isinstance(v, str):
            bad = (_CONTROL_IN_NOTES if info.field_name == "notes" else _CONTROL).search(v)
            if bad:
                what = "retour à la ligne" if bad.group() in "\r\n" else "caractère de contrôle"
                raise ValueError(f"{what} interdit (U+{ord(bad.group()):04X})")
        return v

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("le titre est vide")
        return v

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in DOC_TYPES:
            raise ValueError(f"type inconnu « {v} » (types admis : {', '.join(DOC_TYPES)})")
        return v

    @field_validator("date", mode="before")
    @classmethod
    def _parse_date(cls, v: object) -> object:
        # TOML gives a date for 2022-04-19; a quoted "2022-02-30" arrives as text and
        # must fail as an impossible date rather than as a type error.
        if isinstance(v, str):
            if not v.strip():
                return None
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError(f"date impossible « {v} » (format attendu AAAA-MM-JJ)") from None
        if isinstance(v, dt.datetime):
            return v.date()
        return v

    def type_label(self) -> str:
        return DOC_TYPES[self.type]


def validate_type(value: str) -> str:
    """Check a ``--type`` filter value; accepts the slug or the label."""
    for slug, label in DOC_TYPES.items():
        if value in (slug, label):
            return slug
    raise CorpusError(
        f"type de document inconnu « {value} » ; types admis : {', '.join(DOC_TYPES)}"
    )


@dataclass(frozen=True)
class CorpusEntry:
    doc_id: str
    path: Path
    meta_path: Path
    meta: DocMeta

    def content_hash(self, pipeline_version: str) -> str:
        """Hash of everything that shapes the chunks: bytes, metadata, pipeline version."""
        h = hashlib.sha256()
        h.update(self.path.read_bytes())
        h.update(self.meta.model_dump_json().encode())
        h.update(pipeline_version.encode())
        return h.hexdigest()[:32]


@dataclass
class Discovery:
    entries: list[CorpusEntry]
    problems: list[tuple[str, str]]  # (file name, one-line reason)
    # Files of ``problems`` refused for safety (a link out of the folder): unlike a file
    # that cannot be read, their indexed version is not kept.
    refused: set[str] = field(default_factory=set)


def read_meta(meta_path: Path) -> DocMeta:
    """Read and validate one sidecar; errors name the file and the field."""
    name = meta_path.name
    try:
        raw = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(f"{name} : métadonnées illisibles ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{name} : lecture impossible ({exc})") from None
    try:
        return DocMeta.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "champ obligatoire manquant"
        elif err["type"] == "extra_forbidden":
            msg = "champ inconnu"
        raise DocumentError(f"{name} : champ « {field} » : {msg}") from None


def discover(corpus_dir: Path, max_bytes: int | None = None) -> Discovery:
    """List the documents of the corpus with their metadata; collect problems per file.

    A file that is a link resolving outside the folder is refused, with a warning: its
    target (a system file, say) must never be indexed nor quoted. A document larger than
    ``max_bytes`` (``ASSISTANT_MAX_UPLOAD_BYTES`` by default) is reported and skipped.
    """
    if not corpus_dir.exists():
        raise CorpusError(f"dossier du corpus introuvable : {corpus_dir}")
    if not corpus_dir.is_dir():
        raise CorpusError(f"le corpus n'est pas un dossier : {corpus_dir}")
    root = corpus_dir.resolve()
    limit = default_max_bytes() if max_bytes is None else max_bytes
    entries: list[CorpusEntry] = []
    problems: list[tuple[str, str]] = []
    refused: set[str] = set()
    seen: dict[str, Path] = {}
    files = sorted(corpus_dir.iterdir())
    # One listing of the folder: a glob per sidecar made large corpora quadratic.
    doc_stems = {p.stem for p in files if p.suffix.lower() in SUPPORTED_SUFFIXES}

    def refuse(name: str, link: Path) -> None:
        why = "lien symbolique vers l'extérieur du corpus"
        if link.name != name:
            why = f"{link.name} : {why}"
        log.warning("corpus : %s refusé, %s (%s)", name, why, link.resolve())
        problems.append((name, why))
        refused.add(name)

    for path in files:
        if path.name.startswith(".") or path.name in IGNORED_FILES:
            continue
        if _escapes(path, root):
            refuse(path.name, path)
            continue
        if not path.is_file():
            continue
        if path.name.endswith(META_SUFFIX):
            if path.name.removesuffix(META_SUFFIX) not in doc_stems:
                problems.append((path.name, "métadonnées sans document"))
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            if path.suffix.lower() != ".toml":
                problems.append(
                    (path.name, f"format non pris en charge ({path.suffix or 'sans extension'})")
                )
            continue
        doc_id = path.stem
        if doc_id in seen:
            problems.append(
                (path.name, f"identifiant « {doc_id} » déjà pris par {seen[doc_id].name}")
            )
            continue
        meta_path = path.with_name(doc_id + META_SUFFIX)
        if not meta_path.exists():
            problems.append((path.name, f"pas de fichier de métadonnées {meta_path.name}"))
            continue
        if _escapes(meta_path, root):
            refuse(path.name, meta_path)
            continue
        try:
            check_size(path, limit)  # before anything reads or hashes the file
            meta = read_meta(meta_path)
        except DocumentError as exc:
            problems.append((path.name, str(exc)))
            continue
        seen[doc_id] = path
        entries.append(CorpusEntry(doc_id=doc_id, path=path, meta_path=meta_path, meta=meta))
    return Discovery(entries=entries, problems=problems, refused=refused)


def _escapes(path: Path, root: Path) -> bool:
    """A symbolic link whose target lies outside ``root`` (the resolved corpus folder)."""
    return path.is_symlink() and not path.resolve().is_relative_to(root)
