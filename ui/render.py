"""Answers and sources as HTML/Markdown for the chat (no gradio import: testable alone).

Everything that comes from a document or a model is escaped; markers [n] become links
to the source cards of the sources panel (``src-<turn>-<n>``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from assistant import Answer, Citation
from assistant.answer.citations import NO_RELATED_PASSAGE
from assistant.answer.extractive import shorten
from assistant.ingest.corpus import DOC_TYPES
from assistant.search.retrieval import Passage

from .library import MAX_EXTRACT_CHARS, reader_url, status_badge

_MARKER = re.compile(r"\[(\d{1,3})\]")


def anchor(turn: int, n: int) -> str:
    return f"src-{turn}-{n}"


def link_markers(escaped: str, turn: int) -> str:
    return _MARKER.sub(
        lambda m: (
            f'<a class="cite" href="#{anchor(turn, int(m.group(1)))}" '
            f'title="Voir la source {m.group(1)}">[{m.group(1)}]</a>'
        ),
        escaped,
    )


def _md_escape(text: str) -> str:
    """Document text shown as text: no HTML, no Markdown emphasis or headings."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_#|~])", r"\\\1", text)


def _md_paragraphs(text: str) -> str:
    """``text`` escaped as _md_escape does, its paragraphs kept: an answer sets each item
    of a list it quotes on a line of its own (« … assurent :\n\n1° … ;\n\n2° … »); run
    together, the items read as one sentence (sixteenth fresh-user test)."""
    return "\n\n".join(_md_escape(p) for p in re.split(r"\n\s*\n", text) if p.strip())


def _preamble(understood: str, warning: str) -> list[str]:
    """What precedes an answer: the masking warning, the question as understood."""
    parts = []
    if warning:
        parts.append(f"⚠️ **Données de patient masquées.** {_md_escape(warning)}")
    if understood:
        parts.append(f"*Question comprise : « {_md_escape(understood)} »*")
    return parts


def answer_markdown(
    answer: Answer,
    turn: int,
    understood: str = "",
    notice: str = "",
    warning: str = "",
) -> str:
    """The chat message of an answer: warning, question as understood, answer, notes."""
    parts = _preamble(understood, warning)
    if notice:
        parts.append(f"ℹ️ {_md_escape(notice)}")
    body = link_markers(_md_paragraphs(answer.answer), turn)
    if answer.abstained:
        body = f"**{body}**"
        if answer.maybe_useful:
            body += "\n\nDes passages proches sont présentés à droite, *peut-être utiles*."
        elif answer.passages:  # searched, and nothing close (a courtesy searches nothing)
            body += f"\n\n{NO_RELATED_PASSAGE}"
    parts.append(body)
    if answer.notes:
        parts.append("**À savoir :**\n" + "\n".join(f"- {_md_escape(n)}" for n in answer.notes))
    return "\n\n".join(parts)


def partial_markdown(text: str, turn: int, understood: str = "", warning: str = "") -> str:
    """A generated answer while it is being written."""
    parts = _preamble(understood, warning)
    parts.append(link_markers(_md_escape(text), turn) + " ▌")
    return "\n\n".join(parts)


def _highlight(text: str, sentences: Sequence[str]) -> str:
    """The passage, escaped, with the cited sentences in <mark>."""
    spans: list[tuple[int, int]] = []
    for s in sentences:
        words = s.split()
        if not words:
            continue
        pattern = r"\s+".join(re.escape(w) for w in words)
        m = re.search(pattern, text)
        if m:
            spans.append((m.start(), m.end()))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def document_url(doc_id: str, page: int | None) -> str:
    url = f"/documents/{quote(doc_id, safe='')}"
    return f"{url}#page={page}" if page else url


def _citation_badge(c: Citation) -> str:
    return status_badge(c.status, c.notice, c.date or "")


def citation_card(c: Citation, turn: int) -> str:
    meta = [html.escape(DOC_TYPES.get(c.type, c.type))]
    if c.date:
        meta.append(html.escape(c.date))
    if c.issuer:
        meta.append(html.escape(c.issuer))
    if c.page:
        meta.append(f"p. {html.escape(str(c.page_label or c.page))}")
    if c.ocr:
        # Read from a scan: the wording may hold recognition errors.
        meta.append('<span class="src-ocr">texte reconnu automatiquement</span>')
    section = (
        f'<div class="src-section">Section : {html.escape(c.section)}</div>' if c.section else ""
    )
    notice = f'<div class="src-notice">⚠ {html.escape(c.notice)}</div>' if c.notice else ""
    reader = reader_url(c.doc_id, c.sentences or [c.text[:MAX_EXTRACT_CHARS]])
    page_link = ""
    if c.page:
        page_link = (
            f' · <a class="src-page" href="{document_url(c.doc_id, c.page)}" target="_blank" '
            f'rel="noopener">PDF à la page {html.escape(str(c.page_label or c.page))}</a>'
        )
    return (
        f'<article class="source" id="{anchor(turn, c.n)}">'
        f'<header><span class="src-num">[{c.n}]</span> '
        f'<strong class="src-title">{html.escape(c.title)}</strong> {_citation_badge(c)}</header>'
        f'<div class="src-meta">{" · ".join(meta)}</div>{section}{notice}'
        f'<blockquote class="src-text">{_highlight(c.text, c.sentences)}</blockquote>'
        f'<a class="src-open" href="{reader}" target="_blank" '
        f'rel="noopener">Lire le passage dans le document</a>{page_link}'
        "</article>"
    )


def passage_record(p: Passage, notice: str = "") -> dict[str, Any]:
    """What the sources panel shows of a passage, as the browser keeps it; ``notice``:
    what a reader must know of its text (``Answer.notices``)."""
    m = p.metadata
    return {
        "doc_id": p.doc_id,
        "title": str(m.get("title", p.doc_id)),
        "type": str(m.get("type", "")),
        "date": str(m.get("date") or ""),
        "page": int(m.get("page") or 0) or None,
        "page_label": str(m.get("page_label") or ""),
        "status": str(m.get("status", "")),
        "notice": notice,
        "text": shorten(p.text, 400),
    }


def passage_card(p: Passage | Mapping[str, Any]) -> str:
    r = passage_record(p) if isinstance(p, Passage) else p
    page = int(r.get("page") or 0) or None
    kind = str(r.get("type", ""))
    meta = [html.escape(DOC_TYPES.get(kind, kind))]
    if r.get("date"):
        meta.append(html.escape(str(r["date"])))
    if page:
        meta.append(f"p. {html.escape(str(r.get('page_label') or page))}")
    text = str(r.get("text", ""))
    doc_id = str(r.get("doc_id", ""))
    notice = str(r.get("notice") or "")
    badge = status_badge(str(r.get("status", "")), notice, str(r.get("date") or ""))
    warning = f'<div class="src-notice">⚠ {html.escape(notice)}</div>' if notice else ""
    return (
        '<article class="source maybe">'
        f"<header><strong>{html.escape(str(r.get('title', doc_id)))}</strong> "
        f"{badge}</header>"
        f'<div class="src-meta">{" · ".join(meta)}</div>{warning}'
        f'<blockquote class="src-text">{html.escape(text)}</blockquote>'
        f'<a class="src-open" href="{reader_url(doc_id, [text[:MAX_EXTRACT_CHARS]])}" '
        'target="_blank" rel="noopener">Lire le passage dans le document</a></article>'
    )


def sources_html(answer: Answer, turn: int) -> str:
    """The sources of one answer; for an abstention, the closest passages that may be of
    use (``Answer.maybe_useful``), or a line saying that none relates to the question."""
    return turn_sources_html(
        answer.abstained,
        answer.citations,
        [passage_record(p, answer.notices.get(p.chunk_id, "")) for p in answer.maybe_useful],
        turn,
    )


def turn_sources_html(
    abstained: bool,
    citations: Sequence[Citation],
    maybe: Sequence[Mapping[str, Any]],
    turn: int,
) -> str:
    if abstained:
        if not maybe:
            return (
                f'<section class="turn" id="turn-{turn}"><h3>Question {turn}</h3>'
                f"<p>{html.escape(NO_RELATED_PASSAGE)}</p></section>"
            )
        cards = "".join(passage_card(p) for p in maybe[:3])
        return (
            f'<section class="turn" id="turn-{turn}"><h3>Question {turn} — '
            "pas de réponse sûre</h3>"
            '<p class="maybe-title">Passages proches, <em>peut-être utiles</em> :</p>'
            f"{cards}</section>"
        )
    cards = "".join(citation_card(c, turn) for c in citations)
    return (
        f'<section class="turn" id="turn-{turn}"><h3>Sources de la réponse {turn}</h3>'
        f"{cards}</section>"
    )


def sources_panel(sections: Sequence[str]) -> str:
    """The latest answer's sources open, earlier ones folded (their markers still work)."""
    if not sections:
        return '<p class="src-empty">Les sources de la réponse s\'afficheront ici.</p>'
    latest, *older = list(reversed(sections))
    folded = "".join(
        f"<details><summary>Sources d'une réponse précédente</summary>{s}</details>" for s in older
    )
    return latest + folded
