"""Questions that ask for one precise value — a dose, a telephone number, an age, the
name of whoever holds a post — and what a sentence that gives it looks like.

Such a question is answered by a sentence that writes the value, or not at all: the
documents of an addiction-care network speak of substitution treatments, of a help line,
of the president of a mission, without giving a methadone dose, the line's number or who
presides today. A sentence that shares the question's other words (« la prescription et
le suivi des traitements de substitution », « le président de la mission est nommé par
décret ») is not the answer, and read as one it misleads (third fresh-user test: six
near-domain questions out of eight answered that way). ``question_type.classify`` reads
these frames first and files them as a ``quantity`` (a dose, a number to call) or an
``agent`` (a person's name) whose ``subject`` names the value; ``value_form`` rates a
sentence for it, and the extractive answer abstains when no sentence has it.
"""

from __future__ import annotations

import re
from typing import Literal

# What a question asks for; the subject recorded on its QuestionType.
DOSE = "dose"
PHONE = "téléphone"
PERSON = "nom"
AGE = "âge"

# « Quelle dose de méthadone … », « Quelle est la posologie maximale … », « À quelle dose ».
_DOSE_ASKED = re.compile(
    r"\b(?:quel(?:le)?s? (?:est |sont |serait )?(?:la |les |le )?(?:doses?|posologies?|"
    r"dosages?)|à quelles? doses?|combien de (?:mg|milligrammes|comprimés|gélules))\b"
)
# « Quel est le numéro de téléphone de … », « À quel numéro appeler … », « Quel numéro
# vert … »; not « le numéro de l'instruction » (a reference, see question_type).
_PHONE_ASKED = re.compile(
    r"\b(?:quel(?:le)?s? (?:est |sont )?(?:le |les )?(?:numéros? (?:de (?:téléphone|tél)|"
    r"verts?|d'appel|d'urgence)|téléphone)|à quel numéro|numéros? de téléphone|"
    r"quel numéro (?:appeler|composer|faire|joindre))\b"
)
# « À partir de quel âge … », « Quel âge faut-il avoir … », « l'âge minimum … ».
_AGE_ASKED = re.compile(
    r"\b(?:(?:à partir de|jusqu'à|dès|avant|après) quel âge|à quel âge|quel âge|"
    r"l'âge (?:minimum|minimal|légal|limite|requis))\b"
)
# A post a person holds: the answer names that person.
POST_NOUNS = (
    r"(?:président|présidente|directeur|directrice|délégué|déléguée|ministre|préfet|"
    r"secrétaire général|chef|responsable|coordinateur|coordinatrice|rapporteur|"
    r"dirigeant|dirigeante|titulaire)s?"
)
# « Comment s'appelle le président de … », « Quel est le nom de la directrice … ».
_NAME_ASKED = re.compile(
    r"^(?:comment s'appel(?:le|lent|ait|aient)|qui (?:est|sont)"
    r"|quels? (?:est|sont) (?:le|les) noms? (?:du|de la|de l'|des|de)) ?"
    r"(?:(?:le|la|l'|les|son|sa|ses|leur|leurs|actuel|actuelle|actuels|actuelles|nouveau|"
    r"nouvelle)\s?)*" + POST_NOUNS + r"\b"
)
# What the question says to ask for a name, the post left as the question's content.
_NAME_FRAME = re.compile(
    r"^(?:comment s'appel(?:le|lent|ait|aient)|qui (?:est|sont)"
    r"|quels? (?:est|sont) (?:le|les) noms? (?:du|de la|de l'|des|de))\s?"
)
# « Qui est le président … » may ask what the post is (« le président de la mission est
# nommé par décret »); with « actuel », « aujourd'hui » it asks who holds it.
_NOW = re.compile(
    r"\b(?:actuel(?:le)?s?|aujourd'hui|actuellement|en ce moment|en poste|de nos jours|"
    r"en fonctions?|cette année)\b"
)


def asked_value(head: str, question: str) -> tuple[Literal["quantity", "agent"], str, str] | None:
    """(kind, subject, content) of a question that asks for one of these values, from its
    lower-cased, normalised text: ("quantity", "dose", …) for « Quelle dose de
    méthadone prescrire … », ("quantity", "téléphone", …) for « Quel est le numéro de
    téléphone de … », ("agent", "nom", …) for « Comment s'appelle le président de … »
    and « Qui est l'actuel président de … ? »; None otherwise (« Qui est le président
    de … ? » without a word of the present stays an ``agent`` question). ``head`` is
    the question lower-cased and normalised as ``classify`` reads it; the content is
    ``question`` without the frame (and the words of the present), lower-cased."""
    low = question.lower()
    if _DOSE_ASKED.search(head):
        return ("quantity", DOSE, _without(_DOSE_ASKED, low))
    if _PHONE_ASKED.search(head):
        return ("quantity", PHONE, _without(_PHONE_ASKED, low))
    if _AGE_ASKED.search(head):
        # Eighteenth fresh-user test: « À partir de quel âge peut-on acheter du tabac ? »
        # was answered with the HPST law's aim of keeping tobacco from the young.
        return ("quantity", AGE, _without(_AGE_ASKED, low))
    named = _NAME_ASKED.match(head)
    if named and (not named.group(0).startswith("qui") or _NOW.search(head)):
        # « actuel », « aujourd'hui » say when, not what: no key term of the answer.
        return ("agent", PERSON, _without(_NOW, _without(_NAME_FRAME, low)))
    if _HOLDS.match(head) and _NOW.search(head):
        # « Qui préside actuellement la MILDECA ? », « Qui dirige aujourd'hui l'ARS … ? »
        # (tenth fresh-user test: answered with what the body does).
        return ("agent", PERSON, _without(_NOW, _without(_HOLDS, low)))
    return None


# « Qui préside … », « Qui dirige … », « Qui est à la tête de … »: who holds a post.
_HOLDS = re.compile(
    r"^qui (?:préside|présidait|dirige|dirigeait|est à la tête d(?:e|u|es|e la|e l')|"
    r"gouverne|administre)\b\s?"
)


def _without(frame: re.Pattern[str], text: str) -> str:
    return " ".join(frame.sub(" ", text).split())


# « 60 mg par jour », « 2 comprimés », « 0,4 mg/ml », « 8 milligrammes ».
_DOSE_VALUE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:mg|µg|mcg|g|ml|mL|cl|ui|UI|milligrammes?|microgrammes?|"
    r"grammes?|millilitres?|comprimés?|gélules?|gouttes?|ampoules?|unités?)\b"
)
# « 01 40 56 63 00 », « 0 800 23 13 13 », « +33 1 … », « le 3114 », « composer le 15 ».
_PHONE_VALUE = re.compile(
    r"(?:\+33|0033|\b0)\s?[1-9](?:[\s.-]?\d{2}){4}\b"
    r"|\b(?:le|au|composer le|appeler le|numéro) (?:1[125-9]|11[0-9]|3\d{3})\b"
)
# An age: « 18 ans », « seize ans », « la majorité ».
_AGE_WORD = (
    r"un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
    r"seize|vingt|trente|quarante|cinquante|soixante|quatre-vingts?|cent|et"
)
_YEARS = rf"(?:\d{{1,3}}|(?:{_AGE_WORD})(?:-(?:{_AGE_WORD}))*) ans\b"
# An age is said after « moins de », « âgé de », « à », « dès » (« interdite aux moins de
# 18 ans »), not as a length (« pour une durée maximum de dix ans »).
_AGE_VALUE = re.compile(
    rf"\b(?:(?:moins|plus|âgée?s?|l'âge) de|à|dès|avant|après|jusqu'à) {_YEARS}|"
    rf"{_YEARS} (?:révolus|et plus|ou plus)|\bmajorité\b|\bl'âge de\b",
    re.I,
)
# What makes « N ans » a length, not an age: said before it (« une durée maximum de dix
# ans », « pendant deux ans ») or after it (« dix ans d'emprisonnement »).
_LENGTH_BEFORE = re.compile(
    r"\b(?:durée|pendant|pour|délai|période|depuis|tous les|sur|maximum|minimum|excéder|"
    r"excédant|peine|punie?s?)\b[^.;:]*$",
    re.I,
)
_LENGTH_AFTER = re.compile(r"^\s*(?:d['’]emprisonnement|de réclusion|de prison|d['’]interdiction)")


def _bare_age(sentence: str) -> bool:
    """Whether ``sentence`` writes « N ans » other than as a length (« il a onze ans »):
    an age said some other way than ``_AGE_VALUE`` reads, half an answer."""
    for m in re.finditer(_YEARS, sentence, re.I):
        before = sentence[max(0, m.start() - 40) : m.start()]
        if not _LENGTH_BEFORE.search(before) and not _LENGTH_AFTER.match(sentence[m.end() :]):
            return True
    return False


# The side of an age a text names without the figure: « aux mineurs », « mineurs et
# majeurs » (not « une cible majeure »).
_AGE_SIDE = re.compile(r"\b(?:mineure?s?|majeurs|personnes? majeures?)\b", re.I)
# A person: a title and a name (« M. Dupont », « Mme Maestracci »), a first name and a
# name (« Nicole Maestracci »), or the post the text gives the office to (« sous la
# présidence du Premier ministre », « présidé par le ministre chargé de la santé »).
_TITLED = re.compile(
    r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Dr|Docteur|Pr|Professeur|Maître|Me)\s+"
    r"[A-ZÉÈ][\w'-]+"
)
# Inside a sentence, or at the start of a line when the name is in capitals, as a letter
# is signed (« Nicole MAESTRACCI »): « Le Directeur » opens a line too.
_FIRST_AND_LAST = re.compile(
    r"(?<=[a-zà-ÿ,;:(] )[A-ZÉÈÎ][a-zà-ÿ]+(?:-[A-ZÉÈ][a-zà-ÿ]+)? [A-ZÉÈÎ][A-Za-zà-ÿ'-]{2,}\b"
    r"|(?:^|(?<=\n))[A-ZÉÈÎ][a-zà-ÿ]+(?:-[A-ZÉÈ][a-zà-ÿ]+)? [A-ZÉÈÎ][A-Z'-]{2,}\b",
    re.M,
)
_HELD_BY = re.compile(
    r"\b(?:sous la présidence|présidée?s? par)"
    r" (?:du|de la|de l'|des|de|le|la|l'|les) ?\w+",
    re.I,
)
# Capitalised words of institutions and places, not of a person's name.
_NOT_A_NAME = frozenset(
    {"Premier", "Etat", "État", "République", "Mission", "Comité", "Conseil", "Agence",
     "Code", "Article", "Assurance", "Haute", "Autorité", "Direction", "Ministère",
     "Santé", "Union", "Caisse", "Fonds", "Journal", "Officiel", "Sécurité", "Sociale",
     "France", "Paris", "Place", "Lycée", "Rue", "Avenue", "Boulevard", "Cour", "Cinq",
     "Gouvernement", "Parlement", "Assemblée", "Sénat", "Préfecture", "Département"}
)  # fmt: skip


def value_form(subject: str, sentence: str) -> float | None:
    """1.0 when ``sentence`` writes the value a question with this ``subject`` asks for,
    0.0 when it does not; None for a subject that is not one of these values."""
    if subject == DOSE:
        return 1.0 if _DOSE_VALUE.search(sentence) else 0.0
    if subject == PHONE:
        return 1.0 if _PHONE_VALUE.search(sentence) else 0.0
    if subject == AGE:
        if _AGE_VALUE.search(sentence):
            return 1.0
        return 0.5 if _AGE_SIDE.search(sentence) or _bare_age(sentence) else 0.0
    if subject == PERSON:
        if _TITLED.search(sentence) or _HELD_BY.search(sentence):
            return 1.0
        names = (m.group(0).split() for m in _FIRST_AND_LAST.finditer(sentence))
        return 1.0 if any(not set(n) & _NOT_A_NAME for n in names) else 0.0
    return None


# A question on the present moment: the time, today's date, the weather. The documents
# are texts dated once; none can answer it.
_ABOUT_NOW = re.compile(
    r"\b(?:quelle heure est-il|il est quelle heure|quel jour (?:sommes-nous|on est|est-on|"
    r"est-il|est-ce|c'est)|on est quel jour|on est le combien|quelle est la date (?:d'|du )?"
    r"(?:aujourd'hui|jour)|quelle date (?:sommes-nous|on est|est-on)|quel temps fait-il|"
    r"quel temps va-t-il faire|quelle (?:est la )?météo)\b",
    re.I,
)


def asks_about_now(question: str) -> bool:
    """Whether the question asks the time, today's date or the weather."""
    return _ABOUT_NOW.search(question) is not None
