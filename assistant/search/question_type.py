"""What kind of answer a French question asks for, and what a sentence that gives it
looks like.

A question is read by its frame (issue 15, item 2): « peut-il … ? », « ai-je le droit
de … ? » ask for a permission or a prohibition; « qu'est-ce qu'un … ? » for a definition;
« combien … ? » for a number; « quand … ? » for a date or a duration; « qui … ? » for a
body or a person. Each kind has a feature scored on the candidate sentences of an
extractive answer (``ExtractiveAnswerer._select``): a score in [0, 1] saying how much the
sentence has the *form* of such an answer; whether it is *about* the question is left to
the similarity and the term overlap. Rules only, no model: the markers are French
grammar (modal verbs, negation, copulas, dates, numbers), not words of the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["yesno", "definition", "quantity", "time", "agent", "place", "other"]

_APOS = str.maketrans({"’": "'", "\u00a0": " ", "\u202f": " "})


def _norm(text: str) -> str:
    return " ".join(text.translate(_APOS).split())


@dataclass(frozen=True)
class QuestionType:
    """How a question was read.

    ``kind``: the answer it asks for. ``subject``: for a definition, the term to define
    (« CSAPA » of « Qu'est-ce qu'un CSAPA ? »); for « combien de … », what is counted.
    ``verb``: for a yes/no or a « comment … » question, the action asked about
    (« déléguer » of « … peut-il déléguer … ? »). ``content``: the
    question without its frame, whose words are the ones an answer must be about (the
    « droit » of « ai-je le droit de » is not a topic).
    """

    kind: Kind
    content: str
    subject: str = ""
    verb: str = ""
    modal: bool = False  # a yes/no question on a permission, a duty, a right


# --- reading the question ---------------------------------------------------------------
_DET = r"(?:(?:les|le|la|une|un|des|du|de la|de l)\s+|(?:l|d|de l)')"

# Definition frames; the group "s" is the term to define.
_DEFINITION = [
    re.compile(r"^qu'est[- ]ce (?:que|qu') ?(?:c'est (?:que |qu' ?))?(?P<s>" + _DET + r"?.+)$"),
    re.compile(r"^qu'entend[- ]on par (?P<s>.+)$"),
    re.compile(r"^que (?:signifie|signifient|veut dire|veulent dire|désigne|désignent) (?P<s>.+)$"),
    re.compile(
        r"^(?:quelle est la |donnez |donner |une )?définition (?:de |du |des |d')(?P<s>.+)$"
    ),
    re.compile(r"^c'est quoi (?P<s>.+)$"),
    re.compile(r"^(?P<s>.+?),? c'est quoi$"),
    re.compile(r"^(?:comment (?:se )?définit[- ]on|comment définir|comment se définit) (?P<s>.+)$"),
    # A body is defined by what it is for: « Quelles sont les missions d'un CSAPA ? ».
    re.compile(
        r"^(?:quel(?:le)?s? (?:est|sont) (?:le|la|les) (?:rôle|rôles|mission|missions|objet|"
        r"objectif|objectifs|fonction|fonctions) (?:de |du |des |d')|à quoi (?:sert|servent) |"
        r"que (?:fait|font) )(?P<s>.+)$"
    ),
]
# « Qu'est-ce que je dois faire » is not a definition: a pronoun follows the frame.
_NOT_A_TERM = re.compile(
    r"^(?:je|j'|tu|il|elle|on|nous|vous|ils|elles|c'est|ça|cela|ce qui|ce que|le fait)\b"
)
_TIME = re.compile(
    r"\b(?:quand|depuis quand|à partir de quand|jusqu'à quand|quelle date|quelles dates|"
    r"à quelle date|en quelle année|quelle année|dans quel délai|quel délai|quels délais|"
    r"combien de temps|quelle durée|quelle est la durée|à quel moment|quelle période|"
    r"combien de jours|combien de mois|combien d'années|combien de semaines)\b"
)
_LASTING = re.compile(r"\b(?:dure(?:nt|ra|ront)?|durée|pendant combien)\b")
# « dans un délai de six mois », « à compter de »: by when, not how long.
_DEADLINE = re.compile(r"\b(?:délai|à compter|au plus tard|avant le|dans les \d)", re.I)
_QUANTITY = re.compile(
    r"\b(?:combien|quel(?:le)?s? (?:est |sont )?(?:le |la |les |l')?"
    r"(?:montant|pourcentage|nombre|taux|somme|coût|prix|volume|proportion|part|plafond|"
    r"seuil|effectif)s?)\b"
)
_MEASURE = re.compile(
    r"\bquel(?:le)?s? (?:est |sont )?(?:le |la |les |l')?(taux|pourcentage|proportion|part|"
    r"montant|somme|coût|prix|plafond)s?\b"
)
# What a figure must carry to be a rate or a sum of money.
_RATE_ASKED = ("taux", "pourcentage", "proportion", "part")
_MONEY_ASKED = ("montant", "somme", "coût", "prix", "plafond")
_RATE = re.compile(r"%|\bpour ?cent\b|\b(?:moitié|tiers|quart)\b")
# « 4 millions » of a budget, « le coût ne peut excéder celui des amendes … de la 3e
# classe »: a sum without its currency sign.
_MONEY = re.compile(
    r"€|\beuros?\b|\bfrancs?\b|\d\s*(?:millions?|milliards?)\b|\bamendes?\b[^.;]{0,40}\bclasse\b"
)
# « Combien coûte … », « Jusqu'à combien peut coûter … »: a sum of money is asked.
_MONEY_VERB = re.compile(r"\b(?:co[uû]t\w*|pa(?:y|i)\w*|rémunér\w*|gagn\w*|rapport\w*)\b")
_AGENT = re.compile(
    r"^(?:(?:mais |et )?(?:par|à|auprès de|de|pour|sous l'autorité de|avec) qui\b|qui\b|"
    r"quel(?:le)?s? (?:est |sont )?(?:le |la |les |l')?(?:organisme|instance|autorité|"
    r"institution|administration|service|structure|professionnel|acteur|juridiction|"
    r"ministre|ministère|personne|comité|agence|interlocuteur|responsable|"
    r"établissement|financeur|partenaire)s?\b)"
)
_HOW_TO = re.compile(
    r"^comment (?:(?:peut-on|puis-je|faut-il|doit-on|dois-je|pouvons-nous|peut-il|"
    r"peut-elle) )?(?:(?:se|me|le|la|les|lui|leur|y|en) |s'|m'|l')?"
    r"(?P<inf>[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re|oir))\b"
)
_WH = re.compile(
    r"^(?:qui|que|qu'|quoi|quand|comment|pourquoi|où|combien|quel|quelle|quels|quelles)\b"
)
# Yes/no frames: a modal asked about, a right, a possibility, an obligation, or any
# verb-subject inversion (« Le secret médical empêche-t-il … ? »).
_SUBJECT_PRONOUN = r"-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)\b"
# The frame of a yes/no question that is not its topic: « Ai-je le droit de », « Est-il
# possible de », « Est-ce que », « Faut-il ».
_RIGHT_FRAME = re.compile(
    r"\b(?:ai-je|a-t-on|avons-nous|avez-vous|a-t-il|a-t-elle|ont-ils|ont-elles) "
    r"le droit (?:de |d')|"
    r"\best-il (?:possible|permis|interdit|obligatoire|autorisé|légal|nécessaire|utile)"
    r"(?: de| d')?|"
    r"\best-ce (?:que|qu')|\b(?:faut-il|suffit-il)\b",
    re.I,
)
_YESNO_FRAME = re.compile(
    _RIGHT_FRAME.pattern + r"|\b(?:peut|peuvent|doit|doivent|puis|dois|pouvons|devons|"
    r"pouvez|devez|pourrait|pourraient|devrait|devraient|a|ont|est|sont)" + _SUBJECT_PRONOUN,
    re.I,
)
# A yes/no question on a permission, a duty or a right (« peut-il », « doit-on », « ai-je
# le droit », « est-il possible », « faut-il », « est-ce que … doit »), rather than on a
# fact (« Les élèves reçoivent-ils … ? »).
_MODAL = re.compile(
    r"\b(?:peu(?:x|t|vent)|doi(?:t|vent)|puis|dois|pouvons|devons|pouvez|devez|pourrai(?:t|ent)|"
    r"devrai(?:t|ent)|faut|droit|possible|permis|interdit|obligatoire|autorisée?s?|"
    r"obligée?s?|tenue?s?)\b"
)
_INVERSION = re.compile(r"\b(?P<v>[a-zàâçéèêëîïôûùüÿœ]+)" + _SUBJECT_PRONOUN)
_MODALS = frozenset(
    [
        *("peut", "peuvent", "doit", "doivent", "puis", "dois", "pouvons", "devons"),
        *("pouvez", "devez", "pourrait", "pourraient", "devrait", "devraient", "faut"),
        *("suffit", "a", "ont", "est", "sont", "ai", "avons", "avez"),
    ]
)
# The action asked about: the infinitive after a modal or a frame.
_INFINITIVE = re.compile(
    r"(?:-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)|droit|possible|permis|interdit|"
    r"obligatoire|autorisé|légal|\b(?:peux|peut|peuvent|pouvons|pouvez|dois|doit|doivent|"
    r"devons|devez|faut))\s+(?:de |d')?(?:(?:ne |n')?(?:pas |plus |jamais )?)?"
    r"(?:(?:(?:me|te|se|le|la|les|lui|leur|en|y)\s+)|l'|s'|m'|t')*"
    r"(?P<inf>[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re|oir))\b"
    r"(?:\s+(?P<part>[a-zàâçéèêëîïôûùüÿœ]+))?"
)


def classify(question: str) -> QuestionType:
    """Read a French question's frame: the kind of answer it asks for, and its content.

    A follow-up glued after its question (« Q1 ? Q2 », as the chat rewrites it) is read
    by its own frame when it has one (« … ? Et elle se passe où », « … ? Le patient
    doit-il en être informé »): that is what is asked now. A follow-up without a frame
    of its own (« … ? Et avec un pharmacien ») is read by the first question's. Either
    way the content is the whole text: the first question says what the second is about.
    """
    q = _norm(question).strip().rstrip("?!. ").strip()
    parts = [p.strip() for p in q.split("?") if p.strip()]
    if len(parts) > 1:
        last = _one(parts[-1])
        if last is not None:
            head = _one(parts[0]) or QuestionType("other", parts[0])
            content = f"{head.content} ? {last.content}"
            return QuestionType(last.kind, content, last.subject, last.verb, last.modal)
    return _one(parts[0] if parts else q, whole=q) or QuestionType("other", q)


# « Où a lieu la réunion ? », « À quel endroit … », « Quelle est l'adresse … »: a place.
_PLACE = re.compile(
    r"^(?:où|à quel endroit|dans quel(?:le)? (?:lieu|ville|endroit|locaux|structure)|"
    r"en quel lieu|quel(?:le)? est (?:le lieu|l'adresse|l'endroit))\b"
)
# What a place is written with: a venue, an address, a town after « à ».
_PLACE_MARK = re.compile(
    r"\b(?:(?:a|ont|avoir|aura|auront) lieue?s?|se (?:déroule|déroulent|tien(?:t|nent)|passe|"
    r"passent)|locaux|siège|salle|adresse|domicile|rue|avenue|boulevard|place|site|"
    r"implanté(?:e|s|es)?|situé(?:e|s|es)?|installé(?:e|s|es)?)\b",
    re.I,
)
_TOWN = re.compile(r"\b(?:à|au sein d[eu']|dans les? (?:locaux|murs)) ?[A-ZÀ-Ý][\w-]+")
# « Et elle se passe où », « c'est financé par qui »: the interrogative at the end.
_IN_SITU = re.compile(
    r"^(?P<body>.+?)\s+(?P<wh>(?:par |à |avec |pour |de |chez |auprès de )?qui|où|quand|"
    r"combien|comment|pourquoi|(?:à |de |par )?quoi)$"
)
# « Je peux prescrire … ? », « On doit informer le patient ? »: a yes/no question asked
# by intonation, without inversion (common in speech, and in chats).
_DECLARATIVE_YESNO = re.compile(
    r"\b(?:je|j'|on|il|elle|ils|elles|nous|vous|un \w+|le \w+|la \w+|les \w+)\s*"
    r"(?:(?:ne |n')?(?:me |m'|se |s'|en |y |le |la |les |lui |leur )?)*"
    r"(?:peux|peut|peuvent|pouvons|pouvez|dois|doit|doivent|devons|devez|ai le droit|"
    r"a le droit|ont le droit|avons le droit|avez le droit|suis obligée?|est obligée?|"
    r"sont obligée?s|suis tenue?|est tenue?|sont tenue?s|faut)\b"
)
_LEADING_CONJUNCTION = re.compile(r"^(?:et|mais|ou|alors|sinon|donc)\b[,\s]*")
# « En cas de diagnostic grave, qui … », « Je suis généraliste : existe-t-il … »: a
# circumstance or a situation set before the question, which is what comes after it.
_LEAD_IN = re.compile(r"^(?P<lead>[^,:;?]{2,80}?)\s*[,:]\s*(?P<rest>\S.*)$")


def _one(text: str, whole: str | None = None) -> QuestionType | None:
    """The frame of one question, or None when it has none (« Et avec un pharmacien »).
    ``whole``: the text whose content is kept (the question as given)."""
    q = whole if whole is not None else text
    low = _LEADING_CONJUNCTION.sub("", _norm(text).lower()).strip(" ,")
    lead_in = _LEAD_IN.match(low)
    if lead_in and not _WH.match(low):
        # A definition is not asked after a lead-in (« Après un décès, qu'est-ce que les
        # héritiers peuvent savoir … » asks what they may know, not what « héritiers » is).
        framed = _one(lead_in.group("rest"))
        if framed is not None and framed.kind not in ("other", "definition"):
            content = f"{lead_in.group('lead')}, {framed.content}"
            return QuestionType(framed.kind, content, framed.subject, framed.verb, framed.modal)
        if _WH.match(lead_in.group("rest")):
            return QuestionType("other", q)  # an open question, whatever modal it has
    situ = _IN_SITU.match(low)
    if situ and not _WH.match(low):
        low = f"{situ.group('wh')} {situ.group('body')}"
    head = low
    for pat in _DEFINITION:
        m = pat.match(head)
        if m and not _NOT_A_TERM.match(m.group("s")):
            subject = re.sub("^" + _DET, "", m.group("s").strip(" «»\"'")).strip()
            start = _norm(q).lower().find(m.group("s"))
            content = _norm(q)[start:].strip() if start >= 0 else m.group("s")
            return QuestionType("definition", content, subject=subject)
    if _PLACE.match(head):
        return QuestionType("place", _without(_PLACE, q))
    if re.match(r"^(?:comment|pourquoi|où)\b", head):
        # « Comment rejoindre un réseau … quand on est … » asks for a way to do something:
        # its action is the verb after « comment ».
        how = _HOW_TO.match(head)
        return QuestionType("other", q, verb=how.group("inf") if how else "")
    if _TIME.search(head):
        # « Combien de temps dure le stage ? » asks how long it lasts, not by when.
        lasting = bool(_LASTING.search(head)) and not re.search(r"\bdélai", head)
        return QuestionType("time", _without(_TIME, q), subject="durée" if lasting else "")
    if _QUANTITY.search(head):
        # « Combien de points … » counts points: the answer's number comes with them.
        unit = re.search(r"\bcombien (?:de |d')(\w+)", head)
        # « Quel est le taux … » asks for a rate, « quel montant » for a sum of money.
        measure = _MEASURE.search(head)
        subject = unit.group(1) if unit else (measure.group(1) if measure else "")
        if not subject and _MONEY_VERB.search(head):
            subject = "coût"
        return QuestionType("quantity", _without(_QUANTITY, q), subject=subject)
    if _AGENT.match(head):
        return QuestionType("agent", _without(_AGENT, q))
    if not _WH.match(head) and (
        _YESNO_FRAME.search(head) or _INVERSION.search(head) or _DECLARATIVE_YESNO.search(head)
    ):
        modal = bool(_MODAL.search(head))
        return QuestionType("yesno", _without_yesno_frame(q), verb=_verb(head), modal=modal)
    if whole is not None or _WH.match(head):
        return QuestionType("other", q)
    return None


def _without(frame: re.Pattern[str], q: str) -> str:
    """The question without its frame: « Quel pourcentage du volume … » → « du volume
    … »; the answer writes « 30 % », not « pourcentage »."""
    return frame.sub(" ", q.lower(), count=1).strip()


def _without_yesno_frame(q: str) -> str:
    """« Ai-je le droit de partager … » → « partager … »: « droit » is the frame."""
    return _RIGHT_FRAME.sub(" ", q).strip()


def _verb(head: str) -> str:
    m = _INFINITIVE.search(head)
    if m:
        # « peuvent-ils être financés » asks about financing.
        if m.group("inf") in ("être", "avoir") and m.group("part"):
            return m.group("part")
        return m.group("inf")
    for m in _INVERSION.finditer(head):
        if m.group("v") not in _MODALS:
            return m.group("v")
    return ""


# --- scoring sentences ------------------------------------------------------------------
# Permission, obligation, prohibition, exception, condition: what a yes or a no is
# written with in regulations and circulars.
_DEONTIC = re.compile(
    r"\b(?:peu(?:t|vent)|pourr(?:a|ont|ait|aient)|puisse(?:nt)?|doi(?:t|vent)|devez|devons|"
    r"devr(?:a|ont|ait|aient)|faut|tenue?s? (?:de|d')|interdi(?:t|te|ts|tes|ction|re)|"
    r"autoris(?:é|ée|és|ées|ation|e|ent)|habilitée?s?|obligatoire(?:ment)?|obligation|"
    r"oblige|requiert|exige|appartient|appartiendra|personnellement|sauf|"
    r"à condition|sous réserve|en aucun cas|ne saurait|s'oppose|fait obstacle|"
    r"a droit|ont droit|droit (?:de|d'|à)|bénéficie(?:nt)?|consentement|accord)\b"
    r"|\bn(?:e\s+|')\w+(?:\s+\w+)?\s+(?:pas|plus|jamais|aucun|aucune|que|ni)\b",
    re.I,
)
_RESTRICTION = re.compile(
    r"\b(?:sauf|à condition|sous réserve|requiert|exige|interdi\w*|tenue?s? (?:de|d')|"
    r"personnellement|en aucun cas|ne saurait|obligatoire(?:ment)?|uniquement|seule?s?|"
    r"s'oppose|fait obstacle|consentement|opposition|dérogation)\b"
    r"|\bn(?:e\s+|')\w+(?:\s+\w+)?\s+(?:pas|plus|jamais|aucun|aucune|que|ni)\b",
    re.I,
)
# « X est un ensemble … », « X ont pour mission … », « X s'entend de … »: what defines.
_DEFINING_STRONG = (
    r"(?:est|sont)(?: notamment| également)? (?:un|une|des|le|la|les|l'|constitués?|"
    r"chargée?s?|définie?s?)|désigne(?:nt)?|constitue(?:nt)?|s'entend(?:ent)?|"
    r"(?:a|ont) pour (?:mission|missions|objet|objectif|objectifs|but|rôle|vocation)|"
    r"consiste(?:nt)?|se définit|se définissent|recouvre(?:nt)?|vise(?:nt)? à|"
    r"assure(?:nt)?(?: \w+ment)? (?:des|les) missions"
)
_DEFINING_WEAK = (
    r"assure(?:nt)?|réuni(?:t|ssent)|regroupe(?:nt)?|comprend|comprennent|"
    r"contribue(?:nt)?|concour(?:t|ent)|relève(?:nt)?|prépare(?:nt)?|participe(?:nt)?|"
    r"favorise(?:nt)?|coordonne(?:nt)?|permet(?:tent)?|offre(?:nt)?|propose(?:nt)?|"
    r"accueille(?:nt)?|est|sont"
)
_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre"
)
_NUMBER_WORDS = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|"
    r"quarante|cinquante|soixante|cent|cents|mille|moitié|tiers|quart|double|triple"
)
_DURATION_UNITS = r"jours?|semaines?|mois|ans|années?|heures?|trimestres?|semestres?"
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:er)? (?:{_MONTHS})(?: \d{{4}})?\b|\b(?:{_MONTHS}) \d{{4}}\b|"
    rf"\b(?:en|depuis|dès|de|à compter de|avant|après|jusqu'en) (?:19|20)\d\d\b|"
    rf"\b(?:\d+|un|une|{_NUMBER_WORDS}) (?:{_DURATION_UNITS})\b|"
    r"\b\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(?:19|20)\d\d\b",  # « le 6 - 5 - 2000 »
    re.I,
)
_TIME_WORDS = re.compile(
    r"\b(?:délai|délais|dès|depuis|à compter|jusqu'à|avant le|après le|chaque année|"
    r"annuel(?:le)?(?:ment)?|durée|date|renouvelable|tous les|mensuel(?:le)?|"
    r"(?:19|20)\d\d)\b",
    re.I,
)
# A number that counts something, not an article of a code (L. 1110-4, 9° du I) nor a
# list rank. A bare number may end a sentence (« Places : 15. »).
_QUANTITY_VALUE = re.compile(
    rf"(?<![\w.°-])\d[\d  ]*(?:[.,]\d+)?\s*(?:%|€|euros?|millions?|milliards?|"
    rf"{_DURATION_UNITS}|places?|points?|personnes?|réseaux?|séances?|fois|"
    rf"représentants?|membres?)\b|\b(?:{_NUMBER_WORDS})\b|(?<![\w.°-])\d+(?![\w°-]|[.,]\d)"
    # « au moins une séance », « une fois par an »: one, written as a word.
    r"|\b(?:au (?:moins|plus|minimum|maximum)|pas plus d'|une seule|un seul) ?(?:un|une)?\b"
    r"|\b(?:un|une) (?:fois|séance|réunion|journée|demi-journée|visite)s? (?:par|chaque|"
    r"annuelle|mensuelle|hebdomadaire|trimestrielle|semestrielle)\b",
    re.I,
)
_REFERENCE = re.compile(
    r"\b(?:articles?|art\.|[LRD]\.?|n°|loi|décret|ordonnance|arrêté)\s*[\dLRDO]"
    r"[\w.-]*(?:\s*(?:à|et)\s*[\w.-]+)?|\b\d+°|\b[IVX]+\b",
    re.I,
)
_BODY = re.compile(
    r"\b(?:ministre|ministère|préfet|procureur|juge|juridiction|autorité|agence|comité|"
    r"commission|conseil|caisse|fonds|directeur|directrice|président|présidente|"
    r"médecin|pharmacien|professionnel|État|Etat|Gouvernement|association|organisme|"
    r"institut|chef de projet|chefs de projet|service|centre|équipe|assurance maladie|"
    r"collectivités?|intervenant|coordinat(?:eur|rice))s?\b|\b[A-Z]{2,}\b"
)
_AGENT_MARK = re.compile(
    r"\b(?:par (?:le|la|l'|les|un|une|des)|sous (?:la présidence|l'autorité|la "
    r"responsabilité) (?:de|du|des|d')|est chargée?|sont chargée?s|relève(?:nt)? (?:de|du|des)|"
    r"(?:vous |lui |leur )?appartient|présidée?|présidé par|seule?s? (?:un|une|le|la|les)|"
    r"organisée?s? par|fixée?s? par|désignée?s? par|nommée?s? par|à la charge (?:de|du|des))\b",
    re.I,
)


def form_score(qt: QuestionType, sentence: str, subject_names: tuple[str, ...] = ()) -> float:
    """How much a sentence has the form of the answer the question asks for, in [0, 1].

    ``subject_names``: for a definition, the ways of writing the defined term (an acronym
    and its long form, from the glossary), lowercased.
    """
    s = _norm(sentence)
    if qt.kind == "yesno":
        # The rule with its limits (an exception, a condition, a negation) answers more
        # than a bare « peut ». A question on a fact (« Les élèves reçoivent-ils … ? »)
        # is answered by a rule less often: half the weight.
        if not _DEONTIC.search(s):
            return 0.0
        score = 1.0 if _RESTRICTION.search(s) else 0.7
        return score if qt.modal else score / 2
    if qt.kind == "definition":
        return _definition_score(s, subject_names or (qt.subject.lower(),))
    if qt.kind == "quantity":
        text = _REFERENCE.sub(" ", s)
        # A rate is not answered by a sum of money, nor the reverse.
        if qt.subject in _MONEY_ASKED:
            return 1.0 if _MONEY.search(text) else 0.0
        if not _QUANTITY_VALUE.search(text):
            return 0.0
        if qt.subject in _RATE_ASKED:
            return 1.0 if _RATE.search(text) else 0.0
        return 1.0 if not qt.subject or _counts(text, qt.subject) else 0.6
    if qt.kind == "time":
        text = _REFERENCE.sub(" ", s)
        if _DATE.search(text):
            # How long it lasts is not answered by a deadline (« exécuté dans un délai de
            # six mois ») as well as by a length (« une durée ne pouvant excéder un mois »).
            if qt.subject == "durée" and _DEADLINE.search(text) and "durée" not in text:
                return 0.5
            return 1.0
        return 0.5 if _TIME_WORDS.search(text) else 0.0
    if qt.kind == "place":
        if _PLACE_MARK.search(s):
            return 1.0 if _TOWN.search(s) or re.search(r"\blocaux\b|\badresse\b", s) else 0.7
        return 0.5 if _TOWN.search(s) else 0.0
    if qt.kind == "agent":
        if _AGENT_MARK.search(s) and _BODY.search(s):
            return 1.0
        opening = " ".join(_strip_opening(s).split()[:6])
        return 0.6 if _BODY.search(opening) else 0.0
    return 0.0


def _counts(text: str, unit: str) -> bool:
    """Whether a number in the text counts the unit asked about (« 67 réseaux », « la
    moitié du nombre maximal de points »): the unit's word within a few words after it."""
    stem = unit.lower()[:5]
    for m in _QUANTITY_VALUE.finditer(text):
        after = text[m.start() : m.end() + 60].lower().split()[:7]
        if any(w.startswith(stem) for w in after):
            return True
    return False


def _strip_opening(s: str) -> str:
    return re.sub(r"^(?:[IVX]+\s*[.-]+\s*|\d+°\s*|[-–•]\s*)", "", s)


# Within one clause: no sentence punctuation, but the dots of references (« L. 312-1 »).
_CLAUSE = r"(?:[^.;:]|\.(?=\s*\d))"


def _definition_score(sentence: str, names: tuple[str, ...]) -> float:
    """1: the term is the sentence's subject and a defining verb follows it (« Les
    centres … ont pour mission », « Pour l'application du présent titre, l'équipe de
    soins est un ensemble »); 0.6: the same with a weaker verb (« assurent », « réunit »)
    or a creation (« Il est créé … un fonds … »); 0.3: the term is glossed elsewhere in
    the sentence (a parenthesis, « qui consiste en »); 0. The term is the subject when
    only a determiner, or a fronted phrase closed by a comma, stands before it, and no
    modifier of its own follows it (« l'équipe de soins spécialisés » is another term)."""
    low = _strip_opening(sentence).lower()
    best = 0.0
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        for pos, end in _find_names(low, name):
            before, after = low[:pos], low[end:]
            subject = bool(_SUBJECT_SLOT.match(before)) and bool(_AFTER_SUBJECT.match(after))
            strong = re.match(rf"^{_CLAUSE}{{0,160}}?\b(?:{_DEFINING_STRONG})\b", after)
            weak = re.match(rf"^{_CLAUSE}{{0,160}}?\b(?:{_DEFINING_WEAK})\b", after)
            if subject and strong:
                best = max(best, 1.0)
            elif (subject and weak) or _CREATED.search(before):
                best = max(best, 0.6)
            elif re.match(rf"^\s*(?:\(|,? c'est\b|:|{_GLOSS})", after):
                best = max(best, 0.3)
    return best


# What may stand before a sentence's subject: a determiner, or a fronted phrase closed
# by a comma (« Pour l'application du présent titre, »).
_SUBJECT_SLOT = re.compile(
    r"^(?:[^,]{0,80},\s*)?(?:(?:le|la|les|un|une|des|ce|cet|cette|ces|chaque|tout|toute)\s+|l')?$"
)
_DEFINING_ANY = (
    r"est|sont|désigne(?:nt)?|constitue(?:nt)?|s'entend(?:ent)?|a|ont|consiste(?:nt)?|"
    r"se|recouvre(?:nt)?|vise(?:nt)?|assure(?:nt)?|réuni(?:t|ssent)|regroupe(?:nt)?|"
    r"comprend|comprennent|contribue(?:nt)?|concour(?:t|ent)|relève(?:nt)?|prépare(?:nt)?|"
    r"participe(?:nt)?|favorise(?:nt)?|coordonne(?:nt)?|permet(?:tent)?|offre(?:nt)?|"
    r"propose(?:nt)?|accueille(?:nt)?"
)
# After the subject: its verb, or a complement that is not a modifier of its own.
_AFTER_SUBJECT = re.compile(
    rf"^\s*(?:[,(]|(?:{_DEFINING_ANY})\b|(?:mentionnée?s?|visée?s?|prévue?s?|définie?s?|"
    rf"créée?s?|qui|au sens|dite?s?|dénommée?s?|placée?s?)\b|$)"
)
_CREATED = re.compile(r"\b(?:est|sont) (?:créée?s?|institué(?:e|s|es)?)\b[^.;]*$")
_GLOSS = (
    r"(?:qui|lequel|laquelle) (?:consiste|désigne|constitue|s'entend|prend la forme)|"
    r"prenant la forme"
)


def _find_names(low: str, name: str) -> list[tuple[int, int]]:
    """Where a name occurs in a lowercased sentence, as whole words; plurals agree
    (« réseau de santé » finds « réseaux de santé »)."""
    words = [re.escape(w) + r"(?:s|x)?" for w in name.split()]
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, low)]
