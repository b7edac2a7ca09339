"""Conversations kept in the user's browser, and their export (no gradio import).

The server keeps nothing about a conversation: the browser's store (``gr.BrowserState``,
in localStorage) holds each conversation as plain JSON, the masked questions, the
answers and the passages they cite. What comes back from the browser is treated as
untrusted: it is checked here and every text is escaped when it is drawn again.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from assistant import Citation
from assistant.ingest.corpus import DOC_TYPES

MAX_CONVERSATIONS = 50
MAX_TURNS = 50
_CITATION_FIELDS = (
    "n",
    "doc_id",
    "title",
    "type",
    "date",
    "page",
    "page_label",
    "page_end",
    "page_end_label",
    "section",
    "text",
    "issuer",
    "status",
    "sentences",
    "notice",
    "ocr",
)


def new_store() -> dict[str, Any]:
    return {"current": new_id(), "conversations": []}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def citation_record(c: Citation) -> dict[str, Any]:
    return {k: getattr(c, k) for k in _CITATION_FIELDS}


def citation_from(record: Mapping[str, Any]) -> Citation | None:
    """A citation from the browser's store, or None if it is not one."""
    try:
        return Citation(
            n=int(record["n"]),
            doc_id=str(record["doc_id"]),
            title=str(record.get("title", "")),
            type=str(record.get("type", "")),
            date=str(record["date"]) if record.get("date") else None,
            page=int(record["page"]) if record.get("page") else None,
            section=str(record.get("section", "")),
            text=str(record.get("text", "")),
            page_label=str(record["page_label"]) if record.get("page_label") else None,
            issuer=str(record.get("issuer", "")),
            status=str(record.get("status", "")),
            sentences=[str(s) for s in record.get("sentences") or []],
            notice=str(record.get("notice", "")),
            page_end=int(record["page_end"]) if record.get("page_end") else None,
            page_end_label=(
                str(record["page_end_label"]) if record.get("page_end_label") else None
            ),
            ocr=bool(record.get("ocr", False)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def valid_store(value: Any) -> dict[str, Any]:
    """The browser's store as this version reads it (anything else: a fresh one)."""
    if not isinstance(value, dict) or not isinstance(value.get("conversations"), list):
        return new_store()
    convs = [
        c
        for c in value["conversations"]
        if isinstance(c, dict)
        and isinstance(c.get("id"), str)
        and isinstance(c.get("turns"), list)
        and isinstance(c.get("chat"), list)
    ][:MAX_CONVERSATIONS]
    current = value.get("current")
    return {
        "current": current if isinstance(current, str) and current else new_id(),
        "conversations": convs,
    }


def find(store: Mapping[str, Any], conv_id: str | None) -> dict[str, Any] | None:
    return next((c for c in store["conversations"] if c["id"] == conv_id), None)


def message_text(content: Any) -> str:
    """The text of a chat message as the browser hands it back: a string, or (gradio 6)
    a list of parts such as ``{"type": "text", "text": "…"}``; parts that are no text
    (a file, an image) are left out. A reopened conversation showed
    ``[{'text': "Et celles d'un CAARUD ?", 'type': 'text'}]`` for the question."""
    if isinstance(content, str):
        return content
    parts = [content] if isinstance(content, Mapping) else content
    if not isinstance(parts, list):
        return ""
    texts = [
        p if isinstance(p, str) else str(p.get("text") or "")
        for p in parts
        if isinstance(p, str) or (isinstance(p, Mapping) and p.get("type", "text") == "text")
    ]
    return "\n\n".join(t for t in texts if t)


def title_of(question: str) -> str:
    words = " ".join(question.split())
    return words if len(words) <= 60 else words[:59].rstrip() + "…"


def save_turns(
    value: Any, chat: Sequence[Mapping[str, Any]], turns: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The store with the current conversation holding ``chat`` and ``turns``; the most
    recently used conversation comes first."""
    store = valid_store(value)
    if not turns:
        return store
    conv = find(store, store["current"])
    if conv is None:
        conv = {"id": store["current"], "title": title_of(str(turns[0]["user"]["content"]))}
    others = [c for c in store["conversations"] if c["id"] != conv["id"]]
    conv = {
        **conv,
        "updated": dt.datetime.now().isoformat(timespec="minutes"),
        "chat": [{"role": m["role"], "content": message_text(m["content"])} for m in chat],
        "turns": [dict(t) for t in turns][-MAX_TURNS:],
    }
    store["conversations"] = [conv, *others][:MAX_CONVERSATIONS]
    return store


def choices(store: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for c in store["conversations"]:
        when = str(c.get("updated", "")).replace("T", " ")
        out.append((f"{c.get('title') or 'Sans titre'} — {when}", c["id"]))
    return out


def delete(value: Any, conv_id: str | None) -> dict[str, Any]:
    store = valid_store(value)
    store["conversations"] = [c for c in store["conversations"] if c["id"] != conv_id]
    if store["current"] == conv_id:
        store["current"] = new_id()
    return store


# --- Export -----------------------------------------------------------------------------


def _where(c: Citation) -> str:
    """'Type, date, p. 3, section « … »' for a citation."""
    parts = [DOC_TYPES.get(c.type, c.type) or "document"]
    if c.date:
        parts.append(c.date)
    if c.issuer:
        parts.append(c.issuer)
    if c.page:
        first = c.page_label or str(c.page)
        last = c.page_end_label or str(c.page_end or "")
        parts.append(f"p. {first}–{last}" if last and last != first else f"p. {first}")
    if c.section:
        parts.append(f"section « {c.section.split(' > ')[-1]} »")
    return ", ".join(parts)


def _quote_md(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in " ".join(text.split()).split("\n"))


def _selected(turns: Sequence[Mapping[str, Any]], which: int | None) -> list[tuple[int, Any]]:
    numbered = list(enumerate(turns, start=1))
    if which is None:
        return numbered
    return [(i, t) for i, t in numbered if i == which]


def export_markdown(
    turns: Sequence[Mapping[str, Any]], which: int | None = None, title: str = ""
) -> str:
    """A conversation (or its answer ``which``) as Markdown, each [n] resolved."""
    today = dt.date.today().isoformat()
    head = "Réponse" if which is not None else "Conversation"
    lines = [f"# {head} — Assistant documentaire addictions", ""]
    if title:
        lines += [f"*{title}*", ""]
    lines += [f"Exporté le {today}. Les réponses citent les seuls documents du corpus.", ""]
    for i, t in _selected(turns, which):
        lines += [f"## Question {i}", "", _quote_md(str(t["user"]["content"])), ""]
        lines += ["### Réponse", "", str(t.get("answer", "")).strip(), ""]
        notes = [str(n) for n in t.get("notes") or []]
        if notes:
            lines += ["**À savoir :**", *[f"- {n}" for n in notes], ""]
        cites = [c for c in (citation_from(r) for r in t.get("citations") or []) if c]
        if cites:
            lines += ["### Sources", ""]
            for c in cites:
                lines.append(f"**[{c.n}] {c.title}** — {_where(c)}")
                if c.notice:
                    lines.append(f"⚠ {c.notice}")
                lines += ["", _quote_md(c.text), ""]
        elif t.get("abstained"):
            lines += ["*Pas de réponse sûre dans les documents.*", ""]
    return "\n".join(lines).rstrip() + "\n"


_PRINT_CSS = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 46em; margin: 2em auto;
       line-height: 1.45; color: #1f2328; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; } blockquote { margin: .5em 0; padding: .3em .8em;
       border-left: 3px solid #bbb; color: #333; }
.src { margin: .8em 0; } .meta { color: #555; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               .src { break-inside: avoid; } }
"""


def _cite_links(escaped: str) -> str:
    return re.sub(r"\[(\d{1,3})\]", r"<sup>[\1]</sup>", escaped)


def export_html(
    turns: Sequence[Mapping[str, Any]], which: int | None = None, title: str = ""
) -> str:
    """The same as :func:`export_markdown`, as a page to print (no script)."""
    e = html.escape
    today = dt.date.today().isoformat()
    head = "Réponse" if which is not None else "Conversation"
    out = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">',
        f"<title>{head} — Assistant documentaire addictions</title>",
        f"<style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{head} — Assistant documentaire addictions</h1>",
    ]
    if title:
        out.append(f"<p><em>{e(title)}</em></p>")
    out.append(f'<p class="meta">Exporté le {today}. Imprimez cette page (Ctrl+P).</p>')
    for i, t in _selected(turns, which):
        out.append(f"<h2>Question {i}</h2><blockquote>{e(str(t['user']['content']))}</blockquote>")
        out.append(f"<h3>Réponse</h3><p>{_cite_links(e(str(t.get('answer', ''))))}</p>")
        notes = [str(n) for n in t.get("notes") or []]
        if notes:
            items = "".join(f"<li>{e(n)}</li>" for n in notes)
            out.append(f"<p><strong>À savoir :</strong></p><ul>{items}</ul>")
        cites = [c for c in (citation_from(r) for r in t.get("citations") or []) if c]
        if cites:
            out.append("<h3>Sources</h3>")
            for c in cites:
                notice = f"<div>⚠ {e(c.notice)}</div>" if c.notice else ""
                out.append(
                    f'<div class="src"><strong>[{c.n}] {e(c.title)}</strong>'
                    f'<div class="meta">{e(_where(c))}</div>{notice}'
                    f"<blockquote>{e(c.text)}</blockquote></div>"
                )
        elif t.get("abstained"):
            out.append("<p><em>Pas de réponse sûre dans les documents.</em></p>")
    out.append("</body></html>")
    return "\n".join(out)


def export_choices(turns: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    out = [("Toute la conversation", "all")]
    for i, t in enumerate(turns, start=1):
        out.append((f"Réponse {i} : {title_of(str(t['user']['content']))}", str(i)))
    return out
