"""The grammar the follow-up rules read a question with (see conversation.py): its
tokens, the French words they look at, and where a verb stands."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..search.lexical import fold


def _f(*words: str) -> frozenset[str]:
    """The words and their accent-free spellings (people type without accents)."""
    return frozenset(words) | frozenset(fold(w) for w in words)


# --- the words the rules look at ---------------------------------------------------------
_SUBJECT_3 = _f("il", "elle", "ils", "elles")
_SUBJECT_OTHER = _f("je", "j'", "tu", "on", "nous", "vous")
_STRESSED_3 = _f("lui", "eux", "elle", "elles")
_OBJECT_CLITICS = _f("le", "la", "les", "l'", "lui", "leur")
_INTERROGATIVES = _f(
    "qui", "que", "qu'", "quoi", "quel", "quelle", "quels", "quelles", "lequel", "laquelle",
    "lesquels", "lesquelles", "auquel", "auxquels", "auxquelles", "duquel", "desquels",
    "comment", "pourquoi", "quand", "où", "combien",
)  # fmt: skip
_INTERROGATIVE_DETS = _f("quel", "quelle", "quels", "quelles", "combien")
_PREPOSITIONS = _f(
    "à", "au", "aux", "de", "d'", "du", "des", "dans", "en", "pour", "par", "avec", "sans",
    "sous", "sur", "chez", "vers", "entre", "contre", "depuis", "jusqu'", "jusque", "selon",
    "pendant", "après", "avant", "auprès", "parmi", "dès", "hors", "outre", "via",
)  # fmt: skip
# Exact spellings: "ou" is not "où", and "puis" in "Puis-je" is a verb.
_CONJUNCTIONS = frozenset(("et", "mais", "ou", "ni", "or", "puis", "donc", "alors", "sinon"))
_DETERMINERS = _f(
    "le", "la", "les", "l'", "un", "une", "des", "du", "ce", "cet", "cette", "ces", "mon",
    "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
    "leur", "leurs", "chaque", "plusieurs", "certains", "certaines", "aucun", "aucune",
    "quel", "quelle", "quels", "quelles",
)  # fmt: skip
# Particles that compare with something said before.
_PRONOUNS = _f("en", "y", "se", "s'", "ne", "n'", "me", "m'", "te", "t'", "lui", "leur")
_ADDITIVE = _f("aussi", "également", "pareil", "idem", "itou", "même")
# Locutions that only frame an interrogative ("À partir de quand ?", "Depuis quand ?").
_FRAME_LOCUTIONS = re.compile(
    r"\b(?:à|a) partir d['’e]|\bau bout d['’e]|\bcombien de temps\b|\bde quelle (?:façon|facon|"
    r"manière|maniere)\b|\b(?:à|a) quel moment\b|\bdepuis (?:quand|combien)\b|\bjusqu['’]"
    r"(?:à|a) quand\b", re.I)  # fmt: skip
# Openers that make a question a continuation whatever follows.
_STRONG_OPENER = re.compile(
    r"^\s*(?:et\s+si\b|et\s+sinon\b|et\s+alors\b|et\s+apr[eè]s\b|et\s+ensuite\b|sinon\b|"
    r"qu['’]en\s+est[- ]il|quid\b|pareil\b|idem\b|m[eê]me\s+(?:question|chose)\b|"
    r"dans\s+ce(?:s)?\s+cas\b|en\s+ce\s+cas\b|auquel\s+cas\b|si\s+oui\b|si\s+non\b|"
    r"si\s+c['’]est\s+le\s+cas\b|du\s+coup\b|à\s+ce\s+moment|a\s+ce\s+moment)",
    re.I,
)
# Verb forms frequent in questions (être, avoir, the modals, a few others).
_FINITE = _f(
    "est", "sont", "était", "étaient", "sera", "seront", "serait", "seraient", "soit", "soient",
    "fut", "a", "ont", "avait", "avaient", "aura", "auront", "aurait", "auraient", "ait", "aient",
    "peut", "peuvent", "pourra", "pourront", "pourrait", "pourraient", "puisse", "doit", "doivent",
    "devra", "devront", "devrait", "devraient", "faut", "fallait", "faudra", "faudrait", "fait",
    "font", "va", "vont", "veut", "veulent", "sait", "savent", "dit", "disent", "prévoit",
    "prévoient", "existe", "existent", "concerne", "concernent", "signifie", "signifient",
    "permet", "permettent", "comprend", "comprennent", "contient", "désigne", "regroupe", "reste",
    "restent", "suffit", "convient", "agit", "passe", "arrive",
)  # fmt: skip
_MODALS = _f(
    "peut", "peuvent", "pourra", "pourrait", "doit", "doivent", "devra", "devrait", "faut",
    "faudra", "faudrait", "veut", "veulent", "sait", "savent", "va", "vont", "fait", "font",
    "puis", "dois", "peux",
)  # fmt: skip
# Words before which an infinitive stands ("Comment rejoindre…", "pour les orienter").
_BEFORE_INFINITIVE = (
    _f("comment", "pourquoi", "où", "quand", "que", "qu'", "quoi", "pour", "de", "d'", "à",
       "sans", "afin", "ne", "n'", "se", "s'", "me", "m'", "te", "t'", "y", "en")
    | _MODALS | _OBJECT_CLITICS
)  # fmt: skip
# Words ending like an infinitive that are nouns or adjectives.
_NOT_INFINITIVES = _f(
    "dossier", "dossiers", "foyer", "premier", "dernier", "métier", "fichier", "courrier",
    "quartier", "papier", "loyer", "hiver", "usager", "infirmier", "particulier", "entier",
    "financier", "hospitalier", "pénitentiaire", "calendrier", "atelier", "chantier",
    "conseiller", "officier", "policier", "danger", "étranger", "cancer", "cadre", "ordre",
    "centre", "avenir", "plaisir", "désir", "loisir", "espoir", "pire", "sire", "délire",
    "empire", "navire", "sourire", "souvenir", "premier", "régulier", "familier", "cher",
    "fier", "hier", "mer", "fer", "super", "leader", "manager", "entre", "contre", "outre",
    "notre", "votre", "autre", "propre", "libre", "titre", "membre", "nombre", "lettre",
    "ministre", "registre", "chiffre", "livre", "œuvre", "oeuvre", "manœuvre", "manoeuvre",
    "pauvre", "fièvre", "ivre", "sucre", "encre", "clair", "noir", "soir", "couloir",
    "trottoir", "miroir", "enfer", "amer", "laser",
    "moindre", "poudre", "chambre", "genre", "maître", "pénitencier", "foncier", "routier",
    "ouvrier", "journalier", "saisonnier", "mobilier", "immobilier", "douanier", "prisonnier",
)  # fmt: skip
_INFINITIVE_END = re.compile(r"(?:er|ir|oir|dre|ttre|aître|aitre|ître|itre|ire|vre|pre|cre|clure)$")
_NOT_INF_END = re.compile(r"(?:aire|oire|ière|iere|eur)$")
_SUBJECTS = _SUBJECT_3 | _SUBJECT_OTHER | _f("ça", "cela", "ceci", "c'")
_ARTICLES = _f("le", "la", "les", "l'")
_POSSESSIVES = _f("son", "sa", "ses", "leur", "leurs")
_GO = _f("va", "vont", "vais", "aller", "allait", "allaient", "sortir", "sort", "sortent")
# Words that open a clause inside a question ("…à un confrère qui le suit").
_CLAUSE_OPENERS = _f(
    "qui", "que", "qu'", "dont", "où", "quand", "lorsque", "lorsqu'", "si", "s'", "puisque",
    "puisqu'", "parce", "comme", ",",
)  # fmt: skip
_ETRE = _f("est", "était", "sera", "serait", "soit")
_AVOIR = _f("a", "avait", "aura", "aurait", "ait", "ont")
# Demonstratives that are not anaphoric.
_TIME_NOUNS = _f(
    "année",
    "années",
    "mois",
    "jour",
    "jours",
    "semaine",
    "semaines",
    "matin",
    "soir",
    "siècle",
    "nuit",
    "week-end",
    "trimestre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "printemps",
    "été",
    "automne",
    "hiver",
)
_NOT_AFTER_CE = _f(
    "que", "qu'", "qui", "dont", "quoi", "sont", "est", "serait", "sera", "soit", "doit",
    "peut", "ne", "n'", "à", "a",
)  # fmt: skip
# Nouns that name something already introduced ("Que prévoit le texte ?").
_SHELL_NOUNS = _f(
    "texte", "textes", "article", "articles", "document", "dispositif", "dispositifs",
    "instance", "instances", "structure", "structures", "mesure", "mesures", "décret",
    "circulaire", "arrêté", "loi", "instruction", "note", "établissement", "organisme",
    "programme", "plan", "procédure", "commission", "comité", "réforme", "projet", "rapport",
    "guide", "bulletin", "convention", "contrat", "référentiel", "protocole", "démarche",
    "outil", "cellule", "expérimentation", "action", "actions", "financement", "aide",
    "subvention", "crédits", "budget", "montant", "sanction", "peine", "amende",
    "réunion", "séance", "rencontre", "session",
)  # fmt: skip
_ANAPHORIC_WORDS = _f(
    "cela", "ça", "ceci", "ledit", "ladite", "lesdits", "lesdites", "susdit", "susdite",
    "susmentionné", "susmentionnée", "susmentionnés", "susmentionnées", "précité", "précitée",
    "précités", "précitées", "précédent", "précédente", "précédents", "précédentes",
)  # fmt: skip

_TOKEN = re.compile(r"(?P<h>(?<=\w)-)?(?P<w>\w+(?:['’](?=\w|\s|$))?)|(?P<p>[?!.,;:])")


@dataclass(frozen=True)
class _Tok:
    text: str  # lowercased, apostrophe normalised
    inverted: bool = False  # joined to the word before by a hyphen: "-il", "-t", "-ce"
    punct: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)

    def is_(self, words: frozenset[str]) -> bool:
        # The sets hold the accent-free spellings too; "à" is not "a", nor "où" "ou".
        return self.text in words


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text.replace("’", "'")):
        if m.group("p"):
            out.append(_Tok(m.group("p"), punct=True))
        else:
            out.append(_Tok(m.group("w").lower(), inverted=bool(m.group("h"))))
    return out


def _inverted_subject_after(toks: list[_Tok], i: int) -> bool:
    """Whether a subject pronoun inverted after its verb comes after token i: « Par qui le
    médecin relais est-il désigné ? » repeats its subject (« le médecin relais ») after
    « est », so « le » is its article, not an object pronoun (« Qui le finance ? »)."""
    return any(t.inverted and t.is_(_SUBJECT_3) for t in toks[i + 1 :])


def _noun_then_verb(toks: list[_Tok], i: int) -> bool:
    """Whether token i is a noun a verb follows (« Qui le CAARUD prévient ? »), so the
    « le » before it is an article; « Qui le finance chaque année ? » has none."""
    if toks[i].punct or toks[i].is_(_AVOIR | _ETRE | _FINITE | _MODALS):
        return False  # « Qui l'a signée ? »
    return any(
        _verb_like(t) and not toks[j - 1].is_(_DETERMINERS | _PREPOSITIONS)
        for j, t in enumerate(toks)
        if j > i
    )


def _verb_like(t: _Tok) -> bool:
    if t.punct or t.inverted or t.is_(_DETERMINERS | _PREPOSITIONS | _PRONOUNS):
        return False
    return t.is_(_MODALS) or (
        t.text.endswith(("e", "es", "ent", "t")) and not t.text.endswith("ment")
    )


def _infinitive_like(tok: _Tok) -> bool:
    w = tok.text
    if tok.punct or tok.is_(_NOT_INFINITIVES):
        return False
    if w in ("être", "avoir") or w.endswith(("faire", "boire", "croire", "plaire", "traire")):
        return True
    return len(w) > 3 and bool(_INFINITIVE_END.search(w)) and not _NOT_INF_END.search(w)


def _is_host(toks: list[_Tok], i: int) -> bool:
    """Whether token i carries an inverted subject ("peut" in "peut-on")."""
    j = i + 1
    while j < len(toks) and toks[j].inverted:
        if toks[j].is_(_SUBJECT_3 | _SUBJECT_OTHER | _f("ce")):
            return True
        j += 1
    return False


def _verb_at(toks: list[_Tok], i: int) -> bool:
    t = toks[i]
    if t.punct or t.inverted:
        return False
    prev = toks[i - 1] if i > 0 else None
    if _is_host(toks, i) or t.is_(_FINITE):
        # "le fait", "un passe" are nouns; "la finance" may be a clitic and a verb.
        return prev is None or not prev.is_(_DETERMINERS - _OBJECT_CLITICS - _INTERROGATIVE_DETS)
    if prev is None:
        return False
    before = toks[i - 2] if i > 1 else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    opens = max((j + 1 for j, x in enumerate(toks[: i - 1]) if x.text == ","), default=0)
    if (
        prev.is_(_f("que", "qu'", "combien", "quand", "comment", "où", "pourquoi"))
        # Only prepositions before the interrogative: « Jusqu'à quand dure … »; or after a
        # phrase set off by a comma (« Dans la note de 2009, que deviennent … »).
        and all(x.is_(_PREPOSITIONS | _f("partir")) for x in toks[opens : i - 1])
        and (prev.is_(_f("que", "qu'")) or t.text.endswith(("e", "es", "ent", "t")))
        and not t.is_(_DETERMINERS | _PRONOUNS | _PREPOSITIONS)
    ):
        return True  # "Que propose…", "Qu'apporte…", "Combien coûte…", "Jusqu'à quand dure…"
    if (
        before is not None
        and (
            before.is_(_INTERROGATIVE_DETS)
            or (before.is_(_f("de")) and i > 2 and toks[i - 3].is_(_f("combien")))
        )
        and not t.is_(_PREPOSITIONS | _DETERMINERS | _PRONOUNS | _ADDITIVE)
        and t.text not in _CONJUNCTIONS
        and (t.text.endswith(("e", "es", "ent", "t")) or _infinitive_like(t))
    ):
        return True  # "Quel rôle jouent…", "Combien de temps dure…"
    if _infinitive_like(t) and (nxt is None or nxt.punct) and not prev.is_(_DETERMINERS):
        return True  # "Quelle dose prescrire ?"
    if (
        prev.is_(_OBJECT_CLITICS | _f("en", "y"))
        and before is not None
        and not before.inverted
        and before.is_(_SUBJECT_3 | _SUBJECT_OTHER | _f("qui", "ne", "n'", "se", "s'"))
        and not (
            before.is_(_f("qui")) and (_inverted_subject_after(toks, i) or _noun_then_verb(toks, i))
        )
    ):
        return True  # "qui la finance", "on les oriente"; not "par qui la mesure est-elle …"
    if prev.is_(_SUBJECTS | _f("qui", "quoi", "ne", "n'", "se", "s'")) and not (
        t.is_(_OBJECT_CLITICS | _f("en", "y", "ne", "n'", "se", "s'"))
    ):
        return True  # "on oriente", "qui finance", "ne prévoit"
    if _infinitive_like(t) and (
        prev.is_(_BEFORE_INFINITIVE) or (prev.inverted and prev.is_(_SUBJECT_3 | _f("on")))
    ):
        # "le dossier" is a noun, "le contacter" a verb: after an article, only a
        # clitic reading in clitic position counts.
        if prev.is_(_f("le", "la", "les", "l'", "leur")):
            return before is None or _clitic_slot(before)
        return True
    return _after_its_subject(toks, i)


def _after_its_subject(toks: list[_Tok], i: int) -> bool:
    """A verb after its noun subject (a determiner at most three words before), before
    its object (an article or a possessive: not so an adjective, « le patient alcoolique
    »), or last after « qui le … » (« Avec qui le médecin relais travaille ? »)."""
    t, prev, asked = toks[i], toks[i - 1], [x.text for x in toks[max(0, i - 5) : i - 1]]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    last = (nxt is None or nxt.punct) and "qui" in asked and _noun_then_verb(toks, i - 1)
    if not last and (nxt is None or not nxt.is_(_DETERMINERS - _INTERROGATIVE_DETS)):
        return False
    if prev.punct or prev.is_(_DETERMINERS | _PREPOSITIONS | _PRONOUNS | _CONJUNCTIONS):
        return False
    verb_like = t.text.endswith(("e", "es", "ent", "t")) and not t.is_(_DETERMINERS | _PREPOSITIONS)
    return verb_like and any(x.is_(_DETERMINERS) for x in toks[max(0, i - 4) : i - 1])


def _clitic_slot(prev: _Tok) -> bool:
    """Whether a pronoun right after ``prev`` stands where a clitic stands."""
    return prev.is_(
        _SUBJECT_3 | _SUBJECT_OTHER | _MODALS
        | _f("qui", "ne", "n'", "comment", "pourquoi", "où", "quand", "pour", "de", "d'", "à",
             "sans", "afin", "que", "qu'")
    ) or (prev.inverted and prev.is_(_SUBJECT_3 | _SUBJECT_OTHER))  # fmt: skip


def _has_verb(toks: list[_Tok]) -> bool:
    return any(_verb_at(toks, i) for i in range(len(toks)))


# « Sinon, » / « Et sinon, » before a whole question: "by the way", a turn to a new one.
_SINON_COMMA = re.compile(r"^\s*(?:et\s+)?sinon\s*,", re.I)
# A name: a capitalised word (the first of the question is any word).
_NAME = re.compile(r"\b[A-ZÀ-Ý][\w-]*")
# A definition asked for: what follows is the topic (« Et qu'est-ce que l'intervision ? »).
_DEFINITION = re.compile(
    r"\bqu['’]\s*est[- ]ce\s+qu|\bc['’]est\s+quoi\b|\bque\s+(?:signifie|veut\s+dire|désigne)\b",
    re.I,
)
# A past participle, after its auxiliary: « élaboré », « prévue », « mis », « prescrit ».
_PARTICIPLE = re.compile(r"(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ert|erte)$")
# Determiners that say their noun is known: the conversation named it (« le référentiel »),
# or the question asks which (« quel délai »). « les » is not one: « les CSAPA » is a class.
_KNOWN_DETS = _ARTICLES - _f("les") | _POSSESSIVES | _INTERROGATIVE_DETS | _f(
    "ce", "cet", "cette", "ces", "mon", "ma", "mes", "ton", "ta", "tes", "notre", "nos",
    "votre", "vos", "ledit", "ladite", "lesdits", "lesdites",
)  # fmt: skip

_NOT_FOCUS = (
    _FINITE | _MODALS | _ADDITIVE | _INTERROGATIVES | _ETRE | _AVOIR
    | _f("avoir", "être", "pouvoir", "devoir", "faire", "aller", "falloir", "passer", "peux",
         "pourra", "pourront", "pourrais", "dois", "devrai", "veux", "suis", "sommes", "êtes",
         "avant", "après", "ensuite", "encore", "déjà", "toujours", "jamais", "bien", "mal",
         "vraiment", "plus", "moins", "alors", "donc", "exactement", "précisément",
         "notamment", "surtout", "seulement", "justement", "maintenant", "actuellement",
         "concrètement", "pratiquement", "quid", "oui", "non", "cas", "chose", "quelque",
         "rien", "quoi", "côté", "jusqu'", "jusqu", "jusque", "tel", "telle", "tels", "telles",
         # Where or how a thing takes place (« Où se tient la réunion ? »): the texts
         # write « a lieu », « se fait ».
         "tient", "tiennent", "tenir", "déroule", "déroulent", "dérouler", "situe",
         "situent", "trouve", "trouvent",
         # Where, by a preposition (« Et devant un collège ? »): the place is the noun.
         "devant", "derrière", "près", "autour", "dessus", "dessous", "dehors")
)  # fmt: skip


def heads_missing(question: str, missing: list[str], focus: Sequence[str]) -> list[str]:
    """The focus words of a follow-up (``focus``) that are ``missing`` from the answer and
    worth a note: not the complement of a focus word that was
    found (« ligne » of « pilote de ligne », « bus » of « chauffeur de bus »: the answer
    speaks of the pilot or the driver, in the law's words, and a note that the documents
    say nothing of « ligne » reads as if they missed the question)."""
    found = [w for w in focus if w not in missing]
    return [
        w
        for w in missing
        if not any(
            re.search(rf"\b{re.escape(h)}\s+(?:de|du|des|d['’])\s*{re.escape(w)}\b", question, re.I)
            for h in found
        )
    ]


def _dislocated(toks: Sequence[_Tok], i: int) -> bool:
    """Whether « ça » announces what follows its verb: « Combien ça coûte, un stage de
    sensibilisation ? », « Comment ça marche le DAC ? », « Ça coûte combien, un CSAPA ? »,
    « ça coûte combien d'aller dans un CSAPA ? » (an interrogative before it or after its
    verb, then a determiner, or « de » and an infinitive), not « Et combien ça coûte pour
    un mineur ? »."""
    wh = _f("combien", "comment", "où", "quand", "pourquoi", "quoi")
    after = [t for t in toks[i + 2 : i + 5] if not t.punct]
    if i > 0 and toks[i - 1].is_(wh):
        pass
    elif after and after[0].is_(wh) and (i == 0 or toks[i - 1].is_(_f("et", "mais"))):
        after = after[1:]
    else:
        return False
    if after and after[0].is_(wh):
        after = after[1:]
    if len(after) >= 2 and after[0].is_(_f("de", "d'")) and _infinitive_like(after[1]):
        return True
    return bool(after) and after[0].is_(_ARTICLES | _f("un", "une", "des", "du"))


def _comma_then_noun_phrase(rest: Sequence[_Tok]) -> bool:
    """Whether a comma is followed by a determiner: the noun phrase a pronoun before it
    stands for (« Est-elle gratuite, la prise en charge en CAARUD ? »)."""
    return any(
        t.text == "," and n.is_(_ARTICLES | _f("un", "une", "des", "du"))
        for t, n in itertools.pairwise(rest)
    )
