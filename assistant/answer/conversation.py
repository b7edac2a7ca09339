"""Follow-up questions without an LLM.

A question is read with the conversation only when its grammar says it leans on it:

- it is *elliptic*: it opens like a continuation ("Et si…", "Qu'en est-il…", "Sinon…"),
  or it has no verb and no noun phrase of its own ("Pourquoi ?", "Dans quel délai ?"),
  or no verb and opens with a conjunction or a preposition ("Et avec un pharmacien ?");
- it is *anaphoric*: a demonstrative ("ce texte", "celles d'un CAARUD", "cela"), "le
  même…", a third-person subject pronoun with no noun before it ("Doit-il…"), an object
  or adverbial clitic ("Qui la finance ?", "Comment y accéder ?", "Qui en est
  responsable ?").

Weaker cues (a complete question opening with "Et", a verbless question with a noun
phrase of its own, a definite "le texte" with nothing to say which) make it *possibly*
dependent: the chat then searches both readings (see chat.py); ``condense``, which does
not search, reads it with the conversation. A complete question is searched as typed,
however short.

A dependent question is read with the *anchor*: the last user question of the conversation
that stood on its own, as typed, so that follow-ups never pile up. Its *focus* is what it
adds: its content words that the anchor does not have ("pharmacien").

Plain rules over tokens, no model: spaCy's small French tagger was tried on these
questions and mis-tags exactly the cues that matter (in "Qui la finance ?" it reads
"la finance" as a noun phrase; inverted verbs such as "Peut-on" or "rejoint-il" as
adverbs or adjectives)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..search.lexical import FrenchAnalyzer, fold
from ..search.question_type import classify

Dependence = Literal["no", "maybe", "yes"]


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
# Locutions that only frame an interrogative ("À partir de quand ?").
_FRAME_LOCUTIONS = re.compile(
    r"\b(?:à|a) partir d['’e]|\bau bout d['’e]|\bcombien de temps\b|\bde quelle (?:façon|facon|"
    r"manière|maniere)\b|\bà quel moment\b|\ba quel moment\b",
    re.I,
)
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
    "ministre", "registre", "chiffre", "livre",
    "moindre", "poudre", "chambre", "genre", "maître", "pénitencier", "foncier", "routier",
    "ouvrier", "journalier", "saisonnier", "mobilier", "immobilier", "douanier", "prisonnier",
)  # fmt: skip
_INFINITIVE_END = re.compile(r"(?:er|ir|oir|dre|ttre|aître|aitre|ître|itre|ire|vre|pre|cre|clure)$")
_NOT_INF_END = re.compile(r"(?:aire|oire|ière|iere|eur)$")
# Impersonal "il": "Faut-il…", "Y a-t-il…", "S'agit-il…", "Il existe…".
_IMPERSONAL = _f(
    "faut", "fallait", "faudra", "faudrait", "existe", "existait", "existera", "agit",
    "agissait", "suffit", "suffira", "reste", "restait", "convient", "importe", "passe",
    "passera", "manque", "semble", "paraît", "appartient", "incombe", "revient", "arrive",
    "vaut", "résulte", "découle", "ressort", "pleut",
)  # fmt: skip
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
_WEATHER = _f("temps", "beau", "froid", "chaud", "jour", "nuit", "soleil")
_PERSONAL_ADJ = _f("tenu", "obligé", "chargé", "capable", "habilité", "censé", "soumis")
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
    if (
        prev.is_(_f("que", "qu'", "combien", "quand", "comment", "où", "pourquoi"))
        and i == 1
        and (prev.is_(_f("que", "qu'")) or t.text.endswith(("e", "es", "ent", "t")))
        and not t.is_(_DETERMINERS | _PRONOUNS | _PREPOSITIONS)
    ):
        return True  # "Que propose…", "Qu'apporte…", "Combien coûte…"
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
        and before.is_(_SUBJECT_3 | _SUBJECT_OTHER | _f("qui", "ne", "n'"))
    ):
        return True  # "qui la finance", "on les oriente"
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
    return False


def _clitic_slot(prev: _Tok) -> bool:
    """Whether a pronoun right after ``prev`` stands where a clitic stands."""
    return prev.is_(
        _SUBJECT_3 | _SUBJECT_OTHER | _MODALS
        | _f("qui", "ne", "n'", "comment", "pourquoi", "où", "quand", "pour", "de", "d'", "à",
             "sans", "afin", "que", "qu'")
    ) or (prev.inverted and prev.is_(_SUBJECT_3 | _SUBJECT_OTHER))  # fmt: skip


def _has_verb(toks: list[_Tok]) -> bool:
    return any(_verb_at(toks, i) for i in range(len(toks)))


@dataclass(frozen=True)
class Reading:
    """How much a question leans on the conversation, and why."""

    dependence: Dependence
    cues: tuple[str, ...] = ()


class FollowUpRules:
    """The rules above, with the analyzer that finds content words."""

    def __init__(self, analyzer: FrenchAnalyzer | None = None) -> None:
        self.analyzer = analyzer or FrenchAnalyzer()

    # --- what the question has of its own -------------------------------------------------
    def own_words(self, text: str) -> list[str]:
        """Content words, less the interrogative frame ("délai" in "Dans quel délai ?")
        and the particles of comparison."""
        toks = _tokens(_FRAME_LOCUTIONS.sub(" ", text))
        kept: list[str] = []
        for i, t in enumerate(toks):
            if t.punct or t.is_(_ADDITIVE | _CONJUNCTIONS | _f("oui", "non", "quid")):
                continue
            prev = toks[i - 1] if i > 0 else None
            if prev is not None and prev.is_(_INTERROGATIVE_DETS | _f("de", "d'")):
                # "quel délai", "combien de temps"
                before = toks[i - 2] if i > 1 else None
                if prev.is_(_INTERROGATIVE_DETS) or (before and before.is_(_f("combien"))):
                    continue
            kept.extend(self.analyzer.words(t.text))
        return kept

    def read(self, question: str) -> Reading:
        text = question.strip()
        toks = _tokens(_FRAME_LOCUTIONS.sub(" quand ", text))
        words = [t for t in toks if not t.punct]
        if not words:
            return Reading("no")
        strong: list[str] = []
        weak: list[str] = []
        verb = _has_verb(toks)
        own = self.own_words(text)
        first = words[0]
        opener = first.text in _CONJUNCTIONS and not _is_host(toks, toks.index(first))

        if _STRONG_OPENER.match(text):
            strong.append("ouverture elliptique")
        if not verb:
            if not own:
                strong.append("sans verbe ni groupe nominal")
            elif len(own) == 1 and first.is_(_ARTICLES | _POSSESSIVES | _f("un", "une", "des")):
                strong.append("un groupe nominal seul")  # "Le délai ?", "Les pharmaciens ?"
            elif opener or first.is_(_PREPOSITIONS) or any(t.is_(_ADDITIVE) for t in words):
                strong.append("sans verbe, ouvert par une conjonction ou une préposition")
            else:
                weak.append("sans verbe")
        elif opener:
            weak.append("ouverture par une conjonction")
        if verb and any(t.is_(_f("aussi", "également")) for t in words):
            weak.append("particule de comparaison")
        anaphoric, doubtful = self._anaphora(toks)
        strong.extend(anaphoric)
        weak.extend(doubtful)
        weak.extend(self._definite_shell(toks))
        if strong:
            return Reading("yes", tuple(strong + weak))
        if weak:
            return Reading("maybe", tuple(weak))
        return Reading("no")

    def _anaphora(self, toks: list[_Tok]) -> tuple[list[str], list[str]]:
        """(strong, weak) cues of words that point back."""
        strong: list[str] = []
        weak: list[str] = []
        n = len(toks)
        for i, t in enumerate(toks):
            if t.punct or t.inverted:
                # "Doit-il…"; the subject of "Le médecin doit-il…" is before it.
                if (
                    t.is_(_SUBJECT_3)
                    and not self._impersonal(toks, i)
                    and not self._nouns(toks, i - 1)
                ):
                    strong.append(f"pronom sujet « {t.text} » sans antécédent")
                continue
            prev = toks[i - 1] if i > 0 else None
            nxt = toks[i + 1] if i + 1 < n else None
            after = toks[i + 2] if i + 2 < n else None
            if t.is_(_ANAPHORIC_WORDS):
                # "L'intervision, ça porte sur quoi ?": "ça" takes up a noun said before it.
                if not (t.is_(_f("ça", "cela", "ceci")) and self._nouns(toks, i)):
                    strong.append(f"anaphore « {t.text} »")
            elif t.is_(_f("c'")) and nxt is not None and nxt.is_(_ETRE):
                # "C'est renouvelable ?", but not "C'est quoi, un CSAPA ?" nor "Qu'est-ce
                # que c'est, un CAARUD ?" where a noun phrase follows.
                if not self._nouns(toks, i) and not _cataphoric(toks[i + 2 :]):
                    strong.append("« c'est » sans antécédent")
            elif t.is_(_f("ce", "cet", "cette", "ces")):
                if nxt is None or nxt.punct or nxt.is_(_NOT_AFTER_CE | _TIME_NOUNS):
                    continue
                if nxt.folded.startswith("derni") and after is not None and after.is_(_TIME_NOUNS):
                    continue
                # With nouns before, the demonstrative may point at one of them.
                cue = f"démonstratif « {t.text} {nxt.text} »"
                (weak if self._nouns(toks, i) else strong).append(cue)
            elif (
                t.is_(_POSSESSIVES)
                and nxt is not None
                and not nxt.punct
                and not (_infinitive_like(nxt) or _is_host(toks, i + 1))
            ):
                # "Quel est son rôle ?"; in "Un médecin peut-il lire son dossier ?" the
                # owner is named before.
                if not self._nouns(toks, i):
                    strong.append(f"possessif « {t.text} » sans antécédent")
            elif t.is_(_f("celui", "celle", "ceux", "celles")):
                if nxt is None or nxt.punct or nxt.inverted or nxt.is_(_f("de", "d'", "du", "des")):
                    strong.append(f"pronom démonstratif « {t.text} »")
            elif t.is_(_f("même", "mêmes")) and prev is not None and prev.is_(_ARTICLES):
                # "sur le même territoire" after "plusieurs structures" compares within.
                (weak if self._nouns(toks, i) else strong).append("« le même »")
            elif t.is_(_SUBJECT_3) and prev is not None and prev.is_(_PREPOSITIONS):
                if not self._nouns(toks, i - 1):
                    strong.append(f"pronom « {prev.text} {t.text} » sans antécédent")
            elif t.is_(_SUBJECT_3) and not self._impersonal(toks, i):
                if not self._nouns(toks, i):
                    strong.append(f"pronom sujet « {t.text} » sans antécédent")
            elif t.is_(_STRESSED_3) and prev is not None and prev.is_(_PREPOSITIONS):
                if not self._nouns(toks, i - 1):
                    strong.append(f"pronom « {prev.text} {t.text} » sans antécédent")
            elif self._clitic(toks, i) and not self._nouns_outside_clause(toks, i):
                # A clitic never takes up the subject of its own clause: "Le patient
                # doit-il en être informé ?" speaks of something said before.
                strong.append(f"pronom « {t.text} »")
        return strong, weak

    @staticmethod
    def _clitic(toks: list[_Tok], i: int) -> bool:
        """Whether token i is a pronoun before a verb ("la" in "Qui la finance ?")."""
        t = toks[i]
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None or nxt.punct:
            return False
        if t.is_(_f("y")):
            # "il y a", "y a-t-il", "peut-il y avoir", "y compris"
            return not nxt.is_(_AVOIR | _f("avoir", "compris"))
        if t.is_(_f("en")):
            if prev is not None and prev.is_(_f("s'", "se")) and nxt.is_(_GO):
                return False  # "s'en aller"
            return (
                _verb_at(toks, i + 1)
                or nxt.is_(_FINITE | _f("ne", "n'"))
                or (_infinitive_like(nxt))
            )
        if not t.is_(_OBJECT_CLITICS) or not (prev is None or _clitic_slot(prev)):
            return False
        if prev is not None and not prev.inverted and prev.is_(_SUBJECTS | _f("qui", "ne", "n'")):
            return True  # after a subject comes a pronoun, never an article
        return _infinitive_like(nxt) or _is_host(toks, i + 1)

    def _nouns_outside_clause(self, toks: list[_Tok], i: int) -> list[str]:
        """Nouns before the clause of token i ("qui le suit": the nouns before "qui")."""
        j = i - 1
        while j > 0 and toks[j].is_(_OBJECT_CLITICS | _PRONOUNS):
            j -= 1
        if j > 0 and toks[j].is_(_f("pour", "de", "d'", "sans", "afin", "à", "avant", "après")):
            return self._nouns(toks, j)  # an infinitive clause: "…pour le soigner ?"
        starts = [j for j in range(i) if toks[j].is_(_CLAUSE_OPENERS) and j > 0]
        return self._nouns(toks, starts[-1]) if starts else []

    def _nouns(self, toks: list[_Tok], end: int) -> list[str]:
        """Content words before token ``end`` that are not verbs: possible antecedents."""
        nonverbs = [t for j, t in enumerate(toks[:end]) if not _verb_at(toks, j)]
        return self.own_words(_join(nonverbs))

    @staticmethod
    def _impersonal(toks: list[_Tok], i: int) -> bool:
        t = toks[i]
        if not t.is_(_f("il")):
            return False
        if t.inverted:
            j = i - 1
            while j >= 0 and toks[j].inverted:  # "a-t-il"
                j -= 1
            host = toks[j] if j >= 0 else None
            before = toks[j - 1] if j >= 1 else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            after = toks[i + 2] if i + 2 < len(toks) else None
        else:
            k = i + 1
            while k < len(toks) and toks[k].is_(_f("ne", "n'", "se", "s'", "en")):
                k += 1
            host = toks[k] if k < len(toks) else None
            before = toks[k - 1] if k >= 1 else None
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            after = toks[k + 2] if k + 2 < len(toks) else None
            if host is not None and host.is_(_f("y")):
                return True  # "il y a"
        if host is None:
            return False
        if host.is_(_IMPERSONAL):
            return True
        if host.is_(_f("fait", "fera", "faisait")) and any(w.is_(_WEATHER) for w in toks):
            return True  # "Quel temps fera-t-il ?"
        if host.is_(_MODALS) and nxt is not None and nxt.is_(_f("y")):
            return True  # "Peut-il y avoir…"
        if host.is_(_AVOIR) and before is not None and before.is_(_f("y")):
            return True
        if host.is_(_ETRE) and nxt is not None and after is not None:
            return after.is_(_f("de", "d'", "que", "qu'")) and not nxt.is_(_PERSONAL_ADJ)
        return False

    @staticmethod
    def _definite_shell(toks: list[_Tok]) -> list[str]:
        cues = []
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            after = toks[i + 2] if i + 2 < len(toks) else None
            if not (t.is_(_f("le", "la", "les", "l'")) and nxt.is_(_SHELL_NOUNS)):
                continue
            # With nothing after the noun but a verb, it names nothing of its own.
            if after is None or after.punct or after.inverted or _verb_at(toks, i + 2):
                cues.append(f"« {t.text}{'' if t.text.endswith(chr(39)) else ' '}{nxt.text} »")
        return cues

    # --- the conversation ----------------------------------------------------------------------
    def anchor(self, history: Sequence[Mapping[str, str]]) -> str:
        """The last user question that stood on its own, as typed.

        A user turn may hold a question already read with an earlier one ("Q1 ? Et pour
        les pharmaciens ?"): its questions are looked at one by one, from the last."""
        fallback = ""
        for turn in reversed(history):
            if turn.get("role") != "user" or not (turn.get("content") or "").strip():
                continue
            for q in reversed(_questions(turn["content"])):
                fallback = fallback or q
                if self.read(q).dependence != "yes":
                    return q
        return fallback

    def focus(self, question: str, anchor: str) -> tuple[str, ...]:
        """The content words the question brings that the anchor does not have."""
        a = self.analyzer
        known = set(a.stems(anchor))
        out: list[str] = []
        seen: set[str] = set(known)
        for t in _tokens(question):
            # Auxiliaries, modals and adverbs say nothing the answer could be about;
            # "délai" in "Dans quel délai ?" does.
            if t.punct or t.is_(_NOT_FOCUS) or t.text in _CONJUNCTIONS:
                continue
            for w in a.words(t.text):
                stem = fold(a.stems(w)[0]) if a.stems(w) else w
                if stem not in seen:
                    seen.add(stem)
                    out.append(w)
        return tuple(out)


def _cataphoric(rest: Sequence[_Tok]) -> bool:
    """Whether "c'est" announces a noun phrase: "…quoi, un CSAPA", "…, le DAC"."""
    for j, t in enumerate(rest[:-1]):
        if (t.is_(_f("quoi", "qui", "que", "qu'")) or t.text == ",") and any(
            r.is_(_ARTICLES | _f("un", "une", "des", "du")) for r in rest[j + 1 :]
        ):
            return True
    return False


def _join(toks: Sequence[_Tok]) -> str:
    return " ".join(("-" if t.inverted else "") + t.text for t in toks)


def _questions(text: str) -> list[str]:
    """The questions of a text ("Q1 ? Q2 ?" -> ["Q1 ?", "Q2 ?"])."""
    parts = [p.strip() for p in re.findall(r"[^?]+\??", text)]
    return [p for p in parts if re.search(r"\w", p)] or [text.strip()]


_NOT_FOCUS = (
    _FINITE | _MODALS | _ADDITIVE | _INTERROGATIVES | _ETRE | _AVOIR
    | _f("avoir", "être", "pouvoir", "devoir", "faire", "aller", "falloir", "passer", "peux",
         "pourra", "pourront", "pourrais", "dois", "devrai", "veux", "suis", "sommes", "êtes",
         "avant", "après", "ensuite", "encore", "déjà", "toujours", "jamais", "bien", "mal",
         "vraiment", "plus", "moins", "alors", "donc", "exactement", "précisément",
         "notamment", "surtout", "seulement", "justement", "maintenant", "actuellement",
         "concrètement", "pratiquement", "quid", "oui", "non", "cas", "chose")
)  # fmt: skip

# --- rewriting -------------------------------------------------------------------------
_SUBSTITUTABLE = ("avec", "pour", "chez", "sans", "dans", "par", "auprès", "envers", "vers")
_NP_START = (
    r"(?:le|la|les|l['’]|un|une|des|du|ce|cet|cette|ces|son|sa|ses|leur|leurs|mon|ma|mes|"
    r"notre|nos|votre|vos|tout|tous|toute|toutes|certains|certaines|d['’]autres)\b"
)
_PHRASE_END = re.compile(
    r"\s*(?:[?,;.!:]|\b(?:et|ou|si|lorsque|quand|afin|dans|pour|avec|chez|sans|par|sur|"
    r"auprès|envers|vers|en|à|au|aux|entre|selon|depuis|pendant)\b)",
    re.I,
)
_PP_FOLLOW_UP = re.compile(
    r"^\s*(?:(?:et|mais|ou)\s+)?(?:(?:aussi|même|seulement)\s+)?(?P<prep>"
    + "|".join(_SUBSTITUTABLE)
    + r")\s+(?P<np>"
    + _NP_START
    + r"[^?,;]*?)\s*(?:,?\s*(?:aussi|également|alors))?\s*\??\s*$",
    re.I,
)
# "Et celles d'un CAARUD ?": the same thing, of something else.
_OF_FOLLOW_UP = re.compile(
    r"^\s*(?:(?:et|mais|ou)\s+)?(?P<pron>celui|celle|ceux|celles)\s+"
    r"(?P<pp>(?:du|des|de|d['’])\s*[^?,;]+?)\s*\??\s*$",
    re.I,
)
# A noun (and an adjective) with its complement: "les missions obligatoires d'un CSAPA".
_OF_COMPLEMENT = re.compile(
    r"\b(?P<det>(?:les|le|la|une|un|des)\b|l['’])\s*\w[\w-]*(?:\s+\w[\w-]*)?\s+"
    r"(?P<of>du|des|de|d['’])\s*(?P<next>\w+)",
    re.I,
)


# « Et le SCAT ? », « Et pour l'ARS ? »: another body, named.
_NAME_FOLLOW_UP = re.compile(
    r"^\s*(?i:(?:et|mais|ou)\s+)?(?i:(?:pour|avec|chez|dans)\s+)?(?P<det>(?i:le|la|les|l['’]|un|une))\s*"
    r"(?P<name>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)\s*(?:,?\s*(?:aussi|alors))?\s*\??\s*$"
)
# A name after an article in the anchor, the article possibly joined with « de » or « à ».
_NAMED = re.compile(
    r"(?:\b|(?<=\s))(?P<det>d['’]une?|de la|de l['’]|à la|à l['’]|à une?|du|des|au|aux|le|la|les|"
    r"l['’]|une?)\s*"
    r"(?P<name>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)"
)
_PREP_OF = {"du": "de", "des": "de", "de la": "de", "de l'": "de", "de l’": "de"}
_PREP_OF.update({"d'un": "de", "d'une": "de", "d’un": "de", "d’une": "de"})
_PREP_OF.update({"à un": "à", "à une": "à"})
_PREP_OF.update({"au": "à", "aux": "à", "à la": "à", "à l'": "à", "à l’": "à"})
_JOINED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
_JOINED.update({("de", "un"): "d'un", ("de", "une"): "d'une"})


def _swap_name(question: str, anchor: str) -> str:
    """« Et le SCAT ? » after « Qu'apporte le RAT aux médecins généralistes ? » gives
    « Qu'apporte le SCAT aux médecins généralistes ? »: a name stands for a name of the
    same shape (an acronym for an acronym, a proper noun for a proper noun), the first
    one the anchor writes after an article; "" when the anchor has none, or asks for a
    body (« Qui finance le CSAPA ? Et l'ARS ? » may ask whether the ARS does)."""
    m = _NAME_FOLLOW_UP.match(question)
    if not m or classify(anchor).kind == "agent":
        return ""
    name = m.group("name")
    acronym = name.isupper() and len(name) > 1
    for c in _NAMED.finditer(anchor):
        old = c.group("name")
        if old == name or (old.isupper() and len(old) > 1) != acronym or c.start() == 0:
            continue
        det = m.group("det").lower().replace("’", "'")
        prep = _PREP_OF.get(c.group("det").lower())
        if prep:
            det = _JOINED.get((prep, det), f"{prep} {det}")
        sep = "" if det.endswith("'") else " "
        return f"{anchor[: c.start()]}{det}{sep}{name}{anchor[c.end() :]}".strip()
    return ""


def rewrite(question: str, anchor: str) -> str:
    """The question read with its anchor.

    When the follow-up only swaps one part of the anchor, that part is swapped: "Et avec
    un pharmacien ?" after "…partager des informations sur un patient avec les autres
    professionnels du réseau ?" gives "…sur un patient avec un pharmacien ?", and "Et
    celles d'un CAARUD ?" after "Quelles sont les missions d'un CSAPA ?" gives "Quelles
    sont les missions d'un CAARUD ?". Otherwise the anchor is put before the question."""
    q, a = question.strip(), anchor.strip()
    m = _PP_FOLLOW_UP.match(q)
    if m and not _has_verb(_tokens(m.group("np"))):
        # The anchor's phrase with the same preposition, a noun phrase that ends its
        # question ("pour usage de stupéfiants" is not one: a chauffeur is added to it).
        prep = m.group("prep").lower()
        hits = list(re.finditer(rf"\b{prep}\s+(?={_NP_START})", a, re.I))
        if hits:
            start = hits[-1].end()
            end_m = _PHRASE_END.search(a, start + 1)
            if end_m is None or end_m.group(0).strip() in "?.!":
                end = end_m.start() if end_m else len(a)
                return f"{a[:start]}{m.group('np').strip()}{a[end:]}".strip()
    m = _OF_FOLLOW_UP.match(q)
    if m and not _has_verb(_tokens(m.group("pp"))):
        plural = m.group("pron").lower() in ("ceux", "celles")
        for c in _OF_COMPLEMENT.finditer(a):
            # "celles" stands for a plural noun; "le droit de partager" has no noun after.
            if (c.group("det").lower() in ("les", "des")) != plural:
                continue
            if _infinitive_like(_Tok(c.group("next").lower())):
                continue
            end_m = _PHRASE_END.search(a, c.start("next"))
            end = end_m.start() if end_m else len(a)
            return f"{a[: c.start('of')]}{m.group('pp').strip()}{a[end:]}".strip()
    return _swap_name(q, a) or f"{a} {q}"


@dataclass(frozen=True)
class FollowUp:
    """A question and how it is read with the conversation."""

    asked: str
    question: str  # as understood: the asked one, or it read with the anchor
    dependence: Dependence = "no"
    anchor: str = ""
    focus: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()

    @property
    def rewritten(self) -> bool:
        return self.question != self.asked


def follow_up(
    question: str,
    history: Sequence[Mapping[str, str]],
    analyzer: FrenchAnalyzer | None = None,
) -> FollowUp:
    """How ``question`` is read after ``history`` (turns as {"role", "content"})."""
    q = question.strip()
    rules = FollowUpRules(analyzer)
    anchor = rules.anchor(history)
    if not anchor:
        return FollowUp(q, q)
    reading = rules.read(q)
    if reading.dependence == "no":
        return FollowUp(q, q, "no", anchor, (), reading.cues)
    return FollowUp(
        q, rewrite(q, anchor), reading.dependence, anchor, rules.focus(q, anchor), reading.cues
    )


def condense(
    question: str,
    history: Sequence[Mapping[str, str]],
    analyzer: FrenchAnalyzer | None = None,
) -> str:
    """The question as understood, without searching: a question that may lean on the
    conversation is read with the last standalone question; others are kept as typed.
    (The chat does better on the doubtful ones: it searches both readings.)"""
    return follow_up(question, history, analyzer).question


def is_elliptic(question: str, analyzer: FrenchAnalyzer | None = None) -> bool:
    """Whether the question surely leans on what was said before."""
    return FollowUpRules(analyzer).read(question).dependence == "yes"
