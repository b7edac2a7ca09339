"""An article asked by its number is read from its own passages, found by the section
they carry, not by the words of the articles that cite it; an article the documents do
not hold is said to be absent (fourth fresh-user test: « Que dit l'article 222-39 ? »
quoted L3421-4, which cites it; « … L3411-11 ? » quoted L3411-10 without a word)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.asked_article import asked_articles, asks_what_it_says, section_article

NO_ANSWER = "Je n'ai pas trouvé de réponse à cette question dans les documents."


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("Que dit l'article 222-39 du code pénal ?", {"222-39"}),
        ("que dit l'art. L. 3421-1 du CSP", {"L3421-1"}),
        ("Que prévoit l'article R1110-2 ?", {"R1110-2"}),
        # A category named by the article that lists it: the question is elsewhere.
        ("Comment sont financés les établissements du 9° du I de l'article L312-1 ?", set()),
        ("Les centres mentionnés à l'article L. 3411-9 sont-ils gratuits ?", set()),
    ],
)
def test_the_articles_a_question_asks_about(question: str, numbers: set[str]) -> None:
    assert asked_articles(question) == numbers


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("Que dit l'article L3411-9 ?", True),
        ("Que prévoit l'article 222-39 du code pénal ?", True),
        ("article L3411-5 ?", True),
        ("Quel est le contenu de l'article R1110-3 ?", True),
        # Seventh fresh-user test: « De quoi parle l'article L3423-1 ? » quoted its later
        # sentences.
        ("De quoi parle l'article L3423-1 ?", True),
        ("Sur quoi porte l'article L3411-8 ?", True),
        ("Que dit l'article L1110-4 sur le partage d'informations ?", False),
        ("L'article L3421-1 est-il en vigueur ?", False),
    ],
)
def test_a_question_that_asks_for_an_articles_text_and_nothing_else(
    question: str, whole: bool
) -> None:
    assert asks_what_it_says(question) is whole


def test_the_article_of_a_section() -> None:
    assert section_article("Article L1110-4 > II") == "L1110-4"
    assert section_article("Article 222-39") == "222-39"
    assert section_article("Préambule > VII") == ""


def test_an_article_is_read_from_its_own_passages_from_its_opening(seeded: Assistant) -> None:
    ans = seeded.ask("Que dit l'article 222-39 du code pénal ?")
    assert ans.answer.startswith("La cession ou l'offre illicites de stupéfiants")
    assert {c.section for c in ans.citations} == {"Article 222-39"}
    # From its first passage, whichever passages retrieval prefers (fifth tester: « Que
    # dit l'article 41-1 ? » began with its later paragraphs).
    ans = seeded.ask("Que dit l'article 41-1 ?")
    assert ans.answer.startswith("S'il lui apparaît qu'une telle mesure")
    # Its rule, not the editor's note under it.
    ans = seeded.ask("Que dit l'article D6327-4 ?")
    assert ans.answer.startswith("Chaque année, avant le 30 avril")
    ans = seeded.ask("De quoi parle l'article L3423-1 ?")
    assert ans.answer.startswith("Le procureur de la République peut enjoindre")
    assert "NOTA" not in ans.answer


def test_an_article_the_documents_do_not_hold_is_said_absent(seeded: Assistant) -> None:
    ans = seeded.ask("Que dit l'article L3411-11 ?")
    assert ans.abstained
    assert ans.answer == NO_ANSWER
    assert ans.notes == ["Les documents ne contiennent pas l'article L3411-11."]
    # Cited by a text of the documents: what cites it, said as such.
    ans = seeded.ask("Que prévoit l'article L3125-1 du CSP ?")
    assert not ans.abstained
    assert "L'article L. 3125-1 du code de la santé publique" in ans.answer
    assert (
        ans.notes[0] == "Les documents ne contiennent pas l'article L3125-1 : ce qui suit le cite."
    )
