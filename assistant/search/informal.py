"""Questions typed as people type in a chat, put back into written French.

On a phone the apostrophe and the accents go first (« qu est ce qu un caarud », « a quoi
sert un caarud », « ou se trouve … »), and spoken French asks with a cleft (« c'est qui
qui paie … ? »). The question's frame (what kind of answer it asks for) is read from
these very words, so they are restored before anything reads the question: only the
small closed set of interrogatives and elided words, never a content word (the search
folds accents of those itself).
"""

from __future__ import annotations

import re

_VOWEL = "aeiouyhàâäéèêëîïôöûùü"
# « qu est », « d un », « l equipe », « s il », « j ai »: a lone elidable word before a
# vowel is an elision whose apostrophe was lost (none of them stands alone in French).
# Lower case, or capital at the start only: « hépatites B et C » keeps its « C » (and
# « l'hépatite c est-elle … » its « c »). Not « t », which is spelt « a t il ».
_ELISION = re.compile(
    rf"(^(?:Qu|Jusqu|Lorsqu|Puisqu|[CDJLMNS])|(?<!hépatite )(?<!hépatites )"
    rf"\b(?:qu|jusqu|lorsqu|puisqu|[cdjlmns]))"
    rf"\s+(?=[{_VOWEL}])"
)
_QUEST_CE = re.compile(r"\bquest[- ]ce\b", re.IGNORECASE)
# « est ce que », « qu'est ce qu'un »: the hyphen (a lone « ce » reads as « ce texte »).
_EST_CE = re.compile(r"(?<!c')(?<!c’)\b(est) ce (?=qu)", re.IGNORECASE)  # not « c'est ce que »
# « a quoi sert », « et a qui … », « on s'adresse a qui » : the preposition « à » before
# an interrogative, at either end of the question (the verb « a » does not open one).
_A_WH = re.compile(
    r"^((?:et |mais |c'est )?)(a)(?= (?:quoi|qui|quel|quelle|quels|quelles|partir de "
    r"quand|combien|compter de quand)\b)",
    re.IGNORECASE,
)
_A_WH_CLOSE = re.compile(r"\s(a)(?= (?:qui|quoi)\s*[?!.]*$)", re.IGNORECASE)
# « ou » opening a question (« ou se trouve … », « et ou ça se passe ? ») or closing it
# (« ça se passe ou ? ») is « où »: the conjunction neither opens nor closes one, except
# in « ou bien », « ou alors », « ou sinon », « ou pas ».
_OU_OPEN = re.compile(r"^((?:et |mais )?)(ou)\b(?! bien| alors| sinon| pas)", re.IGNORECASE)
_OU_CLOSE = re.compile(r"\s(ou)(?=\s*[?!.]*$)", re.IGNORECASE)
# « peut il », « ai je », « a t il », « y a t il »: an inversion whose hyphens were lost
# (a lone « il » after « peut » would read as « il » standing for something said before).
_INVERSION = re.compile(
    r"\b(ai|suis|puis|dois|peux|peut|doit|est|faut|sont|peuvent|doivent|ont|vont|fait|"
    r"font|sera|serait|pourra|pourrait|devra|devrait|faudra|faudrait|aura|aurait|avait|"
    r"était|risque|risquent|existe|prend|paie|paye|rembourse) (je|il|elle|on|ils|elles)"
    r"(?=[\s?!.,]|$)",
    re.IGNORECASE,
)
_T_INVERSION = re.compile(r"\b(a|va|sera|aura|existe|risque|paie|paye|rembourse) t (il|elle|on)\b")
_CA = re.compile(r"\bca\b")  # « ca coute combien » (upper-case « CA » is another word)
# Spoken clefts: « c'est qui qui paie » is « qui paie », « c'est où qu'on … » « où on … ».
_CLEFT = re.compile(
    r"\bc'est (qui|où|quand|comment|pourquoi|combien) (?:qui|que|qu')\s*", re.IGNORECASE
)


def _accented(word: str, accent: str) -> str:
    return accent.upper() if word[0].isupper() else accent


def standard(question: str) -> str:
    """``question`` with the apostrophes of its elisions, the hyphens of its inversions
    (« peut il » → « peut-il », « a t il » → « a-t-il »), the accents of its
    interrogatives (« à quoi », « où », « ça ») and the spoken clefts (« c'est qui
    qui … ») put back; a question written so comes back unchanged. Typographic
    apostrophes are kept as they are (the readers of the question accept both)."""
    text = _QUEST_CE.sub("qu'est-ce", question)
    text = _ELISION.sub(lambda m: m.group(1) + "'", text)
    text = _EST_CE.sub(lambda m: m.group(1) + "-ce ", text)
    text = _T_INVERSION.sub(r"\1-t-\2", text)
    text = _INVERSION.sub(r"\1-\2", text)
    text = _A_WH.sub(lambda m: m.group(1) + _accented(m.group(2), "à"), text)
    text = _A_WH_CLOSE.sub(lambda m: " " + _accented(m.group(1), "à"), text)
    text = _OU_OPEN.sub(lambda m: m.group(1) + _accented(m.group(2), "où"), text)
    text = _OU_CLOSE.sub(lambda m: " " + _accented(m.group(1), "où"), text)
    text = _CA.sub("ça", text)
    return _CLEFT.sub(lambda m: m.group(1) + " ", text)
