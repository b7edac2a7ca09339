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
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("assistant.ingest.markup")

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
_TERMINAL = tuple(".!?;:…")
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


@dataclass
class Converted:
    """A document as text, and the metadata its markup declares.

    ``meta`` holds strings under the keys ``title``, ``date`` (ISO ``AAAA-MM-JJ``),
    ``description``, ``tags`` (comma-separated) and ``type`` (as written), each only
    when present.
    """

    text: str
    meta: dict[str, str] = field(default_factory=dict)


# --- Front matter -------------------------------------------------------------------


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


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := re.match(r"\s*(\d{4}-\d\d-\d\d)", value)):
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- Markdown -----------------------------------------------------------------------


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


def labelled_row(header: Sequence[str], cells: Sequence[str]) -> str:
    """One table row as a sentence with its column names: « Colonne : valeur ; … »
    (a cell under no header, or equal to its header, alone); "" for an empty row. Shared
    by every format with tables (Markdown, HTML, Word, OpenDocument)."""
    pieces = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        name = header[i] if i < len(header) else ""
        pieces.append(f"{name} : {cell}" if name and name != cell else cell)
    return " ; ".join(pieces)


def _table_rows(rows: list[tuple[bool, list[str]]]) -> list[str]:
    """One paragraph per row, each value with its column's name: "A : 1 ; B : 2."

    ``rows`` are (is a header row, cells). The first header row names the columns; a
    table without one is read row by row, its cells separated by " ; ".
    """
    header: list[str] = []
    out: list[str] = []
    for is_head, cells in rows:
        if is_head and not header:
            header = cells
            continue
        row = labelled_row(header, cells)
        if row:
            # A final stop: the cleaner must not join a row to the next one.
            out.append(row if row.endswith(_TERMINAL) else row + ".")
    if header and not out:
        out.append(" ; ".join(c for c in header if c))
    return out


def _join(blocks: Iterable[str]) -> str:
    text = "\n\n".join(b.strip("\n") for b in blocks if b.strip())
    return text + "\n" if text else ""


# --- HTML ---------------------------------------------------------------------------


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
