import copy
import datetime as dt
import math
from pathlib import Path

from assistant import Assistant
from assistant.answer.extractive import AnswerConfig, ExtractiveAnswerer
from assistant.search.glossary import Glossary
from assistant.search.rerank import PRESENT_FACTOR
from tests.conftest import CORPUS


def test_acronyms_expand_both_ways() -> None:
    g = Glossary.load(CORPUS)
    assert "centre de soins, d'accompagnement et de prévention en addictologie" in g.expand(
        "Quelles sont les missions d'un CSAPA ?"
    )
    q = "Que font les centres de soins, d'accompagnement et de prévention en addictologie ?"
    assert g.expand(q).endswith("(CSAPA)")  # plural and accents agree on stems
    assert g.expand("Pars-tu en congé ?") == "Pars-tu en congé ?"  # no "ARS" inside a word


def test_renamed_body_expands_and_is_explained() -> None:
    g = Glossary.load(CORPUS)
    assert "MILDECA" in g.expand("Que fait la MILDT ?")
    assert "MILDT" in g.expand("Que fait la MILDECA ?")
    notes = g.notes("La MILD'T finance.", [])
    assert notes and "devenue MILDECA" in notes[0] and "2014" in notes[0]
    assert g.notes("La Midelca pilote le référentiel.", []) == []  # a spelling of the new name


def test_question_naming_the_mildt_finds_texts_naming_the_mildeca(seeded: Assistant) -> None:
    ans = seeded.ask("Que fait la MILDT ?")
    texts = [p.text for p in ans.passages[:5]]
    assert any("MILDECA" in t.upper() for t in texts)
    assert any("devenue MILDECA" in n for n in ans.notes)


def test_texts_in_force_rank_first(seeded: Assistant) -> None:
    q = "Quel est l'objet des réseaux de santé ?"
    r = seeded.retriever("hybrid")
    with_penalty = r.search(q, k=20)
    r.superseded_penalty = 1.0
    without = r.search(q, k=20)
    before = {p.chunk_id: p.score for p in without}
    repealed = [p for p in with_penalty if p.metadata["status"] == "abroge"]
    assert repealed
    for p in repealed:  # scored at 0.8 of what they would be in force…
        assert abs(p.score - 0.8 * before[p.chunk_id]) < 1e-9
    for p in with_penalty:  # …and texts in force are untouched
        if p.metadata["status"] == "en_vigueur":
            assert abs(p.score - before[p.chunk_id]) < 1e-9


def test_texts_in_force_rank_first_after_reranking(seeded: Assistant) -> None:
    q = "Quel est l'objet des réseaux de santé ?"
    candidates, qvec = seeded.search(q, k=30, mode="hybrid")
    assert any(p.metadata["status"] == "abroge" for p in candidates)
    r = seeded.reranker
    plain = {p.chunk_id: p.score for p in r.rerank(q, qvec, copy.deepcopy(candidates))}
    penalised = r.rerank(q, qvec, copy.deepcopy(candidates), superseded_penalty=0.8)
    # The odds of a repealed text times 0.8, PRESENT_FACTOR times over for a question
    # about what is; texts in force untouched.
    for p in penalised:
        shift = PRESENT_FACTOR * math.log(0.8) if p.metadata["status"] != "en_vigueur" else 0.0
        assert abs(p.score - (plain[p.chunk_id] + shift)) < 1e-9


def test_reranked_search_applies_the_penalty_of_the_settings(seeded: Assistant) -> None:
    seen: list[float] = []
    reranker = seeded.reranker

    class Spy:
        depth = reranker.depth

        def rerank(self, *args: object, superseded_penalty: float = 1.0) -> object:
            seen.append(superseded_penalty)
            return reranker.rerank(*args, superseded_penalty=superseded_penalty)  # type: ignore[arg-type]

    r = seeded.retriever("reranked")
    r.reranker = Spy()
    assert r.search("Quel est l'objet des réseaux de santé ?")
    assert seen == [seeded.settings.superseded_penalty] and seen[0] < 1


def test_citation_notices(seeded: Assistant) -> None:
    answerer = seeded.answerer()
    assert answerer.notice({"status": "abroge"}) == "texte abrogé"
    notice = answerer.notice({"status": "abroge", "replaced_by": "cp-131-5-1"})
    assert notice.startswith("texte abrogé, remplacé par « Code pénal, article 131-5-1")
    assert "(2021-12-02)" in notice
    old = ExtractiveAnswerer(
        seeded.embeddings,
        seeded.lexical,
        AnswerConfig(max_age_years=10),
        today=dt.date(2026, 11, 22),
    )
    assert old.notice({"status": "en_vigueur", "date": "2000-05-06"}).startswith(
        "texte de 2000 : vérifier"
    )
    assert old.notice({"status": "en_vigueur", "date": "2022-04-19"}) == ""


def test_answer_citing_a_repealed_text_says_so(seeded: Assistant) -> None:
    ans = seeded.ask("Quel est l'objet des réseaux de santé selon l'article L6321-1 ?")
    cited = [c for c in ans.citations if c.doc_id == "csp-l6321-1"]
    assert cited and cited[0].notice.startswith("texte abrogé")
    assert "⚠ texte abrogé" in ans.to_text()


def test_missing_glossary_is_empty(tmp_path: Path) -> None:
    g = Glossary.load(tmp_path)
    assert g.expand("CSAPA ?") == "CSAPA ?" and g.notes("CSAPA", []) == []
