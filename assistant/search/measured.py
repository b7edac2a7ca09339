"""What the figure a question asks for is a figure of (``measured``): the words the
sentence or passage that gives it must name, or the figure is of something else."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .asked_values import DOSE

if TYPE_CHECKING:
    from .question_type import QuestionType

# What a figure is asked of: « Combien de salariés … » counts employees, « Quel est le
# taux de TVA … » asks a rate of VAT, « le taux légal d'alcoolémie » a rate of alcohol.
# The words that only say a figure is asked (a sum, a length, a penalty) are no such
# thing: the answer writes « 200 euros » or « un an », not « montant »; nor are the
# words that count anyone (« Combien de personnes … » : « 15 citoyens »).
_RATES = frozenset({"taux", "pourcentage", "proportion", "part"})
_NOT_MEASURED = frozenset(
    {"peine", "coût", "montant", "somme", "prix", "tarif", "plafond", "seuil", "effectif", "nombre",
     "salaire", "rémunération", "volume", "fois", "temps", "durée", "personnes", "gens",
     "individus", "participants", "membres", "téléphone"}
)  # fmt: skip
# « de TVA … », « légal d'alcoolémie … »: a rate or a length of something named.
_RATE_OF = re.compile(r"^(?:[\w-]+\s+)?(?:de la |de l'|du |des |de |d')")
# A participle and its agent, or a relative clause: « … assurée par les États-Unis ».
_HELD_BY = re.compile(r"\s+(?:[\w-]+(?:ée?s?|ie?s?|ue?s?)\s+par\b|(?:qui|que|dont)\b|qu').*$")
# « dure un sevrage … », « durent les stages »: the verb, then what lasts.
_LASTS = re.compile(
    r"^dur(?:e|ent)(?:-t-(?:il|elle|ils|elles))?\s+(?=(?:les?|la|l'|une?|des|ce|cet|cette|ces)\b)"
)


def measured(qt: QuestionType) -> tuple[str, bool]:
    """What the figure a question asks for is a figure of, and whether the sentence that
    gives it must name it (True) or its passage may (False): (« salariés », False) for
    « Combien de salariés compte … ? »; the words after the frame for a rate (« de TVA sur
    les médicaments … », True) and for a length (« de validité d'une ordonnance … »,
    False); ("", False) for another question, or one that names only the kind of figure
    (« Combien coûte … ? », « Quelle peine … ? »). Lower-cased as ``content`` is.

    One of these words is written with the figure, or the figure is of something else:
    « 10 % du montant de la compensation » gives no rate of VAT nor of reimbursement
    (evals/train.jsonl t330, gold x01), the length of an injunction measure is no
    validity of a prescription. A rate is said in its sentence (« Les dépenses des
    ménages représentent plus de 50 % … »); a count or a length may lean on its passage
    (« Dominik Hašek compte 41 victoires » in the passage on his matches)."""
    if qt.kind == "time" and qt.subject == "durée":
        # « Quelle est la durée de validité d'une ordonnance … ? »; « Combien de temps dure
        # un sevrage alcoolique ? » (ninth fresh-user test: « Durée totale : 2 années »,
        # the length of a training, was its answer).
        lasting = _LASTS.match(qt.content)
        if lasting:
            return (qt.content[lasting.end() :], False)
        return (qt.content if _RATE_OF.match(qt.content) else "", False)
    if qt.kind != "quantity":
        return ("", False)
    if qt.subject in _RATES or qt.subject == DOSE:
        # The rate of what: its noun phrase, not who holds it (« la part du budget de
        # l'UNESCO assurée par les États-Unis »: « ils … représente 22 % du budget de
        # l'UNESCO »; PIAF training articles).
        of = _HELD_BY.sub("", qt.content)
        return (of if _RATE_OF.match(of) else "", True)
    return ("" if qt.subject in _NOT_MEASURED else qt.subject.lower(), False)
