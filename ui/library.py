"""The documents of the base for every user: the « Documents » list and the reader.

Read-only over ``assistant.ingest.corpus`` and ``assistant.ingest.loaders``/``cleaning``
(the text the reader shows is the one the passages were cut from, so a cited passage is
found in it).
No gradio import.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from assistant import AssistantError, discover
from assistant.answer.validity import validity_notice
from assistant.ingest.corpus import DOC_TYPES, CorpusEntry
from assistant.ingest.loaders import load_pages
from assistant.ingest.page_cleaning import clean_pages

STATUS_LABELS = {"en_vigueur": "En vigueur", "remplace": "Remplacé", "abroge": "Abrogé"}
STATUS_CLASSES = {"en_vigueur": "badge-ok", "remplace": "badge-old", "abroge": "badge-old"}
WARN_LABEL = "À vérifier"
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
MAX_EXTRACTS = 4
MAX_EXTRACT_CHARS = 400


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    title: str
    type: str
    date: str
    issuer: str
    status: str
    notice: str  # assistant.answer.validity.validity_notice: the chat's notice
    successor_id: str
    successor_title: str
    is_pdf: bool


def document_rows(
    corpus_dir: Path, max_age_years: int = 10, today: dt.date | None = None
) -> list[DocRow]:
    """The corpus's documents, newest first, each with the validity notice the chat gives
    its passages (``max_age_years``: ``Settings.max_age_years``)."""
    entries = discover(corpus_dir).entries
    titles = {e.doc_id: e.meta.title for e in entries}
    dates = {e.doc_id: e.meta.date for e in entries}
    day = today or dt.date.today()

    def describe(doc_id: str) -> str:
        date = dates.get(doc_id)
        return f"« {titles.get(doc_id, doc_id)} »" + (f" ({date.isoformat()})" if date else "")

    rows = []
    for e in entries:
        m = e.meta
        notice = validity_notice(m.record(), day, max_age_years, describe)
        rows.append(
            DocRow(
                doc_id=e.doc_id,
                title=m.title,
                type=m.type,
                date=m.date.isoformat() if m.date else "",
                issuer=m.issuer,
                status=m.status.value,
                notice=notice,
                successor_id=m.replaced_by,
                successor_title=titles.get(m.replaced_by, m.replaced_by),
                is_pdf=e.path.suffix.lower() == ".pdf",
            )
        )
    return sorted(rows, key=lambda r: r.date or "0000", reverse=True)


def status_badge(status: str, notice: str, date: str = "") -> str:
    """The status badge of a text, the same in the chat and the « Documents » list. A text
    in force whose notice warns that it is old (« texte de 2000 : vérifier qu'il est
    toujours d'actualité ») or undated is « À vérifier (2000) », never « En vigueur »
    beside that warning; replaced and repealed texts keep their badge."""
    status = status or "en_vigueur"
    if status != "en_vigueur" or not notice:
        cls = STATUS_CLASSES.get(status, "badge-ok")
        label = STATUS_LABELS.get(status, status)
        return f'<span class="badge {cls}">{html.escape(label)}</span>'
    year = _YEAR.search(notice) or _YEAR.search(date)
    label = f"{WARN_LABEL} ({year.group(0)})" if year else WARN_LABEL
    return (
        f'<span class="badge badge-warn" title="{html.escape(notice)}">{html.escape(label)}</span>'
    )


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def filter_rows(rows: Sequence[DocRow], query: str) -> list[DocRow]:
    words = _fold(query).split()
    if not words:
        return list(rows)

    def hay(r: DocRow) -> str:
        status = STATUS_LABELS.get(r.status, r.status)
        warn = WARN_LABEL if r.notice and r.status == "en_vigueur" else ""
        fields = [r.title, DOC_TYPES.get(r.type, r.type), r.date, r.issuer, status, warn]
        return _fold(" ".join(fields))

    return [r for r in rows if all(w in hay(r) for w in words)]


def reader_url(doc_id: str, extracts: Sequence[str] = ()) -> str:
    params = [
        ("extrait", " ".join(s.split())[:MAX_EXTRACT_CHARS])
        for s in list(extracts)[:MAX_EXTRACTS]
        if s.strip()
    ]
    query = f"?{urlencode(params)}" if params else ""
    anchor = "#passage" if params else ""
    return f"/lecture/{quote(doc_id, safe='')}{query}{anchor}"


def _status_html(r: DocRow) -> str:
    out = status_badge(r.status, r.notice, r.date)
    if r.status != "en_vigueur" and r.successor_id:
        out += (
            f' <span class="successor">par <a href="{reader_url(r.successor_id)}" '
            f'target="_blank" rel="noopener">{html.escape(r.successor_title)}</a></span>'
        )
    return out


def documents_html(rows: Sequence[DocRow], total: int) -> str:
    if not rows:
        return f'<p class="docs-count">Aucun document ne correspond ({total} dans la base).</p>'
    body = "".join(
        "<tr>"
        f'<td><a class="doc-open" href="{reader_url(r.doc_id)}" target="_blank" '
        f'rel="noopener">{html.escape(r.title)}</a></td>'
        f"<td>{html.escape(DOC_TYPES.get(r.type, r.type))}</td>"
        f"<td>{html.escape(r.date)}</td>"
        f"<td>{html.escape(r.issuer)}</td>"
        f"<td>{_status_html(r)}</td>"
        "</tr>"
        for r in rows
    )
    return (
        f'<p class="docs-count">{len(rows)} document(s) sur {total}.</p>'
        '<table class="docs-table"><thead><tr><th scope="col">Titre</th>'
        '<th scope="col">Type</th><th scope="col">Date</th><th scope="col">Émetteur</th>'
        f'<th scope="col">Statut</th></tr></thead><tbody>{body}</tbody></table>'
    )


# --- The reader -------------------------------------------------------------------------


def entry_of(corpus_dir: Path, doc_id: str) -> CorpusEntry | None:
    root = corpus_dir.resolve()
    for e in discover(corpus_dir).entries:
        if e.doc_id == doc_id:
            path = e.path.resolve()
            return e if path.is_relative_to(root) and path.is_file() else None
    return None


def _spans(text: str, extracts: Sequence[str]) -> list[tuple[int, int]]:
    """Where each extract lies in ``text`` (whitespace-insensitive); an extract not found
    whole is looked for by its first words."""
    spans = []
    for ex in extracts:
        words = ex.split()
        for n in (len(words), 12, 6):
            if n > len(words) or n == 0:
                continue
            pattern = r"\s+".join(re.escape(w) for w in words[:n])
            m = re.search(pattern, text)
            if m:
                spans.append((m.start(), m.end()))
                break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _body(text: str, extracts: Sequence[str]) -> tuple[str, bool]:
    spans = _spans(text, extracts)
    out, pos = [], 0
    for k, (s, e) in enumerate(spans):
        out.append(html.escape(text[pos:s]))
        ident = ' id="passage"' if k == 0 else ""
        out.append(f'<mark class="cited"{ident}>{html.escape(text[s:e])}</mark>')
        pos = e
    out.append(html.escape(text[pos:]))
    paragraphs = "".join(out).split("\n\n")
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip()), bool(
        spans
    )


_READER_CSS = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 0; color: #1f2328;
       background: #f6f8fa; }
header.doc { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de;
             padding: 12px 20px; z-index: 1; }
header.doc h1 { font-size: 1.25em; margin: 4px 0; }
.meta { color: #57606a; font-size: .9em; }
.badge { font-size: .8em; border-radius: 10px; padding: 1px 8px; }
.badge-ok { background: #dafbe1; color: #116329; }
.badge-old { background: #ffebe9; color: #a40e26; }
.badge-warn { background: #fff8c5; color: #7d4e00; }
main { max-width: 48em; margin: 16px auto; background: #fff; padding: 12px 28px;
       border: 1px solid #d0d7de; border-radius: 8px; line-height: 1.5; }
mark.cited { background: #fff3b0; outline: 2px solid #e3b341; scroll-margin-top: 9em; }
nav a { margin-right: 1em; }
"""


def reader_html(
    corpus_dir: Path, doc_id: str, extracts: Sequence[str], max_age_years: int = 10
) -> str | None:
    """The reader's page for a text document (None: unknown document)."""
    entry = entry_of(corpus_dir, doc_id)
    if entry is None:
        return None
    m = entry.meta
    e = html.escape
    from .render import document_url

    is_pdf = entry.path.suffix.lower() == ".pdf"
    try:
        pages = clean_pages(load_pages(entry.path))
        parts = []
        for p in pages:
            if is_pdf and p.number:
                parts.append(f"— page {p.label or p.number} —")
            parts.append(p.text)
        text = "\n\n".join(parts)
        body, found = _body(text, [str(x)[:MAX_EXTRACT_CHARS] for x in extracts][:MAX_EXTRACTS])
    except AssistantError as exc:
        body, found = f"<p>⚠️ {e(str(exc))}</p>", False
    meta = [e(DOC_TYPES.get(m.type, m.type))]
    if m.date:
        meta.append(e(m.date.isoformat()))
    if m.issuer:
        meta.append(e(m.issuer))
    if m.reference:
        meta.append(e(m.reference))
    record = m.record()
    badge = status_badge(m.status.value, validity_notice(record, dt.date.today(), max_age_years))
    successor = ""
    if m.replaced_by:
        successor = (
            f' <a href="{reader_url(m.replaced_by)}">remplacé par « {e(m.replaced_by)} »</a>'
        )
    note = ""
    if extracts and not found:
        note = '<p class="meta">Le passage cité n\'a pas été retrouvé tel quel dans le texte.</p>'
    elif extracts:
        note = (
            '<p class="meta"><a href="#passage">Aller au passage cité</a> (surligné en jaune)</p>'
        )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(m.title)} — lecteur</title><style>{_READER_CSS}</style></head><body>"
        '<header class="doc"><nav><a href="/">← Retour au chat</a>'
        f'<a href="{document_url(doc_id, None)}">Fichier d\'origine</a></nav>'
        f'<h1 id="doc-title">{e(m.title)}</h1>'
        f'<div class="meta" id="doc-meta">{" · ".join(meta)} '
        f"{badge}{successor}</div>{note}</header>"
        f'<main id="doc-text">{body}</main></body></html>'
    )
