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


@pytest.mark.parametrize(
    ("question", "name", "other"),
    [
        # The year asked keeps the holder of that year's document.
        ("Qui est la présidente de la MILDT en 2000 ?", "Nicole MAESTRACCI", "Apaire"),
        ("c'est qui la présidente de la mildt en 2000 ?", "Nicole MAESTRACCI", "Apaire"),
        ("Qui était le président de la MILDT en 2009 ?", "Étienne Apaire", "MAESTRACCI"),
    ],
)
def test_a_year_asked_keeps_that_years_holder(
    seeded: Assistant, question: str, name: str, other: str
) -> None:
    ans = seeded.ask(question)
    assert name in ans.answer and other not in ans.answer


@pytest.mark.parametrize(
    ("question", "note"),
    [
        # Asked of today: the documents say who held it at their date only.
        ("Qui est le président actuel de la MILDT ?", "aujourd'hui ; à leur date, ils nomment"),
        ("Qui est le président de la MILDT aujourd'hui ?", "Nicole MAESTRACCI (2000)"),
        # One person's post that the texts only name (« le ministre chargé de la santé »
        # in the committee's list was quoted), and a year no document names a holder for.
        ("Qui est le ministre de la santé ?", "ne nomment pas qui est « le ministre de la santé »"),
        ("Qui était le président de la MILDT en 2005 ?", "« le président de la MILDT » en 2005"),
    ],
)
def test_a_post_no_document_names_a_holder_for_then_abstains_saying_why(
    seeded: Assistant, question: str, note: str
) -> None:
    ans = seeded.ask(question)
    assert ans.abstained
    assert any(note in n for n in ans.notes), ans.notes
