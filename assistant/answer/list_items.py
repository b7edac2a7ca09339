"""The items of a long list that a yes/no question is about, quoted with the sentence
that opens the list instead of the whole list (used by ``SentenceSelector._select``),
and what tells a unit that is a list or one of its items (``in_list``).

« Le ministre de la culture est-il membre du comité interministériel … ? » is answered by
« Le comité comprend, sous la présidence du Premier ministre : » and « 7° Le ministre
chargé de la culture ; », not by the committee's twenty-two members: the reader sees the
answer, and the list it is taken from. Each part is a span of its passage (its
highlighted sentences in the source view)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .sentence_scoring import LIST_MARKER, _Candidate

# An item of a list written one per line: « 7° Le ministre … », « - un représentant … ».
_ITEM_START = re.compile(rf"\n\s*{LIST_MARKER}\s+")
# A list is narrowed from this many items: a short one reads whole.
MIN_ITEMS = 4


def narrowed(
    unit: _Candidate,
    key: Mapping[str, float],
    stems: Callable[[str], Sequence[str]],
) -> list[_Candidate]:
    """``unit`` as its opening sentence and the items that hold the rarest of the
    question's key terms (``key``: stem → IDF) that its items hold and its opening does
    not; ``[unit]`` when it is no list of ``MIN_ITEMS`` items or more, or when those
    terms are in every item or in none."""
    text = unit.text
    starts = list(_ITEM_START.finditer(text))
    if len(starts) < MIN_ITEMS:
        return [unit]
    opening = text[: starts[0].start()].rstrip()
    if not opening.endswith(":"):
        return [unit]
    bounds = [m.end() for m in starts]
    items = [
        (b, (starts[i + 1].start() if i + 1 < len(starts) else len(text)))
        for i, b in enumerate(bounds)
    ]
    item_terms = [set(stems(text[s:e])) & set(key) for s, e in items]
    own = set(stems(opening))
    found = set().union(*item_terms) - own
    if not found:
        return [unit]
    top = max(key[t] for t in found)
    rarest = {t for t in found if key[t] == top}
    holding = [span for span, terms in zip(items, item_terms, strict=True) if rarest & terms]
    if not holding or len(holding) == len(items):
        return [unit]
    parts = [replace(unit, end=unit.start + len(opening), text=opening)]
    for s, e in holding:
        item = text[s:e].rstrip()
        parts.append(replace(unit, start=unit.start + s, end=unit.start + s + len(item), text=item))
    return parts


def in_list(unit: _Candidate, before: _Candidate | None) -> bool:
    """Whether ``unit`` is a list with its items, or one of its items: it ends on « ; », or
    the unit ``before`` it in its passage ends on « ; » or « : »."""
    if _ITEM_START.search(unit.text) or unit.text.rstrip().endswith(";"):
        return True
    return before is not None and before.text.rstrip().endswith((";", ":"))


def sibling_item(c: _Candidate, unit: _Candidate) -> bool:
    """Whether ``c`` is another item of the list ``unit`` opens, in its passage."""
    return c.passage_index == unit.passage_index and c.text.rstrip().endswith(";")
