"""Sentences of the chunks next to a cited one, which the chunker cut from it: the
sentence a pronoun stands for, and the end of a list.

« Celui-ci fait procéder … à l'examen médical de l'intéressé par un médecin désigné en
qualité de médecin relais » opens a chunk of article L3413-1; « le directeur général de
l'agence régionale de santé » it stands for closes the one before. « La formation
pratique … peut être effectuée selon deux modalités : - soit à titre de stagiaire ; »
closes a chunk of the capacité's programme; « - soit à titre de thérapeute … » opens
the next. Within one passage the selection already quotes the sentence a pronoun leans
on and a list with its items (sentence_selection._compose, ingest.sentences); across a
chunk boundary it could not: the answer opened on a « Celui-ci » nothing explained, or
gave one modality of two (third fresh-user test). The chunk next to a passage is read
from the store by its position in the document (``chunk_index``), only when it belongs
to the same section and touches the passage: another article's sentence is no
antecedent, nor its first item an end of the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..ingest.sentences import answer_units, strip_furniture
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .sentence_scoring import LIST_MARKER, _Candidate

# A subject pronoun that stands for someone or something named before; not the
# impersonal « il » (« Il existe … », « Il vous appartient … », « Il est créé … »).
_PRONOUN_OPENING = re.compile(
    r"^(?:celui-ci|celle-ci|ceux-ci|celles-ci|ce dernier|cette dernière|ces derniers|"
    r"ces dernières|(?:il|elle|ils|elles)\b(?!\s+(?:existe|(?:vous |nous |leur )?appartient|"
    r"s['’]agit|convient|faut|importe|y a|est (?:créée?|institué|utile|nécessaire|important|"
    r"rappelé|possible|prévu|entendu|précisé))))",
    re.I,
)


def leans_on_what_precedes(text: str) -> bool:
    """Whether a sentence cannot be read without the one before it: its subject is a
    pronoun (« Celui-ci fait procéder … », « Il informe … »). A demonstrative (« Ces
    distances sont calculées … ») or a connective names enough to be read alone, and
    measured, quoting what precedes them lowered citation precision (gold 0.732 →
    0.727) for no answer gained."""
    return bool(_PRONOUN_OPENING.match(text))


def opens_its_passage(cand: _Candidate, passage: Passage) -> bool:
    """Whether ``cand`` is the first answer unit of ``passage`` (what comes before it is
    furniture: a heading, a list marker)."""
    units = answer_units(passage.text)
    return bool(units) and cand.start <= strip_furniture(passage.text, *units[0])


def adjacent_passage(store: ChunkStore | None, passage: Passage, step: int) -> Passage | None:
    """The chunk right before (``step`` -1) or after (+1) ``passage`` in its document,
    when it is in the same section and touches it (at most a blank line between); None
    otherwise, or without a store or chunk positions (an index written before they
    were kept)."""
    meta = passage.metadata
    index = int(meta.get("chunk_index", -1))
    if store is None or index < 0 or index + step < 0:
        return None
    for c in store.get(sorted(store.chunk_ids_of(passage.doc_id))):
        m = c.metadata
        if int(m.get("chunk_index", -1)) != index + step:
            continue
        first, second = (m, meta) if step < 0 else (meta, m)
        gap = int(second.get("start", 0) or 0) - int(first.get("end", 0) or 0)
        if m.get("section", "") == meta.get("section", "") and 0 <= gap <= 4:
            return Passage(c.chunk_id, c.text, dict(m), 0.0)
        return None
    return None


def _unit(passages: list[Passage], at: int, span: tuple[int, int]) -> _Candidate:
    text = passages[at].text
    start = strip_furniture(text, *span)
    return _Candidate(at, start, span[1], text[start : span[1]])


def with_neighbours(
    chosen: list[_Candidate],
    passages: Sequence[Passage],
    store: ChunkStore | None,
    whole_lists: bool = True,
    walk_lists: bool = False,
) -> tuple[list[_Candidate], list[Passage]]:
    """(chosen, passages) with what the chunker cut from the chosen sentences: the last
    sentence of the chunk before, first, when the first chosen sentence opens its passage
    and leans on what precedes it (added to ``passages``, cited as its own source); the
    next items of a list that a chosen sentence leaves unfinished at its passage's end,
    when it announces how many items there are or is an item of a list quoted whole
    (``_ends_whole_list``, unless not ``whole_lists``), joined to its passage (one
    source): the next chunk's items up to a full stop, or, with ``walk_lists`` (the
    question asks for the list), every item, over as many chunks as it runs
    (``_items_after``, as for a list's opening that ends its chunk). Unchanged
    otherwise."""
    read = list(passages)
    if not chosen:
        return chosen, read
    out = list(chosen)
    first = chosen[0]
    passage = read[first.passage_index]
    if leans_on_what_precedes(first.text) and opens_its_passage(first, passage):
        before = adjacent_passage(store, passage, -1)
        units = answer_units(before.text) if before is not None else []
        if before is not None and units:
            read.append(before)
            out.insert(0, _unit(read, len(read) - 1, units[-1]))
    for c in chosen:
        passage = read[c.passage_index]
        missing = items_missing(c.text)
        # A sentence that opens a list and ends its passage (« Les stages que peut
        # prononcer la juridiction sont : ») says nothing without the items after it.
        bare = c.text.rstrip().endswith(":")
        if passage.text[c.end :].strip():
            continue
        whole = whole_lists and _ends_whole_list(c, chosen, passage.text)
        if not (missing or bare or whole):
            continue
        if bare and not missing and c is not first:
            # Context that announces a list: its items, from another chunk cited apart,
            # lowered citation precision (gold 0.732 → 0.727); the selection leaves a
            # short one out (sentence_selection._context).
            continue
        if (bare and not missing) or (whole and walk_lists):
            walked = _items_after(store, passage)
            if walked is None:
                continue
            read[c.passage_index], shifted = walked
        else:
            after = adjacent_passage(store, passage, +1)
            if after is None:
                continue
            spans = answer_units(after.text)
            spans = spans[:missing] if missing else _list_end(after.text, spans)
            if not spans:
                continue
            # The list's end is cited with its beginning, as one source: the next chunk
            # is the same article's text, cut by the chunker (gold citation precision
            # 0.729 with it as a source of its own, its sentences the answer's too).
            read[c.passage_index], offset = _joined(passage, after)
            shifted = [(s + offset, e + offset) for s, e in spans]
        items = [_unit(read, c.passage_index, span) for span in shifted]
        at = out.index(c) + 1
        out[at:at] = items
    return out, read


# How far the items of a list whose opening ends its chunk are read: chunks after it
# (an item may be a chunk of its own, and go on in the next: the eleven measures of CPP
# 41-1), chunks in a row without an item, items.
_MAX_WALKED = 16
_MAX_ITEMLESS = 2
_MAX_WALKED_ITEMS = 24
_NUMBERED = re.compile(r"^\s*(\d{1,2})°")


def _items_after(
    store: ChunkStore | None, passage: Passage
) -> tuple[Passage, list[tuple[int, int]]] | None:
    """``passage``, which ends on a list's opening (« … le procureur de la République
    peut … : »), joined to the chunks after it as far as its items run (one source: the
    article's contiguous text), and the spans there of the unit that opens each item
    (« 1° Adresser … . », « 2° Orienter … ; »), not of the sentences an item goes on
    with; a sub-list's items (« a) », « - ») within their item. A numbered list runs
    while its numbers follow one another; a list of dashes or letters, while its markers
    are of that kind. Also for a list quoted whole up to its chunk's end (« 3° … ; »): its
    end. None when the next chunk opens on no item."""
    chunks: list[Passage] = []
    found: list[tuple[int, int, int]] = []  # (chunk, start, end)
    kind, number, itemless, ended = "", 0, 0, False
    cur: Passage | None = passage
    while len(chunks) < _MAX_WALKED and itemless < _MAX_ITEMLESS and not ended:
        cur = adjacent_passage(store, cur, +1) if cur is not None else None
        if cur is None:
            break
        units = answer_units(cur.text)
        if not chunks and not (units and _ITEM_OPENING.match(cur.text[slice(*units[0])])):
            return None
        chunks.append(cur)
        before = len(found)
        for s, e in units:
            marker = _ITEM_OPENING.match(cur.text[s:e])
            if marker is None or len(found) >= _MAX_WALKED_ITEMS:
                continue
            numbered = _NUMBERED.match(cur.text[s:e])
            this = "n" if numbered else ("-" if marker.group(0).strip()[0] in "-–•" else "a")
            if not kind:
                kind, number = this, int(numbered.group(1)) - 1 if numbered else 0
            if this != kind:
                found.append((len(chunks) - 1, s, e))  # a sub-list's item, within its item
                continue
            if numbered and int(numbered.group(1)) != number + 1:
                ended = True  # another list: this one has ended
                break
            number += 1
            found.append((len(chunks) - 1, s, e))
        itemless = 0 if len(found) > before else itemless + 1
    if not found:
        return None
    joined, offsets = passage, []
    for after in chunks[: found[-1][0] + 1]:
        joined, offset = _joined(joined, after)
        offsets.append(offset)
    return joined, [(s + offsets[k], e + offsets[k]) for k, s, e in found]


def _list_end(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The units of ``text`` that open it as items of a list until the one that ends it
    with a full stop (included), at most ``_MAX_LIST_ITEMS``; none when it opens on no
    item."""
    out: list[tuple[int, int]] = []
    for span in spans[:_MAX_LIST_ITEMS]:
        unit = text[span[0] : span[1]]
        if not _ITEM_OPENING.match(unit):
            break
        out.append(span)
        if not unit.rstrip().endswith((";", ",", ":")):
            break
    return out


def _joined(passage: Passage, after: Passage) -> tuple[Passage, int]:
    """``passage`` followed by ``after``, the chunk next to it in its document (a blank
    line between, as the chunker's cut), and where ``after``'s text starts in it. The
    position and pages are those of both."""
    text = passage.text.rstrip() + "\n\n"
    meta = dict(passage.metadata)
    for k in ("end", "page_end", "page_end_label"):
        if after.metadata.get(k) not in (None, ""):
            meta[k] = after.metadata[k]
    page = after.metadata.get("page")
    if not meta.get("page_end") and page and page != passage.metadata.get("page"):
        meta["page_end"] = page  # the next chunk is on one page, after this one's
    return replace(passage, text=text + after.text, metadata=meta), len(text)


def _ends_whole_list(c: _Candidate, chosen: Sequence[_Candidate], text: str) -> bool:
    """Whether ``c`` is an unfinished item (« 4° La mise à disposition … ; ») of a list
    quoted whole from its opening (« … assurent : ») in the passage ``text``: the chosen
    units of the passage run without a gap (but markers) from the opening to ``c``. The
    next chunk then holds the list's end (« 5° L'intervention de proximité … . »), which
    « Quelles sont les missions d'un CAARUD ? » must not lose (fifteenth fresh-user test).
    A list the selection kept to some items (``list_items.narrowed``) is not completed:
    measured, the next chunk's items doubled those answers."""
    if not c.text.rstrip().endswith(";"):
        return False
    own = sorted((u for u in chosen if u.passage_index == c.passage_index), key=lambda u: u.start)
    k = own.index(c)
    while k > 0 and _BETWEEN_ITEMS.fullmatch(text[own[k - 1].end : own[k].start]):
        k -= 1
    return any(u.text.rstrip().endswith(":") or ":\n" in u.text for u in own[k:])


def with_item_markers(chosen: list[_Candidate], passages: Sequence[Passage]) -> list[_Candidate]:
    """``chosen`` with the marker (« 2° », « b) », « - ») of each list item quoted right
    after the unit before it in its list: the selection's units leave their opening marker
    out (no « 7° » glued to a sentence quoted alone), but in a list quoted in order,
    « 1° L'accueil … ; » then « Le soutien … » without its « 2° » ran two items together
    (fifteenth fresh-user test). The span stays a substring of the passage."""
    out: list[_Candidate] = []
    for c in chosen:
        prev = out[-1] if out else None
        text = passages[c.passage_index].text
        line_start = text.rfind("\n", 0, c.start) + 1
        marker = _ITEM_OPENING.fullmatch(text[line_start : c.start])
        # An item quoted with its marker (« 3° Demander … . ») and the next item's first
        # sentence, the item's other sentences left out between them (_items_after).
        item = prev is not None and bool(_ITEM_OPENING.match(prev.text))
        if prev is not None and marker and (item or prev.text.rstrip().endswith((";", ":"))):
            if prev.passage_index == c.passage_index:
                between = text[prev.end : line_start]
                follows = prev.end <= line_start and (
                    not between.strip() or (item and not _ITEM_LINE.search(between))
                )
            else:  # the list goes on at the top of the next chunk (with_neighbours)
                rest = passages[prev.passage_index].text[prev.end :]
                follows = not rest.strip() and not text[:line_start].strip()
            if follows:
                # Both items of the pair keep their marker (« 18° … ; 19° … ; »).
                out[-1] = _with_marker(prev, passages)
                c = _with_marker(c, passages)
        out.append(c)
    return out


def _with_marker(c: _Candidate, passages: Sequence[Passage]) -> _Candidate:
    """``c`` from the list marker that opens its line, when only one stands before it."""
    text = passages[c.passage_index].text
    line_start = text.rfind("\n", 0, c.start) + 1
    lead = text[line_start : c.start]
    if not lead.strip() or not _ITEM_OPENING.fullmatch(lead):
        return c
    start = line_start + len(lead) - len(lead.lstrip())
    return replace(c, start=start, text=text[start : c.end])


# A line of ``text`` that opens a list item.
_ITEM_LINE = re.compile(rf"(?:^|\n)\s*{LIST_MARKER}\s")
# Between two items of a list quoted in order: blank lines and the second's marker.
_BETWEEN_ITEMS = re.compile(rf"\s*(?:{LIST_MARKER}\s*)?")
# How many items of a list a « qui » question is answered with.
_MAX_LIST_ITEMS = 8
_MARKER = LIST_MARKER  # « 2° », « a) », « - »
_ITEM_OPENING = re.compile(rf"^\s*{_MARKER}\s*")


# An item that is a noun phrase, what a list of whom enumerates (« Les centres gratuits
# d'information … », « Un représentant de … »).
_NAMES_SOMEONE = re.compile(r"^(?:les|le|la|l['’]|des|un|une|deux|trois|quatre|cinq)\b", re.I)


def _items_before(text: str, units: list[tuple[int, int]], end: int) -> int:
    """Index of the first of the list items that run up to ``units[end - 1]``."""
    k = end
    while k > 0 and _ITEM_OPENING.match(text[units[k - 1][0] : units[k - 1][1]]):
        k -= 1
    return k


def _item_of_list(
    first: _Candidate, read: Sequence[Passage]
) -> tuple[str, list[tuple[int, int]], int] | None:
    """When ``first`` is a list item: its passage's text and answer units, and the index
    of the first of the list items that run up to it there; None otherwise."""
    text = read[first.passage_index].text
    units = answer_units(text)
    at = next((k for k, (s, e) in enumerate(units) if s <= first.start < e), None)
    if at is None or not _ITEM_OPENING.match(text[units[at][0] : units[at][1]]):
        return None
    return text, units, _items_before(text, units, at)


def with_whole_list(
    chosen: list[_Candidate], passages: Sequence[Passage], store: ChunkStore | None
) -> tuple[list[_Candidate], list[Passage]]:
    """(chosen, passages) with the whole list when the first chosen sentence is one of
    its items: the sentence that opens it (« … peuvent être délivrés par : ») and its
    items in order, up to ``_MAX_LIST_ITEMS``, from the chunk before too when the chunker
    cut the list (same section, contiguous). For a question that asks who: « Qui a le
    droit de délivrer des autotests VIH ? » quoted the item « 2° Les organismes de
    prévention sanitaire habilités … » that shares its words, not the CeGIDD (1°, in the
    chunk before) nor the CSAPA (3°), who may too (sixth fresh-user test). Unchanged when
    the first sentence is no item, or no noun phrase (a list of conditions), or its list
    has no opening sentence ending on « : »."""
    read = list(passages)
    if not chosen:
        return chosen, read
    first = chosen[0]
    item = _item_of_list(first, read)
    if item is None:
        return chosen, read
    if not _NAMES_SOMEONE.match(first.text):
        # « Soit exercent dans un ensemble … conforme à un cahier des charges fixé par un
        # arrêté » says who within a condition: the list is of conditions, not of whom.
        return chosen, read
    text, units, k = item
    opener: Passage | None = None  # the chunk before, when the list opens there
    if k > 0:
        source, spans = text, units[k - 1 : k]
    else:
        opener = adjacent_passage(store, read[first.passage_index], -1)
        if opener is None:
            return chosen, read
        prior = answer_units(opener.text)
        j = _items_before(opener.text, prior, len(prior))
        if j == 0:
            return chosen, read
        source, spans = opener.text, prior[j - 1 :]
    if not source[spans[0][0] : spans[0][1]].rstrip().endswith(":"):
        return chosen, read
    where = first.passage_index
    if opener is not None:
        read.append(opener)
        where = len(read) - 1
    listed = [_unit(read, where, span) for span in spans]
    for span in units[k:]:
        if not _ITEM_OPENING.match(text[span[0] : span[1]]) or len(listed) > _MAX_LIST_ITEMS:
            break
        listed.append(_unit(read, first.passage_index, span))
    rest = [c for c in chosen if c.passage_index != first.passage_index]
    return [*listed, *rest], read


def with_list_opening(
    chosen: list[_Candidate], passages: Sequence[Passage], store: ChunkStore | None
) -> tuple[list[_Candidate], list[Passage]]:
    """(chosen, passages) with the line that opens a list before the first chosen sentence
    when that is one of its items, for a yes/no question: « Le stage de sensibilisation à
    … la maltraitance animale. » answers « Un tribunal peut-il condamner quelqu'un à un
    stage sur la maltraitance animale ? » only after « Les stages que peut prononcer la
    juridiction sont : »; « le directeur de la caisse centrale de la Mutualité sociale
    agricole ; » after « Deux représentants de l'assurance maladie : ». The opening line
    is the first line of the unit before the items (from the chunk before when the
    chunker cut the list), when it ends on « : ». Unchanged otherwise."""
    read = list(passages)
    item = _item_of_list(chosen[0], read) if chosen else None
    if item is None:
        return chosen, read
    text, units, k = item
    source, where = text, chosen[0].passage_index
    before = None
    if k > 0:
        span = units[k - 1]
    else:
        before = adjacent_passage(store, read[where], -1)
        prior = answer_units(before.text) if before is not None else []
        if before is None or not prior:
            return chosen, read
        source, span, where = before.text, prior[-1], len(read)
    line = source[span[0] : span[1]].split("\n", 1)[0].rstrip()
    if not line.endswith(":"):
        return chosen, read
    if before is not None:
        read.append(before)
    opening = _unit(read, where, (span[0], span[0] + len(line)))
    if any(c.text == opening.text for c in chosen):
        return chosen, read
    return [opening, *chosen], read


# A sentence that announces how many items its list has and ends on one of them (« …
# selon deux modalités : - soit à titre de stagiaire ; »). A list that does not say
# its length is not completed: measured, the next chunk's items of the long lists of the
# legal texts doubled answers the selection had kept to their first items.
_COUNTED_LIST = re.compile(
    r"\b(?P<n>deux|trois|quatre|cinq|[2-5])(?:\s+[\w'’-]+){1,5}\s*:"
    r"(?P<items>\s*(?:[-–•]|\d+°|[a-z]\))[^:]*[;,])\s*$",
    re.I,
)
_NUMBERS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
_ITEM_MARK = re.compile(rf"(?:^|\n)\s*{_MARKER}")


def items_missing(text: str) -> int:
    """How many items of the list a sentence announces are not in it: 1 for « … selon
    deux modalités : - soit à titre de stagiaire ; », 0 for a sentence that gives its
    list whole or does not say how long it is."""
    m = _COUNTED_LIST.search(text)
    if m is None:
        return 0
    n = m.group("n").lower()
    announced = int(n) if n.isdigit() else _NUMBERS[n]
    return max(0, announced - len(_ITEM_MARK.findall(m.group("items"))))
