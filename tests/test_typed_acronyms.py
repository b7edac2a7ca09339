"""Acronyms typed in lower case (« qui paye les csapa ») are the bodies the glossary
names: the embedding model reads « csapa » as another word, and the question abstained
that « Qui paye les CSAPA ? » answers (fresh-user test, session 13)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.chat import ChatEngine


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("qui paye les csapa", "qui paye les CSAPA"),
        ("Et les caarud ?", "Et les CAARUD ?"),
        ("la mildt est devenue la mildeca", "la MILDT est devenue la MILDECA"),
        ("les csapas du département", "les CSAPAs du département"),
        # A French word stays a word (RAT is the « Réseau d'aide aux toxicomanes »).
        ("un rat dans le csapa", "un rat dans le CSAPA"),
        # Inside a word, nothing: « ars » in « arsenal », « dac » in « dactylo ».
        ("l'arsenal du dactylo", "l'arsenal du dactylo"),
        ("Le CSAPA de Caen", "Le CSAPA de Caen"),
    ],
)
def test_lower_case_acronyms_are_written_as_the_glossary_does(
    seeded: Assistant, typed: str, read: str
) -> None:
    assert seeded.glossary.with_acronyms(typed) == read


def test_a_question_typed_in_lower_case_gets_the_same_answer(seeded: Assistant) -> None:
    typed = seeded.ask("qui paye les csapa")
    assert not typed.abstained
    assert typed.answer == seeded.ask("Qui paye les CSAPA").answer


def test_writing_an_acronym_in_capitals_is_no_rewriting(seeded: Assistant) -> None:
    engine = ChatEngine(seeded)
    first = engine.ask("quelles sont les missions des csapa ?", [])
    assert not first.understood.rewritten
    history = [
        {"role": "user", "content": "quelles sont les missions des csapa ?"},
        {"role": "assistant", "content": first.answer.answer},
    ]
    follow = engine.ask("et celles des caarud ?", history)
    assert follow.understood.rewritten
    assert "CAARUD" in follow.understood.question
