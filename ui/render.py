"""Answers as Markdown for the chat (no gradio import: testable on its own)."""

from __future__ import annotations

import html

from assistant import Answer
from assistant.answer import shorten


def answer_markdown(answer: Answer) -> str:
    text = html.escape(answer.answer, quote=False)
    if answer.abstained:
        return f"**{text}**"
    return text


def sources_markdown(answer: Answer) -> str:
    if answer.abstained:
        if not answer.passages:
            return ""
        lines = ["### Passages les plus proches — peut-être utiles", ""]
        for p in answer.passages[:3]:
            title = html.escape(str(p.metadata.get("title", p.doc_id)))
            lines.append(f"- **{title}** : « {html.escape(shorten(p.text, 300))} »")
        return "\n".join(lines)
    lines = ["### Sources", ""]
    for c in answer.citations:
        lines.append(f"**[{c.n}] {html.escape(c.label())}**")
        lines.append("")
        lines.append("> " + html.escape(" ".join(c.text.split())))
        lines.append("")
    return "\n".join(lines)
