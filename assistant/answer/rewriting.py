"""A follow-up read with its anchor: the part of the anchor it swaps, swapped
(``rewrite``), or the anchor put before it."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..search.question_type import classify
from .phrase_swap import NP_START, swap_phrase
from .pointer_cues import impersonal
from .question_grammar import (
    _SUBJECT_3,
    _clitic_slot,
    _infinitive_like,
    _Tok,
    _tokens,
)
from .referents import _NAMED, SINGULAR, referents, swap_possessive

# « Et le SCAT ? », « Et pour l'ARS ? »: another body, named.
_NAME_FOLLOW_UP = re.compile(
    r"^\s*(?i:(?:et|mais|ou)\s+)?(?i:(?:pour|avec|chez|dans)\s+)?(?P<det>(?i:(?:le|la|les|un|une)\b|l['’]))\s*"
    r"(?P<name>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)\s*(?:,?\s*(?:aussi|alors))?\s*\??\s*$"
)
_PREP_OF = {"du": "de", "des": "de", "de la": "de", "de l'": "de", "de l’": "de"}
_PREP_OF.update({"d'un": "de", "d'une": "de", "d’un": "de", "d’une": "de"})
_PREP_OF.update({"à un": "à", "à une": "à"})
_PREP_OF.update({"au": "à", "aux": "à", "à la": "à", "à l'": "à", "à l’": "à"})
_JOINED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
_JOINED.update({("de", "un"): "d'un", ("de", "une"): "d'une"})


def _swap_name(question: str, anchor: str, kind_of: Callable[[str], str] | None = None) -> str:
    """« Et le SCAT ? » after « Qu'apporte le RAT aux médecins généralistes ? » gives
    « Qu'apporte le SCAT aux médecins généralistes ? »: a name stands for a name of the
    same shape (an acronym for an acronym, a proper noun for a proper noun), the first
    one the anchor writes after an article; "" when the anchor has none.

    When the anchor asks for a body, the name may be an answer instead (« Qui finance le
    CSAPA ? Et l'ARS ? » may ask whether the ARS does): it is swapped only for a name of
    the same kind, by ``kind_of`` (``Glossary.kind_of``: « Qui finance les CAARUD ? Et
    les CSAPA ? » asks who finances the CSAPA, both being « centres »)."""
    m = _NAME_FOLLOW_UP.match(question)
    if not m:
        return ""
    asks_body = classify(anchor).kind == "agent"
    if asks_body and kind_of is None:
        return ""
    name = m.group("name")
    acronym = name.isupper() and len(name) > 1
    for c in _NAMED.finditer(anchor):
        old = c.group("name")
        # A capitalised word opening the anchor may be any word (« L'Etat aide-t-il … »);
        # an acronym there is a name (« Un CSAPA peut-il … ? », « Et un CAARUD ? »).
        if old == name or (old.isupper() and len(old) > 1) != acronym:
            continue
        if c.start() == 0 and not acronym:
            continue
        if asks_body and not (kind_of and kind_of(old) and kind_of(old) == kind_of(name)):
            continue
        det = m.group("det").lower().replace("’", "'")
        prep = _PREP_OF.get(c.group("det").lower())
        if prep:
            det = _JOINED.get((prep, det), f"{prep} {det}")
        sep = "" if det.endswith("'") else " "
        if c.start() == 0:
            det = det[:1].upper() + det[1:]
        return f"{_agreed(anchor[: c.start()], det)}{det}{sep}{name}{anchor[c.end() :]}".strip()
    return ""


# « qu' », « lorsqu' », « jusqu' » before a vowel; « que », « lorsque », « jusque » before
# a consonant.
_ELIDED = re.compile(r"\b(qu|lorsqu|puisqu|jusqu)['’]$", re.I)
_ELIDABLE = re.compile(r"\b(que|lorsque|puisque|jusque) $", re.I)


def _agreed(before: str, det: str) -> str:
    """``before`` with its last word elided or not as the new determiner needs: « Qu'est-ce
    qu'un CAARUD ? » then « Et les CSAPA ? » is « Qu'est-ce que les CSAPA ? », not « qu'les »."""
    vowel = det[:1].lower() in "aeiouéèêàâîïôûh"
    m = _ELIDED.search(before)
    if m and not vowel:
        return f"{before[: m.start()]}{m.group(1)}e "
    m = _ELIDABLE.search(before)
    if m and vowel:
        return f"{before[: m.start()]}{m.group(1)[:-1]}'"
    return before


# An object pronoun before its verb: « Qui la finance ? », « Qui peut le solliciter ? »,
# « Comment les contacter ? », « Le patient doit-il en être informé ? », « Comment y
# accéder ? ». The word before it must stand where a clitic stands (``_clitic_slot``):
# « le » of « Qui peut le dossier … » is an article.
_CLITIC = re.compile(
    r"(?<![\w'’])(?P<pro>les|le|la|l['’]|en|y)(?:\s+|(?<=['’]))(?P<verb>\w+)", re.I
)
_PREV_WORD = re.compile(r"(?P<hyphen>-)?(?P<w>\w+['’]?)\s*$")
# Forms of « être » and « avoir » whose participle belongs to the verb group (« en être
# informé » → « être informé du DAC »).
_AUXILIARY = frozenset(("être", "avoir", "été", "est", "sont", "a", "ont", "sera", "seront"))
# A person the user speaks of as theirs (« mon patient », « ma patiente »).
_OWNED = re.compile(
    r"(?i)\b(?P<det>mon|ma|mes|notre|nos|votre|vos)\s+(?P<noun>patient(?:e)?s?|"
    r"usager(?:e)?s?|malades?|client(?:e)?s?|enfants?|fils|fille)\b"
)
_OWNED_ARTICLE = {"mon": "le", "ma": "la", "mes": "les", "nos": "les", "vos": "les"}
_OWNED_ARTICLE |= {"notre": "l'", "votre": "l'"}
# Verbs whose object is a person (« Dois-je le prévenir ? »), by the start of their forms.
_PERSON_VERBS = (
    "préven", "prévien", "inform", "avert", "contact", "orient", "adress", "accompagn",
    "reçoi", "recev", "hospitalis", "convoqu", "aide", "soign", "examin",
)  # fmt: skip


def _persons(anchor: str) -> list[tuple[str, str]]:
    """(definite article, noun) of the persons the user calls theirs in the anchor."""
    return [
        (_OWNED_ARTICLE[m.group("det").lower()], m.group("noun")) for m in _OWNED.finditer(anchor)
    ]


_DIRECT = ("le", "la", "l'", "les")
_AVOIR_FORMS = frozenset(("a", "ont", "avait", "avaient", "aura", "auront"))
# The agreement of a participle with its object before it: « signée(s) », « remise(s) »,
# « reçus »; not the « s » of « mis », « pris », « acquis », which is the word's own.
_AGREEMENT = re.compile(r"(?<=[éiust])(?:e|es)$|(?<=[éu])s$")
# « en » stands for « de » and its noun phrase, « y » for « à » and its.
_CLITIC_PREP = {"en": "de", "y": "à"}


def _clitic_at(question: str) -> re.Match[str] | None:
    """The object pronoun of ``question`` standing before its verb, if any."""
    for m in _CLITIC.finditer(question):
        prev = _PREV_WORD.search(question[: m.start()])
        verb = _Tok(m.group("verb").lower())
        pro = m.group("pro").lower().replace("’", "'")
        if prev is None:
            continue
        before = _Tok(
            prev.group("w").lower().replace("’", "'"), inverted=bool(prev.group("hyphen"))
        )
        if not _clitic_slot(before):
            continue
        # After « qui » or a subject the verb may be conjugated (« qui la finance »);
        # elsewhere it is an infinitive (« peut le solliciter »), or « en » / « y » with any
        # verb form (« doit-il en être informé »).
        if before.text in ("qui", "on") or _infinitive_like(verb) or pro in _CLITIC_PREP:
            return m
    return None


# A noun phrase set off by a comma before the question (« Ce stage, qui le paie ? »).
_DISLOCATED = re.compile(
    r"^\s*(?:et\s+)?(?P<np>(?:ce|cet|cette|ces|le|la|les|l['’])\s*[^,?]+?)\s*,\s*", re.I
)


def _swap_pronoun(question: str, anchor: str) -> str:
    """« Qui les finance ? » after « Quelles sont les missions des CAARUD ? » gives « Qui
    finance les CAARUD ? », « Qui peut le solliciter ? » after « Qu'est-ce qu'un DAC ? »
    « Qui peut solliciter le DAC ? », « Le patient doit-il en être informé ? » « Le patient
    doit-il être informé du DAC ? »: the object pronoun stands for what the anchor is
    about (``referents``), of the same number and gender (« l' », « en », « y »: any);
    "" when there is none."""
    m = _clitic_at(question)
    if m is None:
        return ""
    pro = m.group("pro").lower().replace("’", "'")
    dislocated = _DISLOCATED.match(question)
    if dislocated is not None and dislocated.end() <= m.start() and pro in _DIRECT:
        # « Ce stage, qui le paie ? »: the pronoun takes up the noun phrase set off before
        # it, « Qui paie ce stage ? » (the anchor says which stage).
        head = question[dislocated.end() : m.start()]
        np = dislocated.group("np")
        np = np[:1].lower() + np[1:]  # a determiner: lower case inside the question
        return _as_question(f"{head}{m.group('verb')} {np}{question[m.end() :]}")
    if pro in _CLITIC_PREP and classify(anchor).kind == "yesno":
        # « Le patient doit-il en être informé ? » after « Un médecin peut-il partager … ? »
        # : « en » stands for the sharing, not a noun of it (« informé du CSAPA »).
        return ""
    topics = referents(anchor)
    if m.group("verb").lower().startswith(_PERSON_VERBS):
        # « Dois-je le prévenir ? » after « … sur mon patient avec … du CSAPA ? »: the
        # patient, not the CSAPA.
        topics = _persons(anchor) + topics
    for article, noun in topics:
        if pro == "les" and article != "les":
            continue
        if pro in SINGULAR and (
            article == "les" or (pro != "l'" and article in SINGULAR[:2] and article != pro)
        ):
            continue
        phrase = _with_article(article, noun)
        prep = _CLITIC_PREP.get(pro)
        q = _QUANTIFIER_AFTER.match(question[m.end() :]) if pro == "en" else None
        if q is not None:
            # « pour en ouvrir un » is « pour ouvrir un CAARUD »: a name only, whose
            # singular is itself (« un réseaux » would not be French).
            if not noun.isupper():
                return ""
            rest = question[m.end() + q.end() :]
            text = f"{question[: m.start()]}{m.group('verb')} {q.group(1)} {noun}{rest}"
            return _as_question(text)
        if prep:
            joined = _JOINED.get((prep, article))
            phrase = f"{joined} {noun}" if joined else f"{prep} {phrase}"
        head = question[: m.start()]
        verb_end = m.end()
        verb_group = question[m.start("verb") : verb_end]
        if m.group("verb").lower() in _AUXILIARY:
            # The participle goes with its auxiliary: « être informé du DAC ».
            nxt = re.match(r"\s+(\w+)", question[verb_end:])
            if nxt:
                verb_end += nxt.end()
                participle = nxt.group(1)
                if pro in _DIRECT and m.group("verb").lower() in _AVOIR_FORMS:
                    # « l'a signée » agrees with « l' » before it; after « a », the
                    # object follows: « a signé la lettre ».
                    participle = _AGREEMENT.sub("", participle)
                verb_group = f"{question[m.start('verb') : m.end('verb')]} {participle}"
        locution = _LOCUTION_NOUN.match(question[verb_end:]) if prep else None
        if locution is not None:
            # « Qui en fait partie ? » is « Qui fait partie du comité ? », not « Qui fait
            # du comité partie ? »: the noun of a verbal phrase stays with its verb.
            verb_group = question[m.start("verb") : verb_end + locution.end()]
            verb_end += locution.end()
        return _as_question(f"{head}{verb_group} {phrase}{question[verb_end:]}")
    return ""


# The bare noun of a verbal phrase whose complement « en » / « y » stands for: « faire
# partie de », « avoir besoin de », « tenir compte de », « avoir accès à », « faire
# appel à », « avoir droit à ».
_LOCUTION_NOUN = re.compile(
    r"\s+(?:partie|besoin|compte|soin|accès|appel|part|droit|face|usage|état|"
    r"connaissance|recours|mention|suite|référence)\b",
    re.I,
)


def _with_article(article: str, noun: str) -> str:
    """« la » + « intervision » → « l'intervision »; « les » + « CAARUD » → « les CAARUD »."""
    if article in ("le", "la") and noun[:1].lower() in "aeiouéèêàâîïôûh":
        article = "l'"
    return f"{article}{noun}" if article.endswith("'") else f"{article} {noun}"


# « en » with a number after its verb: « en ouvrir un », « en créer plusieurs ».
_QUANTIFIER_AFTER = re.compile(r"\s+(un|une|deux|trois|plusieurs)\b", re.I)


def _as_question(text: str) -> str:
    """A rewritten follow-up without its opening connective (« et », « alors, »), with
    one final « ? »."""
    text = re.sub(r"^\s*(?:et|mais|alors|donc)\s*,?\s+", "", text, flags=re.I).strip()
    text = re.sub(r"\s*\?*\s*$", " ?", text, count=1)
    return text[:1].upper() + text[1:]


# What may stand before a subject pronoun that takes up the anchor's topic: a connective,
# a question word or phrase (« Et depuis quand elle existe ? », « À quelle date a-t-elle
# été créée ? »); a noun there would be the subject itself.
_BEFORE_SUBJECT = re.compile(
    r"^\s*(?:(?:et|mais|alors|donc)\s*,?\s*)?(?:(?:à|a|de|par|pour|avec|depuis|chez|sur|"
    r"dans|en|jusqu['’]à)\s+)?(?:(?:qui|quoi|quand|comment|où|ou|pourquoi|combien(?:\s+de\s+"
    r"\w+)?|quel(?:le)?s?(?:\s+\w+)?|que|qu['’]|est-ce\s+qu['’]?e?)\s*)*$",
    re.I,
)
# Or the object a relative clause takes up, when asked for (« Quels sont les dangers
# qu'elle identifie ? »): the pronoun is the subject of the relative clause.
_BEFORE_RELATIVE_SUBJECT = re.compile(
    r"^\s*(?:et\s*,?\s*)?(?:quel(?:le)?s?\s+(?:est|sont)\s+)?(?:le|la|les|l['’])\s*"
    r"[\w-]+(?:\s+[\w-]+)?\s+(?:que\s+|qu['’]|dont\s+)$",
    re.I,
)
_SUBJECT_AT = re.compile(
    r"(?:(?P<host>\w+)(?:-t)?-(?P<inv>il|elle|ils|elles)|\b(?P<pro>il|elle|ils|elles))\b", re.I
)
_SUBJECT_ARTICLES = {"il": ("le", "l'"), "elle": ("la", "l'"), "ils": ("les",), "elles": ("les",)}


def _swap_subject(question: str, anchor: str) -> str:
    """« Elle date de quand ? » after « Qu'est-ce que la MILDECA ? » gives « La MILDECA
    date de quand ? », « Quand a-t-elle été créée ? » « Quand la MILDECA a-t-elle été
    créée ? »: a subject pronoun with nothing before it but a connective or a question
    word stands for what the anchor is about (``referents``) of its gender and number;
    not the impersonal « il » (« Faut-il … »); "" when there is none."""
    m = _SUBJECT_AT.search(question)
    before = question[: m.start()] if m is not None else ""
    if m is None or not (
        _BEFORE_SUBJECT.match(before)
        or (not m.group("inv") and _BEFORE_RELATIVE_SUBJECT.match(before))
    ):
        return ""
    pro = (m.group("inv") or m.group("pro")).lower()
    toks = _tokens(question)
    at = next((i for i, t in enumerate(toks) if t.is_(_SUBJECT_3)), None)
    if at is None or impersonal(toks, at):
        return ""
    for article, noun in referents(anchor):
        if article not in _SUBJECT_ARTICLES[pro]:
            continue
        phrase = _with_article(article, noun)
        if m.group("inv"):
            # The subject goes before its verb; the pronoun stays (« a-t-elle »).
            verb = question[m.start() :]
            text = f"{question[: m.start()]}{phrase} {verb[:1].lower()}{verb[1:]}"
        else:
            if before.lower().endswith(("qu'", "qu’")):
                before = before[:-1] + "e "  # « qu'elle » → « que la coordination »
            text = f"{before}{phrase}{question[m.end() :]}"
        return _as_question(text)
    return ""


def rewrite(question: str, anchor: str, kind_of: Callable[[str], str] | None = None) -> str:
    """The question read with its anchor.

    When the follow-up only swaps one part of the anchor, that part is swapped: "Et avec
    un pharmacien ?" after "…partager des informations sur un patient avec les autres
    professionnels du réseau ?" gives "…sur un patient avec un pharmacien ?", and "Et
    celles d'un CAARUD ?" after "Quelles sont les missions d'un CSAPA ?" gives "Quelles
    sont les missions d'un CAARUD ?". Otherwise the anchor is put before the question.
    ``kind_of``: the kind of body a name stands for (see _swap_name)."""
    q, a = question.strip(), anchor.strip()
    topic = _TOPIC_FIRST.match(q)
    if topic:
        # « Et le référentiel, qui l'a élaboré ? »: the pronoun takes up the topic put
        # first, not the anchor's (measured: « Qui a élaboré l'instruction DGS ? »).
        own = _swap_pronoun(topic.group("rest"), f"{topic.group('np')} ?")
        if own:
            return own
    return (
        swap_phrase(q, a)
        or _swap_pronoun(q, a)
        or _swap_subject(q, a)
        or swap_possessive(q, a)
        or _swap_name(q, a, kind_of)
        or f"{a} {q}"
    )


def swap_part(question: str, anchor: str, kind_of: Callable[[str], str] | None = None) -> str:
    """The follow-up read with the anchor when it swaps a part of it (« Et un CAARUD ? »,
    « Et avec un pharmacien ? », « Qui le finance ? » → « Qui finance le CSAPA ? »): a
    question that later follow-ups are read with; "" otherwise. A subject pronoun's
    reading (« Le CSAPA est-il gratuit ? ») too, when its topic is read back from it as
    the anchor's: not « L'injonction thérapeutique dure combien de temps ? », whose
    topic stands before a verb that no rule here tells from a noun; the anchor, whose
    words say what the topic is, stays then."""
    q, a = question.strip(), anchor.strip()
    subject = _swap_subject(q, a)
    if subject and not set(referents(subject)[:1]) <= set(referents(a)):
        subject = ""
    return (
        swap_phrase(q, a)
        or _swap_pronoun(q, a)
        or subject
        or swap_possessive(q, a)
        or _swap_name(q, a, kind_of)
    )


# A topic put first, before a comma, and the question about it (« Et le référentiel,
# qui l'a élaboré ? »).
_TOPIC_FIRST = re.compile(
    rf"^\s*(?:(?:et|mais|alors)\s+)?(?P<np>{NP_START}\s*[^,?]{{1,60}}?)\s*,\s*(?P<rest>[^,]+\?)\s*$",
    re.I,
)


def swaps_phrase(question: str, anchor: str, kind_of: Callable[[str], str] | None = None) -> bool:
    """Whether the follow-up swaps a phrase or a name of the anchor for its own (« Et avec
    un pharmacien ? », « Et le SCAT ? »), rather than asking something new of the
    anchor's topic with a pronoun (« Qui le finance ? », « Elle a été créée quand ? »)."""
    q, a = question.strip(), anchor.strip()
    return bool(swap_phrase(q, a) or _swap_name(q, a, kind_of))
