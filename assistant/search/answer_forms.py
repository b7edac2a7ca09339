"""What a sentence that gives the answer a question asks for looks like: ``form_score``
rates a candidate sentence in [0, 1] for the kind of answer read by ``question_type``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .asked_action import names_a_doer
from .asked_values import value_form
from .counted import counts_people, of_the_kind
from .lexical import fold
from .term_spans import find_names, referred

if TYPE_CHECKING:
    from .question_type import QuestionType

# Apostrophes and spaces as the patterns here and in question_type.py are written.
_APOS = str.maketrans({"’": "'", "\u00a0": " ", "\u202f": " "})


def _norm(text: str) -> str:
    return " ".join(text.translate(_APOS).split())


# --- scoring sentences ------------------------------------------------------------------
# « dans un délai de six mois », « à compter de »: by when, not how long.
_DEADLINE = re.compile(r"\b(?:délai|à compter|au plus tard|avant le|dans les \d)", re.I)
# What a figure must carry to be a rate or a sum of money.
_RATE_ASKED = ("taux", "pourcentage", "proportion", "part")
_MONEY_ASKED = ("montant", "somme", "coût", "prix", "tarif", "plafond", "salaire", "rémunération")
# A reason or a purpose given: « car », « parce que », « en effet », « permet de »,
# « afin de ».
_REASON = re.compile(
    r"\b(?:car|parce que|parce qu'|puisque|en effet|en raison d[eu']|du fait d[eu']|grâce à|"
    r"afin d[e']|pour (?:que|qu')|dans le but d[e']|permet(?:tent|tra|trait)? d[e']|"
    r"permettant d[e']|vis(?:e|ent) à|c'est pourquoi|l'objectif (?:est|étant)|"
    r"(?:a|ont) pour (?:objet|objectif|but) d[e']|à l'origine d[eu']|s'explique|"
    r"(?:est|sont) dûe?s? à|raisons?)",
    re.I,
)
# A penalty set by a text: « puni(e) de … d'emprisonnement / d'amende », « une amende de
# 135 euros », « encourt … ans ».
_PUNISHED = re.compile(
    r"\b(?:puni(?:e|s|es)?|passible|encour(?:t|ent)|sanctionnée?s?)\b[^.;]{0,160}?"
    r"\b(?:emprisonnement|réclusion|amende|euros?|€|contravention)\b|"
    r"\bamende (?:forfaitaire )?(?:d'un montant )?(?:de|d')\s*\d",
    re.I,
)
# An aggravated case: « les peines sont portées à cinq ans d'emprisonnement », « la peine
# d'emprisonnement est portée à dix ans lorsque … ». A penalty, but for a narrower case
# than the question may ask about: see is_aggravated.
_AGGRAVATED = re.compile(
    r"\b(?:peines?|emprisonnement|amendes?)\b[^.;]{0,40}?\b(?:est|sont)\s+"
    r"(?:portée?s?|élevée?s?|doublée?s?)\s+(?:à|au)\b",
    re.I,
)


def is_aggravated(sentence: str) -> bool:
    """Whether the sentence sets the penalty of an aggravated case (form_score gives it
    0.5, a penalty named; it answers in full when the question names its circumstance,
    which the choice of sentences reads: « Et pour un chauffeur de bus ? »)."""
    return bool(_AGGRAVATED.search(sentence))


_PENALTY_WORD = re.compile(
    r"\b(?:peines?|puni(?:e|s|es)?|amendes?|emprisonnement|sanctions?|encour(?:t|ent))\b", re.I
)
_RATE = re.compile(r"%|\bpour ?cent\b|\b(?:moitié|tiers|quart)\b")
# « 4 millions » of a budget, « le coût ne peut excéder celui des amendes … de la 3e
# classe »: a sum without its currency sign.
_MONEY = re.compile(
    r"€|\beuros?\b|\bfrancs?\b|\d\s*(?:millions?|milliards?)\b|\bamendes?\b[^.;]{0,40}\bclasse\b"
)
# What a place is written with: a venue, an address, a town after « à ».
_PLACE_MARK = re.compile(
    r"\b(?:(?:a|ont|avoir|aura|auront) lieue?s?|se (?:déroule|déroulent|tien(?:t|nent)|passe|"
    r"passent)|locaux|siège|salle|adresse|domicile|rue|avenue|boulevard|place|site|"
    r"implanté(?:e|s|es)?|situé(?:e|s|es)?|installé(?:e|s|es)?)\b",
    re.I,
)
_TOWN = re.compile(r"\b(?:à|au sein d[eu']|dans les? (?:locaux|murs)) ?[A-ZÀ-Ý][\w-]+")

# Permission, obligation, prohibition, exception, condition: what a yes or a no is
# written with in regulations and circulars.
_DEONTIC = re.compile(
    r"\b(?:peu(?:t|vent)|pourr(?:a|ont|ait|aient)|puisse(?:nt)?|doi(?:t|vent)|devez|devons|"
    r"devr(?:a|ont|ait|aient)|faut|tenue?s? (?:de|d')|interdi(?:t|te|ts|tes|ction|re)|"
    r"autoris(?:é|ée|és|ées|ation|e|ent)|habilitée?s?|obligatoire(?:ment)?|obligation|"
    r"oblige|requiert|requise?s?|exige|exigent|exigée?s?|appartient|appartiendra|"
    r"personnellement|sauf|"
    r"à condition|sous réserve|en aucun cas|ne saurait|s'oppose|fait obstacle|"
    r"a droit|ont droit|droit (?:de|d'|à)|bénéficie(?:nt)?|consentement|accord)\b"
    r"|\bn(?:e\s+|')\w+(?:\s+\w+)?\s+(?:pas|plus|jamais|aucun|aucune|que|ni)\b",
    re.I,
)
_RESTRICTION = re.compile(
    r"\b(?:sauf|à condition|sous réserve|requiert|requise?s?|exige|exigent|exigée?s?|"
    r"interdi\w*|tenue?s? (?:de|d')|"
    r"personnellement|en aucun cas|ne saurait|obligatoire(?:ment)?|uniquement|seule?s?|"
    r"s'oppose|fait obstacle|consentement|opposition|dérogation)\b"
    r"|\bn(?:e\s+|')\w+(?:\s+\w+)?\s+(?:pas|plus|jamais|aucun|aucune|que|ni)\b",
    re.I,
)
# « X est un ensemble … », « X ont pour mission … », « X s'entend de … »: what defines.
_DEFINING_STRONG = (
    r"(?:est|sont)(?: notamment| également)? (?:un|une|des|le|la|les|l'|constitués?|"
    r"chargée?s?|définie?s?)|désigne(?:nt)?|constitue(?:nt)?|s'entend(?:ent)?|"
    r"(?:a|ont) pour (?:mission|missions|objet|objectif|objectifs|but|rôle|vocation)|"
    r"consiste(?:nt)?|se définit|se définissent|recouvre(?:nt)?|vise(?:nt)? à|"
    r"assure(?:nt)?(?: \w+ment)? (?:des|les) missions|"
    # « Les centres … assurent : 1° L'accueil … 2° … »: what it does, listed.
    r"(?:assure(?:nt)?|ont pour (?:mission|missions))(?= ?:)|"
    # « Le fonds … contribue … au financement d'actions … »: what it is for.
    r"contribue(?:nt)?(?=,|\s+(?:à|au|aux)\b)"
)
_DEFINING_WEAK = (
    r"assure(?:nt)?|réuni(?:t|ssent)|regroupe(?:nt)?|comprend|comprennent|"
    r"contribue(?:nt)?|concour(?:t|ent)|relève(?:nt)?|prépare(?:nt)?|participe(?:nt)?|"
    r"favorise(?:nt)?|coordonne(?:nt)?|permet(?:tent)?|offre(?:nt)?|propose(?:nt)?|"
    r"accueille(?:nt)?|est|sont"
)
_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre"
)
_NUMBER_WORDS = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|"
    r"quarante|cinquante|soixante|cent|cents|mille|moitié|tiers|quart|double|triple"
)
_DURATION_UNITS = (
    r"jours?|journées?|demi-journées?|nuits?|semaines?|mois|ans|années?|heures?|minutes?|"
    r"trimestres?|semestres?"
)
# A length (« dix ans », « 6 mois ») and a calendar date (« 20 décembre 2011 », « en
# 2000 »): both say when, only the first says how long.
_LENGTH = re.compile(rf"\b(?:\d+|un|une|{_NUMBER_WORDS}) (?:{_DURATION_UNITS})\b", re.I)
# A year, also of past centuries (« en 1847 », « (1571-1610) »: PIAF's history articles),
# not a sum or a count (« de 1500 euros », « 1200 habitants »).
_ANY_YEAR = (
    r"(?:1\d|20)\d\d\b(?!\s*(?:€|euros?|francs?|dollars?|%|[,.]\d|habitants|personnes|"
    r"exemplaires|mètres|km|kilomètres|hommes|soldats|morts|victimes|élèves|membres)\b)"
)
_CALENDAR = re.compile(
    rf"\b\d{{1,2}}(?:er)? (?:{_MONTHS})(?: \d{{4}})?\b|\b(?:{_MONTHS}) \d{{4}}\b|"
    rf"\b(?:en|depuis|dès|de|à compter de|avant|après|jusqu'en|vers) {_ANY_YEAR}|"
    rf"\(\s*{_ANY_YEAR}\s*[-–]\s*{_ANY_YEAR}\s*\)|"  # a life's span: « (1571-1610) »
    r"\b\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(?:19|20)\d\d\b",  # « le 6 - 5 - 2000 »
    re.I,
)
# A start given by a year: « à compter de la rentrée universitaire 2002-2003 ».
_SINCE = re.compile(
    r"\b(?:[àa] compter d|depuis|dès|[àa] partir d)[^.;:]{0,60}?\b(?:19|20)\d\d\b", re.I
)
_CLOCK = re.compile(r"\b\d{1,2} ?h(?: ?\d{2})?\b|\b\d{1,2} heures\b|\bmidi\b")
_DATE = re.compile(f"{_CALENDAR.pattern}|{_LENGTH.pattern}", re.I)
_TIME_WORDS = re.compile(
    r"\b(?:délai|délais|dès|depuis|à compter|jusqu'à|avant le|après le|chaque année|"
    r"annuel(?:le)?(?:ment)?|durée|date|renouvelable|tous les|mensuel(?:le)?|"
    r"(?:19|20)\d\d)\b|\b" + _ANY_YEAR,
    re.I,
)
# A number that counts something, not an article of a code (L. 1110-4, 9° du I) nor a
# list rank. A bare number may end a sentence (« Places : 15. »).
_QUANTITY_VALUE = re.compile(
    rf"(?<![\w.°-])\d[\d  ]*(?:[.,]\d+)?\s*(?:%|€|euros?|millions?|milliards?|"
    rf"{_DURATION_UNITS}|places?|points?|personnes?|réseaux?|séances?|fois|"
    rf"représentants?|membres?)\b|\b(?:{_NUMBER_WORDS})\b|(?<![\w.°-])\d+(?![\w°-]|[.,]\d)"
    # « au moins une séance », « une fois par an »: one, written as a word.
    r"|\b(?:au (?:moins|plus|minimum|maximum)|pas plus d'|une seule|un seul) ?(?:un|une)?\b"
    r"|\b(?:un|une) (?:fois|séance|réunion|journée|demi-journée|visite)s? (?:par|chaque|"
    r"annuelle|mensuelle|hebdomadaire|trimestrielle|semestrielle)\b",
    re.I,
)
_REFERENCE = re.compile(
    r"\b(?:articles?|art\.|[LRD]\.?|n°|loi|décret|ordonnance|arrêté)\s*[\dLRDO]"
    r"[\w.-]*(?:\s*(?:à|et)\s*[\w.-]+)?|\b\d+°|\b[IVX]+\b",
    re.I,
)
_BODY = re.compile(
    r"\b(?:ministre|ministère|préfet|procureur|juge|juridiction|autorité|agence|comité|"
    r"commission|conseil|caisse|fonds|directeur|directrice|président|présidente|"
    r"médecin|pharmacien|professionnel|État|Etat|Gouvernement|association|organisme|"
    r"institut|chef de projet|chefs de projet|service|centre|équipe|assurance maladie|"
    r"collectivités?|intervenant|coordinat(?:eur|rice))s?\b|\b[A-Z]{2,}\b"
)
_PAID = re.compile(
    # « financier » qualifies a report or a situation (« un bilan financier »), not a payer.
    r"\b(?:financ(?!ier|ière)\w*|pris(?:e|es)? en charge (?:par|à)|à la charge|frais|dépenses|"
    r"crédits|dotation|subvention\w*|rembours\w*|assurance maladie|payé\w*|paie|paient|"
    # « L'Etat peut accorder une aide aux organismes … » pays for the kits.
    r"accord\w* une aide|aides? financières?)\b",
    re.I,
)
_MEMBERS_LISTED = re.compile(
    r"\b(?:comprend|comprennent|(?:est|sont) composée?s?|se composent|se compose|réunit)\b"
    r"[^.;:]*:"
)
_AGENT_MARK = re.compile(
    r"\b(?:par (?:le|la|l'|les|un|une|des)|sous (?:la présidence|l'autorité|la "
    r"responsabilité) (?:de|du|des|d')|est chargée?|sont chargée?s|relève(?:nt)? (?:de|du|des)|"
    r"(?:vous |lui |leur )?appartient|présidée?|présidé par|seule?s? (?:un|une|le|la|les)|"
    r"organisée?s? par|fixée?s? par|désignée?s? par|nommée?s? par|à la charge (?:de|du|des))\b",
    re.I,
)


def form_score(
    qt: QuestionType,
    sentence: str,
    subject_names: tuple[str, ...] = (),
    verb_names: tuple[str, ...] = (),
) -> float:
    """How much a sentence has the form of the answer the question asks for, in [0, 1].

    ``subject_names``: for a definition, the ways of writing the defined term (an acronym
    and its long form, from the glossary), lowercased. ``verb_names``: the documents' words
    for the action asked (« demander » → « solliciter »), from the glossary.
    """
    s = _norm(sentence)
    if qt.kind == "yesno":
        # The rule with its limits (an exception, a condition, a negation) answers more
        # than a bare « peut ». A question on a fact (« Les élèves reçoivent-ils … ? »)
        # is answered by a rule less often: half the weight.
        if not _DEONTIC.search(s):
            return 0.0
        score = 1.0 if _RESTRICTION.search(s) else 0.7
        return score if qt.modal else score / 2
    if qt.kind == "definition":
        return _definition_score(s, subject_names or (qt.subject.lower(),))
    if (value := value_form(qt.subject, s)) is not None:
        return value
    if qt.kind == "quantity":
        text = _REFERENCE.sub(" ", s)
        # A rate is not answered by a sum of money, nor the reverse.
        if qt.subject == "peine":
            # « est puni d'un an d'emprisonnement et de 3 750 euros d'amende »; a sentence
            # that only names a penalty (« encourt également la peine complémentaire »)
            # says what, not how much.
            if _PUNISHED.search(text):
                return 1.0
            return 0.5 if _PENALTY_WORD.search(text) else 0.0
        if qt.subject in _MONEY_ASKED:
            return 1.0 if _MONEY.search(text) else 0.0
        # A calendar date (« à compter du 1er janvier 2008 ») counts nothing.
        if not _QUANTITY_VALUE.search(_CALENDAR.sub(" ", text)):
            return 0.0
        if qt.subject in _RATE_ASKED:
            return 1.0 if _RATE.search(text) else 0.0
        if not qt.subject or _counts(text, qt.subject):
            # « Combien de représentants d'administrations … ? » is not answered by « Cinq
            # représentants d'associations » (fourteenth fresh-user test).
            return 1.0 if of_the_kind(text, qt.subject, qt.content) else 0.0
        if counts_people(qt.subject) and _counts_things(text):
            # « Combien y a-t-il d'usagers de crack à Paris ? » is not answered by « Deux
            # « plans crack » mis en place à Paris … » (thirteenth fresh-user test).
            return 0.0
        # « Combien de personnes ont été condamnées … ? » is not answered by « … est punie
        # de deux ans d'emprisonnement et de 9 000 euros d'amende »: lengths and sums only.
        return 0.0 if _measures_only(text, qt.subject) else 0.6
    if qt.kind == "time":
        text = _REFERENCE.sub(" ", s)
        if qt.subject == "heure":
            # Opening hours are written « de 9 h à 17 h », « 14h30 »: a year is no answer.
            return 1.0 if _CLOCK.search(text) else 0.0
        if qt.subject == "durée":
            # How long it lasts is answered by a length (« une durée ne pouvant excéder
            # un mois »), less by a deadline (« exécuté dans un délai de six mois »), and
            # hardly by a calendar date (« la décision du 20 décembre 2011 »).
            if _LENGTH.search(text):
                return 0.5 if _DEADLINE.search(text) and "durée" not in text else 1.0
            if _CALENDAR.search(text):
                return 0.3
        elif qt.subject == "délai":
            # By when is answered by a deadline (« dans un délai de six mois à compter
            # de … »), less by how long a thing lasts (« pendant une durée ne pouvant
            # excéder un mois »; fourteenth fresh-user test).
            if _DATE.search(text):
                return 1.0 if _DEADLINE.search(text) else 0.5
        elif qt.subject == "début":
            # Since when is answered by a date or a year it starts from (« A compter de la
            # rentrée universitaire 2002-2003 »), not by how long it lasts (« Durée totale
            # : 2 années »; eighteenth fresh-user test).
            if _CALENDAR.search(text) or _SINCE.search(text):
                return 1.0
            if _LENGTH.search(text):
                return 0.0
        elif _DATE.search(text):
            return 1.0
        return 0.5 if _TIME_WORDS.search(text) else 0.0
    if qt.kind == "place":
        if _PLACE_MARK.search(s):
            return 1.0 if _TOWN.search(s) or re.search(r"\blocaux\b|\badresse\b", s) else 0.7
        return 0.5 if _TOWN.search(s) else 0.0
    if qt.kind == "other" and qt.subject == "raison":
        return 1.0 if _REASON.search(s) else 0.0
    if qt.kind == "agent":
        if qt.subject == "membres":
            # Who sits on a body is listed after « comprend : », « est composé de : ».
            return 1.0 if _MEMBERS_LISTED.search(s) else 0.0
        if qt.subject == "financeur":
            # Who pays is said with the payment: « sont prises en charge par l'assurance
            # maladie », « aux frais du condamné »; « la prise en charge des usagers » is care.
            return 1.0 if _PAID.search(s) else 0.0
        if qt.verb and any(names_a_doer(v, s.lower()) for v in (qt.verb, *verb_names)):
            # « Qui peut solliciter … ? »: « X peuvent solliciter … »; « Qui peut demander
            # un appui … ? » too, the documents' word for it (glossary).
            return 1.0
        if _AGENT_MARK.search(s) and _BODY.search(s):  # a body, not as the one who may
            return 0.6 if qt.verb else 1.0
        return 0.6 if _BODY.search(" ".join(_strip_opening(s).split()[:6])) else 0.0
    return 0.0


# What a number measures rather than counts: a length of time, a sum, a share.
# Compared without accents: « combien d'annees » typed without them (a glued elision
# unglued) asks « années » too.
_MEASURE_UNIT = re.compile(fold(rf"^(?:%|€|euros?|millions?|milliards?|{_DURATION_UNITS})$"))


def _measures_only(text: str, unit: str) -> bool:
    """Whether every number of the text is a length of time, a sum or a share (its next
    word, or its own unit), when the question counts something else (« personnes »)."""
    if _MEASURE_UNIT.match(fold(unit)):
        return False
    values = list(_QUANTITY_VALUE.finditer(text))
    for m in values:
        words = text[m.start() : m.end() + 20].lower().replace("€", " € ").split()
        if not any(_MEASURE_UNIT.match(fold(w.strip(",;."))) for w in words[:3]):
            return False
    return bool(values)


# Between a number and the noun it counts: « 15 nouveaux usagers », « deux « plans » ».
_BEFORE_NOUN = re.compile(r"^(?:nouv|autre|premi|derni|princip|grand|petit|ancien)")
_NO_NOUN = re.compile(r"^(?:de|des|du|d|en|et|ou|à|au|aux|le|la|les|l|par|pour|sur|dans|puis)$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _counts_things(text: str) -> bool:
    """Whether every number of the text counts something that is no one: the plural noun
    after it and its scale is no word for people (« Deux « plans crack » », « 96 réseaux
    »; « 4,4 millions d'habitants » are people). False when some number counts people or
    no plural noun (« (21 en Hte Ndie) », « trois étaient … »), or none counts; years and
    « un », « une » (an article as often as a number) are skipped."""
    found = False
    for m in _QUANTITY_VALUE.finditer(text):
        value = m.group(0).strip().lower()
        if _YEAR.match(value) or value in ("un", "une") or not value:
            continue
        # The noun after the number and its scale: « 4,4 millions d'habitants ».
        words = re.findall(r"[^\W\d_][\w-]*", text[m.start() : m.start() + 80].lower())
        while words and (_NUMERAL.match(words[0]) or _BEFORE_NOUN.match(words[0])):
            scale = words.pop(0)
            if words and words[0] in ("de", "d") and _NUMERAL.match(scale):
                words.pop(0)  # « quarante-quatre de ces prisonniers »
                if words and words[0] in ("ces", "ses", "leurs", "nos", "vos", "les"):
                    words.pop(0)
        noun = words[0] if words else ""
        # What a number counts is a plural noun; « trois étaient des immigrés » counts
        # what the sentence goes on to say.
        if not noun.endswith(("s", "x")) or _NO_NOUN.match(noun) or counts_people(noun):
            return False
        found = True
    return found


# A number word, alone or compound (« quarante-quatre »), or a scale (« millions »).
_NUMERAL = re.compile(
    rf"^(?:(?:{_NUMBER_WORDS}|et|un|une|quatre-vingts?|millions?|milliards?|milliers|"
    rf"centaines|dizaines)-?)+$"
)


def _counts(text: str, unit: str) -> bool:
    """Whether a number in the text counts the unit asked about (« 67 réseaux », « la
    moitié du nombre maximal de points »): the unit's word within a few words after it."""
    stem = fold(unit)[:5]
    for m in _QUANTITY_VALUE.finditer(text):
        after = fold(text[m.start() : m.end() + 60]).split()[:7]
        if any(w.startswith(stem) for w in after):
            return True
    return False


def _strip_opening(s: str) -> str:
    return re.sub(r"^(?:[IVX]+\s*[.-]+\s*|\d+°\s*|[-–•]\s*)", "", s)


# Within one clause: no sentence punctuation, but the dots of references (« L. 312-1 »).
_CLAUSE = r"(?:[^.;:]|\.(?=\s*\d))"


def _definition_score(sentence: str, names: tuple[str, ...]) -> float:
    """1: the term is the sentence's subject and a defining verb follows it (« Les
    centres … ont pour mission », « Pour l'application du présent titre, l'équipe de
    soins est un ensemble »); 0.6: the same with a weaker verb (« assurent », « réunit »)
    or a creation (« Il est créé … un fonds … »); 0.3: the term is glossed elsewhere in
    the sentence (a parenthesis, « qui consiste en »); 0. The term is the subject when
    only a determiner, or a fronted phrase closed by a comma, stands before it, and no
    modifier of its own follows it (« l'équipe de soins spécialisés » is another term)."""
    low = _strip_opening(sentence).lower()
    best = 0.0
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        for pos, end in [*find_names(low, name), *referred(low, name)]:
            before, after = low[:pos], low[end:]
            subject = bool(_SUBJECT_SLOT.match(before)) and bool(_AFTER_SUBJECT.match(after))
            strong = re.match(rf"^{_CLAUSE}{{0,160}}?\b(?:{_DEFINING_STRONG})\b", after)
            weak = re.match(rf"^{_CLAUSE}{{0,160}}?\b(?:{_DEFINING_WEAK})\b", after)
            if subject and strong:
                best = max(best, 1.0)
            elif subject and weak:
                best = max(best, 0.6)
            elif _CREATED.search(before):
                # « Il est créé … un fonds … » says that it exists, not what it does.
                best = max(best, 0.3)
            elif re.match(rf"^\s*(?:\(|,? c'est\b|:|{_GLOSS})", after):
                best = max(best, 0.3)
    return best


# What may stand before a sentence's subject: a determiner, or a fronted phrase closed
# by a comma (« Pour l'application du présent titre, »).
_SUBJECT_SLOT = re.compile(
    r"^(?:[^,]{0,80},\s*)?(?:(?:le|la|les|un|une|des|ce|cet|cette|ces|chaque|tout|toute)\s+|l')?$"
)
_DEFINING_ANY = (
    r"est|sont|désigne(?:nt)?|constitue(?:nt)?|s'entend(?:ent)?|a|ont|consiste(?:nt)?|"
    r"se|recouvre(?:nt)?|vise(?:nt)?|assure(?:nt)?|réuni(?:t|ssent)|regroupe(?:nt)?|"
    r"comprend|comprennent|contribue(?:nt)?|concour(?:t|ent)|relève(?:nt)?|prépare(?:nt)?|"
    r"participe(?:nt)?|favorise(?:nt)?|coordonne(?:nt)?|permet(?:tent)?|offre(?:nt)?|"
    r"propose(?:nt)?|accueille(?:nt)?"
)
# After the subject: its verb, or a complement that is not a modifier of its own.
_AFTER_SUBJECT = re.compile(
    rf"^\s*(?:[,(]|(?:{_DEFINING_ANY})\b|(?:mentionnée?s?|visée?s?|prévue?s?|définie?s?|"
    rf"créée?s?|qui|au sens|dite?s?|dénommée?s?|placée?s?|auprès d(?:e|es|u))\b|$)"
)
_CREATED = re.compile(r"\b(?:est|sont) (?:créée?s?|institué(?:e|s|es)?)\b[^.;]*$")
_GLOSS = (
    r"(?:qui|lequel|laquelle) (?:consiste|désigne|constitue|s'entend|prend la forme)|"
    r"prenant la forme"
)
