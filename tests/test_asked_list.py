"""« Quels stages … ? » asks for a list: the sentence that opens it comes first and its
items follow, all of them (search/asked_list.py)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.search.asked_list import asked_items, counted_items, list_opening_head
from tests.test_answer import answer_sentences


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Quels stages le tribunal peut-il imposer à la place de la prison ?", "stages"),
        ("Quelles sont les missions d'un CAARUD ?", "missions"),
        ("Quels sont les différents types de stages ?", "stages"),
        ("Et quelles sont leurs missions ?", "missions"),
        ("Liste des membres du comité interministériel", "membres"),
        ("Citez les actions de réduction des risques", "actions"),
        ("Qui sont les membres du conseil d'orientation stratégique ?", "membres"),
        # As typed in a search box: a bare plural noun and what it is of.
        ("Missions d'un CAARUD ?", "missions"),
        ("Membres du comité interministériel", "membres"),
        ("Plus de détails sur le comité ?", ""),
        # One thing, a figure, or no noun to list.
        ("Quel stage peut être ordonné ?", ""),
        ("Quelle est la peine encourue ?", ""),
        ("Quels sont les plus grands risques ?", ""),
        ("Combien de ministres siègent au comité ?", ""),  # counted_items
        ("Qu'est-ce qu'un CAARUD ?", ""),
    ],
)
def test_the_things_a_question_asks_to_be_listed(question: str, noun: str) -> None:
    assert asked_items(question) == noun


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Combien de ministres siègent au comité ?", "ministres"),
        ("Combien y a-t-il de représentants d'associations au conseil ?", "représentants"),
        ("Et combien de membres ?", "membres"),
        # A measure is counted by no list; nor is one thing asked.
        ("Combien de jours dure la mesure ?", ""),
        ("Combien d'euros coûte le stage ?", ""),
        ("Combien de fois peut-on renouveler la mesure ?", ""),
        ("Combien coûte le stage ?", ""),
        ("Quels ministres siègent au comité ?", ""),
    ],
)
def test_the_things_a_question_counts(question: str, noun: str) -> None:
    assert counted_items(question) == noun


@pytest.mark.parametrize(
    ("sentence", "head"),
    [
        ("Les stages que peut prononcer la juridiction sont :", "Les stages que peut prononcer "
         "la juridiction sont "),
        ("Le comité comprend, sous la présidence du Premier ministre :\n\n1° Le ministre des "
         "affaires étrangères ;", "Le comité comprend, sous la présidence du Premier ministre "),
        ("Elle vise : - la prévention ;", "Elle vise "),
        # A colon inside a sentence that opens no list.
        ("Le délai est fixé à : six mois après la condamnation.", ""),
        ("Le stage est exécuté dans un délai de six mois.", ""),
    ],
)  # fmt: skip
def test_the_head_of_a_sentence_that_opens_a_list(sentence: str, head: str) -> None:
    assert list_opening_head(sentence) == head


def test_the_stages_a_court_may_order_are_listed_all(seeded: Assistant) -> None:
    # Sixteenth fresh-user test: answered with the article's first sentence on « un
    # stage », its cost and its deadline; the eight stages never came.
    ans = seeded.ask("Quels stages le tribunal peut-il imposer à la place de la prison ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0] == "Les stages que peut prononcer la juridiction sont :"
    assert sentences[1].startswith("1° Le stage de citoyenneté")
    assert sentences[8].startswith("8° Le stage de sensibilisation à la prévention")
    assert ans.citations[0].doc_id == "cp-131-5-1"
    # Each item on a line of its own.
    assert "\n\n2° Le stage de sensibilisation à la sécurité routière ;" in ans.answer


def test_the_committee_s_ministers_are_listed_all(seeded: Assistant) -> None:
    # Sixteenth fresh-user test: answered with who may preside when it examines
    # trafficking; the list of the 22 ministers was missing (cut by the chunker too).
    ans = seeded.ask("Quels ministres siègent au comité interministériel ?")
    assert ans.answer.startswith("Le comité comprend, sous la présidence du Premier ministre :")
    for item in ("1° Le ministre des affaires étrangères ;", "17° Le ministre chargé de la "
                 "recherche ;", "22° Le ministre chargé de la ville."):  # fmt: skip
        assert item in ans.answer
    assert ans.citations[0].doc_id == "csp-d3411-11-a-d3411-16"


def test_things_counted_nowhere_are_counted_by_their_list(seeded: Assistant) -> None:
    # Seventeenth fresh-user test: « Combien de ministres … ? » abstained, as no sentence
    # writes their number; the list of the 22, over two chunks, lets the reader count.
    ans = seeded.ask("Combien de ministres siègent au comité interministériel ?")
    assert not ans.abstained
    assert ans.answer.startswith("Le comité comprend, sous la présidence du Premier ministre :")
    assert ans.answer.index("1° Le ministre des affaires étrangères ;") < ans.answer.index(
        "22° Le ministre chargé de la ville."
    )


def test_a_number_written_is_the_answer_before_any_list(seeded: Assistant) -> None:
    # The sentence that writes the count answers; the council's other members do not.
    ans = seeded.ask(
        "Combien de représentants d'associations siègent au conseil d'orientation stratégique ?"
    )
    assert ans.answer.startswith("Cinq représentants d'associations")
    assert "Deux représentants de l'assurance maladie" not in ans.answer


def test_a_list_whose_items_are_chunks_of_their_own_is_given_by_each_item_s_opening(
    seeded: Assistant,
) -> None:
    # Sixteenth fresh-user test: the prosecutor's eleven measures (CPP 41-1) stopped at
    # the 1°: each item is a chunk, some go on in the next one. Each item's first
    # sentence comes, with its marker, in order; not the sentences an item goes on with.
    ans = seeded.ask(
        "Quelles mesures le procureur peut-il proposer avant de décider des poursuites ?"
    )
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].endswith("d'un délégué ou d'un médiateur du procureur de la République :")
    markers = [s.split(" ", 1)[0] for s in sentences[1:12]]
    assert markers == [f"{n}°" for n in range(1, 12)]
    assert (
        sentences[4]
        == "4° Demander à l'auteur des faits de réparer le dommage résultant de ceux-ci."
    )
    assert "Cet avertissement ne peut être adressé" not in ans.answer
    assert {c.doc_id for c in ans.citations} == {"cpp-41-1"}


@pytest.mark.parametrize(
    ("question", "opening", "last"),
    [
        # Seventeenth fresh-user test: the list's 5° was in the next chunk, after a 4°
        # that ends with a full stop and the sentences that go on with it.
        ("Quelles actions comprend la politique de réduction des risques et des dommages ?",
         "Sa mise en œuvre comprend et permet les actions visant à :", "5° Participer à l'analyse"),
        # The acronym typed as a bare noun phrase: the missions' list, whole (was
        # answered with the medicines CAARUD workers may deliver).
        ("Missions d'un CAARUD ?", "Les centres d'accueil et d'accompagnement à la réduction des "
         "risques pour usagers de drogues assurent :", "5° L'intervention de proximité"),
        # Members: a list of lists, over three chunks (seventeenth fresh-user test: the
        # 1° only, then the 3°), from its opening to the last of the ten directors.
        ("Qui sont les membres du conseil d'orientation stratégique du fonds de lutte contre "
         "les addictions ?", "Le conseil d'orientation stratégique du fonds de lutte contre "
         "les addictions liées aux substances psychoactives comprend :",
         "-le directeur général des outre-mer."),
        # An item of the list first: the list from its opening (the 1° was missing).
        ("Citez les structures qui peuvent délivrer des autotests VIH", "Par dérogation au 8° ",
         "3° Les centres de soins, d'accompagnement et de prévention en addictologie"),
    ],
)  # fmt: skip
def test_a_list_asked_for_comes_from_its_opening_to_its_last_item(
    seeded: Assistant, question: str, opening: str, last: str
) -> None:
    ans = seeded.ask(question)
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith(opening)
    assert last in ans.answer
    assert ans.answer.index(last) > ans.answer.index("1° ")
