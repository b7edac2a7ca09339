"""Propose a document's metadata from its text: a header block ("title: …"), or the
title line, the date and the administrative reference found in the first page."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field

_MONTH_NAMES = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), 1)}
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12})
_DATE_FR = re.compile(r"\b(1er|[0-3]?\d)\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.I)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DATE_NUM = re.compile(r"\b([0-3]?\d)\s*[-/.]\s*([01]?\d)\s*[-/.]\s*((?:19|20)\d\d)\b")
# References of French administrative texts: DGS/SP3/2022/114, NM/DR/00-04/609,
# n° 99.648, NOR: SSAP2212345J.
_REFERENCES = (
    re.compile(r"\b[A-Z]{2,}(?:/[A-Z0-9]{1,10}){1,5}/\d{2,4}(?:[-/]\d{1,4})*\b"),
    re.compile(r"\bn°\s*\d{2,4}[.-]\d{2,5}\b", re.I),
    re.compile(r"\bNOR\s*:?\s*[A-Z]{4}\d{7}[A-Z]\b"),
)
_HEADER_LINE = re.compile(
    r"^(title|titre|source|date|type|issuer|émetteur|reference|référence)\s*:\s*(.*)$", re.I
)
_HEADER_KEYS = {
    "titre": "title",
    "émetteur": "issuer",
    "référence": "reference",
}
_REPEALED = re.compile(r"\babrog(?:é|e|ation)", re.I)


@dataclass
class Proposal:
    """Metadata read from a document, and the body without its header block."""

    fields: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # set when a header block was removed
    notes: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """The first valid date of the text (ISO, "4 novembre 2009", "6 - 5 - 2000")."""
    found: list[tuple[int, dt.date]] = []
    for m in _DATE_ISO.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[1]), int(m[2]), int(m[3]))))
    for m in _DATE_FR.finditer(text):
        day = 1 if m[1].lower() == "1er" else int(m[1])
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[3]), _MONTHS[m[2].lower()], day)))
    for m in _DATE_NUM.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((m.start(), dt.date(int(m[3]), int(m[2]), int(m[1]))))
    return min(found, key=lambda t: t[0])[1] if found else None


def find_reference(text: str) -> str | None:
    for rx in _REFERENCES:
        m = rx.search(text)
        if m:
            return m.group(0).strip()
    return None


def propose(text: str) -> Proposal:
    """What can be read of the metadata; the maintainer confirms or corrects it."""
    lines = text.splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _HEADER_LINE.match(lines[i].strip())):
        key = m.group(1).lower()
        header[_HEADER_KEYS.get(key, key)] = m.group(2).strip()
        i += 1
    prop = Proposal()
    if len(header) >= 2 and "title" in header:
        prop.body = "\n".join(lines[i:]).lstrip("\n")
        for key in ("title", "type", "issuer", "reference", "source"):
            if header.get(key):
                prop.fields[key] = header[key]
        raw_date = header.get("date", "")
        date = parse_date(raw_date)
        if date:
            prop.fields["date"] = date.isoformat()
            if raw_date.strip() != date.isoformat():
                prop.fields["date_note"] = raw_date
        elif raw_date:
            prop.fields["date_note"] = raw_date
        head = prop.body[:3000]
    else:
        head = text[:3000]
        title = next(
            (ln.strip().lstrip("#").strip() for ln in lines if ln.strip() and len(ln.strip()) > 8),
            "",
        )
        if title:
            prop.fields["title"] = title[:200]
        date = parse_date(head)
        if date:
            prop.fields["date"] = date.isoformat()
    # References often close a text ("Instruction N° … du 19 avril 2022"): look everywhere.
    if "reference" not in prop.fields and (ref := find_reference(prop.body or text)):
        prop.fields["reference"] = ref
    if _REPEALED.search(prop.fields.get("title", "")):
        prop.fields["status"] = "abroge"
        prop.notes.append("le titre indique un texte abrogé")
    return prop
