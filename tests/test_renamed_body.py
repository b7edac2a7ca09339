"""« La MILDT existe-t-elle toujours ? »: the glossary's rename first, then what a text
says of the body under its new name."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.renamed_body import asked_rename
from assistant.search.glossary import Glossary
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    "question",
    [
        "La MILDT existe-t-elle toujours ?",
        "Est-ce que la MILDT existe encore ?",
        "Qu'est devenue la MILDT ?",
        "Comment s'appelle la MILD'T aujourd'hui ?",
        "La Mission interministérielle de lutte contre la drogue et la toxicomanie a-t-elle "
        "changé de nom ?",
    ],
)
def test_a_renamed_body_asked_about_says_its_new_name_then_a_texts_sentence(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    assert not ans.abstained
    assert ans.answer.startswith("D'après le glossaire du corpus, MILDT")
    assert "s'appelle MILDECA" in ans.answer and "depuis 2014" in ans.answer
    # The sentence after it is a text's, about the body under its new name, cited.
    assert len(ans.citations) == 1
    quoted = ans.citations[0].sentences[0]
    assert quoted in ans.answer and quoted in ans.citations[0].text
    assert "drogues et les conduites addictives" in quoted


@pytest.mark.parametrize(
    "question",
    [
        # The new name, another question on the old body, another body.
        "La MILDECA existe-t-elle toujours ?",
        "Quel est le rôle de la MILDT ?",
        "Le CSAPA existe-t-il toujours ?",
    ],
)
def test_other_questions_are_no_rename_questions(question: str) -> None:
    assert asked_rename(question, Glossary.load(CORPUS)) is None
