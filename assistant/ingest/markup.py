"""Turn Markdown and HTML documents into the plain text the cleaner and chunker read.

The output is paragraphs separated by a blank line; a heading is a paragraph of its own
written ``## Titre`` (the chunker's ``heading_level`` makes it a section); a list item
is a line ``- texte``; a table row is a paragraph ``En-tête : valeur ; En-tête : valeur.``
so that one row can be cited with the names of its columns.

Markdown is parsed by markdown-it-py (CommonMark, tables, definition lists); a Hugo or
Jekyll front matter (``+++`` TOML or ``---`` YAML) is read as metadata and never kept as
text; shortcodes (``{{< x >}}``, ``{{% x %}}``), Liquid tags, ``{.class}`` attribute
lines and raw HTML tags are reduced to their text. An HTML page is reduced to its main
content by trafilatura (navigation, share buttons, cookie banners and footers dropped),
its title, date and description read from the page's metadata.

Markdown and front matter are read here; HTML in ``markup_html.py``; what both write
(tables, blocks, the ``Converted`` result) is in ``markup_blocks.py``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from .markup_blocks import Converted, _as_date, _join, _one_line, _table_rows
from .markup_html import html_fragment_blocks, log

MARKDOWN_SUFFIXES = (".md",)


HTML_SUFFIXES = (".html", ".htm")


_FRONT_MATTER = re.compile(
    r"\A\ufeff?[ \t]*(?P<fence>\+\+\+|---)[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)",
    re.S,
)


_KEY_LINE = re.compile(r"[A-Za-z_][\w-]*[ \t]*[:=]")


# Hugo shortcodes, opening, closing or self-closing: {{< x a="b" >}}, {{% /x %}},
# {{</* x */>}} (an escaped example in a Hugo doc page).
_SHORTCODE = re.compile(r"\{\{([<%])/?\*?.*?\*?/?\1?[%>]\}\}", re.S)


# Jekyll's Liquid: {% include x.html %}, {{ page.title }}.
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


# Kramdown/Pandoc attribute lists: a line "{.class}" or "{: #id .class}", or one closing
# a heading or a paragraph ("## Titre {#ancre}").
_ATTR_LINE = re.compile(r"^[ \t]*\{:?[ \t]*[.#][^{}\n]*\}[ \t]*$", re.M)


_ATTR_TAIL = re.compile(r"[ \t]+\{:?[ \t]*[.#][^{}\n]*\}[ \t]*$", re.M)


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """Return (front matter as a mapping, the rest of the text).

    A block that cannot be parsed is still removed (it is never text to quote) and gives
    an empty mapping; a text without front matter, or opening with a ``---`` rule and a
    paragraph rather than fields, comes back unchanged.
    """
    m = _FRONT_MATTER.match(source)
    if not m:
        return {}, source
    body = m.group("body")
    rest = source[m.end() :]
    data: object
    try:
        if m.group("fence") == "+++":
            data = tomllib.loads(body)
        else:
            import yaml

            data = yaml.safe_load(body)
    except Exception as exc:  # a malformed block: dropped, as the site generator would fail
        data = None
        log.warning("front matter illisible (%s) : ignorée", type(exc).__name__)
    if isinstance(data, dict):
        return dict(data), rest
    # "---" is also a Markdown rule: a text between two rules is kept unless it reads as
    # "key: value" lines (a front matter too broken to parse).
    if m.group("fence") == "---" and not _KEY_LINE.match(body.lstrip("\n")):
        return {}, source
    return {}, rest


def front_matter_meta(data: Mapping[str, Any]) -> dict[str, str]:
    """The metadata worth proposing from a front matter: title, date, description, tags.

    Hugo and Jekyll spellings are accepted (``date``, ``publishDate``, ``lastmod``;
    ``tags``, ``keywords``, ``categories``); values that are not text are skipped.
    """
    lowered = {str(k).lower(): v for k, v in data.items()}
    meta: dict[str, str] = {}
    title = lowered.get("title")
    if isinstance(title, str) and title.strip():
        meta["title"] = _one_line(title)
    for key in ("date", "publishdate", "pubdate", "published", "lastmod"):
        date = _as_date(lowered.get(key))
        if date is not None:
            meta["date"] = date.isoformat()
            break
    for key in ("description", "summary"):
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            meta["description"] = _one_line(value)
            break
    kind = lowered.get("type")
    if isinstance(kind, str) and kind.strip():
        meta["type"] = _one_line(kind)  # Hugo's layout type; kept only if it is a known one
    tags: list[str] = []
    for key in ("tags", "keywords", "categories"):
        value = lowered.get(key)
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        tags += [_one_line(t) for t in items if isinstance(t, str) and t.strip()]
    if tags:
        meta["tags"] = ", ".join(dict.fromkeys(tags))
    return meta


def markdown_to_text(source: str) -> Converted:
    """Convert a Markdown document (front matter, shortcodes and HTML included)."""
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode
    from mdit_py_plugins.deflist import deflist_plugin

    data, body = split_front_matter(source.replace("\r\n", "\n").replace("\r", "\n"))
    body = _SHORTCODE.sub("", body)
    body = _LIQUID.sub("", body)
    body = _ATTR_LINE.sub("", body)
    body = _ATTR_TAIL.sub("", body)
    md = MarkdownIt("commonmark").enable("table").use(deflist_plugin)
    tree = SyntaxTreeNode(md.parse(body))
    blocks: list[str] = []
    for node in tree.children:
        _md_block(node, blocks)
    return Converted(text=_join(blocks), meta=front_matter_meta(data))


def _md_block(node: Any, out: list[str]) -> None:
    kind = node.type
    if kind == "heading":
        title = _one_line(_md_inline(node.children[0])) if node.children else ""
        if title:
            out.append(f"{'#' * int(node.tag[1])} {title}")
    elif kind == "paragraph":
        text = _md_inline(node.children[0]) if node.children else ""
        if text.strip():
            out.append(text.strip())
    elif kind in ("bullet_list", "ordered_list"):
        lines = _md_list(node)
        if lines:
            out.append("\n".join(lines))
    elif kind in ("fence", "code_block"):
        if node.content.strip():
            out.append(node.content.strip("\n"))
    elif kind == "table":
        out.extend(_table_rows(_md_table(node)))
    elif kind == "dl":
        out.extend(_md_deflist(node))
    elif kind == "html_block":
        out.extend(html_fragment_blocks(node.content))
    elif kind == "hr":
        return
    else:  # blockquote and any container: its blocks
        for child in node.children:
            _md_block(child, out)


def _md_inline(node: Any) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "html_inline":
            # A <br> breaks the line; any other tag is markup around text kept as is.
            if re.match(r"<br\b", child.content, re.I):
                parts.append("\n")
        elif kind == "image":
            continue  # its alt text is not part of the sentence
        else:  # link, em, strong, s: their text
            parts.append(_md_inline(child))
    return "".join(parts)


def _md_item_text(item: Any) -> tuple[str, list[str]]:
    """The text of a list item, and the lines of the lists nested in it."""
    texts: list[str] = []
    nested: list[str] = []
    for child in item.children:
        if child.type in ("bullet_list", "ordered_list"):
            nested += ["  " + line for line in _md_list(child)]
        else:
            sub: list[str] = []
            _md_block(child, sub)
            texts += [_one_line(s) for s in sub]
    return " ".join(t for t in texts if t), nested


def _md_list(node: Any) -> list[str]:
    lines: list[str] = []
    number = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 0
    for item in node.children:
        text, nested = _md_item_text(item)
        if text:
            lines.append(f"{number}. {text}" if number else f"- {text}")
        lines += nested
        if number:
            number += 1
    return lines


def _md_table(node: Any) -> list[tuple[bool, list[str]]]:
    rows: list[tuple[bool, list[str]]] = []
    for section in node.children:  # thead, tbody
        for tr in section.children:
            cells = [
                _one_line(_md_inline(c.children[0])) if c.children else "" for c in tr.children
            ]
            rows.append((section.type == "thead", cells))
    return rows


def _md_deflist(node: Any) -> list[str]:
    out: list[str] = []
    term = ""
    for child in node.children:
        if child.type == "dt":
            if term:
                out.append(term)
            term = _one_line(_md_inline(child.children[0])) if child.children else ""
        elif child.type == "dd":
            sub: list[str] = []
            for block in child.children:
                _md_block(block, sub)
            definition = " ".join(_one_line(s) for s in sub if s.strip())
            out.append(f"{term} : {definition}" if term else definition)
            term = ""
    if term:
        out.append(term)
    return [s for s in out if s.strip()]
