"""The gold set is checked against the corpus: a corpus edit that breaks a span fails here."""

from collections import Counter
from pathlib import Path

import pytest

from assistant.corpus import discover
from assistant.indexing import prepare
from evals.metrics import normalize
from evals.runner import DEFAULT_GOLD, GoldItem, load_gold
from tests.conftest import CORPUS

ITEMS = load_gold(DEFAULT_GOLD)


@pytest.fixture(scope="module")
def docs() -> dict[str, tuple[str, list[str]]]:
    """doc_id -> (normalised cleaned text, normalised chunk texts)."""
    out = {}
    for entry in discover(CORPUS).entries:
        doc = prepare(entry)
        out[entry.doc_id] = (normalize(doc.text), [normalize(c.text) for c in doc.chunks])
    return out


def test_gold_set_shape() -> None:
    kinds = Counter(i.kind for i in ITEMS)
    assert len(ITEMS) >= 60
    assert kinds["paraphrase"] >= 15 and kinds["multi_doc"] >= 5 and kinds["out_of_scope"] >= 8
    assert kinds["follow_up"] >= 1 and all(i.turns for i in ITEMS if i.kind == "follow_up")
    assert {i.persona for i in ITEMS} == {"gp", "lead", "maintainer"}
    assert all(len(i.doc_ids) >= 2 for i in ITEMS if i.kind == "multi_doc")
    english = [i for i in ITEMS if i.kind == "out_of_scope" and i.question.startswith("What")]
    assert english


@pytest.mark.parametrize("item", [i for i in ITEMS if i.kind != "out_of_scope"], ids=lambda i: i.id)
def test_spans_exist_in_the_corpus(item: GoldItem, docs) -> None:
    for doc_id in item.doc_ids:
        assert doc_id in docs, f"{item.id}: unknown document {doc_id}"
    for span in item.passage_contains:
        # Whole inside one chunk, or no passage could ever match it.
        assert any(normalize(span) in chunk for d in item.doc_ids for chunk in docs[d][1]), (
            f"{item.id}: passage span not found in one chunk: {span!r}"
        )
    for span in item.answer_contains:
        assert any(normalize(span) in docs[d][0] for d in item.doc_ids), (
            f"{item.id}: answer span not in its documents: {span!r}"
        )
    if item.kind == "multi_doc":
        hit = {
            d
            for d in item.doc_ids
            for s in item.passage_contains
            if any(normalize(s) in c for c in docs[d][1])
        }
        assert len(hit) >= 2, f"{item.id}: relevant passages in only one document"


def test_load_gold_rejects_bad_lines(tmp_path: Path) -> None:
    from assistant import InputError

    bad = tmp_path / "g.jsonl"
    bad.write_text(
        '{"id": "x", "question": "q", "persona": "gp", "kind": "trivia",'
        ' "expected": {"doc_ids": [], "passage_contains": [], "answer_contains": []}}\n'
    )
    with pytest.raises(InputError, match=r"g\.jsonl:1 : kind inconnu"):
        load_gold(bad)
