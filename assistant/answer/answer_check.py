"""The check of a generated answer: each sentence must cite sources that hold its words
and numbers; checked as it streams (release point, renumbered markers)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..ingest.sentences import split_spans
from ..search.lexical import FrenchAnalyzer
from ..search.retrieval import Passage
from .prompt import _IMAGE, _TAG, NO_ANSWER, _squash, sanitize, strip_instructions

_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")


_MARKER_AFTER_STOP = re.compile(r"([.!?…])((?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+)")


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class Checked:
    """What the verification made of a generated text."""

    text: str  # the answer as shown: sound sentences, markers renumbered from 1
    kept: list[tuple[str, list[int]]]  # (sentence, source numbers as given)
    dropped: list[tuple[str, str]]  # (sentence, why)
    abstained: bool = False

    @property
    def clean(self) -> bool:
        return not self.dropped


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.split(r"\s*[,;]\s*", group) if x]


class _Sources:
    """What the check compares sentences with, computed once per answer."""

    def __init__(self, passages: Sequence[Passage], analyzer: FrenchAnalyzer) -> None:
        texts = [strip_instructions(p.text) for p in passages]
        self.analyzer = analyzer
        self.stems = [set(analyzer.stems(t)) for t in texts]
        self.digits = [_squash(t).replace(" ", "") for t in texts]  # "1 500" is 1500 too

    def __len__(self) -> int:
        return len(self.stems)


def _abstains(text: str) -> bool:
    return _squash(text).strip(" «»\"'").lower().startswith(NO_ANSWER[:40].lower())


def _may_abstain(text: str) -> bool:
    """Whether a reply still being written may turn out to be the abstention."""
    head = _squash(text).strip(" «»\"'").lower()
    return NO_ANSWER[:40].lower().startswith(head[:40])


def check(
    text: str,
    passages: Sequence[Passage],
    analyzer: FrenchAnalyzer,
    min_support: float = 0.5,
) -> Checked:
    """Verify a generated answer against the sources it was given."""
    text = sanitize(text).strip()
    if _abstains(text):
        return Checked(NO_ANSWER, [], [], abstained=True)
    kept, dropped = _check_sentences(text, _Sources(passages, analyzer), min_support)
    return Checked(_render(kept), kept, dropped)


def _move_markers(text: str) -> str:
    """Markers written after the stop moved before it ("phrase. [1]" reads "phrase
    [1]."): they belong to the sentence before. The same characters, reordered, so that
    positions do not move."""
    return _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)


def _check_sentences(
    text: str, sources: _Sources, min_support: float
) -> tuple[list[tuple[str, list[int]]], list[tuple[str, str]]]:
    """The sentences of a sanitised text, kept (with their source numbers) or dropped
    (with why)."""
    text = _move_markers(text)
    analyzer = sources.analyzer
    kept: list[tuple[str, list[int]]] = []
    dropped: list[tuple[str, str]] = []
    for s, e in split_spans(text):
        sentence = text[s:e].strip(" -*•\t")
        if not sentence:
            continue
        refs = [n for g in _MARKER.findall(sentence) for n in _numbers(g)]
        bare = re.sub(r"\s+([.!?…,;:])", r"\1", _squash(_MARKER.sub("", sentence)))
        if not re.search(r"\w", bare):
            continue  # a marker alone on its line
        if not refs:
            dropped.append((bare, "sans référence"))
            continue
        bad = [n for n in refs if not 1 <= n <= len(sources)]
        if bad:
            dropped.append((bare, f"cite une source inexistante [{bad[0]}]"))
            continue
        cited = set().union(*(sources.stems[n - 1] for n in refs))
        cited_digits = " ".join(sources.digits[n - 1] for n in refs)
        words = set(analyzer.stems(bare))
        support = len(words & cited) / len(words) if words else 0.0
        missing_numbers = [x for x in _NUMBER.findall(bare) if x not in cited_digits]
        if support < min_support:
            dropped.append((bare, f"trop peu appuyée par sa source ({support:.0%})"))
        elif missing_numbers:
            dropped.append((bare, f"chiffre absent de la source ({missing_numbers[0]})"))
        else:
            kept.append((bare, list(dict.fromkeys(refs))))
    return kept, dropped


_OPENERS = {"]": "[", ")": "(", ">": "<"}


# Markers and markers still being written ("[1", "[1, "), which are no text of their own.
_MARKERISH = re.compile(r"\[[\d\s,;]*\]?")


_LETTER = re.compile(r"[^\W\d_]")


_MARKUP = re.compile(f"{_IMAGE.pattern}|{_TAG.pattern}")


def _closed(text: str) -> bool:
    """Whether no bracket, parenthesis or angle bracket is left open: a Markdown image
    or link, or a tag, still being written could otherwise straddle the cut and be
    sanitised differently in two pieces than whole."""
    depth = {"[": 0, "(": 0, "<": 0}
    for ch in text:
        if ch in depth:
            depth[ch] += 1
        elif ch in _OPENERS and depth[_OPENERS[ch]]:
            depth[_OPENERS[ch]] -= 1
    return not any(depth.values())


def release_point(raw: str, start: int = 0) -> int:
    """Where a reply being written can be cut, at or after ``start`` (a previous cut):
    the end of its last sentence that is surely whole. A sentence is whole once the next
    one has begun with a letter (its markers, even those written after the stop, are then
    all in), nothing is open in it, and the cut falls on a space (a URL cannot run over
    it). The text before the cut is then sanitised and checked as it would be in the
    whole reply."""
    # Whole images and tags, which sanitising removes, read as spaces (same length): a
    # sentence that opens with one ("<b>Note</b>…") still ends the one before.
    text = _MARKUP.sub(lambda m: " " * len(m.group(0)), _move_markers(raw))
    spans = split_spans(text[start:])
    for _, end in reversed(spans[:-1]):
        cut = start + end
        if (
            (cut == len(text) or text[cut].isspace())
            and _LETTER.search(_MARKERISH.sub("", text[cut:]))
            and _closed(raw[start:cut])
        ):
            return cut
    return start


class IncrementalCheck:
    """The check, run on a reply as it is written: each whole sentence is checked once,
    and what passed is final (the answer only grows)."""

    def __init__(
        self, passages: Sequence[Passage], analyzer: FrenchAnalyzer, min_support: float = 0.5
    ) -> None:
        self.sources = _Sources(passages, analyzer)
        self.min_support = min_support
        self.restart()

    def restart(self) -> None:
        """For a new reply (a retry)."""
        self.done = 0  # characters of the reply already checked
        self.kept: list[tuple[str, list[int]]] = []
        self.dropped: list[tuple[str, str]] = []

    def feed(self, raw: str) -> str | None:
        """The checked text, when the reply so far brought sentences that passed."""
        if _may_abstain(sanitize(raw)):
            return None  # an abstention is shown whole, at the end
        cut = release_point(raw, self.done)
        if cut <= self.done:
            return None
        before = len(self.kept)
        self._check(raw[self.done : cut])
        self.done = cut
        return _render(self.kept) if len(self.kept) > before else None

    def finish(self, raw: str) -> Checked:
        if _abstains(sanitize(raw).strip()):
            return Checked(NO_ANSWER, [], [], abstained=True)
        self._check(raw[self.done :])
        self.done = len(raw)
        return Checked(_render(self.kept), list(self.kept), list(self.dropped))

    def _check(self, piece: str) -> None:
        kept, dropped = _check_sentences(sanitize(piece).strip(), self.sources, self.min_support)
        self.kept.extend(kept)
        self.dropped.extend(dropped)


def _render(kept: Sequence[tuple[str, list[int]]]) -> str:
    """Sentences with markers renumbered in order of first citation."""
    order = renumbering(kept)
    out = []
    for sentence, refs in kept:
        marks = "".join(f"[{order[n]}]" for n in refs)
        body = sentence.rstrip()
        stop = body[-1] if body and body[-1] in ".!?…" else "."
        body = body.rstrip(".!?… ")
        out.append(f"{body} {marks}{stop}")
    return " ".join(out)


def renumbering(kept: Sequence[tuple[str, list[int]]]) -> dict[int, int]:
    order: dict[int, int] = {}
    for _, refs in kept:
        for n in refs:
            order.setdefault(n, len(order) + 1)
    return order
