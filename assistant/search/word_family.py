"""Words of one family (« confisquée », « confiscation »), which the stemmer keeps
apart: a note that the documents do not speak of a word is false when they write one of
its family (ninth fresh-user test)."""

from __future__ import annotations

from collections.abc import Sequence

# The letters two words of one family share (« confis- »). Only the note on what the
# documents do not speak of reads this, never the choice of sentences.
_KIN_PREFIX = 6


def kin_said(stems: Sequence[str], said: set[str]) -> bool:
    """Whether every stem has a word of its family in ``said`` (same first letters)."""
    return bool(stems) and all(
        len(s) >= _KIN_PREFIX and any(t[:_KIN_PREFIX] == s[:_KIN_PREFIX] for t in said)
        for s in stems
    )
