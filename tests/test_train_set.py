"""The training set (evals/train.jsonl) for the passage reranker and the answer-sentence selector.

Checked against the corpus files (spans are copied from them), against its own minimums
(coverage of every document, mix of kinds and question types), and against the test set
evals/gold.jsonl: no training question may repeat a test question.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.ingest.corpus import discover
from assistant.search.prepare import prepare

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
TRAIN = REPO / "evals" / "train.jsonl"
GOLD = REPO / "evals" / "gold.jsonl"

KINDS = {"factual", "paraphrase", "out_of_scope"}
QTYPES = {"yesno", "definition", "quantity", "date", "who", "other"}
PERSONAS = {"gp", "lead", "maintainer"}
SEED_DOCS = {
    "mildt-lettre-mission-reseaux-2000",
    "mildt-note-chefs-de-projet-orientations-2010",
    "coordination-toxicomanie-anderlecht",
    "riahn-bulletin-travail-en-reseau",
    "dgs-instruction-usagers-crack-2022",
}
MAX_SPAN = 150
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def norm(text: str) -> str:
    """Whitespace (including no-break spaces) and case are not meaningful."""
    return re.sub(r"\s+", " ", text.translate(_APOSTROPHES)).strip().lower()


def load_rows(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ROWS = load_rows(TRAIN)
ANSWERED = [r for r in ROWS if r["kind"] != "out_of_scope"]


def doc_files() -> dict[str, Path]:
    return {
        p.stem: p for p in CORPUS.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md"
    }


@pytest.fixture(scope="module")
def lines_by_doc() -> dict[str, list[str]]:
    """doc_id -> normalised lines of the raw file: a span never crosses a line break."""
    return {
        d: [norm(line) for line in p.read_text(encoding="utf-8").splitlines()]
        for d, p in doc_files().items()
    }


@pytest.fixture(scope="module")
def chunks_by_doc() -> dict[str, list[str]]:
    """doc_id -> normalised chunk texts, as the index would cut them."""
    return {e.doc_id: [norm(c.text) for c in prepare(e).chunks] for e in discover(CORPUS).entries}


def test_rows_are_well_formed() -> None:
    assert len(ROWS) >= 200
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), "ids en double"
    for r in ROWS:
        assert set(r) == {"id", "question", "persona", "kind", "qtype", "expected"}, r["id"]
        assert r["question"].strip(), r["id"]
        assert r["kind"] in KINDS, r["id"]
        assert r["qtype"] in QTYPES, r["id"]
        assert r["persona"] in PERSONAS, r["id"]
        ex = r["expected"]
        assert set(ex) == {"doc_ids", "passage_contains", "answer_contains"}, r["id"]
        if r["kind"] == "out_of_scope":
            assert ex == {"doc_ids": [], "passage_contains": [], "answer_contains": []}, r["id"]
        else:
            assert ex["doc_ids"] and ex["passage_contains"] and ex["answer_contains"], r["id"]


def test_questions_are_unique() -> None:
    questions = Counter(norm(r["question"]) for r in ROWS)
    assert [q for q, n in questions.items() if n > 1] == []


def test_no_question_of_the_test_set() -> None:
    gold = {norm(r["question"]) for r in load_rows(GOLD)}
    gold |= {norm(t) for r in load_rows(GOLD) for t in r.get("turns", []) if isinstance(t, str)}
    leaked = [r["id"] for r in ROWS if norm(r["question"]) in gold]
    assert leaked == [], f"questions du jeu de test reprises : {leaked}"


def test_counts_meet_the_minimums() -> None:
    kinds = Counter(r["kind"] for r in ROWS)
    qtypes = Counter(r["qtype"] for r in ROWS)
    assert kinds["paraphrase"] >= 60
    assert kinds["out_of_scope"] >= 15
    assert qtypes["yesno"] >= 25
    assert qtypes["definition"] >= 25
    assert qtypes["quantity"] + qtypes["date"] + qtypes["who"] >= 25
    assert {r["persona"] for r in ROWS} == PERSONAS


def test_every_document_is_covered_and_balanced() -> None:
    covered = Counter(d for r in ANSWERED for d in r["expected"]["doc_ids"])
    assert set(doc_files()) - set(covered) == set(), "documents sans question"
    on_seed = sum(1 for r in ANSWERED if set(r["expected"]["doc_ids"]) <= SEED_DOCS)
    share = on_seed / len(ANSWERED)
    assert 0.4 <= share <= 0.6, f"part des documents d'origine : {share:.0%}"


@pytest.mark.parametrize("row", ANSWERED, ids=lambda r: r["id"])
def test_spans_are_copied_from_the_documents(row: dict, lines_by_doc) -> None:
    ex = row["expected"]
    for d in ex["doc_ids"]:
        assert d in lines_by_doc, f"{row['id']}: document inconnu {d}"
    for span in ex["passage_contains"] + ex["answer_contains"]:
        assert "\n" not in span and len(span) <= MAX_SPAN, f"{row['id']}: {span!r}"
        assert any(norm(span) in line for d in ex["doc_ids"] for line in lines_by_doc[d]), (
            f"{row['id']}: span absent des documents (ou à cheval sur deux lignes) : {span!r}"
        )


@pytest.mark.parametrize("row", ANSWERED, ids=lambda r: r["id"])
def test_passage_spans_fit_in_one_chunk(row: dict, chunks_by_doc) -> None:
    """A positive passage for the reranker must be a real chunk of the index."""
    ex = row["expected"]
    for span in ex["passage_contains"]:
        assert any(norm(span) in c for d in ex["doc_ids"] for c in chunks_by_doc[d]), (
            f"{row['id']}: span de passage absent de tout chunk : {span!r}"
        )
