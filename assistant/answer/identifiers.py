"""What identifies a patient by its shape alone: the NIR and its key, e-mail, phone
services, street address, postcode and town, dates and birth cues, name fields."""

from __future__ import annotations

import re

import phonenumbers

from ..ingest.extraction import FRENCH_MONTHS

# Sex (1, 2; 3, 4, 7, 8 for temporary numbers), year, month, department (2A/2B for
# Corsica), commune, order, then the key. People group the digits with spaces, dots or
# dashes, and often leave the key out: the first 13 digits identify the patient alone.
_NIR_SEP = r"[\s.-]?"


_NIR = re.compile(
    rf"(?<![\dA-Za-z])([1-478]){_NIR_SEP}(\d{{2}}){_NIR_SEP}(\d{{2}}){_NIR_SEP}(\d{{2}}|2[ABab])"
    rf"{_NIR_SEP}(\d{{3}}){_NIR_SEP}(\d{{3}})(?:{_NIR_SEP}(\d{{2}}))?(?![\dA-Za-z])"
)


# Month 01-12, 20-42 (special cases) or 50-99 (unknown month), for a NIR given without
# its key: with nothing else to vouch for it, the number must at least be shaped right.
_NIR_MONTH = re.compile(r"0[1-9]|1[0-2]|[2-3]\d|4[0-2]|[5-9]\d")


# "(at)", "[at]" and "arobase" are the usual ways to dodge address harvesters. The
# lookbehind starts the local part at its first character only: a long run of letters
# is tried once, not once per letter.
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s*[(\[{]\s*(?:at|arobase)\s*[)\]}]\s*|\s+arobase\s+)[\w-]+"
    r"(?:(?:\.|\s*[(\[{]\s*(?:dot|point)\s*[)\]}]\s*)[\w-]+)+",
    re.I,
)


# 08 numbers belong to services (helplines, administrations), never to a patient.
_SERVICE_NUMBERS = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    }
)


_CAPITALS = "A-ZÀ-ÖØ-Þ"


# Street words that are nothing else; the others ("1 place au CSAPA", "3 cours de
# formation", "le décret 2005-1606 place…") are a street only when a proper name follows,
# a postcode ends the address, or the question says someone lives there.
_STREET = r"rue|avenue|av\.|boulevard|bd|bld|all[ée]e|impasse|faubourg|fbg|lotissement|lieu-dit"


_STREET_AMBIGUOUS = (
    r"place|chemin|quai|route|cours|square|passage|voie|sentier|hameau|r[ée]sidence|cit[ée]|"
    r"parvis|promenade|rond-point|villa|mont[ée]e"
)


_POSTCODE_TAIL = (
    rf"(?:,?\s*\d{{5}}\s+[{_CAPITALS}][\w' -]{{1,40}}?"
    r"(?=[,;:?!.\n]|\s+(?:et|depuis|qui|dont|pour)\b|$))"
)


_ADDRESS = re.compile(
    r"(?<![\w./-])\d{1,4}\s*(?:bis|ter)?\s*,?\s+"
    rf"(?P<street>{_STREET}|{_STREET_AMBIGUOUS})(?!\w)[^,;:?!\n.]{{1,60}}"
    rf"(?P<postcode>{_POSTCODE_TAIL})?",
    re.I,
)


_PROPER_NAME_AFTER = re.compile(
    rf"\s+(?:(?i:de|du|des|d['’])\s*(?:(?i:la)\s+|(?i:l)['’])?)?[{_CAPITALS}]"
)


_POSTCODE_TOWN = re.compile(rf"\b\d{{5}}\s+[{_CAPITALS}][\w'-]+(?:[ -][{_CAPITALS}][\w'-]+)*")


# A postcode and town say where a patient lives only after such a word ("il habite à
# 69003 Lyon"); "Quels CSAPA à 75019 Paris ?" asks for a service and stays.
_RESIDENCE_CUE = re.compile(
    r"\b(?:habit\w*|domicil\w*|vi(?:t|vent|vait|vant)|r[ée]sid\w*|demeur\w*|adresse|"
    r"h[ée]berg\w*|log[eé]\w*|chez\s+(?:lui|elle|eux|ses|son|sa))\b",
    re.I,
)


# A month in full, accents optional (« fevrier », « aout »), or abbreviated (« janv. »).
_MONTH_ABBREVIATIONS = (
    r"janv\.?",
    r"f[ée]vr?\.?",
    r"avr\.?",
    r"juil\.?",
    r"sept\.?",
    r"oct\.?",
    r"nov\.?",
    r"d[ée]c\.?",
)
_MONTHS = "|".join(
    [*(m.replace("é", "[ée]").replace("û", "[uû]") for m in FRENCH_MONTHS), *_MONTH_ABBREVIATIONS]
)


_DATE = (
    r"(?:(?:18|19|20)\d{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])(?!\d)"  # ISO
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+\d{{4}})"
)


# "DDN 12031975": eight bare digits are a date only right after a birth cue.
_DATE_DIGITS = r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}(?!\d)"


# The cue must start a word: "journée le 12 mars" and "signé le 12/03/2019" hold "né(e)
# le" but are no birth. Notes abbreviate ("D.D.N.", "date de naiss.") and write
# inclusively ("né(e)", "né.e").
_BIRTH_CUE = re.compile(
    r"(?<!\w)(?:(?P<label>date\s+de\s+naiss(?:ance|\.)|D\.?D\.?N\.?|naissance)"
    r"|n[ée]e?(?:\(e\)|[.·]e)?s?)"
    rf"(?:\s*(?::|=|le\b|en\b))*\s*(?P<date>{_DATE}|{_DATE_DIGITS})",
    re.I,
)


_FULL_DATE = re.compile(rf"\b{_DATE}\b", re.I)


# A name given as a form field, masked even without a date. The first lookahead keeps
# "nom : que faire ?" and "Changement de nom : le patient…" out; the last asks the value
# to end like a field's ("nom : dupont, prénom : jean", "Nom : DUPONT Prénom : Jean DDN…"),
# so that "Prénom : obligatoire dans le dossier ?" stays.
_FIELD_WORD = (
    r"(?!(?:et|ou|n[ée]e?s?|ddn|date|pr[ée]noms?|nom|le|la|les|l|un|une|des|du|de|d|au|aux|"
    r"que|qu|quel(?:le)?s?|qui|quoi|comment|pourquoi|est|sont|a|il|elle|on|ce|cette|son|sa|"
    r"ses|mon|ma|mes|leur|leurs)\b)[^\W\d_][\w'’-]*"
)


_FIELD_PARTICLE = r"(?:le|la|de|du|des|da|van|von|ben|el|al)\s|d['’]"


_FIELD_NAME = re.compile(
    r"\b(?:nom(?:\s+(?:de\s+famille|de\s+naissance|d['’]usage|d['’][ée]pouse|marital|"
    r"patronymique))?|pr[ée]noms?)\s*:\s*"
    rf"(?P<name>(?:(?:{_FIELD_PARTICLE})\s*)?{_FIELD_WORD}(?:[ \t]+{_FIELD_WORD}){{0,2}})"
    r"(?![\w'’-])(?=\s*(?:$|[,;:.?!()/\n–—-]|\d|"
    r"(?:pr[ée]noms?|nom|n[ée]e?s?|ddn|date|t[ée]l|e-?mail|adresse)\b))",
    re.I,
)


def nir_key_ok(digits13: str, key: str) -> bool:
    """The NIR key is 97 − (number mod 97); Corsica's 2A/2B count as 19/18."""
    d = digits13.upper().replace("2A", "19").replace("2B", "18")
    if not d.isdigit():
        return False
    return int(key) == 97 - int(d) % 97


Span = tuple[int, int]


def _is_street(m: re.Match[str], text: str) -> bool:
    if not re.fullmatch(_STREET_AMBIGUOUS, m.group("street"), re.I):
        return True
    if re.search(r"\b\d{5}\b", m.group()) or _PROPER_NAME_AFTER.match(text, m.end("street")):
        return True
    return bool(_RESIDENCE_CUE.search(text[max(0, m.start() - 30) : m.start()]))


def _union(spans: list[Span]) -> list[Span]:
    """Overlapping names as one: "Orienter m. blanc" (spaCy) and "blanc marie" (after the
    title) hide "blanc marie" together, where the longest alone would leave "marie"."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _adjacent(a: Span, b: Span, text: str) -> bool:
    """Only spaces, commas or brackets between the two spans."""
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    return hi - lo <= 4 and not text[lo:hi].strip(" ,()-")
