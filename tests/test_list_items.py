"""A yes/no question about one item of a list the documents enumerate (twelfth fresh-user
test): the item that names what the question is about, after the line that opens its
list, rather than the sentence around it that shares every other word, or the whole
list."""

import pytest

from assistant import Assistant
from assistant.answer.list_items import narrowed
from assistant.answer.sentence_scoring import _Candidate
from assistant.search.lexical import FrenchAnalyzer
from tests.test_answer import answer_sentences


def sentences(seeded: Assistant, question: str) -> list[str]:
    ans = seeded.ask(question)
    assert not ans.abstained, ans.notes
    return [s for s, _ in answer_sentences(ans.answer)]


def test_one_member_of_a_long_list_is_quoted_after_the_list_opening(seeded: Assistant) -> None:
    # Was answered by « Le Premier ministre peut confier la présidence du comité … au
    # ministre de l'intérieur … », which has every word but « culture ».
    said = sentences(
        seeded,
        "Le ministre de la culture est-il membre du comité interministériel de lutte "
        "contre les drogues ?",
    )
    assert said[0] == "Le comité comprend, sous la présidence du Premier ministre :"
    assert said[1] == "Le ministre chargé de la culture ;"
    # Not the twenty-one other ministers, nor another item quoted beside it.
    assert not any("affaires étrangères" in s or "recherche" in s for s in said)


@pytest.mark.parametrize(
    "question",
    [
        "Quels ministres composent le comité interministériel de lutte contre les drogues ?",
        "Qui sont les membres du comité interministériel ?",
    ],
)
def test_who_sits_on_a_body_is_answered_by_its_list(seeded: Assistant, question: str) -> None:
    # Was « Le Premier ministre peut confier la présidence du comité … ».
    said = sentences(seeded, question)
    assert said[0].startswith("Le comité comprend, sous la présidence du Premier ministre :")


@pytest.mark.parametrize(
    ("question", "opening", "item"),
    [
        (
            "Un tribunal peut-il condamner quelqu'un à un stage sur la maltraitance animale ?",
            "Les stages que peut prononcer la juridiction sont :",
            "maltraitance animale",
        ),
        (
            "Les équipes de réduction des risques doivent-elles parler aux usagers des "
            "vaccins, comme celui contre le tétanos ?",
            "L'information porte sur :",
            "Les vaccinations, notamment anti-VHB, anti-tétanique",
        ),
        (
            # « MSA » is in the glossary: the text says « Mutualité sociale agricole ».
            "La MSA est-elle représentée au conseil d'orientation du fonds de lutte contre "
            "les addictions ?",
            "Deux représentants de l'assurance maladie :",
            "Mutualité sociale agricole",
        ),
    ],
)
def test_an_item_that_answers_comes_first_after_its_list_opening(
    seeded: Assistant, question: str, opening: str, item: str
) -> None:
    said = sentences(seeded, question)
    assert said[0] == opening, said
    assert item in said[1], said


def test_a_list_is_narrowed_only_to_items_told_apart() -> None:
    text = "Le comité comprend :\n\n1° Le ministre A ;\n\n2° Le ministre B ;\n\n3° Le ministre C ;"
    text += "\n\n4° Le ministre de la culture."
    unit = _Candidate(0, 0, len(text), text)
    stems = FrenchAnalyzer().stems
    key = {"cultur": 4.8, "ministr": 2.7, "comit": 2.7}
    parts = narrowed(unit, key, stems)
    assert [p.text for p in parts] == ["Le comité comprend :", "Le ministre de la culture."]
    assert all(text[p.start : p.end] == p.text for p in parts)  # spans of the passage
    # A term every item holds tells none apart; a short list reads whole.
    assert narrowed(unit, {"ministr": 2.7}, stems) == [unit]
    short = "Le comité comprend :\n\n1° Le ministre A ;\n\n2° Le ministre de la culture."
    assert narrowed(_Candidate(0, 0, len(short), short), key, stems) == [
        _Candidate(0, 0, len(short), short)
    ]
