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
from collections.abc import Callable

_VOWEL = "aeiouyhàâäéèêëîïôöûùü"
# « qu est », « d un », « l equipe », « s il », « j ai »: a lone elidable word before a
# vowel is an elision whose apostrophe was lost (none of them stands alone in French).
# Lower case, or a capital opening the question (not « M », an initial: « M a 17 ans »).
# Not « t », which is spelt « a t il »; not a letter that names something (« hépatites
# B et C », « hepatite c en … », « vitamine d est-elle … »): see _NAMING.
_ELISION = re.compile(
    rf"(^(?:Qu|Jusqu|Lorsqu|Puisqu|[CDJLS])|\b(?:qu|jusqu|lorsqu|puisqu|[cdjlmns]))"
    rf"\s+(?=[{_VOWEL}])"
)
# Words after which a single letter names a variety, a type, a list item.
_NAMING = re.compile(
    r"(?:\b(?:h[ée]patites?|vitamines?|virus|types?|groupes?|plans?|annexes?|classes?|"
    r"cat[ée]gories?|listes?|options?|points?)|\b[a-z] (?:et|ou)|\b[a-z],)\s+$",
    re.IGNORECASE,
)
_QUEST_CE = re.compile(r"\bquest[- ]ce\b", re.IGNORECASE)
# « est ce que », « qu'est ce qu'un », « est ce gratuit … »: the hyphen (a lone « ce »
# reads as « ce texte »); never « c'est ce que ».
_EST_CE = re.compile(r"(?<!c')(?<!c’)\b(est) ce (?=qu)|^(est) ce\b", re.IGNORECASE)
# « a quoi sert », « et a qui … », « on s'adresse a qui » : the preposition « à » before
# an interrogative, at either end of the question (the verb « a » does not open one; « il
# y a quoi », « on a quoi » keep their verb).
_A_WH = re.compile(
    r"^((?:et |mais |c'est )?)(a)(?= (?:quoi|qui|quel|quelle|quels|quelles|partir de "
    r"quand|combien|compter de quand)\b)",
    re.IGNORECASE,
)
_A_WH_CLOSE = re.compile(
    r"(?<!\by)(?<!\bil)(?<!\belle)(?<!\bon)(?<!\bça)(?<!\bca)\s(a)(?= (?:qui|quoi)\s*[?!.]*$)",
    re.IGNORECASE,
)
# « ou » opening a question before a verb or a pronoun (« ou se trouve … », « et ou ça
# se passe ? ») or closing it (« ça se passe ou ? ») is « où »; before a noun phrase it
# is the conjunction (« ou le CAARUD ? », « ou bien … »).
_OU_OPEN = re.compile(
    r"^((?:et |mais )?)(ou)\b(?! (?:bien|alors|sinon|pas|le|la|les|l'|l’|un|une|des|du|au|"
    r"aux|ce|cet|cette|ces|son|sa|ses|mon|ma|mes|leur|leurs|plutôt|non)\b)",
    re.IGNORECASE,
)
_OU_CLOSE = re.compile(r"\s(ou)(?=\s*[?!.]*$)", re.IGNORECASE)
# « peut il », « ai je », « risque il », « a t il », « y a t il »: an inversion whose
# hyphens (and « -t- ») were lost (a lone « il » after « peut » would read as « il »
# standing for something said before). Never « c'est elle qui … ».
_INVERSION = re.compile(
    r"(?<!c')(?<!c’)\b(ai|suis|puis|dois|peux|peut|doit|est|faut|sont|peuvent|doivent|ont|vont|fait|"
    r"font|sera|serait|pourra|pourrait|devra|devrait|faudra|faudrait|aura|aurait|avait|"
    r"était|risque|risquent|existe|prend|paie|paye|rembourse|coûte|coute|va|a)"
    r"(?: t)? (je|il|elle|on|ils|elles)(?=[\s?!.,]|$)",
    re.IGNORECASE,
)
# « l 3411-1 », « r1110-2 »: an article number, whose letter the law writes in capitals.
_ARTICLE_LETTER = re.compile(r"\b([lrd])(\.?\s?\d{3,4}-\d)")
_CA = re.compile(r"\bca\b|^Ca\b")  # « ca coute combien » (« CA » is another word)
# Spoken clefts: « c'est qui qui paie » is « qui paie », « c'est où qu'on … » « où on … ».
_CLEFT = re.compile(
    r"\bc'est (qui|où|ou|quand|comment|pourquoi|combien) (?:qui|que|qu')\s*", re.IGNORECASE
)


# A topic put first and taken up by a pronoun, as one speaks (« le csapa il fait quoi
# exactement », « un CAARUD ça sert à quoi ? »): the question as written, « Que fait le
# CSAPA ? », « À quoi sert un CAARUD ? », which the definition frames read.
_DISLOCATED = re.compile(
    r"^(?P<np>(?:le|la|les|l'|un|une|des)\s*[^,?]{1,60}?),?\s+(?:il|elle|ils|elles|ça|ca|"
    r"c'est|ce)\s+(?P<what>fait quoi|font quoi|sert à quoi|sert a quoi|servent à quoi|"
    r"servent a quoi)(?P<rest>\b[^?]*)\??\s*$",
    re.IGNORECASE,
)
# The topic put last, after « ça … quoi » (« ça parle de quoi la fiche sur l'atelier
# citoyen ? », « ça sert à quoi un CAARUD ? »): « De quoi parle la fiche … ? ».
_DISLOCATED_LAST = re.compile(
    r"^(?:et )?(?:ça|ca) (?P<verb>parle|parlent|traite|traitent|sert|servent) "
    r"(?P<prep>de|à|a) quoi\s*,?\s+(?P<np>(?:le|la|les|l'|un|une|ce|cet|cette|ces)\b\s*"
    r"[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)


def _topic_last(m: re.Match[str]) -> str:
    prep = "À" if m.group("prep").lower() in ("à", "a") else "De"
    return f"{prep} quoi {m.group('verb').lower()} {m.group('np')} ?"


# « cjc c quoi », « c koi un csapa »: « c'est quoi ».
_C_QUOI = re.compile(r"(?:^|(?<=\s))c (?:quoi|koi)\b", re.IGNORECASE)


def _as_written(m: re.Match[str]) -> str:
    what = m.group("what").lower().replace(" a ", " à ")
    frame = {"fait quoi": "Que fait", "font quoi": "Que font"}.get(what)
    if frame is None:
        frame = "À quoi servent" if what.startswith("servent") else "À quoi sert"
    np = m.group("np").strip()
    return f"{frame} {np[0].lower()}{np[1:]}{m.group('rest').rstrip()} ?"


def _elided(m: re.Match[str]) -> str:
    if _NAMING.search(m.string[: m.start()]):
        return m.group(0)
    return m.group(1) + "'"


def _inverted(m: re.Match[str]) -> str:
    verb, pronoun = m.group(1), m.group(2)
    # « a-t-il », « risque-t-elle », « va-t-on »: a verb ending in a vowel takes « -t- ».
    t = "-t" if verb[-1].lower() in "aeé" and pronoun.lower() in ("il", "elle", "on") else ""
    return f"{verb}{t}-{pronoun}"


def _accented(word: str, accent: str) -> str:
    return accent[0].upper() + accent[1:] if word[0].isupper() else accent


def standard(question: str) -> str:
    """``question`` with the apostrophes of its elisions, the capital of an article's
    letter (« l 3411-1 » → « L 3411-1 »), the hyphens of its inversions
    (« peut il » → « peut-il », « a t il » → « a-t-il »), the accents of its
    interrogatives (« à quoi », « où », « ça »), the spoken clefts (« c'est qui
    qui … ») and the topic put first (« le csapa il fait quoi » → « Que fait le
    csapa ? ») put back; a question written so comes back unchanged. Typographic
    apostrophes are kept as they are (the readers of the question accept both)."""
    text = _DISLOCATED.sub(_as_written, question)
    text = _DISLOCATED_LAST.sub(_topic_last, text)
    text = _C_QUOI.sub("c'est quoi", text)
    text = _QUEST_CE.sub("qu'est-ce", text)
    text = _ELISION.sub(_elided, text)
    text = _EST_CE.sub(
        lambda m: (m.group(1) or m.group(2)) + "-ce" + (" " if m.group(1) else ""), text
    )
    text = _INVERSION.sub(_inverted, text)
    text = _A_WH.sub(lambda m: m.group(1) + _accented(m.group(2), "à"), text)
    text = _A_WH_CLOSE.sub(lambda m: " " + _accented(m.group(1), "à"), text)
    text = _OU_OPEN.sub(lambda m: m.group(1) + _accented(m.group(2), "où"), text)
    text = _OU_CLOSE.sub(lambda m: " " + _accented(m.group(1), "où"), text)
    text = _CA.sub(lambda m: _accented(m.group(0), "ça"), text)
    text = _ARTICLE_LETTER.sub(lambda m: m.group(1).upper() + m.group(2), text)
    return _CLEFT.sub(lambda m: m.group(1).replace("ou", "où") + " ", text)


# « dannees », « laddictologie », « quelle »: an elided word glued to the next one, its
# apostrophe lost with the space (« combien dannees dure la capacite daddictologie »).
# The capital of a phone's first word too (« Laddictologie c'est quoi »), as _ELISION.
_GLUED = re.compile(rf"(?:^(Qu|[CDJLMNS])|\b(qu|[cdjlmns]))([{_VOWEL}][^\W\d_]{{2,}})\b")


def unglued(
    question: str,
    known: Callable[[str], bool],
    whole: Callable[[str, str], bool] = lambda word, rest: False,
) -> str:
    """``question`` with the apostrophe of an elision glued to its word put back
    (« dannees » → « d'annees »), when the documents do not know the glued word and know
    the one after the letter (``known``: a word of the documents' vocabulary, or a
    stop word such as « dans », which is never split). Lower-case words, and the first
    word of the question, which a phone capitalises (« Laddictologie c'est quoi »); a
    capitalised word inside it is a name (« Dupont »). The accents are left to the
    search, which folds them. ``whole(word, rest)``: a word to keep whole although the
    documents do not know it (« cars », a French word, is no « c'ars », the ARS)."""

    def split(m: re.Match[str]) -> str:
        word, letter, rest = m.group(0), m.group(1) or m.group(2), m.group(3)
        if known(word) or not known(rest) or whole(word, rest):
            return word
        return f"{letter}'{rest}"

    return _GLUED.sub(split, question)
