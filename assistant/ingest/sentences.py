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
# A heading that states a figure (« 2.3.4 Traitement des conduites addictives (30 à 40 %
# du volume horaire total) »): a fact, the only place the text gives that share.
_FIGURE_HEADING = re.compile(r"\([^()]*\d[^()]*(?:%|heures?|€|euros?)[^()]*\)\s*$")


def is_dateline(unit: str) -> bool:
    """« Paris, le 4 novembre 2009 »: a unit that answers only « quand » questions."""
    return bool(_DATELINE.match(unit.strip()))


# A bibliography's entry behind its list marker: authors (« Bakis H. », « Dumont P., Bross
# N. », « Shhweyer FX. ») or a body in capitals (« ANAES. »), then the title; or the
# imprint under it (« Paris : Dunod, 2003, 269 p », the Vancouver and ISO 690 order).
_AUTHOR = r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?\s+[A-Z]{1,3}\.?(?:-[A-Z]\.?)?"
_IMPRINT = r"[A-ZÀ-Ý][\w'’ -]{1,40}\s:\s[^.:]{2,80},\s*(?:19|20)\d\d\s*,\s*\d+\s*p\b"
_REFERENCE = re.compile(
    rf"^\s*[>•*–-]\s*(?:{_AUTHOR}(?:\s*,\s*{_AUTHOR})*(?:\s+et\s+al)?|[A-Z]{{2,}})\.\s+[A-ZÀ-Ý]"
    rf"|^{_IMPRINT}"
)
_STARTS_WITH_IMPRINT = re.compile(_IMPRINT)
_ENDS_WITH_IMPRINT = re.compile(rf"(?:^|[.]\s+){_IMPRINT}[^.]*$")


# A text's own reference line: « Instruction N° DGS/SP3/2022/114 du 19 avril 2022
# relative à … – Bulletin officiel Santé … n° 2022/11 du 13 mai 2022, p. 280. »
_OFFICIAL_REFERENCE = re.compile(
    r"^\s*(?:instruction|circulaire|note|décret|arrêté|ordonnance|loi|lettre)\b[^.]{0,80}?"
    r"\bn[°o]\s*\S+.*\b(?:bulletin officiel|journal officiel|jorf|bo n[°o])",
    re.I | re.S,
)


def is_reference_entry(unit: str) -> bool:
    """« > Shhweyer FX. Créer et piloter un réseau de santé. », « Paris : Dunod, 2003,
    269 p », a text's own reference line (« Instruction N° DGS/SP3/2022/114 du 19 avril
    2022 relative à … – Bulletin officiel … p. 280. »): a unit that names a publication,
    what only a question about reading or publishing answers (« Quel ouvrage … ? »,
    « Où a-t-elle été publiée ? »), not one about what the title's words say (tenth
    fresh-user test: the crack instruction's line was quoted for who wrote its
    referential, who may refer users, how many places there are)."""
    return bool(_REFERENCE.match(unit) or _OFFICIAL_REFERENCE.match(unit))


def ends_with_imprint(line: str) -> bool:
    """Whether a line ends with a publication's imprint (« … sociale. Paris : Dunod,
    2003, 269 p »), after which a wrapped sentence does not go on."""
    return bool(_ENDS_WITH_IMPRINT.search(line.strip()))


def answer_units(text: str, min_chars: int = 30) -> list[tuple[int, int]]:
    """Spans that can stand alone in an answer.

    A sentence that introduces a list (ends with ':') keeps what follows it: its items,
    or at least the next sentence, so that "il s'agit d'assurer :" comes with what is to
    be ensured. Questions of the text and title lines (short, no final punctuation)
    answer nothing and are left out.

    A short sentence is kept when it follows a full sentence on the same line (« Le
    rapport est rendu public. » in an article's paragraph). It is not dropped either
    when it completes the line before it, which has no
    final punctuation (« Rendez vous à notre Journée Annuelle de Formation le 18
    novembre, au Conseil Général (76) » / « Sur le thème « le Déni ». »: one sentence
    broken across lines), nor when it opens a list item whose short sentences make one
    entry (« > ANAES. Réseau de santé. Guide d'évaluation. », a bibliography): the
    entry's sentences are read together, up to ``min_chars``.
    """
    spans = split_spans(text)
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        j = i
        if e - s < min_chars and _ITEM.match(text[s:e]) and text[s:e].endswith("."):
            # A list item of short sentences: « > ANAES. Réseau de santé. … »
            while j + 1 < len(spans) and spans[j][1] - s < min_chars:
                ns, ne = spans[j + 1]
                if not text[ns:ne].endswith(".") or _ITEM.match(text[ns:ne]):
                    break
                j += 1
        if _REFERENCE.match(text[s : spans[j][1]]):
            # A bibliography's entry is read whole, down to its imprint: « > Le Boterf
            # G. Travailler en réseau. Partager et capitaliser … Paris : …, 2004,158 p ».
            for k in range(j + 1, min(j + 4, len(spans))):
                if _ITEM.match(text[spans[k][0] : spans[k][1]]):
                    break
                if _STARTS_WITH_IMPRINT.match(text[spans[k][0] : spans[k][1]]):
                    j = k
                    break
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
        short = len(unit) < min_chars and not (
            _FIELD.match(unit) or _DATELINE.match(unit) or _in_running_text(text, units, s, unit)
        )
        if short and units and _completes(text, units[-1], s, unit):
            units[-1] = (units[-1][0], s + len(text[s : spans[j][1]].rstrip()))
            continue
        if unit.endswith("?") or short:
            continue
        title_like = not unit.endswith((*_ENDS_SENTENCE, ":", ",")) and not _ITEM.match(unit)
        kept_short = (
            _FIELD.match(unit)
            or _DATELINE.match(unit)
            or _FIGURE_HEADING.search(unit)
            or _FROM_DATE.match(unit)
        )
        if title_like and not absorbed and len(unit) < 100 and not kept_short:
            continue
        units.append((s, s + len(text[s : spans[j][1]].rstrip())))
    return units


# A line that says from when a text applies, unpunctuated as a heading: « A compter de la
# rentrée universitaire 2002-2003 dans les universités habilitées à cet effet » answers
# « Depuis quand la capacité d'addictologie existe-t-elle ? » (eighteenth fresh-user test).
_FROM_DATE = re.compile(r"^(?:à|a) (?:compter|partir) d(?:u|e|es|['’])\b.*\b(?:19|20)\d\d\b", re.I)


def _in_running_text(text: str, units: list[tuple[int, int]], start: int, unit: str) -> bool:
    """Whether the short ``unit`` at ``start`` is a sentence of the paragraph the last
    unit ends (same line, after its full stop), not a heading, a caption or a sign-off:
    « Le rapport est rendu public. » between two sentences of an article was dropped, and
    it is the answer to « Le rapport … est-il rendu public ? »."""
    if not units:
        return False
    last = text[units[-1][0] : units[-1][1]].rstrip()
    return (
        "\n" not in text[units[-1][1] : start]
        and last.endswith((".", "!", "…"))
        and unit[:1].isupper()
        and unit.endswith(".")
        and len(unit.split()) >= 3
        and not _ITEM.match(unit)
    )


def _completes(text: str, previous: tuple[int, int], start: int, unit: str) -> bool:
    """Whether the short sentence ``unit`` at ``start`` ends the unit ``previous`` that
    the line just before it left without final punctuation (one sentence broken across
    lines), rather than standing apart (a caption, a sign-off)."""
    between = text[previous[1] : start]
    return (
        between.count("\n") == 1
        and not between.strip()
        and not text[previous[0] : previous[1]].endswith((".", "!", "?", "…", ":", ";"))
        and unit.endswith((".", "!", "…"))
        and not _ITEM.match(unit)
    )


# What may open a unit without being part of its sentence: list and article markers
# (« - », « • », « 1° », « 2.2 », « a) », « III.- », « II. — », « 1 - »).
_MARKER = re.compile(
    r"^(?:[-–—•♦▪►>*·]+\s*|\d{1,2}\s*°\s*|\d{1,2}(?:\.\d{1,2})+\.?\s+|\d{1,2}[.)]\s+|"
    r"\d{1,2}\s+[-–—]\s+|[a-z]\)\s*|[IVXLC]+(?:\s+(?:bis|ter|quater))?\s*[.]?\s*[-–—]+\s*|"
    r"[IVXLC]+\.\s+)"
)
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
    its sentence is skipped: list and article markers, a heading glued to the sentence by
    text extraction or OCR (``glued_heading``, a short title line before a sentence
    opener). The span ``text[new_start:end]`` stays an exact substring of the passage
    (the chat highlights it there); nothing is skipped when what would remain is not a
    sentence. A heading is glued on the same line: a line that a line break ends belongs
    to the unit (« Rendez vous à notre Journée Annuelle de Formation … (76) » / « Sur le
    thème « le Déni ». », one sentence, title-cased as its first line is)."""
    s = start
    for _ in range(4):
        unit = text[s:end]
        m = _MARKER.match(unit)
        cut = m.end() if m else _heading_end(unit)
        if not cut or end - (s + cut) < 20:
            break
        if not m and "\n" in unit[cut : len(unit) - len(unit[cut:].lstrip())]:
            break
        s += cut
        while s < end and text[s].isspace():
            s += 1
    return s


def _heading_end(unit: str) -> int:
    """Where a heading that opens ``unit`` ends (0: none): see ``strip_furniture``."""
    m = _glued_title(unit)
    caps = glued_heading(unit)
    if caps is not None and (m is None or caps <= m.end()):
        return caps
    return m.end() if m else 0


# A capitalised word (« Les », « L'usage », « Face ») and a word in lower case: how the
# sentence after a glued heading starts.
_CAPITALISED = re.compile(r"^[«\"“(]?[A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ'’]")
_LOWER_START = re.compile(r"^[«\"“(]?[a-zà-öø-ÿ]")
_OPENER = re.compile(r"^(?:" + _SENTENCE_OPENERS + r")(?:$|(?<=['’])\w)")
_MAX_HEADING_WORDS = 20


def glued_heading(line: str) -> int | None:
    """The end of a heading that opens ``line`` and that extraction or OCR glued to the
    sentence after it, else None. The heading is either

    - in capitals (« RÉSEAUX DE SANTÉ EN ADDICTOLOGIE Les réseaux permettent … »): words
      without a lower-case letter, then a capitalised word and a word in lower case; a
      single capitalised word before it must open a sentence (« ZOOM Le secret … », not
      « ANPAA Normandie accueille … »);
    - or in title case (« Les Réseaux De Santé En Addictologie Les réseaux … »): most of
      its words of four letters or more capitalised (a colon between its parts, but no
      sentence punctuation), then a sentence opener (« Les », « Il », « Dans »…) and a
      word in lower case.

    Up to ``_MAX_HEADING_WORDS`` words. A sentence that opens with an acronym
    (« CSAPA et CAARUD assurent … », « MILDT a créé … ») or with a capitalised word
    (« La MILDT coordonne … ») has no heading.
    """
    words = list(re.finditer(r"\S+", line))
    first_lower = next(
        (i for i, w in enumerate(words) if any(c.islower() for c in w.group())), None
    )
    if first_lower is None or first_lower + 1 >= len(words):
        return None
    if first_lower > 0:
        return _caps_heading(words, first_lower)
    for j in range(2, min(len(words) - 1, _MAX_HEADING_WORDS + 1)):
        word = words[j].group()
        if re.search(r"[.!?;]", words[j - 1].group()):
            return None  # a sentence ends before: no heading runs on to here
        if not (_OPENER.match(word) and _LOWER_START.match(words[j + 1].group())):
            continue
        head = [w.group() for w in words[:j]]
        if head[-1].lower() in _CONTINUES:
            continue  # « … selon La Poste »: a name inside the sentence
        return words[j - 1].end() if title_cased(" ".join(head)) else None
    return None


def title_cased(text: str) -> bool:
    """Whether ``text`` is written as a title in title case: two thirds of its words of
    four letters or more (at least two) capitalised (« Les Équipes De Liaison En
    Addictologie », « Réseaux de Santé en Addictologie »)."""
    long_words = [w for w in text.split() if sum(c.isalpha() for c in w) >= 4]
    capitalised = [w for w in long_words if _CAPITALISED.match(w)]
    return len(long_words) >= 2 and len(capitalised) * 3 >= len(long_words) * 2


def _caps_heading(words: list[re.Match[str]], i: int) -> int | None:
    """The end of the words before ``words[i]`` (the first with a lower-case letter)
    when they are a heading in capitals glued to the sentence ``words[i]`` opens."""
    head = "".join(w.group() for w in words[:i])
    if i > _MAX_HEADING_WORDS or sum(c.isalpha() for c in head) < 3:
        return None
    word, after = words[i].group(), words[i + 1].group()
    if not _CAPITALISED.match(word):
        return None  # « CSAPA et CAARUD assurent », « MILDT a créé »
    if i == 1 and not _OPENER.match(word):
        return None  # « ANPAA Normandie accueille »: an acronym opening the sentence
    if not (_LOWER_START.match(after) or _OPENER.match(word)):
        return None
    return words[i - 1].end()


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
