"""What kind of answer a French question asks for (``classify``); what a sentence that
gives it looks like is scored by ``answer_forms.form_score``, re-exported here.

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

from .answer_forms import _norm
from .answer_forms import form_score as form_score  # its callers read it here too
from .asked_action import LIGHT_PHRASES, asked_action
from .asked_values import asked_value
from .definition_frames import DEFINITION, NOT_A_TERM, SETTING, WHAT_IS
from .definition_frames import DET as _DET

Kind = Literal["yesno", "definition", "quantity", "time", "agent", "place", "other"]


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

# Nor « Qu'est-ce que les crédits … peuvent financer ? »: a finite verb in the term.
_FINITE = re.compile(
    r"(?:peu[tx]|peuvent|doi[ts]|doivent|faut|fai[ts]|font|va|vont|veu[tx]|veulent|sai[ts]|"
    r"savent|a|ont|dit|disent|devien(?:t|nent)|prévoi(?:t|ent)|contien(?:t|nent)|"
    r"comprend|comprennent)"
)
_LEMMA_OF_VERB = ("er", "ir", "re", "oir")


def _has_finite_verb(term: str) -> bool:
    """Whether ``term`` (lowercased) holds ``_FINITE`` or a word in « -ent » simplemma
    reads as a verb's form (« financent »; not « traitement », its own lemma)."""
    import simplemma  # loaded on first use, as by the glossary

    words = re.findall(r"[\w-]+", term)
    verbs = (simplemma.lemmatize(w, lang="fr").lower() for w in words if w.endswith("ent"))
    return any(map(_FINITE.fullmatch, words)) or any(v.endswith(_LEMMA_OF_VERB) for v in verbs)


# « quand » asks when at the start or the end of the question, or after « depuis », « à
# partir de », « jusqu'à »; elsewhere it opens a clause (« Qui paie quand un toxicomane
# est hospitalisé ? », « dois-je quand même … ? »).
_TIME = re.compile(
    r"^quand\b|\bquand$|"
    r"\b(?:depuis quand|à partir de quand|jusqu'à quand|de quand|quelle date|quelles dates|"
    r"à quelle date|en quelle année|quelle année|dans quel délai|quel délai|quels délais|"
    r"combien de temps|quelle durée|quelle est la durée|à quel moment|quelle période|"
    r"quels sont (?:les|ses|leurs) horaires|quels horaires|à quelles? heures?|"
    r"combien de jours|combien de mois|combien d'années|combien de semaines)\b"
)
# A penalty a deed carries (not « risque-t-il d'être poursuivi ? », a yes/no question).
_PENALTY = re.compile(
    # The verb after the noun is the frame too (« Quelle peine encourt-on / est la peine
    # encourue pour … »): the answer says « est puni de », not « encourt ».
    r"\b(?:quel(?:le)?s? (?:est |sont )?(?:la |les )?(?:peine|sanction|amende)s?"
    r"(?: (?:encour(?:t|ent|s|ue?s?)|risqu(?:e|ent|es)|prévue?s?|applicables?|"
    r"infligée?s?)(?:-t)?(?:-(?:on|il|elle|ils|elles|je))?)?|"
    r"que risqu(?:ent|es|e)(?:-t)?(?:-(?:on|il|elle|ils|elles|je|tu))?|"
    r"qu'est-ce qu'on risque|qu'est-ce que (?:l'on|je|il|elle) risque|"
    r"risqu(?:e|ent)(?:-t-(?:on|il|elle)|-ils|-elles|-je)? (?:quoi|comme peine)\b|"
    r"risque-t-on(?! d)\b|^quoi\b.*\brisqu(?:e|ent)$|"
    r"qu'encour|encour(?:t|ent|s)(?:-t-(?:on|il|elle)|-ils|-je)? quoi|"
    r"puni(?:e|s|es)? de quoi|c'est puni|est-ce puni|comment (?:est )?(?:puni|sanctionné)|"
    # « Combien de prison on risque … ? », « combien d'amende … ? »
    r"combien (?:de |d')(?:prison|amende|(?:ans|années|mois|temps) de prison)\b)"
)
_CLOCK_ASKED = re.compile(r"\bhoraires\b|\bà quelles? heures?\b")
# « Pour combien de temps est-il désigné ? » asks for a length; « combien de temps »
# alone may be a deadline (« a combien de temps pour faire son stage »).
_LASTING = re.compile(r"\b(?:dure(?:nt|ra|ront)?|durée|pendant combien|pour combien de temps)\b")
_QUANTITY = re.compile(
    r"\b(?:combien|quel(?:le)?s? (?:est |sont |était |étaient |sera |seront )?"
    r"(?:le |la |les |l')?"
    r"(?:montant|pourcentage|nombre|taux|somme|coût|prix|volume|proportion|part|plafond|"
    r"seuil|effectif|salaire|rémunération|tarif)s?)\b"
)
# Keywords that open on what they ask for: a sum, a rate, a number, a duration, a date.
_KEYWORD_MEASURE = re.compile(
    r"^(montant|coût|prix|tarif|taux|pourcentage|nombre|plafond|durée|délai|date)s?\s+"
    r"(?!de\s+(?:quoi|qui)\b)\S"
)
_MEASURE = re.compile(
    r"\bquel(?:le)?s? (?:est |sont |était |étaient |sera |seront )?(?:le |la |les |l')?"
    r"(taux|pourcentage|proportion|part|"
    r"montant|somme|coût|prix|tarif|plafond|salaire|rémunération)s?\b"
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
_PAYER_ASKED = re.compile(
    r"\b(?:financ\w*|pa(?:ie|ient|yer|yé\w*|yent|iera\w*)|rembours\w*|prend\w* en charge|"
    r"subventionn\w*|(?:support|assum)\w* (?:les |la |le |l')?(?:dépenses|frais|coûts?|charges?))\b"
)
_MEMBERS_ASKED = re.compile(r"\b(?:fai\w*|fon\w*) partie\b|\bcompos(?:ent|e|ition)\b|\bmembres\b")
_HOW_TO = re.compile(
    r"^comment (?:(?:peut-on|puis-je|faut-il|doit-on|dois-je|pouvons-nous|peut-il|"
    r"peut-elle) )?(?:(?:se|me|le|la|les|lui|leur|y|en) |s'|m'|l')?"
    r"(?P<inf>[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re|oir))\b"
)
# After a preposition too (« À partir de quelle rentrée … est-elle organisée ? »).
_WH = re.compile(
    r"^(?:(?:(?:à partir|auprès|au cours|lors|en fonction|à l'issue) d(?:e |u |es |')|"
    r"(?:à|au|aux|de|d'|du|des|dans|pour|par|sur|sous|avec|depuis|selon|en|chez|vers|"
    r"entre|jusqu'à|après|avant|contre|parmi)\s?)(?=quel|qui\b|quoi|combien|quand))?"
    r"(?:qui|que|qu'|quoi|quand|comment|pourquoi|où|combien|quel|quelle|quels|quelles)\b"
)
# Yes/no frames: a modal asked about, a right, a possibility, an obligation, or any
# verb-subject inversion (« Le secret médical empêche-t-il … ? »).
_SUBJECT_PRONOUN = r"-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)\b"
# The frame of a yes/no question that is not its topic: « Ai-je le droit de », « Est-il
# possible de », « Est-ce interdit de », « C'est obligatoire de … ? », « Est-ce que »,
# « Faut-il ».
_RIGHT_FRAME = re.compile(
    r"\b(?:ai-je|a-t-on|avons-nous|avez-vous|a-t-il|a-t-elle|ont-ils|ont-elles) "
    r"le droit (?:de |d')|"
    r"\b(?:est-il|est-ce|c'est) (?:possible|permis|interdit|obligatoire|autorisé|légal|"
    r"nécessaire|utile)"
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
    r"\b(?:peu(?:x|t|vent)|doi(?:t|vent)|puis|dois|pouvons|devons|pouvez|devez|"
    r"pourr(?:a|ai|as|ons|ez|ont|ait|aient)|devr(?:a|ai|as|ons|ez|ont|ait|aient)|faut|droit|possible|permis|interdit|obligatoire|autorisée?s?|"
    r"légale?s?|obligée?s?|tenue?s?)\b"
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
_DETERMINERS = frozenset(
    [
        *("un", "une", "des", "le", "la", "les", "du", "de", "son", "sa", "ses", "leur"),
        *("leurs", "mon", "ma", "mes", "ce", "cet", "cette", "ces"),
    ]
)
_INFINITIVE = re.compile(
    r"(?:-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)|droit|possible|permis|interdit|"
    r"obligatoire|autorisé|légal|\b(?:peux|peut|peuvent|pouvons|pouvez|dois|doit|doivent|"
    r"devons|devez|faut|pourr(?:a|ai|as|ons|ez|ont|ait|aient)|devr(?:a|ai|as|ons|ez|ont|ait|"
    r"aient)))\s+(?:de |d')?(?:(?:ne |n')?(?:pas |plus |jamais )?)?"
    r"(?:(?:quand même|aussi|toujours|encore|bien|vraiment)\s+)?"
    r"(?:(?:(?:me|te|se|le|la|les|lui|leur|en|y)\s+)|l'|s'|m'|t')*"
    r"(?P<inf>[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re|oir))\b"
    r"(?:\s+(?P<part>[a-zàâçéèêëîïôûùüÿœ]+))?"
)


# Words that ask nothing (« c'est puni de quoi exactement ? », « est-ce vraiment
# interdit ? »): neither frame nor topic, they only thin a question's share of key terms.
_FILLER = re.compile(
    r"\s*,?\s*\b(?:exactement|vraiment|concrètement|précisément|réellement|au juste|"
    r"en fait|finalement|simplement|svp|stp|s'il (?:vous|te) pla[iî]t)\b",
    re.I,
)


def without_fillers(question: str) -> str:
    """The question without the words that ask nothing (``_FILLER``)."""
    return _FILLER.sub("", question).strip().lstrip(", ")


def classify(question: str) -> QuestionType:
    """Read a French question's frame: the kind of answer it asks for, and its content.

    A follow-up glued after its question (« Q1 ? Q2 », as the chat rewrites it) is read
    by its own frame when it has one (« … ? Et elle se passe où », « … ? Le patient
    doit-il en être informé »): that is what is asked now. A follow-up without a frame
    of its own (« … ? Et avec un pharmacien ») is read by the first question's. Either
    way the content is the whole text: the first question says what the second is about.
    """
    q = without_fillers(_norm(question)).strip().rstrip("?!. ").strip()
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
    r"pourr(?:a|ai|as|ons|ez|ont|ait|aient)|devr(?:a|ai|as|ons|ez|ont|ait|aient)|"
    r"a le droit|ont le droit|avons le droit|avez le droit|suis obligée?|est obligée?|"
    r"sont obligée?s|suis tenue?|est tenue?|sont tenue?s|faut)\b"
)
_LEADING_CONJUNCTION = re.compile(r"^(?:et|mais|ou|alors|sinon|donc)\b[,\s]*")
# « En cas de diagnostic grave, qui … », « Je suis généraliste : existe-t-il … »: a
# circumstance or a situation set before the question, which is what comes after it.
_LEAD_IN = re.compile(r"^(?P<lead>[^,:;?]{2,80}?)\s*[,:]\s*(?P<rest>\S.*)$")
# A clause of time or condition before the question (« Quand un mineur décède, ses
# parents ont-ils accès … ? »): a lead-in, not a question of time.
_CONDITION = re.compile(r"^(?:quand|lorsque|lorsqu'|si|s'il|s'ils)\s*\S+\s+\S+")


def asks_penalty(question: str) -> bool:
    """Whether the question asks what penalty a deed carries (« Que risque-t-on si … ? »,
    « … c'est puni de quoi ? »)."""
    return classify(question).subject == "peine"


# « risque » in a penalty question: the verb (« Que risque-t-on … »), and the quoi/peine
# that may follow it.
_RISK_VERB = re.compile(
    r"\b(?:(?P<what>que|qu['’]est-ce qu['’](?:on|il|elle)|"
    r"qu['’]est-ce que (?:l['’]on|je|il|elle))\s+)?"
    r"risqu(?P<plural>e|es|ent)\b(?P<subject>-t-(?:on|il|elle)|-ils|-elles|-je)?"
    r"(?P<after>\s+(?:quoi|comme peine)\b)?",
    re.I,
)


# « faire appel à X » is « solliciter X » in the texts (CSP L. 6327-1): « appel » alone
# is their « appel à projets » (nineteenth fresh-user test).
_CALL_ON = re.compile(r"\bfaire appel (?P<to>à la |à l'|à l’|aux |au |à )", re.I)
_CALLED_OBJECT = {"à la ": "la ", "à l'": "l'", "à l’": "l’", "aux ": "les ", "au ": "le "}


def search_text(question: str) -> str:
    """The text the search reads for ``question``: the question itself, except that a
    penalty question asked with « risquer » reads « quelle peine encourt … » instead.
    « Risque » is also the word of harm reduction (« réduction des risques »), which the
    documents use everywhere: « Que risque-t-on si on consomme du cannabis ? » found
    only harm-reduction passages, in BM25 and in the embedding alike. « faire appel à »
    reads « solliciter »."""
    verb = LIGHT_PHRASES["faire appel"]
    question = _CALL_ON.sub(
        lambda m: f"{verb} {_CALLED_OBJECT.get(m.group('to').lower(), '')}", question
    )
    if not asks_penalty(question):
        return question

    def law_verb(m: re.Match[str]) -> str:
        verb = "encourent" if m.group("plural") == "ent" else "encourt"
        # « risque-t-on » → « encourt-on »; « qu'est-ce que je risque » → « encourt-on ».
        subject = (m.group("subject") or "").replace("-t-", "-")
        if m.group("what") and m.group("what").lower() != "que":
            subject = "-on"
        if m.group("what"):
            return f"quelle peine {verb}{subject}"
        return f"{verb}{subject}" + (" quelle peine" if m.group("after") else "")

    text = _RISK_VERB.sub(law_verb, question)
    return text[:1].upper() + text[1:]


def _one(text: str, whole: str | None = None) -> QuestionType | None:
    """The frame of one question, or None when it has none (« Et avec un pharmacien »).
    ``whole``: the text whose content is kept (the question as given)."""
    q = whole if whole is not None else text
    low = _LEADING_CONJUNCTION.sub("", _norm(text).lower()).strip(" ,")
    lead_in = _LEAD_IN.match(low)
    if lead_in and (not _WH.match(low) or _CONDITION.match(lead_in.group("lead"))):
        # A definition is not asked after a lead-in (« Après un décès, qu'est-ce que les
        # héritiers peuvent savoir … » asks what they may know, not what « héritiers » is).
        framed = _one(lead_in.group("rest"))
        if framed is not None and framed.kind not in ("other", "definition"):
            content = f"{lead_in.group('lead')}, {framed.content}"
            return QuestionType(framed.kind, content, framed.subject, framed.verb, framed.modal)
        if _WH.match(lead_in.group("rest")):
            return QuestionType("other", q)  # an open question, whatever modal it has
    situ = _IN_SITU.match(low)
    if situ and not _WH.match(low) and not low.endswith("c'est quoi"):  # « X, c'est quoi »
        low = f"{situ.group('wh')} {situ.group('body')}"
    head = low
    for pat in DEFINITION:
        m = pat.match(head)
        if m and not NOT_A_TERM.match(m.group("s")):
            if pat is WHAT_IS and _has_finite_verb(m.group("s")):
                break  # an object question (« qu'est-ce que X peut financer »)
            subject = re.sub("^" + _DET, "", m.group("s").strip(" «»\"'")).strip()
            # The term, not the setting it is asked in: « le Lama dans la coordination
            # d'Anderlecht », « une équipe de soins au sens du code ».
            subject = SETTING.split(subject, maxsplit=1)[0].strip() or subject
            start = _norm(q).lower().find(m.group("s"))
            content = _norm(q)[start:].strip() if start >= 0 else m.group("s")
            return QuestionType("definition", content, subject=subject)
    if (value := asked_value(head, q)) is not None:  # a dose, a number to call, a name
        return QuestionType(value[0], value[2], subject=value[1])
    if _PLACE.match(head):
        return QuestionType("place", _without(_PLACE, q))
    if re.match(r"^(?:pourquoi|pour quelle raison|pour quelles raisons|dans quel but)\b", head):
        # « Pourquoi … ? » asks for a reason or a purpose: « permet de », « afin de ».
        return QuestionType("other", q, subject="raison")
    if re.match(r"^(?:comment|pourquoi|où)\b", head):
        # « Comment rejoindre un réseau … quand on est … » asks for a way to do something:
        # its action is the verb after « comment ».
        how = _HOW_TO.match(head)
        return QuestionType("other", q, verb=how.group("inf") if how else "")
    if _PENALTY.search(head):
        # « Que risque-t-on pour … ? », « Quelle peine pour … ? »: the penalty is what the
        # text sets, a term of imprisonment or a fine.
        return QuestionType("quantity", _without(_PENALTY, q), subject="peine")
    if _TIME.search(head):
        # « Combien de temps dure le stage ? » asks how long it lasts, not by when.
        lasting = bool(_LASTING.search(head)) and not re.search(r"\bdélai", head)
        # « Quels sont les horaires … ? », « À quelle heure … ? »: a time of day.
        clock = bool(_CLOCK_ASKED.search(head))
        # « Dans quel délai … ? » asks by when: a deadline, not how long it lasts.
        deadline = re.search(r"\bquels? délais?\b", head) is not None
        # « Depuis quand … existe-t-elle ? » asks when it began: a date, not a length.
        since = re.search(r"\b(?:depuis|à partir de) quand\b", head) is not None
        subject = (
            "heure" if clock else "durée" if lasting else "délai" if deadline
            else "début" if since else ""
        )  # fmt: skip
        return QuestionType("time", _without(_TIME, q), subject=subject)
    if _QUANTITY.search(head):
        # « Combien de points … » counts points: the answer's number comes with them.
        unit = re.search(
            r"\bcombien (?:y a-t-il |y avait-il |existe-t-il |compte-t-on |en existe-t-il )?"
            r"(?:de |d')(\w+)",
            head,
        )
        # « Quel est le taux … » asks for a rate, « quel montant » for a sum of money.
        measure = _MEASURE.search(head)
        subject = unit.group(1) if unit else (measure.group(1) if measure else "")
        if not subject and _MONEY_VERB.search(head):
            subject = "coût"
        return QuestionType("quantity", _without(_QUANTITY, q), subject=subject)
    if _AGENT.match(head) or (_WH.match(head) and _MEMBERS_ASKED.search(head)):
        # « Qui finance … ? »: who pays. « Qui fait partie du comité … ? »: its members.
        payer = "financeur" if _PAYER_ASKED.search(head) else ""
        if _MEMBERS_ASKED.search(head):
            # « partie » is no topic (« d'une part … d'autre part » is not the members).
            content = _without(_MEMBERS_ASKED, _without(_AGENT, q))
            return QuestionType("agent", content, subject="membres")
        asked = _without(_AGENT, q)  # « peut solliciter … »: its verb is the action asked
        return QuestionType("agent", asked, subject=payer, verb=asked_action(asked))
    if not _WH.match(head) and (
        _YESNO_FRAME.search(head) or _INVERSION.search(head) or _DECLARATIVE_YESNO.search(head)
    ):
        modal = bool(_MODAL.search(head))
        return QuestionType("yesno", _without_yesno_frame(q), verb=_verb(head), modal=modal)
    keyword = _KEYWORD_MEASURE.match(head)
    if keyword and not _WH.match(head):
        # A query typed as keywords (« montant amende forfaitaire stups », « délai
        # injonction thérapeutique »): its first word says what is asked for.
        word = keyword.group(1)
        if word in ("durée", "délai", "date"):
            return QuestionType("time", q, subject="durée" if word == "durée" else "")
        return QuestionType("quantity", q, subject=word)
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


# Verbs that carry another's infinitive as a passive or a causative.
_AUXILIARY_INFINITIVES = frozenset({"voir", "faire", "laisser"})
_INFINITIVE_FORM = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]{2,}(?:er|ir|re)")


def _verb(head: str) -> str:
    m = _INFINITIVE.search(head)
    if m:
        # « peuvent-ils être financés » asks about financing.
        # « pourra avoir une attestation » asks about having one: a determiner is no verb.
        part = m.group("part")
        if m.group("inf") in ("être", "avoir") and part and part not in _DETERMINERS:
            return part
        if m.group("inf") in _AUXILIARY_INFINITIVES and part and _INFINITIVE_FORM.fullmatch(part):
            # « peut-il se voir appliquer une période de sûreté », « se faire rembourser »:
            # the action is the infinitive the auxiliary carries.
            return part
        return m.group("inf")
    for m in _INVERSION.finditer(head):
        if m.group("v") not in _MODALS:
            return m.group("v")
    return ""
