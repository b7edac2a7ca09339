"""What a question is about that the documents never name: a proper noun or a year no
passage writes (« le Cantal », « 2024 »), the subject of a yes/no question none of whose
words the documents use (« La buprénorphine est-elle … ? »), and a subject whose qualifier
no passage writes with it (« Le cannabis thérapeutique est-il autorisé ? », « Le tabac
chauffé est-il interdit … ? »), and a product the answer's rule is not about (alcohol,
not « stupéfiants »): a sentence on what else the question shares would read as an
answer about it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..search.glossary import Glossary
from ..search.lexical import LexicalIndex
from ..search.question_type import asks_penalty
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .lookup import lexical_passages

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PROPER_NOUN = re.compile(
    r"(?<![.?!:«\"]\s)(?<![.?!:«\"])(?<=\s)([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*)\b"
)
_DETERMINER = (
    r"(?:le|la|les|l'|un|une|des|du|mon|ma|mes|son|sa|ses|notre|nos|votre|vos|leur|leurs|"
    r"ce|cet|cette|ces)\b"
)
# The subject of a question that inverts it (« La buprénorphine est-elle remboursée … ? »,
# « Les maraudes de réduction des risques peuvent-elles … ? »): what the question is about.
_INVERTED_SUBJECT = re.compile(
    rf"^(?:(?:et|mais|alors),? )?(?P<np>{_DETERMINER}.+?) [\w']+-(?:t-)?(?:il|elle|ils|elles)\b",
    re.I,
)
_WORD = r"[^\W\d][\w-]*"
# What a penalty is asked for: « Que risque-t-on pour un vol de … ? », « Quelle peine pour
# détention … ? » (its first words; the frame's « avoir » has no stem); not a purpose
# (« pour que des amis s'y droguent »).
_OFFENCE = re.compile(r"\bpour (?!qu)(?P<np>(?:[\w'’-]+\s+){0,2}[\w'’-]+)", re.I)
# A subject of two words, a noun and what qualifies it, before the verb of a yes/no
# question, inverted (« Le tabac chauffé est-il … »), after « est-ce que » or in the
# statement's order (« Le cannabis thérapeutique est autorisé ? »).
_VERB = r"(?:est|sont|peut|peuvent|doit|doivent|a|ont|reste|restent|sera|seront|serait)\b"
_QUALIFIED_SUBJECT = re.compile(
    rf"^(?:(?:et|mais|alors),? )?(?:est-ce qu(?:e\s+|'))?"
    rf"(?:le|la|les|l'|un|une|des|du)\s*(?P<noun>{_WORD}) (?P<qualifier>{_WORD}) "
    rf"(?:[\w']+-(?:t-)?(?:il|elle|ils|elles)\b|{_VERB}(?!-))",
    re.I,
)
# How far apart a noun and its qualifier may be written, in words other than function
# words (« cannabis à usage thérapeutique » is one apart).
_QUALIFIER_REACH = 2
# … and a complement of it in one clause (no punctuation between): « stage de
# sensibilisation aux dangers de l'usage de produits stupéfiants » is five apart.
_COMPLEMENT_REACH = 6
_CLAUSE_BREAK = re.compile(r"[,;:.()\n«»]")
# How many of the passages that best match the phrase by BM25 are read for it.
_PHRASE_PASSAGES = 30


def unknown_names(
    question: str,
    passages: Sequence[Passage],
    stems: Callable[[str], list[str]],
    lexical: LexicalIndex,
    glossary: Glossary,
) -> list[str]:
    """The proper nouns of the question that no passage of the index has (« le
    Cantal », « à Lille »): a capitalised word inside a sentence, not an acronym
    (« CNAM » may be written out), unknown to the lexical index and the glossary;
    and the years no passage writes (« 2024 »). A word the records of ``passages``
    hold is known (« l'article 131-35-1 dans sa version de 2007 », a name only a
    title writes); a capitalised function word (« Quand sort Le Tango … ») is no
    name. Measured on the gold set: only out-of-scope questions have one."""
    vocab = lexical.known_terms
    out = []
    words = [m.group(1) for m in _PROPER_NOUN.finditer(question)]
    records = " ".join(str(v) for p in passages for v in p.metadata.values()).lower()
    for word in [*words, *_YEAR.findall(question)]:
        if not stems(word) or re.search(rf"\b{re.escape(word.lower())}\b", records):
            continue
        if not any(vocab(n)[0] for n in glossary.said_as(word)):
            out.append(word)
    return list(dict.fromkeys(out))


def unnamed_subject(
    question: str, stems: Callable[[str], list[str]], lexical: LexicalIndex, glossary: Glossary
) -> list[str]:
    """The words of the subject of an inverted question (« La buprénorphine
    est-elle … ? »), or the first word of the offence a penalty is asked for (« pour un
    vol de … »), when none of them, nor what the glossary says they mean, is a
    word of the documents: what the question is about is never named there. Empty
    otherwise: a subject with one known word (« Les maraudes de réduction des risques … »)
    is a topic of the documents said another way. Measured on the gold and training
    sets: only an out-of-scope question has one."""
    m = _INVERTED_SUBJECT.match(question.strip())
    offence = _OFFENCE.search(question) if asks_penalty(question) else None
    if offence is not None:
        # « Que risque-t-on pour un vol de médicaments ? »: the offence, its first word
        # (no document punishes a theft; the penalty for driving after drugs answered).
        words = [w for w in re.findall(_WORD, offence.group("np")) if stems(w)][:1]
    elif m is not None:
        words = [w for w in re.findall(_WORD, m.group("np")) if stems(w)]
    else:
        return []
    known = lexical.known_terms
    if any(known(n)[0] for w in words for n in glossary.said_as(w)):
        return []
    return words


def unseen_qualified_subject(
    question: str,
    stems: Callable[[str], list[str]],
    lexical: LexicalIndex,
    store: ChunkStore | None,
    glossary: Glossary,
) -> str:
    """The subject of a yes/no question, a noun and its qualifier (« cannabis
    thérapeutique », « tabac chauffé »), when no passage writes the qualifier within
    ``_QUALIFIER_REACH`` words after the noun: the kind the question asks about is not
    the one the documents treat (they speak of cannabis and of tobacco, not of these).
    "" when the passages write it (« Une assistante sociale peut-elle … », « Le secret
    médical tient-il … »), when the glossary names the phrase, for another question and
    without a store. Measured on the gold and training sets (ninth fresh-user test): of
    the questions with such a subject, only the out-of-scope ones have one unseen."""
    m = _QUALIFIED_SUBJECT.match(question.strip())
    if m is None or store is None:
        return ""
    noun, qualifier = stems(m.group("noun")), stems(m.group("qualifier"))
    if len(noun) != 1 or len(qualifier) != 1:
        return ""  # a function word: no noun and its qualifier
    phrase = f"{m.group('noun')} {m.group('qualifier')}"
    said = set(noun + qualifier)
    if glossary.names_of(phrase)[1:] or any(
        len(k := stems(key)) > 1 and set(k) <= said for key in glossary.vocabulary
    ):
        return ""  # the glossary says it the documents' way (« infirmière scolaire »)
    for p in lexical_passages(lexical, store, phrase, _PHRASE_PASSAGES):
        if _written_after(stems(p.text), noun[0], qualifier[0], _QUALIFIER_REACH):
            return ""
        # A noun the documents write as the complement of the question's one, in one
        # phrase: « stage de sensibilisation aux dangers de l'usage de produits
        # stupéfiants » for « stage stupéfiants » (eighteenth fresh-user test).
        clauses = _CLAUSE_BREAK.split(p.text)
        if any(_written_after(stems(c), noun[0], qualifier[0], _COMPLEMENT_REACH) for c in clauses):
            return ""
    return phrase.lower()


def _written_after(seq: list[str], noun: str, qualifier: str, reach: int) -> bool:
    """Whether ``qualifier`` is among the ``reach`` stems after some ``noun`` of ``seq``."""
    return any(s == noun and qualifier in seq[i + 1 : i + 1 + reach] for i, s in enumerate(seq))


# A drug, as a question or an answer names it (the glossary's everyday words included).
_DRUG = re.compile(
    r"\b(?:stupéfiants?|drogues?|cannabis|shit|beuh|joints?|cocaïne|coke|crack|héro(?:ïne)?|"
    r"ecstasy|mdma|opiacés?|psychotropes?|substances?|plantes classées|toxicomanie)\b",
    re.I,
)


def product_swapped(question: str, first_sentence: str, passage: str = "") -> str:
    """The product a question names (« alcool », « tabac ») when it names no drug and the
    answer's first sentence, the one that answers, speaks of another product only: of
    drugs (« Quelle amende risque un commerçant qui vend de l'alcool à un mineur ? » was
    answered by the penalty for selling « stupéfiants » to minors, ten years), or of
    alcohol for tobacco and back (« Est-il interdit de fumer dans les locaux d'un CSAPA ? »
    was answered by the distances of drinking places, thirteenth fresh-user test); or,
    when the question excludes drugs (« sans drogue »), when that sentence or its
    ``passage`` (with its document's title) speaks of them. "" otherwise, and when the
    sentence speaks of all of them (« substances psychoactives », « addictions »)."""
    if _DRUG.search(_NO_DRUG.sub(" ", question)):
        return ""
    named = [m for rx in _PRODUCTS if (m := rx.search(question))]
    if not named:
        return ""
    word = named[0].group("p").lower()
    if _NO_DRUG.search(question):
        # « … l'alcool seulement, sans drogue ? »: no drug, and a rule on drugs taken
        # with alcohol (« Si la personne se trouvait également sous l'empire d'un état
        # alcoolique … ») is no answer either (thirteenth fresh-user test).
        return word if _DRUG.search(f"{first_sentence} {passage}") else ""
    if _ALL_PRODUCTS.search(first_sentence) or any(
        rx.search(question) and rx.search(first_sentence) for rx in _PRODUCTS
    ):
        return ""
    others = [rx for rx in _PRODUCTS if not rx.search(question)]
    if _DRUG.search(first_sentence) or any(rx.search(first_sentence) for rx in others):
        return word
    return ""


def other_product(question: str, sentence: str) -> bool:
    """Whether a question on drugs (it names one, and neither alcohol nor tobacco) meets
    a ``sentence`` that speaks of alcohol or tobacco and of no drug: drink-driving's « Si
    la personne se trouvait également sous l'empire d'un état alcoolique … » is no case of
    selling drugs « à une personne » (eighteenth fresh-user test)."""
    if not _DRUG.search(question) or any(rx.search(question) for rx in _PRODUCTS):
        return False
    return any(rx.search(sentence) for rx in _PRODUCTS) and not _DRUG.search(sentence)


# Products the law does not class as « stupéfiants », as a question names them; each
# has its own rules (drinking places, smoking bans). « fumer » without a drug is tobacco.
_ALCOHOL = re.compile(
    r"\b(?P<p>alcool|alcoolisée?s?|alcoolique|boissons?|bières?|vins?|ivres?|ivresse|bu|boire|"
    r"buveurs?)\b",
    re.I,
)
_TOBACCO = re.compile(
    r"\b(?P<p>tabac|tabagisme|cigarettes?|vapoteuses?|nicotine|fumer|fumeurs?)\b", re.I
)
_PRODUCTS = (_ALCOHOL, _TOBACCO)
# Words for every product at once: a sentence with them speaks of the one asked too.
_ALL_PRODUCTS = re.compile(
    r"\b(?:substances?\s+psychoactives?|produits?\s+psychoactifs?|addictions?|"
    r"conduites?\s+addictives?)\b",
    re.I,
)


# A question that excludes drugs: « sans drogue », « pas de stupéfiants », « alcool seul ».
_NO_DRUG = re.compile(
    r"\b(?:sans|pas\s+de|aucune?|hors)\s+(?:drogues?|stupéfiants?|cannabis|produits?\s+"
    r"stupéfiants?)\b|\b(?:alcool|tabac)\s+seul(?:e|ement)?\b",
    re.I,
)
