"""The chat's example questions are answered from the passage that answers them.

A new user's first click is on an example: an example the documents do not answer, or
answer with the wrong sentence, shows the tool at its worst. The fifteenth session's
review found three: « Qu'est-ce que les crédits … peuvent financer ? » (read as a
definition, answered with the date credits are delegated), « Quelles sont les missions
du chef de projet MILDECA ? » (answered with what the MILDECA coordinates) and « Quelles
informations un CSAPA doit-il transmettre dans son rapport d'activité ? » (no document
says; answered with a Belgian team's musings on confidentiality).
"""

from __future__ import annotations

import pytest

from assistant import Assistant
from ui.chat_view import ROLE_EXAMPLES

# Each example: the document its first citation comes from and words its answer must
# hold, read in corpus/.
EXPECTED = {
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?": ("csp-l1110-4", "requiert son consentement préalable"),
    "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?": (
        "dgs-instruction-usagers-crack-2022",
        "vers des établissements de soins résidentiels en dehors de leur région",
    ),
    "Les crédits interministériels peuvent-ils financer les frais des stages de "
    "sensibilisation ?": (
        "mildt-note-chefs-de-projet-orientations-2010",
        "en aucun cas il ne peut être financé sur des crédits interministériels",
    ),
    "Le chef de projet départemental peut-il déléguer sa mission de coordination ?": (
        "mildt-note-chefs-de-projet-orientations-2010",
        "assumer personnellement cette mission de coordination",
    ),
    "Quelles sont les missions d'un réseau de santé ?": (
        "csp-l6321-1",
        "Les réseaux de santé ont pour objet de favoriser l'accès aux soins",
    ),
    # The law that says who may (CSP L6327-1), not the decree's « tout professionnel qui
    # le sollicite » inside a sentence on the service (fifteenth fresh-user test).
    "Qui peut solliciter un dispositif d'appui à la coordination ?": (
        "csp-l6327-1",
        "Les professionnels de santé, sociaux et médico-sociaux",
    ),
}


def test_every_example_has_its_expected_answer() -> None:
    shown = [q for questions in ROLE_EXAMPLES.values() for q in questions]
    assert sorted(shown) == sorted(EXPECTED)


@pytest.mark.parametrize("question", sorted(EXPECTED))
def test_an_example_is_answered_from_its_passage(seeded: Assistant, question: str) -> None:
    doc, words = EXPECTED[question]
    ans = seeded.ask(question)
    assert not ans.abstained
    assert words in ans.answer
    assert ans.citations[0].doc_id.startswith(doc)
