import re

import pytest

from assistant import ABSTAIN_MESSAGE, Assistant, InputError
from assistant.answer.citations import NO_RELATED_PASSAGE

SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)
ON_TOPIC = [
    SECRET,
    "Que peuvent financer les crédits des chefs de projet ?",
    "Comment orienter un usager de crack vers une structure résidentielle ?",
    "Qu'est-ce que l'intervision ?",
]
OFF_TOPIC = [
    "Quelle est la posologie maximale de la méthadone ?",
    "Comment déclarer mes impôts sur le revenu ?",
    "What is the capital of Australia?",
    "Quelle dose de buprénorphine prescrire en initiation ?",
    "Comment calculer la TVA sur une facture ?",
]


def answer_sentences(answer: str) -> list[tuple[str, int]]:
    """Split 'S1 [1] S2 [2]' into (sentence, marker) pairs; a sentence may start a
    paragraph ('S1 :\n\n1° S2 [1]', a list's items)."""
    matches = list(re.finditer(r"(.+?) \[(\d+)\](?: |\n\n|$)", answer, flags=re.S))
    covered = "".join(m.group(0) for m in matches)
    assert covered == answer and answer, "text outside marked sentences"
    return [(m.group(1).strip(), int(m.group(2))) for m in matches]


def test_secret_partage_answer_shows_the_law_among_its_passages(seeded: Assistant) -> None:
    ans = seeded.ask(SECRET)
    assert not ans.abstained
    # The law and the bulletin that comments it are both among the passages shown.
    assert {"csp-l1110-4", "riahn-bulletin-travail-en-reseau"} <= {
        p.doc_id for p in ans.passages[:5]
    }


@pytest.mark.parametrize("question", ON_TOPIC)
def test_every_sentence_comes_from_its_cited_passage(seeded: Assistant, question: str) -> None:
    ans = seeded.ask(question)
    assert not ans.abstained
    by_n = {c.n: c for c in ans.citations}
    pairs = answer_sentences(ans.answer)
    assert 1 <= len(pairs) <= 5  # three picks at most, and the best one's context
    for sentence, n in pairs:
        assert sentence in by_n[n].text
    # Only cited sources are listed, numbered in order of first citation.
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    assert next(n for _, n in pairs) == 1 and {n for _, n in pairs} == set(by_n)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_subject_questions_abstain(seeded: Assistant, question: str) -> None:
    ans = seeded.ask(question)
    assert ans.abstained and ans.answer == ABSTAIN_MESSAGE
    assert ans.citations == [] and ans.passages  # the search results are kept
    # Shown as « peut-être utiles » only when close to the question (Answer.maybe_useful);
    # otherwise the reader is told plainly that nothing relates.
    text = ans.to_text()
    if ans.maybe_useful:
        assert "peut-être utiles" in text
    else:
        assert NO_RELATED_PASSAGE in text and "peut-être utiles" not in text


def test_json_contract(seeded: Assistant) -> None:
    d = seeded.ask(SECRET, k=4).to_dict()
    assert list(d) == ["question", "answer", "abstained", "citations", "passages"]
    assert list(d["citations"][0]) == [
        "n",
        "doc_id",
        "title",
        "type",
        "date",
        "page",
        "section",
        "text",
        "ocr",  # read from a scan: its wording may hold recognition errors
    ]
    assert [p["rank"] for p in d["passages"]] == [1, 2, 3, 4]
    assert list(d["passages"][0]) == ["rank", "doc_id", "chunk_id", "score", "page", "text"]
    assert d["passages"][0]["page"] is None  # text files have no page


def test_text_output_lists_sources_with_type_and_date(seeded: Assistant) -> None:
    text = seeded.ask("Comment orienter un usager de crack vers une structure résidentielle ?")
    out = text.to_text()
    assert "Sources :" in out and "[1] Des parcours de soin adaptés" in out
    assert "actualité, 2022-04-19" in out
    excerpt = out.split("\n[1] ", 1)[1].splitlines()[1]
    assert excerpt.startswith("    « ") and excerpt.endswith(" »")


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("   ", "vide"),
        ("x" * 2001, "trop longue"),
        ("Qu'est-ce qu'un CSAPA ?\x00", "caractère de contrôle"),
        ("\x1b[2JQu'est-ce qu'un CSAPA ?", "caractère de contrôle"),
    ],
)
def test_bad_questions(seeded: Assistant, question: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        seeded.ask(question)


def test_line_breaks_and_tabs_are_text(seeded: Assistant) -> None:
    q = "Qu'est-ce qu'un\tCSAPA\n?"
    assert seeded.validate_question(q) == q
