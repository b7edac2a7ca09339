"""« Que dit la note de 2009 sur les stages de sensibilisation ? » is answered from that
note, and « Et sur … ? » after it swaps the topic (eighth fresh-user test: the code's
list of stages was quoted, then « Qui les paie ? » was read with the growshops)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.lookup import described_document_passages
from assistant.chat import ChatEngine

NOTE = "mildt-note-chefs-de-projet-orientations-2010"


def test_a_question_naming_its_document_is_answered_from_it(seeded: Assistant) -> None:
    ans = seeded.ask("Que dit la note de 2009 sur les stages de sensibilisation ?")
    assert {c.doc_id for c in ans.citations} == {NOTE}
    assert "stages de sensibilisation" in ans.answer


LETTER = "mildt-lettre-mission-reseaux-2000"


@pytest.mark.parametrize(
    "question",
    [
        # Tenth fresh-user test: the 2009 note's « commission nationale créée par la MILDT
        # en 2000 » was quoted for the letter of 2000.
        "Pourquoi des soignants se sont-ils mis à travailler en réseau selon la lettre de "
        "la MILDT de 2000 ?",
        "Selon la lettre de mission de 2000, que doit faire le chargé de mission ?",
    ],
)
def test_a_source_named_in_passing_is_read(seeded: Assistant, question: str) -> None:
    ans = seeded.ask(question)
    assert {c.doc_id for c in ans.citations} == {LETTER}


def test_a_source_named_in_passing_keeps_the_passages_the_search_found(
    seeded: Assistant,
) -> None:
    # « 21 en Hte Ndie » shares no word with « Haute-Normandie »: the search found it.
    ans = seeded.ask("Combien de réseaux y a-t-il en Haute-Normandie selon le bulletin ?")
    assert "21 en Hte Ndie" in ans.answer


@pytest.mark.parametrize(
    "question",
    [
        # All the documents, or none named: the retrieval's passages are read.
        "Que disent les documents sur les stages de sensibilisation ?",
        "Que prévoient les textes sur l'anonymat ?",
        "Qu'est-ce qu'un stage de sensibilisation ?",
    ],
)
def test_other_questions_read_the_retrieved_passages(seeded: Assistant, question: str) -> None:
    passages, _ = seeded.search(question)
    store, lexical = seeded.answerer().store, seeded.lexical
    assert (
        described_document_passages(question, passages, lexical, store, lexical.analyzer.stems, 5)
        == []
    )


def test_a_follow_up_swaps_the_topic_of_a_question_on_a_document(seeded: Assistant) -> None:
    chat = ChatEngine(seeded)
    history: list[dict[str, str]] = []
    for q in (
        "Que dit la note de 2009 sur les growshops ?",
        "Et sur les stages de sensibilisation ?",
    ):
        reply = chat.ask(q, history)
        history += [
            {"role": "user", "content": q},
            {"role": "assistant", "content": reply.answer.answer},
        ]
    assert (
        reply.understood.question == "Que dit la note de 2009 sur les stages de sensibilisation ?"
    )
    paid = chat.ask("Qui les paie ?", history)
    assert "growshops" not in paid.understood.question
    assert "aux frais des usagers" in paid.answer.answer
