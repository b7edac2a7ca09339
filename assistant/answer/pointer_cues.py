"""Token cues that a word of a question points back at the conversation, beyond the
pronoun rules of ``FollowUpRules``: a clitic before its verb (« Qui la finance ? »), the
subject of a relative clause (« les dangers qu'elle identifie »), a definite noun phrase
that names nothing of its own (« Qui a piloté le référentiel ? »), and « c'est » that
announces its topic after it (« C'est quoi un CSAPA ? », which points nowhere)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from .question_grammar import (
    _ARTICLES,
    _AVOIR,
    _DETERMINERS,
    _ETRE,
    _FINITE,
    _GO,
    _INTERROGATIVE_DETS,
    _MODALS,
    _OBJECT_CLITICS,
    _PREPOSITIONS,
    _SHELL_NOUNS,
    _SUBJECTS,
    _clitic_slot,
    _f,
    _infinitive_like,
    _inverted_subject_after,
    _is_host,
    _noun_then_verb,
    _Tok,
    _verb_at,
)

# Impersonal "il": "Faut-il…", "Y a-t-il…", "S'agit-il…", "Il existe…".
_IMPERSONAL = _f(
    "faut", "fallait", "faudra", "faudrait", "existe", "existait", "existera", "agit",
    "agissait", "suffit", "suffira", "reste", "restait", "convient", "importe", "passe",
    "passera", "manque", "semble", "paraît", "appartient", "incombe", "revient", "arrive",
    "vaut", "résulte", "découle", "ressort", "pleut",
)  # fmt: skip
_WEATHER = _f("temps", "beau", "froid", "chaud", "jour", "nuit", "soleil")
_PERSONAL_ADJ = _f("tenu", "obligé", "chargé", "capable", "habilité", "censé", "soumis")

# Whom a scheme serves, as the conversation said (« Quelles structures peuvent adresser
# les patients ? » after the crack scheme: its users).
_PEOPLE = _f(
    "patient", "patients", "usager", "usagers", "personne", "personnes", "bénéficiaire",
    "bénéficiaires", "malade", "malades", "intéressé", "intéressés", "intéressée",
)  # fmt: skip

# Whom « son », « sa », « ses » may stand for in the question itself (ninth fresh-user
# test: « Combien de points perd-on sur son permis … ? » was refused as a follow-up).
GENERIC_OWNERS = _f("on", "quelqu'un", "chacun", "chacune")

# The cue of a definite noun phrase that names nothing of its own (« Qui a piloté le
# référentiel ? »): which one, the conversation says (see chat.ChatEngine.stream).
DEFINITE_CUE = "groupe nominal défini"


def _finite_at(toks: list[_Tok], i: int) -> bool:
    """A verb at token i that is no present participle (« fixant », « relevant »)."""
    return _verb_at(toks, i) and not toks[i].folded.endswith("ant")


def clitic(toks: list[_Tok], i: int) -> bool:
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
        if i >= 2 and toks[i - 2].is_(_DETERMINERS) and _infinitive_like(nxt):
            # « la mise en œuvre », « une prise en compte »: after a noun, « en » before an
            # infinitive is a preposition (a pronoun « en » there needs a verb before it:
            # « peut-on en prescrire »).
            return _is_host(toks, i + 1)
        return _verb_at(toks, i + 1) or nxt.is_(_FINITE | _f("ne", "n'")) or (_infinitive_like(nxt))
    if not t.is_(_OBJECT_CLITICS) or not (prev is None or _clitic_slot(prev)):
        return False
    if prev is not None and prev.is_(_f("qui")) and _inverted_subject_after(toks, i):
        return False  # « Par qui le médecin relais est-il désigné ? »: an article
    if prev is not None and prev.is_(_f("qui")) and _noun_then_verb(toks, i + 1):
        return False  # « À qui le médecin envoie le certificat ? »: an article
    if prev is not None and prev.is_(_f("qui", "quoi")) and i >= 2 and toks[i - 2].is_(_ETRE):
        return False  # « C'est qui le préfet ? »: the topic after the cleft
    if prev is not None and not prev.inverted and prev.is_(_SUBJECTS | _f("qui", "ne", "n'")):
        return True  # after a subject comes a pronoun, never an article
    return _infinitive_like(nxt) or _is_host(toks, i + 1)


def relative_head(toks: list[_Tok], i: int) -> int:
    """Where the nouns that may stand for the subject pronoun ``i`` end: before the
    noun phrase a relative « que / dont » right before it takes up (« les dangers
    qu'elle identifie »: the dangers are what she identifies, not she); else ``i``."""
    if i < 2 or not toks[i - 1].is_(_f("que", "qu'", "dont")):
        return i
    for j in range(i - 2, -1, -1):
        if toks[j].is_(_DETERMINERS):
            return j
        if toks[j].punct or _verb_at(toks, j):
            break
    return i


def definite_shell(toks: list[_Tok]) -> list[str]:
    """The cues of definite noun phrases that name nothing of their own (« le
    référentiel », « les patients » with nothing after them but a verb)."""
    cues = []
    for i, t in enumerate(toks[:-1]):
        nxt = toks[i + 1]
        after = toks[i + 2] if i + 2 < len(toks) else None
        if not (t.is_(_f("le", "la", "les", "l'")) and nxt.is_(_SHELL_NOUNS | _PEOPLE)):
            continue
        # With nothing after the noun but a verb, it names nothing of its own; a
        # participle (« le décret fixant les conditions … ») says which one.
        if after is None or after.punct or after.inverted or _finite_at(toks, i + 2):
            phrase = f"{t.text}{'' if t.text.endswith(chr(39)) else ' '}{nxt.text}"
            cues.append(f"{DEFINITE_CUE} « {phrase} »")
    return cues


def definite_of(toks: list[_Tok], said: set[str], stems: Callable[[str], list[str]]) -> list[str]:
    """The cues of definite noun phrases whose noun the answer just read writes (stems
    ``said``), with nothing after the noun but a verb or the question's end: « Qui fixe
    la distance ? » after an answer on « les distances en-deçà desquelles les débits de
    boissons … » (tenth fresh-user test: searched alone, it abstained). A name (« les
    CSAPA ») names its own topic."""
    cues = []
    for i, t in enumerate(toks[:-1]):
        nxt = toks[i + 1]
        after = toks[i + 2] if i + 2 < len(toks) else None
        if not t.is_(_f("le", "la", "les", "l'")) or nxt.punct or not nxt.text.islower():
            continue
        noun = stems(nxt.text)
        if len(noun) != 1 or noun[0] not in said or _verb_at(toks, i + 1):
            continue
        if after is None or after.punct or after.inverted or _finite_at(toks, i + 2):
            phrase = f"{t.text}{'' if t.text.endswith(chr(39)) else ' '}{nxt.text}"
            cues.append(f"{DEFINITE_CUE} « {phrase} »")
    return cues


# The question words « c'est » comes before when it announces its topic after them.
_IN_SITU = _f("quoi", "qui", "que", "qu'", "combien", "quand", "où", "comment", "pourquoi")


_FILLERS = _f("exactement", "donc", "alors", "déjà", "encore", "vraiment", "au", "juste", "ça")


# An infinitive: « être », « faire », « aller », « obtenir ».
_INFINITIVE_END = ("er", "ir", "re", "oir")


_REFLEXIVES = _f("se", "s'", "me", "m'", "te", "t'", "nous", "vous")


def _extraposed(rest: Sequence[_Tok]) -> bool:
    """Whether "c'est" is the impersonal subject of an adjective whose own subject
    follows, an infinitive or a clause: "c'est payant d'être accueilli …", "c'est
    obligatoire de faire le stage …", "c'est vrai que …" (nineteenth fresh-user test:
    « Est-ce que c'est gratuit d'aller au CAARUD ? » was refused as a follow-up)."""
    words = [r for r in rest if not r.is_(_FILLERS | _f("pas", "plus", "bien", "toujours"))]
    if len(words) < 3 or words[0].punct or words[0].is_(_ARTICLES | _IN_SITU):
        return False
    link, after = words[1], words[2:]
    if link.is_(_f("que", "qu'")):
        return True
    # A reflexive stands for the infinitive's own subject (« de se faire dépister »);
    # an object clitic (« de le faire ») points back and stays a follow-up.
    while len(after) > 1 and after[0].is_(_REFLEXIVES):
        after = after[1:]
    return link.is_(_f("de", "d'")) and after[0].folded.endswith(_INFINITIVE_END)


def cataphoric(rest: Sequence[_Tok]) -> bool:
    """Whether "c'est" announces a noun phrase: "…quoi, un CSAPA", "…, le DAC", "c'est
    combien l'amende forfaitaire ?", or a name: "C'est quoi Inser Santé ?"; or is
    impersonal, its subject an infinitive or a clause after it (see _extraposed)."""
    if _extraposed(rest):
        return True
    for j, t in enumerate(rest[:-1]):
        after = [r for r in rest[j + 1 :] if not r.punct and not r.is_(_FILLERS)]
        articled = any(r.is_(_ARTICLES | _f("un", "une", "des", "du")) for r in after)
        if (t.is_(_IN_SITU) and after) or (t.text == "," and articled):
            return True
    return False


def impersonal(toks: list[_Tok], i: int) -> bool:
    """Whether the subject pronoun ``toks[i]`` is the impersonal « il » (« Faut-il … »,
    « Y a-t-il … », « Quel temps fera-t-il ? », « Quelle heure est-il ? », « Est-il
    possible de … »), which stands for nothing said before."""
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
    if host.is_(_ETRE) and any(w.is_(_f("heure", "heures")) for w in toks):
        return True  # "Quelle heure est-il ?"
    if host.is_(_MODALS) and nxt is not None and nxt.is_(_f("y")):
        return True  # "Peut-il y avoir…"
    if host.is_(_AVOIR) and before is not None and before.is_(_f("y")):
        return True
    if host.is_(_ETRE) and nxt is not None and after is not None:
        if nxt.is_(_PERSONAL_ADJ):
            return False
        if after.is_(_f("de", "d'", "que", "qu'")):
            return True
        # « Est-il obligatoire pour un CSAPA de faire … ? »: the clause it stands for may
        # come after a complement, as « de » and an infinitive.
        p = toks.index(after)
        rest = [t for t in toks[p : p + 11] if not t.is_(_f("se", "s'"))]  # « de s'installer »
        return any(
            w.is_(_f("de", "d'")) and _infinitive_like(v) for w, v in itertools.pairwise(rest)
        )
    return False


def after_asked_phrase(toks: list[_Tok], end: int) -> int:
    """Where the words after a fronted phrase that holds the question word start (« Sous
    l'autorité de qui | travaille-t-il ? », « Dans quel délai | doit-il … ? »): its nouns
    ask, they are no subject an inverted pronoun could stand for (eighteenth fresh-user
    test: « Sous l'autorité de qui travaille-t-il ? » after a question on the project
    lead was searched alone). 0 when the question opens with no preposition."""
    if not toks or not toks[0].is_(_PREPOSITIONS):
        return 0
    for k in range(1, end):
        if _verb_at(toks, k):
            return 0
        if toks[k].is_(_f("qui", "quoi", "lequel", "laquelle", "lesquels", "lesquelles")):
            return k + 1
        if toks[k].is_(_INTERROGATIVE_DETS):
            return k + 2  # « quel délai »: the noun the determiner asks about
    return 0
