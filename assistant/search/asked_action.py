"""« Qui peut solliciter un dispositif d'appui à la coordination ? »: the action whose doer
is asked, and the sentences that name a doer of it.

A question that asks who may (or must) do something is answered by the sentence whose
subject may do it: « Les professionnels de santé, sociaux et médico-sociaux … peuvent
solliciter un appui à la coordination … » (CSP L6327-1), not by « Il participe à la
coordination territoriale des acteurs notamment par l'analyse des besoins », where
« par » and a body's name gave the same form (fifteenth fresh-user test: the DAC's
missions answered who may call on it, and L6327-1 was never cited). The sentence writes
the permission or the duty with the question's verb: « peuvent solliciter », « doit
désigner », « sont habilités à délivrer ».
"""

from __future__ import annotations

import re

# What may stand between « qui » and the action (the question's content starts there
# once its « qui » is cut): a modal, and the pronouns of the action's object.
_MODAL = (
    r"(?:peut|peuvent|pourra|pourront|pourrait|doit|doivent|devra|devront|"
    r"(?:a|ont) le droit d[e']|(?:est|sont) (?:habilitée?s?|autorisée?s?|chargée?s?) d?[eà']?)"
)
_ASKED = re.compile(
    rf"^(?:ne\s+)?{_MODAL}\s*(?:(?:le|la|les|lui|leur|en|y|se)\s+|[ls]['’]\s*)?"
    r"(?P<verb>[a-zéèêàâîôûç]+(?:er|ir|re))\b(?:\s+(?P<noun>[a-zéèêàâîôûç]{3,})\b)?"
)
# A light verb and its noun that say one action, and the verb that says it alone (the
# search reads « faire appel à X » as « solliciter X »: question_type.search_text).
LIGHT_PHRASES = {
    "faire appel": "solliciter",
    "avoir recours": "recourir",
    "faire recours": "recourir",
}
# Verbs too light to tell an action (« faire appel », « avoir accès », « être … »).
_LIGHT = frozenset({"faire", "avoir", "être", "mettre", "prendre", "aller", "venir"})
# Words a modal may have between it and its infinitive: « peuvent également prendre ».
_BETWEEN = r"(?:\s+(?:[\w'’-]+\s+){0,2}?)"


def asked_action(content: str) -> str:
    """The infinitive of the action a « qui … ? » question asks the doer of, after its
    modal (« peut solliciter … » → « solliciter »); for a light verb (``_LIGHT``), the
    verb its phrase stands for (« peut faire appel à … » → « solliciter »), or ""; ""
    without a modal. ``content``: the question without its « qui », lower-cased."""
    m = _ASKED.match(content.strip())
    if m is None:
        return ""
    if m.group("verb") in _LIGHT:
        return LIGHT_PHRASES.get(f"{m.group('verb')} {m.group('noun')}", "")
    return m.group("verb")


def names_a_doer(verb: str, sentence: str) -> bool:
    """Whether ``sentence`` (lower-cased) writes a permission or a duty to do ``verb``
    (an infinitive): a modal followed, within two words, by the verb itself
    (« peuvent solliciter », « doit en informer », « sont habilités à délivrer »). Not
    a passive (« … peuvent être délivrés par : »), whose doers are a list elsewhere."""
    found = re.search(rf"\b{_MODAL}{_BETWEEN}{re.escape(verb)}\b", sentence)
    return found is not None
