"""What a count counts: people (« 15 citoyens ») or things (« Deux « plans crack » »),
and of which kind (« représentants d'administrations », not « … d'associations »).
Read by answer_forms.form_score for « Combien de … ? »."""

from __future__ import annotations

import re

from .lexical import fold

# Words for people, as a count of them is written (« 15 citoyens », « 3 représentants »).
_PEOPLE = re.compile(
    fold(
        r"^(?:personnes?|individus?|gens|usag[eè]re?s?|patiente?s?|malades?|consommat\w+|"
        r"toxicomanes?|citoyen(?:ne)?s?|participante?s?|membres?|représentante?s?|"
        r"professionnel(?:le)?s?|médecins?|infirmi\w+|pharmacien(?:ne)?s?|psychologues?|"
        r"éducat\w+|intervenante?s?|salariée?s?|agents?|bénévoles?|jeunes|élèves?|"
        r"étudiante?s?|mineure?s?|adultes?|enfants?|femmes?|hommes?|détenue?s?|"
        r"condamnée?s?|habitante?s?|bénéficiaires?|adhérente?s?|soignante?s?|praticiens?|"
        r"familles?|parents?|stagiaires?|déléguée?s?|experts?|acteurs?|fumeurs?|buveurs?|"
        r"élue?s?|directeurs?|directrices?|chefs?)$"
    )
)


def counts_people(noun: str) -> bool:
    """Whether ``noun``, the word after a number, may be a word for people: one of
    ``_PEOPLE``, or with the ending of one (« habitants », « visiteurs », « pèlerins »,
    « touristes », « Parisiens »). Broad on purpose: a thing read as people only keeps an
    answer (« restaurants »), people read as a thing would lose one (PIAF: « 4,4 millions
    d'habitants » for « Combien y a-t-il d'habitants … ? »)."""
    return _PEOPLE.match(fold(noun)) is not None or _AGENT_ENDING.search(noun.lower()) is not None


_AGENT_ENDING = re.compile(
    r"(?:eurs?|euses?|rices?|antes?|ants?|iens?|iennes?|iers?|ières?|istes?|ains?|"
    r"aines?|ins?|ines?|ois|oises?|ée?s)$"
)


_OF = r"\s+(?:de\s+la\s+|de\s+l'|de\s+|d'|des\s+|du\s+)(\w+)"


def of_the_kind(text: str, unit: str, content: str) -> bool:
    """False when a question (its ``content``, from « de » on) counts a ``unit`` of a
    kind (« représentants d'administrations ») and every count of that unit in the text
    is of another kind (« Cinq représentants d'associations », « Deux représentants de
    l'assurance »); True otherwise."""
    asked = re.match(rf"^de\s+{re.escape(fold(unit))}{_OF}", fold(content))
    if asked is None:
        return True
    kinds = re.findall(rf"\b{re.escape(fold(unit)[:5])}\w*{_OF}", fold(text))
    return not kinds or any(k[:5] == asked.group(1)[:5] for k in kinds)
