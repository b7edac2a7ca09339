"""What a question is about, as a follow-up's pronoun or possessive takes it up
(``referents``): the topic it sets off, the term it defines, the bodies it names, its
first noun phrase; the possessive follow-up read with it (``swap_possessive``: « Et leur
financement ? » after « Quelles sont les missions des CAARUD ? » → « Et le financement
des CAARUD ? »); and the demonstrative one read with the answer just read
(``swap_demonstrative``: « Qui définit cette politique ? »)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..search.question_type import classify
from .document_facts import _DOC_NOUN, document_question
from .question_grammar import _infinitive_like, _tokens

# The singular definite articles.
SINGULAR = ("le", "la", "l'")

# A name after an article in the anchor, the article possibly joined with « de » or « à ».
_NAMED = re.compile(
    r"(?:\b|(?<=\s))(?P<det>(?i:d['’]une?\b|de la\b|de l['’]|à la\b|à l['’]|à une?\b|"
    r"(?:du|des|au|aux|le|la|les|une?)\b|l['’]))\s*"
    r"(?P<name>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)"
)

# The definite article of what the anchor names (« des CAARUD » → « les CAARUD »).
_DEFINITE = {
    **{"un": "le", "une": "la", "des": "les", "du": "le", "de la": "la", "aux": "les"},
    **{"au": "le", "d'un": "le", "d'une": "la", "d’un": "le", "d’une": "la", "à la": "la"},
    **{"de l'": "l'", "de l’": "l'", "à l'": "l'", "à l’": "l'", "l’": "l'"},
    **{"ce": "le", "cet": "l'", "cette": "la", "ces": "les"},
}

# A noun right before a name's « de »: « la clinique » of « la clinique des Bruyères ».
_HEAD_OF_NAME = re.compile(
    r"(?<![\w'’])(?P<det>(?i:(?:le|la|les)\b|l['’]))\s*(?P<noun>[a-zà-ÿœ][\w-]*)\s+$"
)
# Nouns of what a body has or does, not of a kind of body: « Qui le finance ? » after
# « Quel est le rôle du CPAS … ? » is about the CPAS, not its role.
_ATTRIBUTE_NOUNS = frozenset((
    "rôle", "rôles", "mission", "missions", "place", "fonction", "fonctions",
    "statut", "composition", "financement", "budget", "nombre", "liste", "définition",
    "objectif", "objectifs", "nom", "coût", "durée", "montant", "taux", "part",
    "avis", "responsabilité", "organisation", "fonctionnement", "activité", "activités",
    "action", "actions", "compétences", "obligations", "droits", "devoirs", "conditions",
    "modalités", "siège", "adresse",
))  # fmt: skip
# The anchor's first noun phrase, when it names no body: « Comment rejoindre un réseau de
# santé ? » → « un réseau de santé ».
_FIRST_NP = re.compile(
    r"(?<![\w'’])(?P<det>(?i:(?:le|la|les|un|une|des|du|au|aux)\b|l['’]))\s*"
    r"(?P<name>[a-zà-ÿœA-ZÀ-Ý][\w-]*(?:\s+(?:de|d['’]|du|des|en|à|aux?)?\s*(?:[ld]['’])?[\w-]+)*?)"
    r"(?=\s*(?:[?,;.!:]|\b(?:et|ou|si|lorsque|quand|afin|pour|avec|chez|sans|par|sur|auprès|"
    r"selon|depuis|pendant|est|sont|peut|peuvent|doit|doivent)\b|$))"
)


# A noun and its owner: « missions des chefs de projet ».
_OWNER = re.compile(
    r"^(?P<head>[\w-]+)\s+(?P<det>des|du|de la|de l['’]|d['’]une?)\s*(?P<rest>.+)$", re.I
)


# A noun phrase set off before a question that takes it up by a pronoun (« Le fonds …,
# il finance quoi ? », « Les CAARUD, ça sert à quoi ? »).
_TOPIC_SET_OFF = re.compile(
    r"^\s*(?:(?:et|mais|alors)\s+)?(?P<det>(?i:(?:le|la|les|un|une|des|ce|cet|cette|ces)\b|l['’]))\s*"
    r"(?P<np>[^,?]{1,80}?)\s*,\s*(?i:(?:il|elle|ils|elles|ça|cela|c['’]est|on|qui|que|quel))\b"
)


def referents(anchor: str) -> list[tuple[str, str]]:
    """(definite article, noun phrase) of what the anchor is about, best first: the topic
    it sets off before its question, the term it defines, the bodies it names, its first
    noun phrase."""
    qt = classify(anchor)
    found: list[tuple[str, str]] = []
    topic = _TOPIC_SET_OFF.match(anchor)
    if topic:
        # « Le fonds addictions de la CNAM, il finance quoi ? », « Qui l'alimente ? »: the
        # fund, taken up by « il », not the CNAM its name holds.
        found.append((topic.group("det"), topic.group("np")))
    asked = document_question(anchor)
    head_of_doc = re.match(r"(?i)((?:le|la|les)\b|l['’])\s*(.+)$", asked.named) if asked else None
    if head_of_doc and _DOC_NOUN.search(head_of_doc.group(2)):
        # « De quand date la lettre de mission de la MILDT ? », « Qui l'a signée ? »: the
        # document asked about, not the body its name holds.
        found.append((head_of_doc.group(1), head_of_doc.group(2)))
    if qt.kind == "definition":
        head = re.match(r"(?i)((?:le|la|les|un|une|des)\b|l['’])\s*(.+)$", qt.content.strip())
        if head:
            found.append((head.group(1), head.group(2)))
    for c in _NAMED.finditer(anchor):
        # The noun the name completes goes with it: « la clinique des Bruyères ».
        head = _HEAD_OF_NAME.search(anchor[: c.start()])
        if (
            head
            and c.group("det").lower().startswith("d")
            and head.group("noun").lower() not in _ATTRIBUTE_NOUNS
        ):
            found.append((head.group("det"), f"{head.group('noun')} {c.group(0).strip()}"))
        else:
            found.append((c.group("det"), c.group("name")))
    first = _FIRST_NP.search(anchor)
    # Only a noun phrase: « le droit de partager des informations » is a locution.
    if first and not any(_infinitive_like(t) for t in _tokens(first.group("name"))[1:]):
        owner = _OWNER.match(first.group("name"))
        if owner and owner.group("head").lower() in _ATTRIBUTE_NOUNS:
            # « les missions des chefs de projet »: what has them, « les chefs de projet ».
            found.append((owner.group("det"), owner.group("rest")))
        name = first.group("name")
        if re.match(r"\s*par\b", anchor[first.end() :]):
            # « l'injonction thérapeutique décidée par le procureur »: the participle
            # goes with its agent, which the phrase leaves out.
            name = re.sub(r"\s+\w+(?:é|ée|és|ées)$", "", name)
        found.append((first.group("det"), name))
    out = []
    for det, noun in found:
        article = _DEFINITE.get(det.lower().replace("’", "'"), det.lower().replace("’", "'"))
        if article in (*SINGULAR, "les"):
            out.append((article, noun.strip()))
    return out


# « Et leur financement ? », « Et pour leurs missions ? », « Quid de son budget ? »: what
# the anchor's topic has, asked with nothing else.
_POSSESSIVE = re.compile(
    r"^\s*(?:(?:et|mais|alors)\s+)?(?:(?:pour|quid de|concernant|s'agissant de)\s+)?"
    r"(?P<owner>leur|leurs|son|sa|ses)\s+(?P<noun>[a-zà-ÿœ][\w-]*(?:\s+[a-zà-ÿœ][\w-]*)?)"
    r"\s*\?*\s*$",
    re.I,
)
# Nouns whose gender the ending says (« financement » is masculine, « composition »
# feminine); the others are taken as masculine, as most nouns of the documents are.
_FEMININE_END = re.compile(r"(?:tion|sion|té|ure|ance|ence|ie|ise|ade|ère|elle|ette|aine)s?$")
_OF = {"le": "du", "la": "de la", "l'": "de l'", "les": "des"}


def swap_possessive(question: str, anchor: str) -> str:
    """A follow-up that asks for what the anchor's topic has, by a possessive and a noun
    alone, read as that noun of the topic: « Et leur financement ? » after « Quelles sont
    les missions des CAARUD ? » → « Et le financement des CAARUD ? » (it was searched as
    « Quelles sont les missions des CAARUD ? Et leur financement ? », and answered with
    the missions). « leur(s) » takes up a plural topic, « son / sa / ses » a singular
    one (« leur » a generic singular too: « Qu'est-ce qu'un CSAPA ? »); "" for another
    question, or when the anchor names no topic."""
    m = _POSSESSIVE.match(question)
    if m is None:
        return ""
    plural_owner = m.group("owner").lower().startswith("leur")
    topics = referents(anchor)
    # « leur » after « Qu'est-ce qu'un CSAPA ? » takes up the CSAPA all the same: a
    # generic singular is many.
    topic = next(((a, n) for a, n in topics if (a == "les") == plural_owner), None)
    topic = topic or (topics[0] if topics and plural_owner else None)
    if topic is None:
        return ""
    noun = m.group("noun")
    if m.group("owner").lower() in ("leurs", "ses"):
        article = "les"
    elif noun[:1].lower() in "aeéèêiîoôuhœ":
        article = "l'"
    else:
        article = "la" if _FEMININE_END.search(noun.lower()) else "le"
    return f"Et {_joined(article, noun)} {_joined(_OF[topic[0]], topic[1])} ?"


def _joined(article: str, noun: str) -> str:
    """« l' » + « ARS » → « l'ARS », « le » + « CSAPA » → « le CSAPA »."""
    return f"{article}{noun}" if article.endswith("'") else f"{article} {noun}"


# « cette politique », « ces modalités »: a noun taken up by a demonstrative, nothing
# after it but the question's end or its verb.
_DEMONSTRATIVE_NP = re.compile(
    r"(?<![\w'’])(?P<det>ce|cet|cette|ces)\s+(?P<noun>[a-zà-ÿœ][\w-]{2,})(?=\s*(?:\?|$|,|"
    r"\s(?:est|sont|a|ont|peut|peuvent|doit|doivent|relève|relèvent)\b))",
    re.I,
)
_MARKER = re.compile(r"\s*\[\d+(?:[,;]\s*\d+)*\]")


def swap_demonstrative(
    question: str, said: str, anchor: str = "", kind_of: Callable[[str], str] | None = None
) -> str:
    """A follow-up whose demonstrative takes up a noun of the answer just read, read with
    that answer's noun phrase: « Qui définit cette politique ? » after « La politique de
    réduction des risques et des dommages s'applique également aux personnes détenues … »
    → « Qui définit la politique de réduction des risques et des dommages ? » (it was
    searched with the question before, and answered by the sentence already read).
    The phrase is the noun, its article and its « de » complement; or, when the noun is
    the kind of a body the anchor names (``kind_of``), that body (« Qui finance ces
    centres ? » after « Qu'est-ce qu'un CAARUD ? » → « Qui finance les CAARUD ? »).
    "" when the answer does not write the noun after an article, or for another
    question. A noun of texts (« ce texte ») is left to the rules that read it."""
    m = _DEMONSTRATIVE_NP.search(question)
    if m is None or _DOC_NOUN.fullmatch(m.group("noun")):
        return ""
    kind = m.group("noun").lower().rstrip("sx")
    named = [n for _, n in referents(anchor) if kind_of is not None and kind_of(n) == kind]
    if named:
        # « Qui finance ces centres ? » after « Qu'est-ce qu'un CAARUD ? »: the CAARUD.
        phrase = _joined(_DEFINITE[m.group("det").lower()], named[0])
    else:
        phrase = _from_answer(m, said)
    if not phrase:
        return ""
    if m.start() == 0:
        phrase = phrase[0].upper() + phrase[1:]
    return f"{question[: m.start()]}{phrase}{question[m.end() :]}"


def _from_answer(m: re.Match[str], said: str) -> str:
    """The answer's noun phrase a demonstrative ``m`` takes up, with its complement."""
    if not said:
        return ""
    noun = re.escape(m.group("noun").rstrip("sx"))
    found = re.search(
        rf"(?<![\w'’])(?P<art>le|la|les|l['’]|du|des|au|aux)\s*(?P<noun>{noun}[sx]?)\b"
        r"(?P<rest>[^.;:()?!]*)",
        _MARKER.sub("", said),
        re.I,
    )
    if found is None:
        return ""
    complement = _complement(found.group("rest"))
    if not complement:
        return ""  # « la mesure » says no more than « cette mesure »
    # « Le contenu du stage de responsabilisation … »: « du » is « de le ».
    article = found.group("art").lower().replace("’", "'")
    article = {"du": "le", "au": "le", "des": "les", "aux": "les"}.get(article, article)
    return _joined(article, f"{found.group('noun')} {complement}")


_LINKS = frozenset(("de", "des", "du", "d'", "la", "le", "les", "l'", "et", "ou", "à", "aux", "au"))


# The endings of the adjectives that follow a noun (« injonction thérapeutique »).
_ADJECTIVE = re.compile(
    r"(?:iques?|ales?|aux|elles?|els?|aires?|ifs?|ives?|ée?s?|eux|euses?|iens?|iennes?)$"
)


def _complement(rest: str) -> str:
    """The « de » complement that opens ``rest`` (« de réduction des risques et des
    dommages » of « … des dommages s'applique également … »): linking words and nouns
    in turn, one adjective after a noun at most, twelve words at most; it ends before a verb
    with its clitic (« s'applique »), a participle (« prenant »), a comma."""
    toks = re.findall(r"[dl]['’]|[\w-]+(?:['’][\w-]+)?|,", rest.strip())
    if not toks or toks[0].lower().replace("’", "'") not in ("de", "des", "du", "d'"):
        return ""
    out: list[str] = []
    content_run = 0
    for t in toks:
        low = t.lower().replace("’", "'")
        if t == "," or "'" in low.rstrip("'") or low.endswith("ant") or len(out) >= 12:
            break
        if low in _LINKS:
            content_run = 0
        else:
            content_run += 1
            if content_run > 1 and not (content_run == 2 and _ADJECTIVE.search(low)):
                break
        out.append(t)
    while out and out[-1].lower().replace("’", "'") in _LINKS:
        out.pop()
    text = " ".join(out)
    return re.sub(r"([dl]['’]) ", r"\1", text)
