"""Questions about a document itself: when it is dated, who issued it, its reference,
whether it is still in force (« De quand date l'instruction sur les usagers de crack ? »,
« Qui a signé la lettre de mission de 2000 ? », « La circulaire de 1999 est-elle
toujours en vigueur ? »).

No sentence of a text says these things about the text; a sentence that shares words
with the question (« Une instruction en date du 19 avril dernier … » in a bulletin, or a
date in the body of the letter) answers something else. The document's record
(``.meta.toml``: date, issuer, reference, status, kept with every passage) does say
them: the answer gives the field asked for, cites a passage of that document, and says
that it comes from the document's record.

Who signed it is the exception: a letter or a circular ends with its signature block,
the names of its signatories under their roles (« Nicole MAESTRACCI », « Etienne
APAIRE »). When the question asks who signed and a retrieved passage of the document
ends with that block, the answer gives those names and cites that passage; otherwise
the record's issuer.

A question is about a document when it asks for one of these facts in a known frame and
names a kind of document (« l'instruction », « la lettre de mission », « le décret »);
the document is the best-ranked passage's document of that kind. A question naming a
kind that no retrieved document has (« la loi HPST citée dans la note ») is left to the
extractive answer: the documents may quote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..ingest.corpus import DOC_TYPES, STATUS_LABELS
from ..ingest.extraction import FRENCH_MONTHS
from ..search.retrieval import Passage
from .letterhead import letterhead
from .signatures import _signed_sentence
from .signatures import signatories as signatories
from .signatures import signature_roles as signature_roles

# Text → its stems (FrenchAnalyzer.stems).
Stems = Callable[[str], Sequence[str]]
Fact = Literal[
    "date", "issuer", "reference", "status", "source", "subject", "addressee", "via", "contact"
]
# The facts a letter's head says (letterhead.py), not its record.
HEAD_FACTS = ("addressee", "via", "contact")

_DOC_NOUN = re.compile(
    r"\b(?P<noun>lettres? de mission|instructions?|circulaires?|notes?|bulletins?|décrets?|"
    r"arrêtés?|lois?|guides?|fiches?|rapports?|articles?|textes?|documents?)\b",
    re.I,
)
_SIGNED = (
    r"(?:signée?s?|publiée?s?|écrite?s?|rédigée?s?|adoptée?s?|diffusée?s?|envoyée?s?|"
    r"promulguée?s?|parue?s?)"
)
_HAS_BEEN = r"(?:a-t-(?:il|elle)|ont-(?:ils|elles)) été"
_WHEN = r"(?:quand|en quelle année|à quelle date|de quelle date|depuis quand)"
_WHICH_DATE = r"(?:quel(?:le)? (?:jour|date|année|mois|époque))"
_FRAME_PATTERNS: tuple[tuple[Fact, str], ...] = (
    ("date", r"^de quand dat(?:e|ent) (?P<doc>.+)$"),
    # « De quel jour est datée la note … ? », « De quelle année date la lettre … ? »,
    # « La note … est datée de quand ? »
    ("date", rf"^de {_WHICH_DATE} (?:dat(?:e|ent)|(?:est|sont) datée?s?) (?P<doc>.+)$"),
    ("date", r"^(?P<doc>.+?) (?:dat(?:e|ent)|(?:est|sont) datée?s?) de quand$"),
    ("date", r"^quelle est la date (?:de la |du |de l'|des |d')(?P<doc>.+)$"),
    ("date", rf"^{_WHEN} (?P<doc>.+?) {_HAS_BEEN} {_SIGNED}\b.*$"),
    ("date", rf"^{_WHEN} (?:a|ont) été {_SIGNED} (?P<doc>.+)$"),
    (
        "date",
        rf"^{_WHEN} (?P<doc>.+?) (?:est|sont)-(?:il|elle|ils|elles) (?:parue?s?|datée?s?)$",
    ),
    (
        "issuer",
        r"^qui a (?:signé|co-?signé|écrit|rédigé|publié|émis|pris|diffusé|envoyé) (?P<doc>.+)$",
    ),
    ("issuer", r"^qui signe (?P<doc>.+)$"),
    # The order of speech, and of a follow-up read with its topic (« Elle a été signée
    # par qui ? » → « La lettre de mission a été signée par qui ? »).
    ("issuer", rf"^(?P<doc>.+?) (?:a|ont) été (?:co-?)?{_SIGNED} par qui$"),
    # « Quel directeur des hôpitaux a cosigné la lettre … ? », « Quel directeur … figure
    # parmi les signataires de la lettre … ? »: the signatories, under their roles.
    ("issuer", r"^quel(?:le)?s? [^?]+? (?:a|ont) (?:co-?)?signé (?P<doc>.+)$"),
    (
        "issuer",
        r"^quel(?:le)?s? [^?]+? (?:figure|figurent) parmi les (?:co-?)?signataires "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    (
        "issuer",
        r"^qui (?:est|sont) (?:l'auteur|les auteurs|l'autrice|le (?:co-?)?signataire|"
        r"les (?:co-?)?signataires|l'émetteur) (?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    (
        "issuer",
        r"^quel(?:le)?s? (?:est|sont) (?:le |les )?(?:co-?)?signataires? "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    ("issuer", r"^de qui (?:émane|émanent|vient|viennent) (?P<doc>.+)$"),
    ("issuer", rf"^par qui (?P<doc>.+?) {_HAS_BEEN} {_SIGNED}\b.*$"),
    (
        "reference",
        r"^quel(?:le)?s? (?:est |sont )?(?:la |le |les )?(?:références?|numéros?) "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    # « Quel article du code s'applique ? » after a question: the text that answers it.
    (
        "source",
        r"^(?:quel(?:le)?s? (?:est |sont )?(?:l'|le |la |les )?|sur quel(?:le)?s? )"
        r"(?P<doc>(?:articles?|textes?|lois?|décrets?|dispositions?|références?|"
        r"base légale)(?: du code| de loi| du droit)?)\b.*$",
    ),
    # « De quoi parle la note … ? », « Quel est l'objet de l'instruction … ? »: what the
    # document is about, which its opening says.
    ("subject", r"^de quoi (?:parle|parlent|traite|traitent) (?P<doc>.+)$"),
    (
        "subject",
        r"^de quoi (?P<doc>.+?) (?:parle|parlent|traite|traitent)(?:-t)?-(?:il|elle|ils|elles)$",
    ),
    ("subject", r"^(?P<doc>.+?) (?:parle|parlent|traite|traitent) de quoi$"),
    ("subject", r"^sur quoi porte(?:nt)? (?P<doc>.+)$"),
    (
        "subject",
        r"^quel(?:le)? (?:est|sont) (?:l'objet|le sujet|le thème|les thèmes) "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    # A letter's head: « À qui est adressée la lettre … ? », « Par l'intermédiaire de qui
    # la note … est-elle adressée … ? », « Quelle personne suit le dossier de la note … ? »
    ("addressee", r"^à qui (?:est|sont) (?:adressée?s?|destinée?s?|envoyée?s?) (?P<doc>.+)$"),
    (
        "addressee",
        r"^quel(?:le)?s? (?:est|sont) (?:le |les )?destinataires? "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    (
        "via",
        r"^(?:par l'intermédiaire|sous (?:le )?couvert) de qui (?P<doc>.+?) "
        r"(?:est|sont)-(?:il|elle|ils|elles) (?:adressée?s?|envoyée?s?|transmise?s?)\b.*$",
    ),
    (
        "contact",
        r"^(?:qui|quelle personne) suit (?:le dossier|l'affaire) "
        r"(?:de la |du |de l'|des |d')(?P<doc>.+)$",
    ),
    (
        "status",
        r"^(?:est-ce qu(?:e |'))?(?P<doc>.+?) (?:est|sont)(?:-(?:il|elle|ils|elles))? "
        r"(?:toujours |encore )?(?:en vigueur|abrogée?s?|applicables?|valables?|d'actualité)\b.*$",
    ),
)
_FRAMES = tuple((fact, re.compile(p, re.I)) for fact, p in _FRAME_PATTERNS)
# The verb or noun of a question that asks who signed (« a signé », « signe », « les
# signataires », « cosigné »), not who wrote or published.
_SIGNING = re.compile(r"\b(?:co-?)?sign(?:e|é|ée|és|ées|ent|ataires?)\b", re.I)
# With its possessive: « sa émetteur » was written for a record without an issuer.
_FIELD_LABEL: dict[Fact, str] = {
    "date": "sa date",
    "issuer": "son émetteur",
    "reference": "sa référence",
    "status": "son statut",
    "source": "sa source",
    "subject": "son objet",
    "addressee": "son destinataire",
    "via": "par qui il passe",
    "contact": "qui suit l'affaire",
}
_HEAD_SAYS = {
    "addressee": "est adressé à : {}",
    "via": "est adressé sous couvert de : {}",
    "contact": "indique que l'affaire est suivie par : {}",
}
_LEGAL_TYPES = ("loi", "code", "decret", "arrete")
# Nouns that name a document of any kind (« ce texte », « le document »).
_ANY_KIND = ("texte", "document")


@dataclass(frozen=True)
class DocumentQuestion:
    """What a question asks of a document: the fact, and the kind of document named
    (a key of DOC_TYPES, « lettre_de_mission »)."""

    fact: Fact
    doc_type: str
    named: str  # the document as the question names it
    # For « source »: the question it is asked about (« Le secret médical tient-il après
    # la mort ? » before « Quel article du code s'applique ? »).
    topic: str = ""
    # For « issuer »: the question asks who signed it (its signature block may say).
    signed: bool = False


def document_question(question: str) -> DocumentQuestion | None:
    """The fact asked of a document, or None when the question is not about one. Of a
    follow-up read with its question (« Q1 ? De quand date ce texte ? »), the last one."""
    parts = [p for p in question.replace("’", "'").split("?") if p.strip()]
    q = " ".join((parts[-1] if parts else question).split())
    topic = "?".join(parts[:-1]).strip() + " ?" if len(parts) > 1 else ""
    for fact, frame in _FRAMES:
        m = frame.match(q)
        if not m:
            continue
        named = m.group("doc").strip()
        if fact == "source":
            # Which text says it, of a question asked just before; alone, of nothing.
            if not topic:
                return None
            return DocumentQuestion("source", "", named, topic)
        noun = _DOC_NOUN.search(named)
        if noun is None or (fact == "subject" and article_numbers(named)):
            # An article asked by its number is read from its own text (asked_article).
            continue
        # The frame's own words, not the document's (« la note signée par … »).
        frame_words = q[: m.start("doc")] + " " + q[m.end("doc") :]
        signed = fact == "issuer" and _SIGNING.search(frame_words) is not None
        return DocumentQuestion(fact, _doc_type(noun.group("noun")), named, signed=signed)
    if _PRONOUN_STATUS.match(q):
        # « Est-elle toujours en vigueur ? » after a question on a text: « ce texte ».
        return DocumentQuestion("status", "", "ce texte")
    return None


_PRONOUN_STATUS = re.compile(
    r"^(?:et )?(?:est|sont)-(?:il|elle|ils|elles) (?:toujours |encore )?"
    r"(?:en vigueur|abrogée?s?|applicables?|valables?|d'actualité)\b",
    re.I,
)


def _doc_type(noun: str) -> str:
    """« lettres de mission » → « lettre_de_mission », « décrets » → « decret »."""
    word = noun.lower()
    if word.rstrip("s") in _ANY_KIND:
        return ""
    for key, label in DOC_TYPES.items():
        if word in (label, label + "s", f"{label.split()[0]}s de mission"):
            return key
    return word.rstrip("s")


def find_document(asked: DocumentQuestion, passages: Sequence[Passage], stems: Stems) -> int | None:
    """Index of the best-ranked passage from a document of the kind named (by its type,
    or its title); for « ce texte », the best-ranked passage. Asked who signed it: the
    best-ranked passage of that document that ends with its signature block, if any."""
    found = _find_document(asked, passages, stems)
    if found is None or not asked.signed:
        return found
    doc_id = passages[found].doc_id
    for i, p in enumerate(passages):
        if p.doc_id == doc_id and signatories(p.text, p.metadata):
            return i
    return found


# An article's number as a question or a title writes it: « L. 3421-1 », « L6321-1 »,
# « 131-35-1 » (the penal code's articles have no letter).
_ARTICLE_NUMBER = re.compile(r"\barticles?\s+(?:([LRDA])\.?\s?)?(\d{1,4}(?:-\d+)+)\b", re.I)
_PREFIXED_NUMBER = re.compile(r"\b([LRDA])\.?\s?(\d{1,4}(?:-\d+)+)\b")


def article_numbers(text: str) -> set[str]:
    """« L'article L. 3421-1 … » → {"L3421-1"}; « article 131-35-1 » → {"131-35-1"}."""
    found = _ARTICLE_NUMBER.findall(text) + _PREFIXED_NUMBER.findall(text)
    return {f"{letter.upper()}{number}" for letter, number in found}


# The articles a title lists: « articles D3121-33 à D3121-33-6 », « articles 222-37 et
# 222-39 », « article L221-1-4 et articles D221-36 à D221-41 ».
_ONE = r"(?:[LRDA]\.?\s?)?\d{1,4}(?:-\d+)+"
_ARTICLE_LIST = re.compile(
    rf"\barticles?\s+({_ONE}(?:\s*(?:,|et|à)\s*(?:articles?\s+)?{_ONE})*)", re.I
)
_LIST_PART = re.compile(rf"({_ONE})|\s*(à)\s*", re.I)


def title_articles(title: str) -> list[str]:
    """The articles a document's title is about, the first first, a range « X à Y »
    spelled out when X and Y differ by their last number (« L3411-1 à L3411-5 » holds
    L3411-3) or Y numbers within X (« D3121-33 à D3121-33-6 » holds D3121-33-2)."""
    out: list[str] = []
    # The title's own list, not an article it cites later (« … (contenu des stages
    # prévus par l'article 131-5-1) »).
    for m in _ARTICLE_LIST.finditer(title, 0, _first_end(title)):
        previous, ranged = "", False
        for number, to in _LIST_PART.findall(m.group(1)):
            if to:
                ranged = True
                continue
            current = article_numbers(f"article {number}").pop()
            if ranged and previous:
                out += _between(previous, current)
            out.append(current)
            previous, ranged = current, False
    return list(dict.fromkeys(out))


def _first_end(title: str) -> int:
    """Where the title's first list of articles ends (its length when it has none)."""
    m = _ARTICLE_LIST.search(title)
    return m.end() if m else len(title)


def _between(first: str, last: str) -> list[str]:
    """The articles strictly between ``first`` and ``last`` of a range; none when their
    numbers do not say which (other prefixes, or more than 100 of them)."""
    head_a, _, end_a = first.rpartition("-")
    head_b, _, end_b = last.rpartition("-")
    if head_a == head_b and 0 < int(end_b) - int(end_a) <= 100:
        return [f"{head_a}-{n}" for n in range(int(end_a) + 1, int(end_b))]
    if head_b == first and int(end_b) <= 100:
        return [f"{first}-{n}" for n in range(1, int(end_b))]
    return []


def numbered(numbers: set[str], titles: Sequence[str]) -> int | None:
    """Index of the title about one of the article ``numbers``: a title whose first
    article it is (« … article R131-35 (contenu des stages prévus par l'article
    131-5-1) » is R131-35's), else one that lists it; None when none does."""
    listed = [title_articles(t) for t in titles]
    for found in ([i for i, a in enumerate(listed) if a and a[0] in numbers],
                  [i for i, a in enumerate(listed) if numbers & set(a)]):  # fmt: skip
        if found:
            return found[0]
    return None


def _find_document(
    asked: DocumentQuestion, passages: Sequence[Passage], stems: Stems
) -> int | None:
    numbers = article_numbers(asked.named)
    if numbers and asked.fact != "source":
        # « L'article 131-35-1 du code pénal est-il encore en vigueur ? » is about that
        # article: the text whose title numbers it, not the best-ranked code article
        # (R131-35 was answered « en vigueur » for the repealed 131-35-1). Not among
        # the passages: no record to read.
        return numbered(numbers, [str(p.metadata.get("title", "")) for p in passages])
    if asked.fact == "source":
        # A text that lays down rules, when one is among the first passages.
        legal = [i for i, p in enumerate(passages) if p.metadata.get("type") in _LEGAL_TYPES]
        return legal[0] if legal else (0 if passages else None)
    if not asked.doc_type:
        return 0 if passages else None
    label = DOC_TYPES.get(asked.doc_type, asked.doc_type)
    named = re.compile(rf"\b{re.escape(label)}s?\b", re.I)
    # The words that tell which document of its kind the question means (« la note de
    # novembre 2009 aux chefs de projet » → novembr, 2009, chef, projet).
    noun = _DOC_NOUN.search(asked.named)
    told = set(stems(asked.named[noun.end() :] if noun else asked.named)) - set(stems(_PLAIN))
    for i, p in enumerate(passages):
        meta = p.metadata
        title = str(meta.get("title", ""))
        # The kind, or the title naming it (« Des parcours de soin … (instruction du 19
        # avril 2022) », a news item whose record holds the instruction's date).
        # « la lettre de mai 2000 »: the record's date as written in French.
        record = f"{title} {_value('date', meta)} {meta.get('issuer', '')}"
        if (meta.get("type") == asked.doc_type or named.search(title)) and _told_apart(
            told, f"{record} {p.text}", stems
        ):
            return i
    return None


# Words of a document's description that do not tell it apart: relatives, « en tant
# que », « dans le cadre de ».
_PLAIN = "dans cadre laquelle lequel lesquels lesquelles auquel duquel dont quoi tant"


def _told_apart(told: set[str], text: str, stems: Stems) -> bool:
    """Whether a passage (its title, record and text) writes most of the words that
    tell the document apart (``told``, stems): « l'article sur Toxenville » is not
    an article of the code, nor « la circulaire dans le cadre de laquelle la lettre …
    demande … » the note of 2009 (the letter quotes that circular; its sentence
    answers)."""
    if not told:
        return True
    return 2 * len(told & set(stems(text))) > len(told)


def absent_document_note(asked: DocumentQuestion) -> str:
    """What to say when no document of the index is the one asked about: « Les documents
    ne contiennent pas « la circulaire … » : ils ne donnent pas son émetteur. »"""
    missing = _FIELD_LABEL[asked.fact]
    return f"Les documents ne contiennent pas « {asked.named} » : ils ne donnent pas {missing}."


def fact_sentence(
    asked: DocumentQuestion, meta: Mapping[str, object], text: str = "", notice: str = ""
) -> str:
    """One sentence that gives the fact from the document's record, naming the document
    and saying where the fact comes from; when the record lacks it, says so. Asked who
    signed it, of a passage ``text`` (with its record ``meta``) that ends with the
    signature block: the signatories. ``notice``: what the reader must check of a text in
    force (``validity.validity_notice``), said with its status: « en vigueur » alone
    contradicted the « À vérifier (2000) » badge beside it."""
    title = str(meta.get("title") or meta.get("doc_id") or "ce document")
    kind = DOC_TYPES.get(str(meta.get("type", "")), str(meta.get("type", "")))
    names = signatories(text, meta) if asked.signed and text else []
    if names:
        roles = signature_roles(text, len(names))
        if roles:
            names = [f"{n} ({r[:1].lower()}{r[1:]})" for n, r in zip(names, roles, strict=True)]
        return _signed_sentence(str(meta.get("type", "")), title, names)
    doc = f"« {title} » ({kind})" if kind else f"« {title} »"
    if asked.fact in HEAD_FACTS:
        value = letterhead(text).get(asked.fact, "")
        if not value:
            return f"L'en-tête du document {doc} ne dit pas {_FIELD_LABEL[asked.fact]}."
        return f"D'après son en-tête, le document {doc} {_HEAD_SAYS[asked.fact].format(value)}."
    value = _value(asked.fact, meta)
    if not value:
        return f"La fiche du document {doc} ne donne pas {_FIELD_LABEL[asked.fact]}."
    if asked.fact == "source":
        return f"Le texte qui en parle est {doc}."
    if asked.fact == "subject":
        return f"Le document {doc} commence ainsi :"
    if asked.fact == "date":
        return f"D'après sa fiche, le document {doc} est daté du {value}."
    if asked.fact == "issuer":
        return f"D'après sa fiche, le document {doc} émane de : {value}."
    if asked.fact == "reference":
        return f"D'après sa fiche, le document {doc} a pour référence : {value}."
    if notice and str(meta.get("status") or "en_vigueur") == "en_vigueur":
        return f"D'après sa fiche, le document {doc} est {value} ; {notice}."
    return f"D'après sa fiche, le document {doc} est {value}."


def _value(fact: Fact, meta: Mapping[str, object]) -> str:
    if fact in ("source", "subject"):
        return str(meta.get("title") or "")
    if fact == "date":
        return _french_date(str(meta.get("date") or ""))
    if fact == "issuer":
        return str(meta.get("issuer") or "").strip()
    if fact == "reference":
        return str(meta.get("reference") or "").strip()
    status = str(meta.get("status") or "en_vigueur")
    label = STATUS_LABELS.get(status, status.replace("_", " "))
    replaced_by = str(meta.get("replaced_by") or "").strip()
    return f"{label} (remplacé par {replaced_by})" if replaced_by else label


def _french_date(iso: str) -> str:
    """« 2000-05-06 » → « 6 mai 2000 »; a partial date as given."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not m:
        return iso
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    first = "1er" if day == 1 else str(day)
    return f"{first} {FRENCH_MONTHS[month - 1]} {year}"
