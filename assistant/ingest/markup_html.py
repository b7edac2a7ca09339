"""HTML pages (and HTML inside Markdown) to text: the main content kept by trafilatura,
blocks, lists and tables in the plain-text conventions of ``markup.py``."""

from __future__ import annotations

import logging
from typing import Any

from .markup_blocks import Converted, _as_date, _join, _one_line, _table_rows

log = logging.getLogger("assistant.ingest.markup")


# HTML elements that are page furniture wherever they appear, never content.
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside"}
    | {"form", "button", "select", "iframe", "object", "head", "title", "meta", "link"}
)


_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "blockquote", "pre", "figure", "figcaption"}
    | {"ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "address", "details", "summary"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "body", "html", "center", "caption"}
)


def html_fragment_blocks(fragment: str) -> list[str]:
    """The text blocks of an HTML fragment (a raw HTML block of a Markdown file)."""
    import lxml.html
    from lxml import etree

    if not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return _html_blocks(root)


def _html_blocks(root: Any) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []

    def flush(prefix: str = "") -> None:
        text = _one_line("".join(current))
        current.clear()
        if text:
            blocks.append(prefix + text)

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag:  # a comment or a processing instruction: only its tail is text
            if el.tail:
                current.append(el.tail)
            return
        if tag in _SKIPPED_TAGS:
            if el.tail:
                current.append(el.tail)
            return
        if tag == "table":
            flush()
            blocks.extend(_table_rows(_html_table(el)))
        elif tag == "br":
            current.append(" ")
        elif tag in _BLOCK_TAGS:
            flush()
            if el.text:
                current.append(el.text)
            for child in el:
                walk(child)
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                flush("#" * int(tag[1]) + " ")
            elif tag in ("li", "dt"):
                flush("- " if tag == "li" else "")
            else:
                flush()
        else:  # inline: span, a, em, strong…
            if el.text:
                current.append(el.text)
            for child in el:
                walk(child)
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return _merge_list_items(blocks)


def _merge_list_items(blocks: list[str]) -> list[str]:
    """Consecutive list items make one paragraph, one item a line (as in Markdown)."""
    out: list[str] = []
    for b in blocks:
        if b.startswith("- ") and out and out[-1].split("\n")[-1].startswith("- "):
            out[-1] += "\n" + b
        else:
            out.append(b)
    return out


def _html_table(table: Any) -> list[tuple[bool, list[str]]]:
    rows: list[tuple[bool, list[str]]] = []
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        texts = [_one_line(c.text_content()) for c in cells]
        is_head = bool(cells) and all(c.tag.lower() == "th" for c in cells)
        rows.append((is_head, texts))
    return rows


def html_to_text(source: str | bytes) -> Converted:
    """The main content of an HTML page, with its title, date and description.

    trafilatura finds the main content; a page it cannot make sense of (too short, no
    article) is read whole, without its navigation, header, footer and scripts.
    """
    import lxml.html
    import trafilatura
    from lxml import etree

    raw = source if isinstance(source, str) else source.decode("utf-8", errors="replace")
    extracted = None
    try:
        extracted = trafilatura.extract(
            raw,
            output_format="html",
            include_tables=True,
            include_formatting=False,
            include_links=False,
            include_images=False,
            include_comments=False,
            # Boilerplate quoted as an answer is worse than a lost aside: on short pages
            # the default (recall) keeps menus glued to the text.
            favor_precision=True,
            with_metadata=True,
            # The page's declared dates only: a date guessed from the text (a law cited)
            # would be proposed as the page's.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a parser failure falls back to the whole page
        log.warning("extraction du contenu principal impossible (%s)", type(exc).__name__)
    meta: dict[str, str] = {}
    blocks: list[str] = []
    try:
        if extracted:
            doc = lxml.html.document_fromstring(extracted)
            for m in doc.iter("meta"):
                name, content = m.get("name"), m.get("content")
                if name and content:
                    meta[name.lower()] = _one_line(content)
            body = doc.find("body")
            blocks = _html_blocks(body if body is not None else doc)
        if not blocks:
            page = lxml.html.document_fromstring(raw)
            body = page.find("body")
            blocks = _html_blocks(body if body is not None else page)
            title = page.findtext(".//title")
            if title and title.strip():
                meta.setdefault("title", _one_line(title))
    except (etree.ParserError, ValueError):
        return Converted(text="", meta={})
    out: dict[str, str] = {}
    if meta.get("title"):
        out["title"] = meta["title"]
    date = _as_date(meta.get("date"))
    if date is not None:
        out["date"] = date.isoformat()
    if meta.get("description"):
        out["description"] = meta["description"]
    tags = [t for key in ("tags", "categories") for t in meta.get(key, "").split(",") if t.strip()]
    if tags:
        out["tags"] = ", ".join(dict.fromkeys(t.strip() for t in tags))
    return Converted(text=_join(blocks), meta=out)
