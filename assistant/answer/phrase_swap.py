"""A follow-up that swaps a phrase of its anchor for its own: « Et avec un pharmacien ? »
after « … partager des informations sur un patient avec les autres professionnels du
réseau ? », « Et celles d'un CAARUD ? » after « Quelles sont les missions d'un CSAPA ? »."""

from __future__ import annotations

import re

from .question_grammar import _has_verb, _infinitive_like, _Tok, _tokens

_SUBSTITUTABLE = ("avec", "pour", "chez", "sans", "dans", "par", "auprès", "envers", "vers", "sur")
NP_START = (
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
    + NP_START
    + r"[^?,;]*?)\s*(?:,?\s*(?:aussi|également|alors))?\s*\??\s*$",
    re.I,
)
# The deeds the law punishes, as a question names them (« pour trafic de stupéfiants »,
# « pour un simple usage »): one swaps for another; a person (« Et pour un chauffeur de
# bus ? ») is a case added to the deed, not swapped for it.
_DEEDS = (
    r"(?:usage|trafic|détention|cession|vente|revente|offre|consommation|conduite|culture|"
    r"importation|exportation|transport|acquisition|provocation|possession|production|"
    r"fabrication)s?"
)
_DEED_PHRASE = re.compile(rf"^(?:{NP_START}\s*)?(?:simple\s+|seule?\s+)?{_DEEDS}\b", re.I)
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


def swap_phrase(q: str, a: str) -> str:
    """« Et avec un pharmacien ? », « Et celles d'un CAARUD ? »: the anchor with the
    phrase of the same preposition, or the complement of the same noun, swapped; ""."""
    m = _PP_FOLLOW_UP.match(q)
    if m and not _has_verb(_tokens(m.group("np"))):
        # The anchor's phrase with the same preposition, a noun phrase that ends its
        # question ("pour usage de stupéfiants" is not one: a chauffeur is added to it).
        prep = m.group("prep").lower()
        hits = list(re.finditer(rf"\b{prep}\s+(?={NP_START})", a, re.I))
        if not hits and prep == "pour" and not re.search(r"\b[A-ZÀ-Ý]", m.group("np")):
            # « Et pour les pharmaciens ? » is « as for pharmacists »: it stands for the
            # people the anchor names with « avec », « chez » or « auprès de » when it
            # has no « pour » phrase (« … partager des informations sur un patient avec
            # les autres professionnels du réseau ? »). A name (« Et pour l'ARS ? ») is
            # swapped for a name instead (_swap_name).
            hits = list(re.finditer(rf"\b(?:avec|chez|auprès d[eu']?)\s*(?={NP_START})", a, re.I))
        if not hits and prep == "pour" and _DEED_PHRASE.match(m.group("np")):
            # « Et pour un simple usage ? » after « Quelle peine pour trafic de
            # stupéfiants ? »: one deed for another, the anchor's without a determiner.
            hits = list(re.finditer(rf"\bpour\s+(?=(?:{NP_START}\s*)?{_DEEDS}\b)", a, re.I))
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
    return ""
