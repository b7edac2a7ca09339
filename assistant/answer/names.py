"""People's names in a question, found by spaCy's tokens and entities around titles,
birth cues and identifiers; each name's span tidied."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from .identifiers import Span, _overlaps, _union
from .name_words import (
    _AGE_WORDS,
    _CLAUSE_STARTS,
    _CLITICS,
    _COPULAS,
    _CUE_WORDS,
    _DETERMINERS,
    _ELIDED_PARTICLES,
    _GENERIC,
    _LABELS,
    _NAME_PARTICLES,
    _NOT_NAMES,
    _OPENERS,
    _PARTICLES,
    _PERSON_NOUNS,
    _SEPARATORS,
    _TITLES,
    _is_thing_word,
)


def _names(
    text: str,
    doc: Any,
    cues: list[re.Match[str]],
    loose: list[Span],
    blocked: list[Span],
    fields: list[Span],
) -> list[Span]:
    """Every span that may be a person's name, whatever its case, in order, overlapping
    ones joined.

    ``blocked`` holds what a name cannot overlap: the other findings, the dates and the
    cue words.
    """
    toks = _words_of(doc)
    names: list[Span] = list(fields)
    names.extend(_spacy_names(doc, toks))
    # After a title the next words are a name, whatever their case ("Mme martin").
    for tok in toks:
        if _is_title(tok):
            after = _run_after(toks, tok.idx + len(tok.text), blocked, particles=True)
            if after is not None:
                names.append(after)
    # "dupont jean né le 12/03/1975": lower case defeats spaCy, but the words right
    # before a birth cue are the person born, unless they are a common noun
    # ("le programme né le…", "la MILDECA née le…").
    named_cues: set[int] = set()
    for k, m in enumerate(cues):
        before = _run_before(toks, m.start(), blocked, copula=True)
        if before is not None and before.context not in ("det", "thing", "generic"):
            names.append(before.span)
            named_cues.add(k)
    # "ddn 12/03/1975 dupont jean", "Né le 12/03/1975, dupont jean": the name comes
    # after the date when the cue is a label, or when it opens the sentence; after
    # "Un patient né le 12/03/1975" come the verb and the rest, not a name.
    for k, m in enumerate(cues):
        if k in named_cues or not (m.group("label") or _opens_clause(toks, m.start(), text)):
            continue
        after = _run_after(toks, m.end("date"), blocked, particles=False)
        if after is not None:
            names.append(after)
    # "patiente martin sophie 03/03/1980", "dupont jean, 12/03/1975": words right
    # before a bare date, after a title, "patient" or a label; at the start, after
    # punctuation or "pour", only two or more ("Naloxone, 12 mars 2019 : …" is a
    # topic and its date). "la circulaire du…", "réunion d'équipe 12/03/2019" and
    # "Rapport Reynaud, 12 mars 1999" stay: texts and events are listed as such.
    # A date after a capitalised place or organisation heads a letter or a release,
    # it is no birth ("Santé publique France, 12 mars 2019"). The small model also
    # calls "dupont jean" a place, so lower case does not count, and only the word
    # right before the date does ("Dupont, Jean (…)": "Dupont" comes out a place).
    places = [
        (e.start_char, e.end_char)
        for e in doc.ents
        if e.label_ in ("LOC", "ORG") and e.text[:1].isupper()
    ]
    for d in loose:
        before = _run_before(toks, d[0], blocked)
        if before is None:
            continue
        if before.context in ("title", "person", "label") or (
            before.context in ("start", "punct", "opener")
            and before.words >= 2
            and not any(e == before.span[1] for _, e in places)
        ):
            names.append(before.span)

    tidy = [_tidy(n, text) for n in names]
    return _union(
        [
            n
            for n in tidy
            if n[0] < n[1] and not _overlaps(n, blocked) and _holds_name(text[n[0] : n[1]])
        ]
    )


_INITIAL = re.compile(r"[^\W\d_]\.")  # "Dupont J.", "dupont j."


_LEADING_TITLES = re.compile(
    r"(?:(?:M\.?|Mme\.?|Mlle\.?|Mr\.?|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur|Pr\.?|"
    r"Professeur)(?:\s+|$))+",
    re.I,
)


# Letters glued to a name by an apostrophe or a hyphen belong to it: "n'diaye",
# "Dupont-Moretti" (spaCy splits both).
_GLUED_BEFORE = re.compile(r"[^\W\d_]+['’-]$")


_GLUED_AFTER = re.compile(r"['’-][^\W\d_]+")


class _Word(NamedTuple):
    """A word as typed: spaCy's tokens glued by a hyphen or an elision ("martin-durand",
    "n'diaye", "peut-il") joined back, so that a run of words never stops inside one."""

    text: str
    idx: int
    is_stop: bool
    morph: str
    pos_: str


def _words_of(doc: Any) -> list[_Word]:
    groups: list[list[Any]] = []
    for tok in doc:
        if tok.is_space:
            continue
        if groups:
            prev = groups[-1][-1]
            glued = not prev.whitespace_ and prev.idx + len(prev.text) == tok.idx
            if glued and (
                prev.text == "-"
                or tok.text.startswith("-")
                or (prev.text.lower() in _ELIDED_PARTICLES and not tok.is_stop)
            ):
                groups[-1].append(tok)
                continue
        groups.append([tok])
    words = []
    for group in groups:
        if len(group) == 1:
            t = group[0]
            words.append(_Word(t.text, t.idx, bool(t.is_stop), str(t.morph), t.pos_))
            continue
        parts = [t for t in group if t.text != "-" and t.text.lower() not in _ELIDED_PARTICLES]
        # "peut-il", "boit-il": a verb and its pronoun are grammar, not a name.
        stop = any(t.is_stop or t.text.lower() in _CLITICS for t in parts)
        end = group[-1].idx + len(group[-1].text)
        text = doc.text[group[0].idx : end]
        words.append(_Word(text, group[0].idx, stop, "", group[0].pos_))
    return words


class _Run(NamedTuple):
    span: Span
    context: str  # what stands before: start, punct, title, person, label, det, thing…
    words: int


def _is_title(tok: Any) -> bool:
    low = tok.text.lower()
    return low in _TITLES and (low not in ("m", "pr") or tok.text[0].isupper())


def _name_word(tok: Any, first: bool, verb_forms: tuple[str, ...] = ("Inf", "Part")) -> bool:
    """Whether ``tok`` may be part of a name typed in any case.

    Part-of-speech tags are unreliable on lower-case names ("dupont" comes out a verb,
    "durand" a pronoun, "martin" an adjective, "rousseau" a participle), so a word counts
    unless it is a stop word, a word for a person, a title, a label, a cue, a text, an
    institution, a non-word, or, further than the first word, a verb in one of
    ``verb_forms`` ("orienter", "suivie").
    """
    word = tok.text
    if _INITIAL.fullmatch(word) and not _is_title(tok):
        return True  # "Dupont J."
    low = word.lower()
    if (
        not all(c.isalpha() or c in "-'’" for c in word)
        or not any(c.isalpha() for c in word)
        or getattr(tok, "is_stop", False)
        or _is_title(tok)
        or low in _PERSON_NOUNS
        or low in _AGE_WORDS
        or low in _LABELS
        or low in _CUE_WORDS
        or low in _DETERMINERS
        or _is_thing_word(word)
    ):
        return False
    morph = str(getattr(tok, "morph", ""))
    return first or not any(f"VerbForm={form}" in morph for form in verb_forms)


def _context(toks: Sequence[Any], i: int) -> str:
    """What the token at ``i`` says of the words after it."""
    if i < 0:
        return "start"
    tok = toks[i]
    low = tok.text.lower()
    if not any(c.isalnum() for c in tok.text):
        return "punct"
    if _is_title(tok):
        return "title"
    if low in _PERSON_NOUNS or low in _AGE_WORDS:
        # "un patient alcoolique né le…": after a generic person come adjectives.
        if i > 0 and toks[i - 1].text.lower() in _GENERIC:
            return "generic"
        return "person"
    if low in _LABELS:
        return "label"
    if low in _DETERMINERS:
        return "det"
    if _is_thing_word(tok.text):
        return "thing"
    if low in _OPENERS:
        return "opener"
    return "other"


def _run_before(
    toks: Sequence[Any], pos: int, blocked: list[Span], *, copula: bool = False
) -> _Run | None:
    """Up to three name-like words ending right before ``pos`` (one separator allowed,
    and with ``copula`` an "est": "dupont jean est né le …").

    Going back from a cue, only an infinitive ends the name ("orienter dupont né le"): the
    tagger reads lower-case surnames as participles too often ("rousseau").
    """
    i = max((k for k, t in enumerate(toks) if t.idx + len(t.text) <= pos), default=-1)
    if i >= 0 and toks[i].text in _SEPARATORS:
        i -= 1
    if copula and i >= 0 and toks[i].text.lower() in _COPULAS:
        i -= 1
    words: list[Any] = []
    while i >= 0 and len(words) < 3 and _name_word(toks[i], not words, ("Inf",)):
        if _overlaps((toks[i].idx, toks[i].idx + len(toks[i].text)), blocked):
            break
        words.append(toks[i])
        i -= 1
    if not words:
        return None
    # "Dupont, Jean (12/03/1975)": a surname, a comma, a first name, as in a file.
    if (
        len(words) < 3
        and i >= 1
        and toks[i].text == ","
        and _name_word(toks[i - 1], True)
        and _context(toks, i - 2) in ("start", "title", "person", "label")
    ):
        words.append(toks[i - 1])
        i -= 2
    start, end = words[-1].idx, words[0].idx + len(words[0].text)
    context = _context(toks, i)
    # "Mme le goff", "mon patient de la fontaine", "Pour Le Goff": a particle after a
    # title, a word for a person or "pour", or a capitalised one at the start, is part of
    # the name; elsewhere "le", "la" are articles ("le programme né le…").
    j = i
    while j >= 0 and i - j < 2 and toks[j].text.lower() in _PARTICLES:
        j -= 1
    if j < i:
        before = _context(toks, j)
        if (
            before in ("title", "person", "opener", "label")
            or (before == "punct" and toks[j].text == ":")
            or (before == "start" and (toks[j + 1].text[:1].isupper() or len(words) > 1))
        ):
            start, context = toks[j + 1].idx, before
    return _Run((start, end), context, len(words))


def _run_after(
    toks: Sequence[Any], pos: int, blocked: list[Span], *, particles: bool
) -> Span | None:
    """Up to three name-like words starting right after ``pos``.

    Separators, a field label ("nom :") and titles or words for a person in between are
    skipped: "ddn 12/03/1975, nom : dupont jean", "née le 3 mars 1980, Mme martin".
    """
    i = min((k for k, t in enumerate(toks) if t.idx >= pos), default=len(toks))
    person = False
    while i < len(toks) and (
        toks[i].text in _SEPARATORS
        or toks[i].text.lower() in _LABELS
        or toks[i].text.lower() in _DETERMINERS
        or _is_title(toks[i])
        or toks[i].text.lower() in _PERSON_NOUNS
    ):
        if toks[i].text.lower() in _GENERIC:
            return None  # "ddn 12/03/1975, un homme alcoolique": no one named
        person = person or toks[i].text.lower() in _PERSON_NOUNS
        i += 1
    start = i
    # "M. de la Fontaine", "Mme Le Goff", "ddn …, da silva joão": particles, when a
    # name follows; after a title "le"/"la" only with a capital ("Madame la directrice").
    if (
        i < len(toks)
        and toks[i].text.lower() in _PARTICLES
        and (
            toks[i].text[:1].isupper()
            or toks[i].text.lower() in _NAME_PARTICLES
            or (particles and i + 1 < len(toks) and toks[i + 1].text[:1].isupper())
        )
    ):
        i += 1
        if i < len(toks) and toks[i].text.lower() in _PARTICLES:
            i += 1
        if i >= len(toks) or not _name_word(toks[i], first=True):
            return None
    words: list[Any] = []
    while i < len(toks) and len(words) < 3:
        # The tagger reads many first names as participles ("awa"); one that ends the
        # phrase ("ddn …, n'diaye awa, sous méthadone") is still part of the name.
        last = i + 1 == len(toks) or toks[i + 1].text in _SEPARATORS
        if not _name_word(toks[i], not words or last):
            break
        if _overlaps((toks[i].idx, toks[i].idx + len(toks[i].text)), blocked):
            break
        words.append(toks[i])
        i += 1
    if not words:
        return None
    # "ddn 12/03/1975 dupont, jean": a first name after a comma, if it ends the phrase.
    if (
        len(words) < 3
        and i + 1 < len(toks)
        and toks[i].text == ","
        and _name_word(toks[i + 1], True)
        and (i + 2 == len(toks) or toks[i + 2].text in _SEPARATORS | _CLAUSE_STARTS)
    ):
        words.append(toks[i + 1])
        i += 2
    # After "mon fils" the next words are a name only as an aside ("…, mon patient dupont
    # jean, sous méthadone"); otherwise they are what he does ("…, mon fils fume").
    if person and i < len(toks) and toks[i].text not in _SEPARATORS:
        return None
    return (toks[start].idx, words[-1].idx + len(words[-1].text))  # particles included


def _opens_clause(toks: Sequence[Any], pos: int, text: str) -> bool:
    """Whether the birth cue at ``pos`` starts the sentence ("Né le …, dupont jean")."""
    lead = text[:pos].rstrip(" \t")
    if not lead or lead[-1] in _CLAUSE_STARTS:
        return True
    i = max((k for k, t in enumerate(toks) if t.idx + len(t.text) <= pos), default=-1)
    return i >= 0 and _context(toks, i) == "opener"


def _spacy_names(doc: Any, toks: Sequence[Any]) -> list[Span]:
    """Names that spaCy finds, less those of texts and institutions."""
    places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("LOC", "ORG")]
    index = {t.idx: k for k, t in enumerate(toks)}
    spans: list[Span] = []
    for e in doc.ents:
        if e.label_ == "PER" and not any(_is_thing_word(t.text) for t in e):
            spans.append((e.start_char, e.end_char))
    # The small model often labels "Jean Dupont" MISC or nothing; a run of proper nouns
    # outside places and organisations is a name too.
    run: list[Any] = []
    for tok in [*toks, None]:
        if (
            tok is not None
            and tok.pos_ == "PROPN"
            and tok.text[:1].isupper()
            and not _is_title(tok)
            and not _is_thing_word(tok.text)
            and tok.text.lower() not in _LABELS
            and tok.text.lower() not in _CUE_WORDS
        ):
            run.append(tok)
            continue
        if run:
            span = (run[0].idx, run[-1].idx + len(run[-1].text))
            if not _overlaps(span, places):
                spans.append(span)
            run = []
    kept = []
    for s, e in spans:
        word = doc.text[s:e]
        lead = doc.text[:s].rstrip()
        # One capitalised word opening a sentence is just capitalised: the model calls
        # "Naloxone, 12 mars 2019 : …" or "Covid, 17 mars 2020" a name. Capitals
        # throughout ("DUPONT, 12/03/1975") still count.
        if (not lead or lead[-1] in _CLAUSE_STARTS) and " " not in word and not word.isupper():
            continue
        k = index.get(s)
        if k is None:
            kept.append((s, e))
            continue
        context = _context(toks, k - 1)
        # "circulaire Kouchner", "la loi Evin": the nickname of a text. A capitalised
        # article is a particle ("Le Goff"), a lower-case one makes a common noun.
        if context == "thing" or (context == "det" and toks[k - 1].text.islower()):
            continue
        kept.append((s, e))
    return kept


def _tidy(span: Span, text: str) -> Span:
    """A name's span without its title, with the letters glued to it.

    A title stays visible: "Monsieur [nom masqué]" reads better and hides the same.
    """
    start, end = span
    m = _LEADING_TITLES.match(text, start, end)
    if m:
        start = m.end()
    if start < end:
        before = _GLUED_BEFORE.search(text, max(0, start - 40), start)
        if before and not _LEADING_TITLES.fullmatch(before.group()[:-1]):
            start = before.start()
        after = _GLUED_AFTER.match(text, end)
        if after:
            end = after.end()
    return (start, end)


def _holds_name(span_text: str) -> bool:
    """Whether a span has a word that may be a name ("Patiente" tagged a proper noun, or
    a title alone, is none)."""
    return any(
        w.lower() not in _NOT_NAMES and not _is_thing_word(w)
        for w in re.findall(r"[^\W\d_][\w'’.-]*", span_text)
    )
