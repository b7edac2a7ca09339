"""The answer's text from its marked sentences: prose on one line, a list's items each on
a line of their own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .neighbours import _ITEM_OPENING
from .sentence_scoring import LIST_MARKER

# A unit that holds a list's items, one per line (« … assurent :\n\n1° … ; »).
_HOLDS_ITEMS = re.compile(rf"\n\s*{LIST_MARKER}\s*")


def joined_answer(parts: Sequence[str]) -> str:
    """The answer's text from its marked sentences (« S [1] »), in order: a list's items
    each on a line of their own, as their text sets them: a sentence after an item or a
    list's opening (it ends on « ; » or « : », or holds items), or that opens on a marker
    (« 2° … »), starts a paragraph; other sentences follow on the same line. (Joined on
    one line, « … ; [1] 2° Le soutien … » read as one sentence, sixteenth fresh-user
    test.)"""
    out = ""
    before = ""
    for part in parts:
        if out:
            text = before.rsplit("[", 1)[0].rstrip()
            breaks = (
                _ITEM_OPENING.match(part)
                or _ITEM_OPENING.match(text)
                or text.endswith((";", ":"))
                or _HOLDS_ITEMS.search(text)
            )
            out += "\n\n" if breaks else " "
        out += part
        before = part
    return out
