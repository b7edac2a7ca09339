"""French sentence segmentation with character spans (no model: fast and deterministic)."""

from __future__ import annotations

import re

# Tokens after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "me",
        "art",
        "arts",
        "al",
        "p",
        "pp",
        "n",
        "no",
        "cf",
        "ex",
        "fig",
        "vol",
        "chap",
        "éd",
        "ed",
        "st",
        "ste",
        "av",
        "bd",
        "env",
        "sq",
        "suiv",
        "coll",
        "dir",
        "réf",
        "ref",
        "tél",
        "tel",
        "min",
        "max",
        "approx",
        "ann",
        "vs",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[»\"”)\]]*(?=\s+[«\"“(\-–—]?\s*[A-ZÀ-ÖØ-Ý0-9])")
_ROMAN = re.compile(r"^[IVXLC]+$")


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``; line breaks also split."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _BOUNDARY.finditer(line):
            if _is_abbreviation(line, m.start()):
                continue
            spans.append((offset + start, offset + m.end()))
            start = m.end()
        spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))]


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    m = re.search(r"(\w+)$", line[:dot])
    if not m:
        return False
    word = m.group(1)
    # Initials (J. Fernandez), article letters (L. 1110-4), roman numerals (II. Section).
    return len(word) == 1 or word.lower() in _ABBREVIATIONS or bool(_ROMAN.match(word))


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


_ITEM = re.compile(r"^\s*(?:[-–—•♦▪>*]|\d{1,2}[°.)]|[a-z][.)])\s*")
_ENDS_SENTENCE = (".", "!", "?", "…", "»", '"', "”", ")", ";")
_MAX_UNIT_CHARS = 700
# « 2.1 Durée totale : 2 années », « Places : 15 », « Tarif : gratuit »: a short label and
# its value, which a form, a schedule or an arrêté's annex writes without a sentence.
# « Paris, le 4 novembre 2009 », « Rouen, le 6 - 5 - 2000 »: the dateline that dates a
# letter or a note, what « quand … signée ? » is answered with.
_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][\w'’ -]{1,40}, le \d{1,2}(?:er)?(?:\s*[-./]\s*\d{1,2}\s*[-./]\s*|\s+[a-zéû]+\s+)"
    r"\d{4}\.?$"
)
_FIELD = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[^\W\d][^:]{2,40}\s:\s*\w[^:]{0,40}$")


def is_dateline(unit: str) -> bool:
    """« Paris, le 4 novembre 2009 »: a unit that answers only « quand » questions."""
    return bool(_DATELINE.match(unit.strip()))


def answer_units(text: str, min_chars: int = 30) -> list[tuple[int, int]]:
    """Spans that can stand alone in an answer.

    A sentence that introduces a list (ends with ':') keeps what follows it: its items,
    or at least the next sentence, so that "il s'agit d'assurer :" comes with what is to
    be ensured. Questions of the text and title lines (short, no final punctuation)
    answer nothing and are left out.
    """
    spans = split_spans(text)
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        j = i
        if text[s:e].rstrip().endswith(":"):
            while j + 1 < len(spans):
                ns, ne = spans[j + 1]
                nxt = text[ns:ne].rstrip()
                is_item = bool(_ITEM.match(nxt)) or not nxt.endswith(_ENDS_SENTENCE)
                if ne - s > _MAX_UNIT_CHARS or nxt.endswith(":") or (j > i and not is_item):
                    break
                j += 1
                if nxt.endswith(".") and (j > i + 1 or not is_item):
                    break
        unit = text[s : spans[j][1]].strip()
        absorbed = j > i
        i = j + 1
        short = len(unit) < min_chars and not (_FIELD.match(unit) or _DATELINE.match(unit))
        if unit.endswith("?") or short:
            continue
        title_like = not unit.endswith((*_ENDS_SENTENCE, ":", ",")) and not _ITEM.match(unit)
        kept_short = _FIELD.match(unit) or _DATELINE.match(unit)
        if title_like and not absorbed and len(unit) < 100 and not kept_short:
            continue
        units.append((s, s + len(text[s : spans[j][1]].rstrip())))
    return units


# What may open a unit without being part of its sentence: list and article markers
# (« - », « • », « 1° », « 2.2 », « a) », « III.- », « II. — », « 1 - »).
_MARKER = re.compile(
    r"^(?:[-–—•♦▪►>*·]+\s*|\d{1,2}\s*°\s*|\d{1,2}(?:\.\d{1,2})+\.?\s+|\d{1,2}[.)]\s+|"
    r"\d{1,2}\s+[-–—]\s+|[a-z]\)\s*|[IVXLC]+(?:\s+(?:bis|ter|quater))?\s*[.]?\s*[-–—]+\s*|"
    r"[IVXLC]+\.\s+)"
)
# A run of capitals opening a unit, then a capitalised word: a heading or a box label
# glued to the sentence by text extraction (« ZOOM Secret professionnel… »).
_CAPS_RUN = re.compile(r"^(?:[A-ZÀ-ÖØ-Ý0-9][A-ZÀ-ÖØ-Ý0-9'’\-]+[\s/,&]+)+(?=[A-ZÀ-ÖØ-Ý«\"“])")
# A sentence starts with one of these; found capitalised after a word without a
# sentence end between them, it starts a sentence glued to a title line.
_SENTENCE_OPENERS = (
    r"Le|La|Les|L['’]|Un|Une|Des|Ce|Cet|Cette|Ces|Il|Ils|Elle|Elles|On|Nous|Vous|Je|"
    r"En|Dans|Pour|Depuis|Sur|Au|Aux|Lorsque|Lorsqu['’]|Si|Selon|Chaque|Tout|Toute|Tous|"
    r"Toutes|Par|Avec|Afin|Après|Avant|Entre|Pendant|Quand|Mais|Or|Ainsi|Cependant|Voici"
)
_GLUED_TITLE = re.compile(
    r"^(?P<title>[A-ZÀ-ÖØ-Ý«\"“][^.!?;:\n]{2,80}?[\w»\"”)])\s+(?=(?:"
    + _SENTENCE_OPENERS
    + r")(?:\s|(?<=['’])))"
)
_MAX_TITLE_WORDS = 8


def strip_furniture(text: str, start: int, end: int) -> int:
    """The start of the unit ``text[start:end]`` once what opens it without belonging to
    its sentence is skipped: list and article markers, a run of capitals (a heading or a
    box label), a short title line glued to the sentence by text extraction. The span
    ``text[new_start:end]`` stays an exact substring of the passage (the chat highlights
    it there); nothing is skipped when what would remain is not a sentence."""
    s = start
    for _ in range(4):
        unit = text[s:end]
        m = _MARKER.match(unit) or _CAPS_RUN.match(unit) or _glued_title(unit)
        if not m or m.end() == 0 or end - (s + m.end()) < 20:
            break
        s += m.end()
        while s < end and text[s].isspace():
            s += 1
    return s


def _glued_title(unit: str) -> re.Match[str] | None:
    """« Secret professionnel/Secret partagé Le secret professionnel est … »: a title
    (a few words, no verb-bearing punctuation) then a capitalised sentence opener."""
    m = _GLUED_TITLE.match(unit)
    if not m:
        return None
    title = m.group("title")
    words = title.split()
    # A title has few words and no lowercase function word at the end that would
    # continue into what follows (« … selon La Poste »).
    if len(words) > _MAX_TITLE_WORDS or words[-1].lower() in _CONTINUES:
        return None
    return m


_CONTINUES = frozenset(
    [
        *("de", "des", "du", "la", "le", "les", "à", "au", "aux", "par", "pour", "sur"),
        *("selon", "avec", "et", "ou", "en", "dans", "que", "qui", "dont", "un", "une"),
        *("ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "votre"),
        *("est", "sont", "a", "ont"),
    ]
)
