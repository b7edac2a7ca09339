"""A letter's head (to whom, through whom, who follows the matter) answers the questions
that ask it, from the document's first passage; its lines are no sentences."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.document_facts import document_question
from assistant.answer.letterhead import head_lines, letterhead

LETTER = """Premier Ministre
Mission Interministérielle de Lutte

Paris, le 6 - 5 - 2000.

La Présidente

Madame Jeanne DURAND
12 rue des Lilas
76000 ROUEN

Madame,

Depuis plusieurs années, devant la complexité de la prise en charge de certains problèmes \
de santé, les professionnels sociaux et sanitaires se sont constitués en réseaux de soin \
impliquant les hôpitaux et les médecins généralistes du territoire.
"""
NOTE = """Paris, le 4 novembre 2009

Dossier suivi par : Paul Martin tél. 01 44 63 20 65

NOTE à l'attention des directeurs généraux des agences régionales de santé

Par l'intermédiaire de Mesdames et Messieurs les préfets de région

La réussite du plan gouvernemental n'est pas seulement l'affaire des administrations \
centrales, vous devez relayer les orientations nationales au plus près des besoins."""


def test_a_letters_head_is_read_line_by_line() -> None:
    # The address, not the salutation « Madame, »; its street is no addressee.
    assert letterhead(LETTER) == {"addressee": "Madame Jeanne DURAND"}
    assert letterhead(NOTE) == {
        "contact": "Paul Martin",  # without the telephone number
        "addressee": "directeurs généraux des agences régionales de santé",
        "via": "Mesdames et Messieurs les préfets de région",
    }
    assert head_lines(NOTE, "via") == ["Mesdames et Messieurs les préfets de région"]
    assert head_lines(LETTER, "contact") == []


def test_a_body_sentence_is_no_head() -> None:
    body = (
        "Le chef de projet adresse chaque année à Monsieur le préfet un rapport sur les "
        "actions conduites dans le département, avec les crédits engagés et les résultats "
        "obtenus auprès des publics visés par le plan."
    )
    assert letterhead(body) == {}


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("À qui est adressée la lettre de mission sur les réseaux ?", "addressee"),
        ("Quel est le destinataire de la note de 2009 ?", "addressee"),
        ("Par l'intermédiaire de qui la note est-elle adressée aux chefs de projet ?", "via"),
        ("Sous couvert de qui la note est-elle envoyée ?", "via"),
        ("Quelle personne suit le dossier de la note aux chefs de projet ?", "contact"),
        ("Qui suit l'affaire de la note de novembre 2009 ?", "contact"),
    ],
)
def test_questions_on_a_letters_head_are_document_questions(question: str, fact: str) -> None:
    asked = document_question(question)
    assert asked is not None and asked.fact == fact


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "À qui est adressée la lettre de mission de la MILDT sur les réseaux ?",
            "Pierre POLOMENI",
        ),
        (
            "Par l'intermédiaire de qui la note de novembre 2009 est-elle adressée aux chefs "
            "de projet ?",
            "Mesdames et Messieurs les Préfets de départements",
        ),
        ("Quelle personne suit le dossier de la note aux chefs de projet ?", "Françoise Toussaint"),
    ],
)
def test_the_head_answers_and_its_line_is_cited(
    seeded: Assistant, question: str, said: str
) -> None:
    ans = seeded.ask(question)
    assert ans.answer.startswith("D'après son en-tête") and said in ans.answer
    assert said in ans.citations[0].sentences[0] and said in ans.citations[0].text


def test_a_document_whose_head_lacks_the_line_is_answered_from_its_sentences(
    seeded: Assistant,
) -> None:
    # The news item on the crack instruction has no head: its sentences may say to whom
    # the instruction goes; no « L'en-tête … ne dit pas » about a head it does not have.
    ans = seeded.ask("À qui est destinée l'instruction sur le crack ?")
    assert "en-tête" not in ans.answer
