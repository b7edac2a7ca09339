"""Train the sentence ranker of the extractive answer and write
``assistant/answer/sentence_ranker.json``.

    python -m evals.train_sentences [--piaf-index DIR] [--write]

The answer quotes the best-scoring sentences of the first passages the search returns
(assistant/answer/extractive.py). Here, for each training question, the search runs as in
``assistant ask`` (reranked mode), every sentence of the first passages gets its
SENTENCE_FEATURES, and a sentence is relevant when it holds an expected answer span:
``answer_contains`` for ``evals/train.jsonl`` (never the gold set), the volunteers' answer
for PIAF's training articles (never its evaluation ones) — within the paragraph the
question was written on, so that a date or a name found by chance elsewhere does not
count. The model is a pairwise logistic regression over each question's sentences, as
for the passage reranker (evals/train_reranker.py).

Cross-validation, grouped by question (5 folds), reports how often the first sentence
holds the answer (sentence@1) and MRR@10, for the hand-set weights of the first release
and for the learned ones. Then ``margin`` (how far below the best a sentence may score
and still be quoted with it) is chosen on the training questions of corpus/ by the sum of
the answer hit rate and the citation precision of the whole extractive answer, the two
figures of the evaluation gate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant import Settings, build_assistant
from assistant.answer.sentence_ranker import SENTENCE_FEATURES, SENTENCE_RANKER_FILE, SentenceModel
from assistant.search.retrieval import Passage

from .metrics import contains_any
from .train_reranker import TRAIN, Group, fit_pairwise, report

# Candidate margins, in the learned score's units (log-odds that the best sentence beats
# the other): from "only clear ties" to "anything not much worse".
MARGINS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)

# Features whose weight is set, not learned (see model_from), in cosine units.
POLICY = {"defining": 0.03, "form_definition": 0.25}

# (question id, question, passages, query vector) of one searched training question.
Searched = tuple[str, str, list[Passage], list[float]]


def search_all(settings: Settings, questions: Sequence[tuple[str, str]]) -> list[Searched]:
    a = build_assistant(settings)
    out: list[Searched] = []
    for qid, question in questions:
        passages, qvec = a.search(question, mode="reranked")
        out.append((qid, question, passages, list(qvec)))
    return out


def groups_for(
    settings: Settings,
    searched: Sequence[Searched],
    judge: Callable[[str, Passage, str], bool],
    source: str,
) -> list[Group]:
    """One group per question: its sentences' features, and which hold the answer
    (``judge(id, passage, sentence)``)."""
    answerer = build_assistant(settings).answerer()
    out: list[Group] = []
    for qid, question, passages, qvec in searched:
        units = answerer.sentence_features(question, passages, qvec)
        rows = [f for _, _, f in units]
        relevant = [judge(qid, passages[pi], text) for pi, text, _ in units]
        out.append(Group(qid, source, rows, relevant))
    return out


def load_train() -> list[dict[str, object]]:
    rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["kind"] != "out_of_scope"]


def piaf_material(index: Path, limit: int) -> tuple[Settings, list[Searched], Callable[..., bool]]:
    from . import piaf

    articles, questions = piaf.load_piaf(piaf.DEFAULT_DATA)
    train = piaf.split_questions(questions, "train")
    # Another draw than the reranker's (seed 0), so the two models see other questions.
    rng = np.random.default_rng(7)
    picked = [train[i] for i in sorted(rng.permutation(len(train))[:limit])]
    spans = piaf.paragraph_spans(index / "corpus", articles)
    by_id = {q.id: q for q in picked}
    settings = Settings(index_dir=index, corpus_dir=index / "corpus")
    searched = search_all(settings, [(q.id, q.question) for q in picked])

    def judge(qid: str, p: Passage, sentence: str) -> bool:
        q = by_id[qid]
        return piaf.passage_relevant(p, q, spans) and contains_any(sentence, q.answers)

    return settings, searched, judge


def model_from(groups: Sequence[Group], c: float) -> SentenceModel:
    learned = [f for f in SENTENCE_FEATURES if f not in POLICY]
    weights, mean, scale = fit_pairwise(groups, c, learned)
    # What the training questions cannot teach keeps the hand-set model's weight, in
    # cosine units: a follow-up's word (no training question is one), a definition
    # quoted from the text that defines the term, in its defining form, weighing as a
    # number does for « combien » in the hand-set model (issue 15:
    # « Qu'est-ce qu'un CSAPA ? » is answered by the law's definition, not by a sentence
    # that names CSAPA in passing; few training definitions have such a text).
    per_cosine = weights["sim"] / (scale["sim"] or 1.0)
    for name, cosine in POLICY.items():
        weights[name] = round(cosine * per_cosine, 6)
    focus = round(0.2 * per_cosine, 6)
    return SentenceModel(weights, mean, scale, focus=focus)


def ordered(model: SentenceModel, g: Group) -> list[bool]:
    scores = [model.score(r) for r in g.rows]
    order = sorted(range(len(g.rows)), key=lambda i: (-round(scores[i], 6), i))
    return [g.relevant[i] for i in order]


def cross_validate(
    groups: Sequence[Group], c: float, folds: int = 5
) -> dict[str, dict[str, float]]:
    idx = np.arange(len(groups))
    np.random.default_rng(1).shuffle(idx)
    hand = SentenceModel.hand_set()
    out: dict[str, dict[str, float]] = {}
    for source in sorted({g.source for g in groups}):
        before: list[list[bool]] = []
        after: list[list[bool]] = []
        for k in range(folds):
            test = {int(i) for i in idx[k::folds]}
            model = model_from([g for i, g in enumerate(groups) if i not in test], c)
            for i in test:
                g = groups[i]
                if g.source == source:
                    before.append(ordered(hand, g))
                    after.append(ordered(model, g))
        print(f"{source} (validation croisée, {folds} plis ; R@1 = sentence@1) :")
        out[source] = {"hand-set": report("hand-set", before), "learned": report("learned", after)}
    return out


def choose_margin(
    settings: Settings, searched: Sequence[Searched], model: SentenceModel
) -> tuple[float, dict[str, dict[str, float]]]:
    """The margin with the best answer hit + citation precision on the corpus training
    questions (whole extractive answers, confidence and abstention included)."""
    rows = {str(r["id"]): r for r in load_train()}
    answerer = build_assistant(settings).answerer()
    table: dict[str, dict[str, float]] = {}
    hand = SentenceModel.hand_set()
    for margin in (None, *MARGINS):
        answerer._sentence_model = hand if margin is None else replace(model, margin=margin)
        hits: list[float] = []
        precision: list[float] = []
        for qid, question, passages, qvec in searched:
            expected = rows[qid]["expected"]
            assert isinstance(expected, dict)
            ans = answerer.answer(question, passages, query_vector=qvec)
            hits.append(
                float(not ans.abstained and contains_any(ans.answer, expected["answer_contains"]))
            )
            if ans.citations:
                spans = expected["passage_contains"]
                precision.append(
                    sum(contains_any(c.text, spans) for c in ans.citations) / len(ans.citations)
                )
        table["hand-set" if margin is None else str(margin)] = {
            "answer_hit": round(float(np.mean(hits)), 3),
            "citation_precision": round(float(np.mean(precision)), 3) if precision else 0.0,
        }
        name = "hand-set" if margin is None else str(margin)
        print(f"  marge {name:<8} {table[name]}")
    best = max(MARGINS, key=lambda m: (sum(table[str(m)].values()), -m))
    return best, table


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    ap = argparse.ArgumentParser(
        description="Entraîne le classement des phrases (assistant/answer/sentence_ranker.json)."
    )
    ap.add_argument("--index", type=Path, default=Path("index"), help="index du corpus")
    ap.add_argument("--piaf-index", type=Path, help="index de tous les articles PIAF")
    ap.add_argument("--piaf-limit", type=int, default=1500)
    ap.add_argument("--c", type=float, default=0.1, help="inverse de la régularisation L2")
    ap.add_argument(
        "--write", action="store_true", help="écrit assistant/answer/sentence_ranker.json"
    )
    args = ap.parse_args(argv)

    settings = Settings(index_dir=args.index)
    train = load_train()
    spans = {str(r["id"]): r["expected"]["answer_contains"] for r in train}  # type: ignore[index]
    searched = search_all(settings, [(str(r["id"]), str(r["question"])) for r in train])
    groups = groups_for(
        settings, searched, lambda qid, _p, sentence: contains_any(sentence, spans[qid]), "corpus"
    )
    if args.piaf_index:
        piaf_settings, piaf_searched, judge = piaf_material(args.piaf_index, args.piaf_limit)
        groups += groups_for(piaf_settings, piaf_searched, judge, "piaf")
    found = [g for g in groups if any(g.relevant)]
    print(f"{len(groups)} questions, {len(found)} avec une phrase qui porte la réponse")
    cv = cross_validate(found, args.c)
    model = model_from(found, args.c)
    print("marge (questions d'entraînement de corpus/, réponse entière) :")
    model.margin, margins = choose_margin(settings, searched, model)
    model.info = {
        "trained_on": sorted({g.source for g in found}),
        "questions": len(found),
        "c": args.c,
        "cross_validation": cv,
        "margins": margins,
    }
    print("poids :", json.dumps(model.weights, ensure_ascii=False))
    print(f"marge retenue : {model.margin} ; focus : {model.focus}")
    if args.write:
        model.save(SENTENCE_RANKER_FILE)
        print(f"écrit : {SENTENCE_RANKER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
