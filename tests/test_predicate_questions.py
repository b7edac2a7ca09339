"""A question on what its subject is or undergoes (« est-il nommé », « sont-ils gratuits »)
is answered by the sentence that writes that participle or adjective, not by a sentence
that has every other word of the question (answer/first_sentence.py)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.first_sentence import asked_predicate


@pytest.mark.parametrize(
    ("question", "predicate"),
    [
        ("Comment le président de la mission interministérielle est-il nommé ?", "nommé"),
        ("Les études de cas sont-elles bien anonymes ?", "anonymes"),
        ("Le rapport annuel sera-t-il rendu public ?", "rendu"),
        ("Le dépistage est-il gratuit dans un CSAPA ?", "gratuit"),
        ("Les frais ont-ils été remboursés ?", "remboursés"),
        ("Le patient a-t-il un droit d'accès ?", ""),  # « avoir » without « été »
        # Permission and obligation are the answer's form, weighed by the scores.
        ("Est-il interdit de faire l'apologie du cannabis ?", ""),
        ("Les secrétaires sont-ils tenus au secret ?", ""),
        # Negation, superlative, pronoun: nothing to find in a sentence.
        ("Pourquoi l'avenir des réseaux n'était-il pas garanti ?", ""),
        ("Où le phénomène du crack est-il le plus ancré ?", ""),
        ("Qui finance les CAARUD ?", ""),
    ],
)
def test_the_predicate_asked_about(question: str, predicate: str) -> None:
    assert asked_predicate(question) == predicate


def test_how_someone_is_appointed_is_the_sentence_that_says_appointed(
    seeded: Assistant,
) -> None:
    # Measured: « Le président de la mission est rapporteur général du comité
    # interministériel. » came first (every word of the question but « nommé »).
    ans = seeded.ask("Comment le président de la mission interministérielle est-il nommé ?")
    assert ans.answer.split(" [1]")[0] == "Le président de la mission est nommé par décret."
