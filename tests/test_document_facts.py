"""Questions about a document itself (its date, issuer, reference, status) are answered
from its record, not from a sentence that shares their words."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.document_facts import DocumentQuestion, document_question, fact_sentence
from assistant.chat import ChatEngine
from tests.test_answer import answer_sentences

LETTER = "Qui a signé la lettre de mission de 2000 sur les réseaux ?"


@pytest.mark.parametrize(
    ("question", "fact", "doc_type"),
    [
        (
            "De quand date l'instruction sur l'orientation des usagers de crack ?",
            "date",
            "instruction",
        ),
        ("Quand la note aux chefs de projet de 2010 a-t-elle été signée ?", "date", "note"),
        ("Quelle est la date du décret sur les CSAPA ?", "date", "decret"),
        (LETTER, "issuer", "lettre_de_mission"),
        ("Qui est l'auteur du bulletin du RIAHN ?", "issuer", "bulletin"),
        ("Quelle est la référence de la lettre de mission ?", "reference", "lettre_de_mission"),
        ("La circulaire de 1999 est-elle toujours en vigueur ?", "status", "circulaire"),
        # A follow-up read with its question: the last question asks.
        ("Qu'est-ce qu'un CAARUD ? De quand date ce texte ?", "date", ""),
    ],
)
def test_a_question_about_a_document_is_recognised(question: str, fact: str, doc_type: str) -> None:
    asked = document_question(question)
    assert asked is not None
    assert (asked.fact, asked.doc_type) == (fact, doc_type)


def test_which_text_is_asked_of_the_question_before_it() -> None:
    asked = document_question("Le secret tient-il après la mort ? Quel article s'applique ?")
    assert asked is not None
    assert (asked.fact, asked.topic) == ("source", "Le secret tient-il après la mort ?")
    # Alone, « which text » is of nothing.
    assert document_question("Quel article du code s'applique ?") is None


def test_which_text_applies_is_answered_with_the_text_and_what_it_says(
    seeded: Assistant,
) -> None:
    engine = ChatEngine(seeded)
    first = "Le secret médical tient-il après la mort du patient ?"
    said = engine.ask(first).answer.answer
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": said}]
    r = engine.ask("Quel article du code s'applique ?", history)
    sentences = [s for s, _ in answer_sentences(r.answer.answer)]
    assert sentences[0].startswith(
        "Le texte qui en parle est « Code de la santé publique, article L1110-4"
    )
    assert "personne décédée" in sentences[1]
    assert r.answer.citations[0].doc_id == "csp-l1110-4"
    assert not r.answer.notes  # « article », « code », « applique » are no topic to find


@pytest.mark.parametrize(
    "question",
    [
        "Quand a été créé le CSAPA ?",  # no document named
        "Qui a signé le contrat d'objectifs ?",
        "Qui finance les CAARUD ?",
        "Que dit l'instruction sur les usagers de crack ?",  # its content, not a fact of it
    ],
)
def test_other_questions_are_not_about_a_document(question: str) -> None:
    assert document_question(question) is None


def test_the_fact_is_said_from_the_record_and_its_absence_too() -> None:
    meta = {"title": "Lettre de mission", "type": "lettre_de_mission", "date": "2000-05-01"}
    date = DocumentQuestion("date", "lettre_de_mission", "la lettre")
    assert fact_sentence(date, meta) == (
        "D'après sa fiche, le document « Lettre de mission » (lettre de mission) est daté "
        "du 1er mai 2000."
    )
    reference = DocumentQuestion("reference", "lettre_de_mission", "la lettre")
    assert "ne donne pas sa référence" in fact_sentence(reference, meta)
    status = DocumentQuestion("status", "", "ce texte")
    gone = {**meta, "status": "abroge", "replaced_by": "décret n° 2021-1"}
    assert fact_sentence(status, gone).endswith("est abrogé (remplacé par décret n° 2021-1).")


def test_who_signed_a_letter_is_answered_from_its_record(seeded: Assistant) -> None:
    ans = seeded.ask(LETTER)
    assert not ans.abstained
    [(sentence, n)] = answer_sentences(ans.answer)
    assert n == 1 and ans.citations[0].doc_id == "mildt-lettre-mission-reseaux-2000"
    assert "MILDT, Direction des Hôpitaux, Direction Générale de la Santé" in sentence


def test_the_date_of_an_instruction_is_its_records_not_a_bulletins_sentence(
    seeded: Assistant,
) -> None:
    # Measured before: « Une instruction en date du 19 avril dernier détaille … », a
    # sentence that says « date » and « instruction ».
    ans = seeded.ask("De quand date l'instruction sur l'orientation des usagers de crack ?")
    assert ans.citations[0].doc_id == "dgs-instruction-usagers-crack-2022"
    assert "est daté du 19 avril 2022" in ans.answer


def test_a_document_kind_no_passage_has_is_left_to_the_extractive_answer(
    seeded: Assistant,
) -> None:
    # The note cites the law; the note's date is not the law's.
    ans = seeded.ask(
        "De quand date la loi hôpital, santé, patients et territoires citée dans la note aux "
        "chefs de projet ?"
    )
    assert "D'après sa fiche" not in ans.answer
