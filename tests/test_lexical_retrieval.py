import datetime as dt
import shutil

import numpy as np

from assistant import Assistant, Filters, FrenchAnalyzer, LexicalIndex
from assistant.search.retrieval import Passage


def test_analyzer_splits_elisions_folds_accents_and_drops_stop_words() -> None:
    a = FrenchAnalyzer()
    assert a.analyze("L'usagère qu'on oriente") == a.analyze("usagere oriente")
    assert a.analyze("les réseaux de santé") == a.analyze("Reseau sante")
    assert "le" not in a.words("le secret d'un patient") and "secret" in a.words("le secret")
    assert a.analyze("Ai-je le droit ?") == ["droit"]


def test_bm25_is_rebuilt_from_chroma_alone(seeded: Assistant, tmp_path) -> None:
    saved = LexicalIndex.load(FrenchAnalyzer(), seeded.indexer.lexical_dir)
    assert saved is not None
    shutil.copytree(seeded.indexer.lexical_dir, tmp_path / "backup")
    shutil.rmtree(seeded.indexer.lexical_dir)
    try:
        rebuilt = seeded.indexer.refresh_lexical()
        assert rebuilt.fingerprint == saved.fingerprint
        assert sorted(rebuilt.ids) == sorted(saved.ids)
        q = "secret partagé loi du 4 mars 2002"
        a = dict(zip(saved.ids, saved.scores(q), strict=True))
        b = dict(zip(rebuilt.ids, rebuilt.scores(q), strict=True))
        assert all(np.isclose(a[k], b[k]) for k in a)
    finally:
        shutil.rmtree(seeded.indexer.lexical_dir, ignore_errors=True)
        shutil.copytree(tmp_path / "backup", seeded.indexer.lexical_dir)


def test_accentless_query_finds_accented_text(seeded: Assistant) -> None:
    hits = seeded.retriever(mode="bm25").search("secret partage loi mars 2002", k=3)
    assert any("secret partagé" in h.text for h in hits)


Q = "Comment se procurer un accompagnement physique lors des démarches administratives ?"


def _lists(seeded: Assistant) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The raw dense and BM25 rankings that fusion reads (before texts in force go first)."""
    lists = []
    for mode, attr in (("dense", "dense"), ("bm25", "lexical")):
        r = seeded.retriever(mode=mode)
        r.superseded_penalty = 1.0
        lists.append([(p.chunk_id, getattr(p, attr)) for p in r.search(Q, k=50)])
    return lists[0], lists[1]


def _penalty(seeded: Assistant, p: Passage) -> float:
    """Replaced and repealed texts rank behind texts in force: their fused score is scaled."""
    in_force = p.metadata.get("status", "en_vigueur") == "en_vigueur"
    return 1.0 if in_force else seeded.settings.superseded_penalty


def test_rrf_fusion(seeded: Assistant) -> None:
    dense, bm25 = _lists(seeded)
    r = seeded.retriever(mode="hybrid")
    r.fusion, r.dense_weight, r.lexical_weight = "rrf", 1.0, 1.0
    hybrid = r.search(Q, k=10)
    ids = [[c for c, _ in lst] for lst in (dense, bm25)]
    assert {p.chunk_id for p in hybrid} <= set(ids[0]) | set(ids[1])
    assert [p.rank for p in hybrid] == list(range(1, 11))
    assert all(p.dense is not None for p in hybrid)  # one scale for confidence
    for p in hybrid:  # reciprocal rank fusion, k = 60
        expected = sum(1 / (60 + lst.index(p.chunk_id) + 1) for lst in ids if p.chunk_id in lst)
        assert abs(p.score - expected * _penalty(seeded, p)) < 1e-9


def test_relative_score_fusion(seeded: Assistant) -> None:
    dense, bm25 = _lists(seeded)
    r = seeded.retriever(mode="hybrid")
    assert (r.fusion, r.dense_weight, r.lexical_weight) == ("relative", 0.4, 0.6)
    hybrid = r.search(Q, k=10)

    def scaled(lst: list[tuple[str, float]], cid: str) -> float:
        hi, lo = lst[0][1], lst[-1][1]
        return next(((s - lo) / (hi - lo) for c, s in lst if c == cid), 0.0)

    for p in hybrid:
        expected = 0.4 * scaled(dense, p.chunk_id) + 0.6 * scaled(bm25, p.chunk_id)
        assert abs(p.score - expected * _penalty(seeded, p)) < 1e-6
    assert [p.score for p in hybrid] == sorted((p.score for p in hybrid), reverse=True)


def test_filters_by_type_document_and_date(seeded: Assistant) -> None:
    r = seeded.retriever()
    q = "réseaux de soins et médecins généralistes"
    only_bulletins = r.search(q, filters=Filters(types=("bulletin",)))
    assert only_bulletins and {p.metadata["type"] for p in only_bulletins} == {"bulletin"}
    one_doc = r.search(q, filters=Filters(doc_ids=("mildt-lettre-mission-reseaux-2000",)))
    assert {p.doc_id for p in one_doc} == {"mildt-lettre-mission-reseaux-2000"}
    recent = r.search(q, filters=Filters(date_from=dt.date(2005, 1, 1)))
    assert recent and all(str(p.metadata["date"]) >= "2005-01-01" for p in recent)
    old = r.search(q, filters=Filters(date_to=dt.date(2005, 1, 1)))
    assert "mildt-lettre-mission-reseaux-2000" in {p.doc_id for p in old}
    assert all("" < str(p.metadata["date"]) <= "2005-01-01" for p in old)


def test_retriever_is_a_langchain_retriever(seeded: Assistant) -> None:
    docs = seeded.retriever().invoke("crack orientation résidentielle")
    assert docs and docs[0].metadata["doc_id"] == "dgs-instruction-usagers-crack-2022"
    assert docs[0].id == docs[0].metadata["chunk_id"]


def test_analyzer_stems_each_word_and_each_text_once() -> None:
    """The answer step analyses the passages of every question again: the analyzer
    remembers stems per word and per text (issue 12, item 3), with the same result."""
    a = FrenchAnalyzer()
    calls: list[list[str]] = []
    stem = a._stem

    def counting(words: list[str]) -> list[str]:
        calls.append(words)
        return stem(words)

    a._stem = counting  # type: ignore[method-assign]
    text = "Les réseaux coordonnent les soins ; le réseau oriente les usagers."
    first = a.stems(text)
    assert first == ["reseau", "coordonnent", "soin", "reseau", "orient", "usager"]
    assert a.stems(text) == first and a.analyze(text) == first
    assert len(calls) == 1 and len(calls[0]) == len(set(calls[0]))  # each word once
    a.stems("Un réseau de soins.")  # known words only: no stemming
    assert len(calls) == 1
    first.append("x")  # a caller's list is its own
    assert a.stems(text)[-1] == "usager"


def test_vector_filter_mask_agrees_with_accepts() -> None:
    """Filters are applied to the facet arrays at once (issue 12: no Python call per
    chunk at 100,000 chunks); the result is ``accepts``'s, missing values included."""
    import random

    rng = random.Random(1)
    facets = [
        {
            "doc_id": rng.choice(["a", "b", "c", None]),
            "type": rng.choice(["code", "guide", None, ""]),
            "date_int": rng.choice([0, None, 19900101, 20050505, 20201231]),
            "status": rng.choice(["en_vigueur", "abroge", None]),
        }
        for _ in range(300)
    ]
    lx = LexicalIndex(FrenchAnalyzer(), None, [str(i) for i in range(300)], "f", facets)
    for f in (
        Filters(),
        Filters(types=("code",)),
        Filters(doc_ids=("a", "c")),
        Filters(date_from=dt.date(2000, 1, 1)),
        Filters(date_to=dt.date(2010, 1, 1), in_force_only=True),
        Filters(
            types=("guide", "code"),
            doc_ids=("b",),
            date_from=dt.date(1980, 1, 1),
            date_to=dt.date(2030, 1, 1),
            in_force_only=True,
        ),
    ):
        expected = [f.accepts(x) for x in facets]
        assert f.mask(lx.facet_arrays()).tolist() == expected, f
