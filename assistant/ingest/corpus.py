"""The corpus on disk: documents and their hand-edited metadata sidecars.

Each document ``NAME.<format>`` (a suffix of ``SUPPORTED_SUFFIXES``) has a sidecar
``NAME.meta.toml`` beside it. The document id is ``NAME``. The sidecar is validated on
load; a bad field is reported with the file and the field, and that document is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import time
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


# A status as users read it (« remplacé »), keyed by its value.
STATUS_LABELS: dict[str, str] = {
    Status.EN_VIGUEUR.value: "en vigueur",
    Status.REMPLACE.value: "remplacé",
    Status.ABROGE.value: "abrogé",
}


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

    def record(self) -> dict[str, str]:
        """The document's fields as every chunk of the index carries them (the date ISO,
        "" when none): what a citation, a notice or a badge reads."""
        return {
            "title": self.title,
            "type": self.type,
            "date": self.date.isoformat() if self.date else "",
            "issuer": self.issuer,
            "reference": self.reference,
            "status": self.status.value,
            "replaced_by": self.replaced_by,
        }

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
    # Content hashes by pipeline version, shared with a ``DiscoveryCache`` entry while the
    # files are unchanged (computed once per version, then reused).
    hashes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def content_hash(self, pipeline_version: str) -> str:
        """Hash of everything that shapes the chunks: bytes, metadata, pipeline version."""
        known = self.hashes.get(pipeline_version)
        if known is None:
            known = self.hashes[pipeline_version] = self._hash(pipeline_version)
        return known

    def _hash(self, pipeline_version: str) -> str:
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


# A file's identity and state, from one stat: (device, inode, size, mtime_ns, ctime_ns).
Stamp = tuple[int, int, int, int, int]


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class DiscoveryCache:
    """What a discovery parsed, reused by the next one of the same object while a
    document's files are unchanged: a no-change sync of 1,000 documents otherwise spends
    most of its time reading and validating 1,000 sidecars and hashing 1,000 files.

    A file is unchanged when its stamp (device, inode, size, mtime_ns, ctime_ns) is: an
    edit, even of the same size, moves mtime and ctime (ctime cannot be set back, as
    ``touch -r`` sets mtime); an editor's save by rename changes the inode. A file changed
    less than ``racy_s`` seconds before it was read is not kept (as git's « racily clean »
    entries): two writes within one tick of the file system's clock leave the same stamp.
    By default 0.1 s when the file's times have sub-second digits (ext4, xfs, btrfs: a
    tick of at most 10 ms), else 2 s (FAT, HFS+, some network mounts: 1-2 s).
    Bounded: it keeps the documents of the last discovery only, at most ``max_entries``.
    """

    def __init__(self, max_entries: int = 50_000, racy_s: float | None = None) -> None:
        self.max_entries = max_entries
        self.racy_ns = None if racy_s is None else int(racy_s * 1e9)
        # document path -> (document stamp, sidecar stamp, metadata, content hashes)
        self._entries: dict[str, tuple[Stamp, Stamp, DocMeta, dict[str, str]]] = {}

    def _settled(self, stamps: tuple[Stamp, Stamp], read_at_ns: int) -> bool:
        times = [t for st in stamps for t in st[3:]]
        racy = self.racy_ns
        if racy is None:
            fine = all(t % 1_000_000_000 for t in times)
            racy = 100_000_000 if fine else 2_000_000_000
        return max(times) < read_at_ns - racy

    def lookup(self, path: Path, doc: Stamp, meta: Stamp) -> tuple[DocMeta, dict[str, str]] | None:
        hit = self._entries.get(str(path))
        if hit is None or hit[0] != doc or hit[1] != meta:
            return None
        return hit[2], hit[3]

    def keep(self, found: list[tuple[CorpusEntry, Stamp, Stamp]], read_at_ns: int) -> None:
        """Replace the contents with the entries of a discovery (stamped before
        ``read_at_ns``, when their files were read), those settled long enough."""
        self._entries = {
            str(e.path): (d, m, e.meta, e.hashes)
            for e, d, m in found[: self.max_entries]
            if self._settled((d, m), read_at_ns)
        }

    def __len__(self) -> int:
        return len(self._entries)


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


def discover(
    corpus_dir: Path, max_bytes: int | None = None, cache: DiscoveryCache | None = None
) -> Discovery:
    """List the documents of the corpus with their metadata; collect problems per file.

    A file that is a link resolving outside the folder is refused, with a warning: its
    target (a system file, say) must never be indexed nor quoted. A document larger than
    ``max_bytes`` (``ASSISTANT_MAX_UPLOAD_BYTES`` by default) is reported and skipped.
    ``cache``: the metadata and content hashes of unchanged documents are taken from it
    (and it is refreshed), not read again.
    """
    if not corpus_dir.exists():
        raise CorpusError(f"dossier du corpus introuvable : {corpus_dir}")
    if not corpus_dir.is_dir():
        raise CorpusError(f"le corpus n'est pas un dossier : {corpus_dir}")
    root = corpus_dir.resolve()
    limit = default_max_bytes() if max_bytes is None else max_bytes
    started_ns = time.time_ns()  # before any file is read (see DiscoveryCache)
    entries: list[CorpusEntry] = []
    problems: list[tuple[str, str]] = []
    refused: set[str] = set()
    seen: dict[str, Path] = {}
    found: list[tuple[CorpusEntry, Stamp, Stamp]] = []
    # One listing of the folder (a glob per sidecar made large corpora quadratic), whose
    # entries know without a system call whether they are links.
    with os.scandir(corpus_dir) as it:
        listing = {d.name: d for d in it}
    names = sorted(listing)
    doc_stems = {stem for stem, suffix in map(_split, names) if suffix in SUPPORTED_SUFFIXES}

    def refuse(name: str, link: Path) -> None:
        why = "lien symbolique vers l'extérieur du corpus"
        if link.name != name:
            why = f"{link.name} : {why}"
        log.warning("corpus : %s refusé, %s (%s)", name, why, link.resolve())
        problems.append((name, why))
        refused.add(name)

    def escapes(d: os.DirEntry[str]) -> bool:
        return d.is_symlink() and _escapes(corpus_dir / d.name, root)

    for name in names:
        if name.startswith(".") or name in IGNORED_FILES:
            continue
        d = listing[name]
        path = corpus_dir / name
        doc_id, suffix = _split(name)
        if escapes(d):
            refuse(name, path)
            continue
        if not d.is_file():
            continue
        if name.endswith(META_SUFFIX):
            if name.removesuffix(META_SUFFIX) not in doc_stems:
                problems.append((name, "métadonnées sans document"))
            continue
        if suffix not in SUPPORTED_SUFFIXES:
            if suffix != ".toml":
                problems.append(
                    (name, f"format non pris en charge ({path.suffix or 'sans extension'})")
                )
            continue
        if doc_id in seen:
            problems.append((name, f"identifiant « {doc_id} » déjà pris par {seen[doc_id].name}"))
            continue
        meta_path = corpus_dir / (doc_id + META_SUFFIX)
        meta_dir = listing.get(meta_path.name)
        # Listed and not a link: it exists (a file gone since fails at its stat, below).
        if (meta_dir is None or meta_dir.is_symlink()) and not meta_path.exists():
            problems.append((name, f"pas de fichier de métadonnées {meta_path.name}"))
            continue
        if escapes(meta_dir) if meta_dir is not None else _escapes(meta_path, root):
            refuse(name, meta_path)
            continue
        try:
            check_size(path, limit)  # before anything reads or hashes the file
            stamps = None
            if cache is not None:  # stamped before they are read
                meta_st = meta_dir.stat() if meta_dir is not None else meta_path.stat()
                stamps = (_stamp(d.stat()), _stamp(meta_st))
            hit = cache.lookup(path, *stamps) if cache is not None and stamps else None
            meta, hashes = hit if hit is not None else (read_meta(meta_path), {})
        except OSError as exc:
            problems.append((name, f"{name} : lecture impossible ({exc.strerror})"))
            continue
        except DocumentError as exc:
            problems.append((name, str(exc)))
            continue
        seen[doc_id] = path
        entry = CorpusEntry(doc_id, path, meta_path, meta, hashes)
        entries.append(entry)
        if stamps is not None:
            found.append((entry, *stamps))
    if cache is not None:
        cache.keep(found, started_ns)
    return Discovery(entries=entries, problems=problems, refused=refused)


def _split(name: str) -> tuple[str, str]:
    """(stem, lower-case suffix) of a file name, as ``Path.stem`` and ``Path.suffix``."""
    i = name.rfind(".")
    if 0 < i < len(name) - 1:
        return name[:i], name[i:].lower()
    return name, ""


def _escapes(path: Path, root: Path) -> bool:
    """A symbolic link whose target lies outside ``root`` (the resolved corpus folder)."""
    return path.is_symlink() and not path.resolve().is_relative_to(root)
