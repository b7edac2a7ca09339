"""The words that tell a person's name from the rest of a question: titles, words for a
person, labels, birth cues, particles, things and institutions."""

from __future__ import annotations

from ..ingest.extraction import FRENCH_MONTHS


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
    question questions demande dossier bonjour bonsoir urgent urgence rappel info infos
    suivi compte-rendu cr mail message maj màj ps nb"""
) | frozenset(FRENCH_MONTHS)


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


def _is_acronym(word: str) -> bool:
    return word.isupper() and word in _ACRONYMS


def _is_thing_word(word: str) -> bool:
    return word.lower() in _THING_NOUNS or _is_acronym(word)
