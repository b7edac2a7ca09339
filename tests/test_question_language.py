"""A question in English abstains with a French note saying why, instead of an answer on
whatever shares its acronyms (« Who funds the CSAPA addiction centres in France? » was
answered with the crack instruction; fresh-user test, session 13)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.language import ENGLISH_NOTE, in_english


@pytest.mark.parametrize(
    "question",
    [
        "Who funds the CSAPA addiction centres in France?",
        "Can a GP share patient data with the network?",
        "Is the CSAPA free?",
    ],
)
def test_an_english_question_is_told_to_ask_in_french(seeded: Assistant, question: str) -> None:
    assert in_english(question)
    ans = seeded.ask(question)
    assert ans.abstained
    assert ans.notes == [ENGLISH_NOTE]
    assert ans.maybe_useful == []


@pytest.mark.parametrize(
    "question",
    [
        "Le harm reduction est-il financé ?",
        "Qu'est-ce que le binge drinking ?",
        "Le chemsex est-il un motif de prise en charge ?",
        "montant amende forfaitaire stups",
        "Et le SCAT ?",  # too few words to judge
        "qui paye les csapa",
    ],
)
def test_french_with_english_words_is_french(question: str) -> None:
    assert not in_english(question)
