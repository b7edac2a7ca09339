"""« Qui est le président de la MILDT ? » is answered by the documents that name the
post's holder at their date: a letter's signature block, a record's issuer."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.role_holders import asked_role, role_holders


def test_who_held_a_post_is_read_from_signatures_and_records_with_their_dates(
    seeded: Assistant,
) -> None:
    ans = seeded.ask("Qui est le président de la MILDT ?")
    assert not ans.abstained
    # The letter of 2000 signed « La Présidente de la MILD'T », then the note of 2009
    # whose record names its issuer: oldest first, each dated.
    assert ans.answer.index("Nicole MAESTRACCI") < ans.answer.index("Étienne Apaire")
    assert "du 6 mai 2000" in ans.answer and "du 4 novembre 2009" in ans.answer
    assert [c.doc_id for c in ans.citations] == [
        "mildt-lettre-mission-reseaux-2000",
        "mildt-note-chefs-de-projet-orientations-2010",
    ]
    # Each citation highlights the name as its passage writes it.
    assert all(s in c.text for c in ans.citations for s in c.sentences)
    assert any("pas aujourd'hui" in n for n in ans.notes)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Comment s'appelle le directeur général de la santé ?", "Lucien ABENHAIM"),
        ("Qui était le directeur des hôpitaux ?", "Edouard COUTY"),
        ("Quel est le nom de la présidente de la MILD'T ?", "Nicole MAESTRACCI"),
    ],
)
def test_any_wording_of_the_post_finds_its_holder(
    seeded: Assistant, question: str, name: str
) -> None:
    ans = seeded.ask(question)
    assert ans.answer.startswith(name)


@pytest.mark.parametrize(
    "question",
    [
        # A post no document names, and a post of one word (any body's president).
        "Qui est le président de la République ?",
        "Qui est le président ?",
        # Not a question on who holds a post.
        "Qui peut demander une intervision ?",
    ],
)
def test_no_holder_is_named_for_another_post_or_question(seeded: Assistant, question: str) -> None:
    store = seeded.answerer().store
    assert role_holders(question, store, seeded.lexical.analyzer.stems) == []


def test_the_post_asked_about_is_what_follows_the_frame() -> None:
    assert asked_role("Qui est le président de la MILDT ?") == "le président de la MILDT"
    assert asked_role("Comment s'appelle la directrice de l'ARS ?") == "la directrice de l'ARS"
    assert asked_role("Qu'est-ce qu'un CSAPA ?") == ""
