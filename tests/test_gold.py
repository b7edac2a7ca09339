"""The gold set is checked against the corpus: a corpus edit that breaks a span fails here."""

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant import InputError
from assistant.ingest.corpus import discover
from assistant.search.prepare import prepare
from evals.metrics import normalize
from evals.runner import DEFAULT_GOLD, TAGS, GoldItem, load_gold
from tests.conftest import CORPUS

ITEMS = load_gold(DEFAULT_GOLD)
LEGAL_TYPES = {"code", "loi", "decret", "arrete"}
MULTI_TURN = [i for i in ITEMS if i.turns]


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
    tags = Counter(t for i in ITEMS for t in i.tags)
    assert len(ITEMS) >= 250
    assert kinds["paraphrase"] >= 80 and kinds["multi_doc"] >= 5 and kinds["out_of_scope"] >= 8
    assert tags["legal"] >= 60 and tags["yesno"] >= 20 and tags["definition"] >= 20
    assert kinds["follow_up"] >= 1 and all(i.turns for i in ITEMS if i.kind == "follow_up")
    assert {i.persona for i in ITEMS} == {"gp", "lead", "maintainer"}
    assert all(len(i.doc_ids) >= 2 for i in ITEMS if i.kind == "multi_doc")
    english = [i for i in ITEMS if i.kind == "out_of_scope" and i.question.startswith("What")]
    assert english
    assert len({normalize(i.question) for i in ITEMS if not i.turns}) == len(
        [i for i in ITEMS if not i.turns]
    ), "the same single question twice"


def test_multi_turn_items_mix_the_three_readings() -> None:
    """Real follow-ups, standalone questions asked after other turns, off-topic ones."""
    dependent = [i for i in MULTI_TURN if i.depends_on_history]
    standalone = [i for i in MULTI_TURN if not i.depends_on_history and i.kind != "out_of_scope"]
    off_topic = [i for i in MULTI_TURN if i.kind == "out_of_scope"]
    assert len(MULTI_TURN) >= 30
    assert len(dependent) >= 10 and len(standalone) >= 5 and len(off_topic) >= 5
    assert all(i.kind == "follow_up" for i in dependent)
    assert all("conversation" in i.tags for i in MULTI_TURN)
    for item in MULTI_TURN:
        assert all(t["role"] == "user" and t["content"].strip() for t in item.turns), item.id
        previous = {normalize(t["content"]) for t in item.turns}
        assert normalize(item.question) not in previous, f"{item.id}: question repeats a turn"


def test_legal_items_are_on_legal_texts() -> None:
    types = {e.doc_id: e.meta.type for e in discover(CORPUS).entries}
    legal = [i for i in ITEMS if "legal" in i.tags]
    for item in legal:
        # Answered by a legal text (a circular may say the same thing as well).
        assert any(types[d] in LEGAL_TYPES for d in item.doc_ids), item.id


@pytest.mark.parametrize("item", [i for i in ITEMS if i.kind != "out_of_scope"], ids=lambda i: i.id)
def test_spans_exist_in_the_corpus(item: GoldItem, docs: dict[str, tuple[str, list[str]]]) -> None:
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
    # A right answer can be made of a relevant passage: some answer span lies whole inside
    # a chunk that holds a passage span.
    relevant = [
        chunk
        for d in item.doc_ids
        for chunk in docs[d][1]
        if any(normalize(s) in chunk for s in item.passage_contains)
    ]
    assert any(normalize(a) in chunk for a in item.answer_contains for chunk in relevant), (
        f"{item.id}: no answer span inside a relevant passage"
    )
    if item.kind == "multi_doc":
        hit = {
            d
            for d in item.doc_ids
            for s in item.passage_contains
            if any(normalize(s) in c for c in docs[d][1])
        }
        assert len(hit) >= 2, f"{item.id}: relevant passages in only one document"


def test_out_of_scope_items_expect_nothing() -> None:
    for item in (i for i in ITEMS if i.kind == "out_of_scope"):
        assert not (item.doc_ids or item.passage_contains or item.answer_contains), item.id
        assert not item.depends_on_history, item.id


def _row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "x",
        "question": "Qu'est-ce qu'un CSAPA ?",
        "persona": "gp",
        "kind": "factual",
        "expected": {"doc_ids": ["d"], "passage_contains": ["p"], "answer_contains": ["a"]},
    }
    row.update(over)
    return row


def _load(tmp_path: Path, *rows: dict[str, object]) -> list[GoldItem]:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return load_gold(path)


def test_load_gold_rejects_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text(
        '{"id": "x", "question": "q", "persona": "gp", "kind": "trivia",'
        ' "expected": {"doc_ids": [], "passage_contains": [], "answer_contains": []}}\n'
    )
    with pytest.raises(InputError, match=r"g\.jsonl:1 : kind inconnu"):
        load_gold(bad)
    with pytest.raises(InputError, match="tag inconnu « legl »"):
        _load(tmp_path, _row(tags=["legl"]))
    with pytest.raises(InputError, match="depends_on_history sans tours"):
        _load(tmp_path, _row(expected={**_row()["expected"], "depends_on_history": True}))  # type: ignore[dict-item]
    with pytest.raises(InputError, match="ligne invalide"):
        _load(tmp_path, _row(turns=[{"role": "user", "content": " "}]))
    with pytest.raises(InputError, match="ligne invalide"):
        _load(tmp_path, _row(expected={**_row()["expected"], "depends_on_history": "yes"}))  # type: ignore[dict-item]
    with pytest.raises(InputError, match="conversation suppose des tours"):
        _load(tmp_path, _row(tags=["conversation"]))


def test_load_gold_is_backward_compatible(tmp_path: Path) -> None:
    turns = [{"role": "user", "content": "Qu'est-ce que l'intervision ?"}]
    old, follow, standalone, tagged = _load(
        tmp_path,
        _row(id="a"),
        _row(id="b", kind="follow_up", question="Et qui la demande ?", turns=turns),
        _row(id="c", turns=turns, expected={**_row()["expected"], "depends_on_history": False}),  # type: ignore[dict-item]
        _row(id="d", tags=["legal", "definition"]),
    )
    assert old.tags == [] and old.turns == [] and old.depends_on_history is False
    # A follow_up without the flag depends on the conversation, as before the flag existed.
    assert follow.depends_on_history is True and follow.tags == ["conversation"]
    assert standalone.depends_on_history is False and standalone.tags == ["conversation"]
    assert tagged.tags == ["legal", "definition"] and set(tagged.tags) <= set(TAGS)
