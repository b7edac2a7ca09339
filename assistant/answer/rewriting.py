"""A follow-up read with its anchor: the part of the anchor it swaps, swapped
(``rewrite``), or the anchor put before it."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..search.question_type import classify
from .question_grammar import _has_verb, _infinitive_like, _Tok, _tokens

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
    r"(?:\b|(?<=\s))(?P<det>(?i:d['’]une?|de la|de l['’]|à la|à l['’]|à une?|du|des|au|aux|le|la|"
    r"les|l['’]|une?))\s*"
    r"(?P<name>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)"
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


# « Qui la finance ? », « Qui les emploie ? »: an object pronoun for what the anchor is about.
_PRONOUN_FOLLOW_UP = re.compile(
    r"^\s*(?:(?:et|mais)\s+)?(?P<wh>qui|qu['’]est-ce qui)\s+(?P<pro>les\b|le\b|la\b|l['’])\s*"
    r"(?P<verb>[a-zàâçéèêëîïôûùüÿœ]+)(?P<rest>[^?]*?)\s*\?*\s*$",
    re.I,
)
# The definite article of what the anchor names (« des CAARUD » → « les CAARUD »).
_DEFINITE = {
    **{"un": "le", "une": "la", "des": "les", "du": "le", "de la": "la", "aux": "les"},
    **{"au": "le", "d'un": "le", "d'une": "la", "d’un": "le", "d’une": "la", "à la": "la"},
    **{"de l'": "l'", "de l’": "l'", "à l'": "l'", "à l’": "l'", "l’": "l'"},
}
_SINGULAR = ("le", "la", "l'")


def _swap_pronoun(question: str, anchor: str) -> str:
    """« Qui les finance ? » after « Quelles sont les missions des CAARUD ? » gives « Qui
    finance les CAARUD ? »: the object pronoun stands for what the anchor asks about, the
    term it defines (« Qu'est-ce que le fonds de lutte contre les addictions ? ») or else
    the first body it names, of the same number; "" when there is none."""
    m = _PRONOUN_FOLLOW_UP.match(question)
    if not m:
        return ""
    plural = m.group("pro").lower() == "les"
    qt = classify(anchor)
    candidates: list[tuple[str, str]] = []
    if qt.kind == "definition":
        head = re.match(r"(?i)(le|la|les|l['’]|un|une|des)\s*(.+)$", qt.content.strip())
        if head:
            candidates.append((head.group(1), head.group(2)))
    candidates += [(c.group("det"), c.group("name")) for c in _NAMED.finditer(anchor)]
    for det, noun in candidates:
        article = _DEFINITE.get(det.lower(), det.lower())
        if article not in (*_SINGULAR, "les") or (article == "les") != plural:
            continue
        sep = "" if article.endswith("'") else " "
        wh = m.group("wh")
        rest = m.group("rest").strip()
        text = f"{wh[:1].upper()}{wh[1:]} {m.group('verb')} {article}{sep}{noun.strip()}"
        return f"{text} {rest} ?" if rest else f"{text} ?"
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
    m = _PP_FOLLOW_UP.match(q)
    if m and not _has_verb(_tokens(m.group("np"))):
        # The anchor's phrase with the same preposition, a noun phrase that ends its
        # question ("pour usage de stupéfiants" is not one: a chauffeur is added to it).
        prep = m.group("prep").lower()
        hits = list(re.finditer(rf"\b{prep}\s+(?={_NP_START})", a, re.I))
        if not hits and prep == "pour" and not re.search(r"\b[A-ZÀ-Ý]", m.group("np")):
            # « Et pour les pharmaciens ? » is « as for pharmacists »: it stands for the
            # people the anchor names with « avec », « chez » or « auprès de » when it
            # has no « pour » phrase (« … partager des informations sur un patient avec
            # les autres professionnels du réseau ? »). A name (« Et pour l'ARS ? ») is
            # swapped for a name instead (_swap_name).
            hits = list(re.finditer(rf"\b(?:avec|chez|auprès d[eu']?)\s*(?={_NP_START})", a, re.I))
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
    return _swap_pronoun(q, a) or _swap_name(q, a, kind_of) or f"{a} {q}"
