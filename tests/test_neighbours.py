"""What the chunker cut from an answer's sentences is read from the chunk next to them.

A list that says how many items it has is given them all. An answer whose first
sentence opens on a pronoun (« Celui-ci fait procéder … ») is read with the sentence the
pronoun stands for, even when the chunker left that sentence at the end of the chunk
before (third fresh-user test: « Celui-ci » nothing explained; one modality of two)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.neighbours import items_missing, leans_on_what_precedes
from tests.test_answer import answer_sentences


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("Celui-ci fait procéder dans les meilleurs délais à l'examen médical.", True),
        ("Il informe l'autorité judiciaire de l'évolution de la situation.", True),
        ("Elles sont financées par l'assurance maladie.", True),
        ("Ce dernier en informe le procureur.", True),
        # Impersonal « il »: nothing before is needed.
        ("Il existe actuellement environ 96 réseaux recensés.", False),
        ("Il vous appartient de veiller à la cohérence des actions.", False),
        ("Il est créé un comité interministériel.", False),
        # A demonstrative or a connective names enough to be read alone.
        ("Ces distances sont calculées selon la ligne droite au sol.", False),
        ("Toutefois, le patient peut s'y opposer.", False),
        ("Le médecin relais est chargé de la mise en œuvre de la mesure.", False),
    ],
)
def test_which_sentences_cannot_be_read_alone(sentence: str, leans: bool) -> None:
    assert leans_on_what_precedes(sentence) is leans


@pytest.mark.parametrize(
    "question",
    [
        "Comment le médecin relais est-il désigné ?",
        "Qui habilite le psychologue qui réalise l'évaluation de l'injonction thérapeutique ?",
    ],
)
def test_a_pronoun_opening_a_chunk_comes_with_the_sentence_it_stands_for(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    at = next(i for i, s in enumerate(sentences) if s.startswith("Celui-ci fait procéder"))
    assert at > 0
    assert sentences[at - 1].endswith(
        "elle en informe le directeur général de l'agence régionale de santé."
    )
    # Each sentence is quoted under the passage it comes from: here two chunks of L3413-1.
    for c in ans.citations:
        assert all(s in c.text for s in c.sentences)
    cited = [c.section for c in ans.citations if set(c.sentences) & set(sentences[at - 1 : at + 1])]
    assert cited == ["Article L3413-1", "Article L3413-1"]


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        (
            "Elle est effectuée selon deux modalités :\n\n- soit à titre de stagiaire ;",
            1,
        ),
        ("Il faut remplir trois conditions :\n\n1° être majeur ;\n\n2° résider en France ;", 1),
        ("Deux représentants de l'assurance maladie :\n\n-le directeur général, dit-on ;", 1),
        # A list that does not say its length, or that is given whole.
        ("Les centres assurent :\n\n1° L'accueil ;", 0),
        ("Selon deux modalités :\n\n- soit ceci ;\n\n- soit cela.", 0),
        ("Il y a deux choses : la première ;", 0),
    ],
)
def test_how_many_items_of_an_announced_list_a_sentence_leaves_out(
    sentence: str, missing: int
) -> None:
    assert items_missing(sentence) == missing


def test_a_list_the_chunker_cut_is_given_as_many_items_as_it_announces(
    seeded: Assistant,
) -> None:
    # « … selon deux modalités : - soit à titre de stagiaire ; » closes a chunk; the
    # second modality opens the next one.
    ans = seeded.ask(
        "Comment peut être effectuée la formation pratique de la capacité d'addictologie ?"
    )
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    at = next(i for i, s in enumerate(sentences) if s.endswith("soit à titre de stagiaire ;"))
    assert sentences[at + 1].startswith("soit à titre de thérapeute")
    for c in ans.citations:
        assert all(s in c.text for s in c.sentences)


def test_who_may_is_answered_with_the_whole_list_the_chunker_cut(seeded: Assistant) -> None:
    # Sixth fresh-user test: only « 2° Les organismes de prévention sanitaire habilités … »,
    # which shares the question's words, was quoted; the CeGIDD (1°, in the chunk before,
    # after the sentence that opens the list) and the CSAPA (3°) may deliver them too.
    ans = seeded.ask("Qui a le droit de délivrer des autotests VIH ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith("Par dérogation") and sentences[0].endswith("délivrés par :")
    assert sentences[1].startswith("Les centres gratuits d'information")
    assert sentences[2].startswith("Les organismes de prévention sanitaire")
    assert sentences[3].startswith("Les centres de soins, d'accompagnement et de prévention")
    assert {c.doc_id for c in ans.citations} == {"csp-l3121-2-2"}
    # A yes/no question is answered by its item, not the list.
    ans = seeded.ask("Un CSAPA peut-il délivrer des autotests VIH ?")
    assert "Les centres gratuits d'information" not in ans.answer


def test_an_answer_that_only_opens_a_list_is_given_its_items(seeded: Assistant) -> None:
    # Seventh fresh-user test: « Les stages que peut prononcer la juridiction sont : »
    # was the whole answer; the chunker had put the eight stages in the next chunk.
    ans = seeded.ask("Quels stages peut prononcer la juridiction ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0] == "Les stages que peut prononcer la juridiction sont :"
    assert sentences[1].startswith("Le stage de citoyenneté")
    assert any("dangers de l'usage de produits stupéfiants" in s for s in sentences[2:])
