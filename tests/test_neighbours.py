"""What the chunker cut from an answer's sentences is read from the chunk next to them.

A list that says how many items it has is given them all. An answer whose first
sentence opens on a pronoun (« Celui-ci fait procéder … ») is read with the sentence the
pronoun stands for, even when the chunker left that sentence at the end of the chunk
before (third fresh-user test: « Celui-ci » nothing explained; one modality of two)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.answer_text import joined_answer
from assistant.answer.neighbours import (
    _joined,
    items_missing,
    leans_on_what_precedes,
    with_item_markers,
)
from assistant.answer.sentence_scoring import _Candidate
from assistant.search.retrieval import Passage
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
    # Its marker kept, as the first modality's (« - soit à titre de stagiaire ; »).
    assert sentences[at + 1].startswith("- soit à titre de thérapeute")
    for c in ans.citations:
        assert all(s in c.text for s in c.sentences)


def test_who_may_is_answered_with_the_whole_list_the_chunker_cut(seeded: Assistant) -> None:
    # Sixth fresh-user test: only « 2° Les organismes de prévention sanitaire habilités … »,
    # which shares the question's words, was quoted; the CeGIDD (1°, in the chunk before,
    # after the sentence that opens the list) and the CSAPA (3°) may deliver them too.
    ans = seeded.ask("Qui a le droit de délivrer des autotests VIH ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith("Par dérogation") and sentences[0].endswith("délivrés par :")
    # The items keep their markers: a list quoted in order reads as the law's.
    assert sentences[1].startswith("1° Les centres gratuits d'information")
    assert sentences[2].startswith("2° Les organismes de prévention sanitaire")
    assert sentences[3].startswith("3° Les centres de soins, d'accompagnement et de prévention")
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
    assert sentences[1].startswith("1° Le stage de citoyenneté")
    assert any("dangers de l'usage de produits stupéfiants" in s for s in sentences[2:])


def test_a_list_quoted_whole_is_given_its_end_from_the_next_chunk(seeded: Assistant) -> None:
    # Fifteenth fresh-user test: the CAARUD's missions stopped at « 4° … ; », the last
    # item of its chunk; « 5° L'intervention de proximité … » opens the next one.
    ans = seeded.ask("Quelles sont les missions d'un CAARUD ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith("Les centres d'accueil et d'accompagnement")
    assert sentences[-1].startswith("5° L'intervention de proximité à l'extérieur du centre")
    # The list's end is cited with its beginning: one source, the article's text.
    cited = [c for c in ans.citations if c.doc_id == "csp-d3121-33-a-d3121-33-6"]
    assert len(cited) == 1
    assert "4° La mise à disposition" in cited[0].text and "5° L'intervention" in cited[0].text
    for c in ans.citations:
        assert all(s in c.text for s in c.sentences)


def test_a_definition_that_ends_on_alternatives_gives_them_all(seeded: Assistant) -> None:
    # Fifteenth fresh-user test: the care team's definition stopped after « 1° Soit … ; »,
    # which read as if a shared workplace were required; 2° and 3° are the next chunk.
    ans = seeded.ask("Qu'est-ce qu'une équipe de soins au sens du code de la santé publique ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].endswith("et qui :")
    assert [s[:9] for s in sentences[1:4]] == ["1° Soit e", "2° Soit s", "3° Soit e"]
    assert [c.doc_id for c in ans.citations] == ["csp-l1110-12"]


_LIST = (
    "Les centres assurent :\n\n1° L'accueil collectif des usagers de drogues ;\n\n"
    "2° Le soutien aux usagers dans l'accès aux soins ;\n\n3° La mise à disposition de "
    "matériel de prévention ;\n\n4° L'intervention de proximité auprès des usagers."
)


def _unit(text: str, sentence: str, passage_index: int = 0) -> _Candidate:
    start = text.index(sentence)
    return _Candidate(passage_index, start, start + len(sentence), sentence)


@pytest.mark.parametrize(
    ("quoted", "shown"),
    [
        # In order, one after the other: each item with its marker.
        (
            ["Les centres assurent :", "L'accueil", "Le soutien"],
            ["Les centres assurent :", "1° L'accueil", "2° Le soutien"],
        ),
        (["L'accueil", "Le soutien"], ["1° L'accueil", "2° Le soutien"]),
        # An item quoted alone, or apart from the one before it, reads without it.
        (["Le soutien"], ["Le soutien"]),
        (["Les centres assurent :", "La mise"], ["Les centres assurent :", "La mise"]),
        (["L'accueil", "La mise"], ["L'accueil", "La mise"]),
    ],
)
def test_list_items_quoted_in_order_keep_their_markers(quoted: list[str], shown: list[str]) -> None:
    sentences = {
        "Les centres assurent :": "Les centres assurent :",
        "L'accueil": "L'accueil collectif des usagers de drogues ;",
        "Le soutien": "Le soutien aux usagers dans l'accès aux soins ;",
        "La mise": "La mise à disposition de matériel de prévention ;",
    }
    passage = Passage("c0", _LIST, {"doc_id": "d"}, 0.0)
    chosen = [_unit(_LIST, sentences[q]) for q in quoted]
    out = with_item_markers(chosen, [passage])
    marked = [f"{s[: -len(q)]}{sentences[q]}" for q, s in zip(quoted, shown, strict=True)]
    assert [c.text for c in out] == marked
    # Each unit is still the passage's own text at its span (the chat highlights it).
    assert all(_LIST[c.start : c.end] == c.text for c in out)


_LONG_ITEMS = (
    "Le procureur peut :\n\n1° Adresser un avertissement. Cet avertissement est écrit ;\n\n"
    "2° Orienter l'auteur des faits. Cette mesure peut consister en un stage ;\n\n"
    "3° Demander la réparation du dommage."
)


@pytest.mark.parametrize(
    ("quoted", "shown"),
    [
        # Each item's first sentence, its others left out: the markers stay.
        (["Le procureur peut :", "Adresser un avertissement.", "Orienter l'auteur des faits.",
          "Demander la"], ["Le procureur", "1° Adresser", "2° Orienter", "3° Demander"]),
        # Out of the list's order, the second keeps no marker.
        (["Orienter l'auteur des faits.", "Adresser un avertissement."],
         ["Orienter l'", "Adresser un"]),
    ],
)  # fmt: skip
def test_items_whose_other_sentences_are_left_out_keep_their_markers(
    quoted: list[str], shown: list[str]
) -> None:
    passage = Passage("c0", _LONG_ITEMS, {"doc_id": "d"}, 0.0)
    chosen = [_unit(_LONG_ITEMS, q) for q in quoted]
    out = with_item_markers(chosen, [passage])
    assert [c.text[: len(s)] for c, s in zip(out, shown, strict=True)] == shown


def test_an_item_that_opens_the_next_chunk_keeps_its_marker_after_the_list() -> None:
    first = "Les centres assurent :\n\n1° L'accueil collectif des usagers de drogues ;"
    second = "2° Le soutien aux usagers dans l'accès aux soins.\n\nIls développent des actions."
    read = [Passage("c0", first, {"doc_id": "d"}, 0.0), Passage("c1", second, {"doc_id": "d"}, 0.0)]
    chosen = [
        _unit(first, "L'accueil collectif des usagers de drogues ;"),
        _unit(second, "Le soutien aux usagers dans l'accès aux soins.", 1),
    ]
    out = with_item_markers(chosen, read)
    assert [c.text[:12] for c in out] == ["1° L'accueil", "2° Le soutie"]


@pytest.mark.parametrize(
    ("first", "after", "pages"),
    [
        # The next chunk runs over two pages: the joined passage ends on its last.
        ({"page": 1}, {"page": 2, "page_end": 3}, 3),
        # On one page, after this one's.
        ({"page": 1}, {"page": 2}, 2),
        # Both on the same page: no range.
        ({"page": 1}, {"page": 1}, None),
    ],
)
def test_a_list_end_joined_to_its_passage_spans_both_chunks_pages(
    first: dict[str, int], after: dict[str, int], pages: int | None
) -> None:
    a = Passage("c0", "Les centres assurent :\n\n1° L'accueil ;", {"doc_id": "d", **first}, 0.0)
    b = Passage("c1", "2° Le soutien.", {"doc_id": "d", **after}, 0.0)
    joined, offset = _joined(a, b)
    assert joined.text[offset:] == b.text and joined.text.startswith(a.text)
    assert joined.metadata.get("page_end") == pages
    assert joined.chunk_id == "c0"


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        # A list's items each on a line of their own, and the sentence after the list.
        (["Les centres assurent : [1]", "1° L'accueil ; [1]", "2° Le soutien. [1]", "Autre. [2]"],
         "Les centres assurent : [1]\n\n1° L'accueil ; [1]\n\n2° Le soutien. [1]\n\nAutre. [2]"),
        # An item whose marker the selection left out still ends on « ; ».
        (["Le ministre chargé de la santé ; [1]", "Le ministre chargé des sports ; [1]"],
         "Le ministre chargé de la santé ; [1]\n\nLe ministre chargé des sports ; [1]"),
        # A unit that holds items, then a sentence.
        (["Elle vise :\n\n1° La prévention ;\n\n2° Les accidents. [1]", "Suite. [1]"],
         "Elle vise :\n\n1° La prévention ;\n\n2° Les accidents. [1]\n\nSuite. [1]"),
        # Sentences of prose follow on one line.
        (["Le stage dure un mois. [1]", "Il est payant. [1]", "Voir aussi. [2]"],
         "Le stage dure un mois. [1] Il est payant. [1] Voir aussi. [2]"),
    ],
)  # fmt: skip
def test_the_answer_sets_a_list_s_items_on_lines_of_their_own(parts: list[str], text: str) -> None:
    assert joined_answer(parts) == text
