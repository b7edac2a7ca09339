"""Questions about a document itself (its date, issuer, reference, status) are answered
from its record, not from a sentence that shares their words."""

from __future__ import annotations

import re

import pytest

from assistant import Assistant
from assistant.answer.document_facts import (
    DocumentQuestion,
    document_question,
    fact_sentence,
    find_document,
    signatories,
    signature_roles,
    title_articles,
)
from assistant.chat import ChatEngine
from assistant.search.lexical import FrenchAnalyzer
from assistant.search.retrieval import Passage
from assistant.search.store import Metadata
from tests.test_answer import answer_sentences

LETTER = "Qui a signé la lettre de mission de 2000 sur les réseaux ?"


@pytest.mark.parametrize(
    ("question", "fact", "doc_type"),
    [
        (
            "De quand date l'instruction sur l'orientation des usagers de crack ?",
            "date",
            "instruction",
        ),
        ("Quand la note aux chefs de projet de 2010 a-t-elle été signée ?", "date", "note"),
        ("Quelle est la date du décret sur les CSAPA ?", "date", "decret"),
        # Measured: these three were no document question, and answered with a sentence
        # of the note that names the MILDT.
        ("De quel jour est datée la note de la MILDT aux chefs de projet ?", "date", "note"),
        ("De quelle année date la lettre de mission de la MILDT ?", "date", "lettre_de_mission"),
        ("La note aux chefs de projet est datée de quand ?", "date", "note"),
        ("De quoi parle la note aux chefs de projet de novembre 2009 ?", "subject", "note"),
        ("Quel est l'objet de l'instruction sur le crack ?", "subject", "instruction"),
        ("Sur quoi porte la lettre de mission de 2000 ?", "subject", "lettre_de_mission"),
        # In the order of speech, and as a pronoun's follow-up is read (seventh fresh-user
        # test: both abstained).
        ("La lettre de mission a été signée par qui ?", "issuer", "lettre_de_mission"),
        ("De quoi la lettre de mission parle-t-elle ?", "subject", "lettre_de_mission"),
        ("La note aux chefs de projet parle de quoi ?", "subject", "note"),
        (LETTER, "issuer", "lettre_de_mission"),
        ("Qui est l'auteur du bulletin du RIAHN ?", "issuer", "bulletin"),
        ("Quelle est la référence de la lettre de mission ?", "reference", "lettre_de_mission"),
        ("La circulaire de 1999 est-elle toujours en vigueur ?", "status", "circulaire"),
        # Asked with « est-ce que » or without inversion (eighth fresh-user test: the
        # letter's closing formula was quoted).
        (
            "Est-ce que la lettre de mission de 2000 est toujours en vigueur ?",
            "status",
            "lettre_de_mission",
        ),
        ("La note de 2009 est encore applicable ?", "status", "note"),
        # A follow-up read with its question: the last question asks.
        ("Qu'est-ce qu'un CAARUD ? De quand date ce texte ?", "date", ""),
    ],
)
def test_a_question_about_a_document_is_recognised(question: str, fact: str, doc_type: str) -> None:
    asked = document_question(question)
    assert asked is not None
    assert (asked.fact, asked.doc_type) == (fact, doc_type)


def test_which_text_is_asked_of_the_question_before_it() -> None:
    asked = document_question("Le secret tient-il après la mort ? Quel article s'applique ?")
    assert asked is not None
    assert (asked.fact, asked.topic) == ("source", "Le secret tient-il après la mort ?")
    # Alone, « which text » is of nothing.
    assert document_question("Quel article du code s'applique ?") is None


def test_which_text_applies_is_answered_with_the_text_and_what_it_says(
    seeded: Assistant,
) -> None:
    engine = ChatEngine(seeded)
    first = "Le secret médical tient-il après la mort du patient ?"
    said = engine.ask(first).answer.answer
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": said}]
    r = engine.ask("Quel article du code s'applique ?", history)
    sentences = [s for s, _ in answer_sentences(r.answer.answer)]
    assert sentences[0].startswith(
        "Le texte qui en parle est « Code de la santé publique, article L1110-4"
    )
    assert "personne décédée" in sentences[1]
    assert r.answer.citations[0].doc_id == "csp-l1110-4"
    assert not r.answer.notes  # « article », « code », « applique » are no topic to find


@pytest.mark.parametrize(
    "question",
    [
        "Quand a été créé le CSAPA ?",  # no document named
        "La MILDECA date de quand ?",
        "De quoi parle l'article L3411-1 ?",  # its own text (asked_article.py)
        "Qui a signé le contrat d'objectifs ?",
        "Qui finance les CAARUD ?",
        "Que dit l'instruction sur les usagers de crack ?",  # its content, not a fact of it
    ],
)
def test_other_questions_are_not_about_a_document(question: str) -> None:
    assert document_question(question) is None


def test_the_fact_is_said_from_the_record_and_its_absence_too() -> None:
    meta = {"title": "Lettre de mission", "type": "lettre_de_mission", "date": "2000-05-01"}
    date = DocumentQuestion("date", "lettre_de_mission", "la lettre")
    assert fact_sentence(date, meta) == (
        "D'après sa fiche, le document « Lettre de mission » (lettre de mission) est daté "
        "du 1er mai 2000."
    )
    reference = DocumentQuestion("reference", "lettre_de_mission", "la lettre")
    assert "ne donne pas sa référence" in fact_sentence(reference, meta)
    issuer = DocumentQuestion("issuer", "lettre_de_mission", "la lettre")
    assert "ne donne pas son émetteur" in fact_sentence(issuer, meta)
    status = DocumentQuestion("status", "", "ce texte")
    gone = {**meta, "status": "abroge", "replaced_by": "décret n° 2021-1"}
    assert fact_sentence(status, gone).endswith("est abrogé (remplacé par décret n° 2021-1).")


def test_who_signed_a_letter_is_answered_from_its_signature_block(seeded: Assistant) -> None:
    ans = seeded.ask(LETTER)
    assert not ans.abstained
    [(sentence, n)] = answer_sentences(ans.answer)
    assert n == 1 and ans.citations[0].doc_id == "mildt-lettre-mission-reseaux-2000"
    assert re.search(
        r"est signée par Nicole MAESTRACCI \(.*\), Edouard COUTY \(le Directeur des "
        r"Hôpitaux\) et Lucien ABENHAIM",
        sentence,
    )


def test_who_wrote_a_letter_is_answered_from_its_record(seeded: Assistant) -> None:
    ans = seeded.ask("Qui a rédigé la lettre de mission de 2000 sur les réseaux ?")
    [(sentence, _)] = answer_sentences(ans.answer)
    assert "MILDT, Direction des Hôpitaux, Direction Générale de la Santé" in sentence


def test_the_date_of_an_instruction_is_its_records_not_a_bulletins_sentence(
    seeded: Assistant,
) -> None:
    # Measured before: « Une instruction en date du 19 avril dernier détaille … », a
    # sentence that says « date » and « instruction ».
    ans = seeded.ask("De quand date l'instruction sur l'orientation des usagers de crack ?")
    assert ans.citations[0].doc_id == "dgs-instruction-usagers-crack-2022"
    assert "est daté du 19 avril 2022" in ans.answer


def test_a_document_kind_no_passage_has_is_left_to_the_extractive_answer(
    seeded: Assistant,
) -> None:
    # The note cites the law; the note's date is not the law's.
    ans = seeded.ask(
        "De quand date la loi hôpital, santé, patients et territoires citée dans la note aux "
        "chefs de projet ?"
    )
    assert "D'après sa fiche" not in ans.answer


def passage_of(doc_id: str, title: str, type_: str, text: str) -> Passage:
    meta = {"doc_id": doc_id, "title": title, "type": type_}
    return Passage(f"{doc_id}:0", text, meta, 1.0, 1, dense=0.9)


CODE = passage_of(
    "csp-l3411-1",
    "Code de la santé publique, articles L3411-1 à L3411-5",
    "code",
    "La coordination des actions de prise en charge relève de l'État.",
)
BULLETIN = passage_of(
    "riahn-bulletin",
    "Bulletin du RIAHN : Toxenville, un réseau à Rouen",
    "bulletin",
    "Toxenville propose une intervision. Catherine RAGU, coordinatrice.",
)


@pytest.mark.parametrize(
    ("question", "found"),
    [
        # « l'article sur Toxenville » names a bulletin's article, not an article of the
        # code that only shares « coordin… ».
        ("Qui signe l'article sur Toxenville en tant que coordinatrice ?", None),
        ("Qui a écrit l'article du code sur la coordination de la prise en charge ?", 0),
        ("De quand date l'article L3411-1 ?", 0),
        ("De quand date ce texte ?", 0),
    ],
)
def test_a_document_of_the_kind_is_the_one_its_description_tells_apart(
    question: str, found: int | None
) -> None:
    asked = document_question(question)
    assert asked is not None
    assert find_document(asked, [CODE, BULLETIN], FrenchAnalyzer().stems) == found


def test_a_text_another_document_quotes_is_dated_by_that_documents_sentence(
    seeded: Assistant,
) -> None:
    # The letter of 2000 works « dans le cadre de la circulaire … du 25 novembre 1999 »:
    # not the record of the one circular of the index (the note of 2009).
    ans = seeded.ask(
        "De quand date la circulaire dans le cadre de laquelle la lettre de mission de 2000 "
        "demande d'élaborer des outils méthodologiques ?"
    )
    assert "25 novembre 1999" in ans.answer
    assert "D'après sa fiche" not in ans.answer


@pytest.mark.parametrize(
    "question",
    [
        # Cited by the letter of 2000, not in the index: its sentence says nothing of who
        # signed (eighth fresh-user test: it was quoted).
        "Qui a signé la circulaire DGS/DAS/DH/DSS/DIRMI n° 99.648 ?",
        "Qui a signé la loi Evin ?",
        "À qui est adressée la circulaire du 8 décembre 1999 ?",
    ],
)
def test_who_signed_a_document_the_index_lacks_abstains_saying_so(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    assert ans.abstained
    assert any(n.startswith("Les documents ne contiennent pas « ") for n in ans.notes)


def test_a_described_document_not_retrieved_is_found_by_its_words(seeded: Assistant) -> None:
    # « de mai 2000 »: the letter's record, whatever the retrieval ranked first.
    ans = seeded.ask("Qui a signé la lettre de mission de mai 2000 ?")
    assert "Nicole MAESTRACCI" in ans.answer


# --- who signed: the signature block of letters and circulars -------------------------
LETTER_TITLE = "Lettre de mission : recensement des réseaux de soins « dépendances »"
LETTER_META = {
    "title": LETTER_TITLE,
    "type": "lettre_de_mission",
    "issuer": "MILDT, Direction des Hôpitaux, Direction Générale de la Santé",
    "date": "2000-05-06",
}
LETTER_END = (
    "Nous vous prions de croire, Monsieur, à l'assurance de notre considération "
    "distinguée.\n\nLa Présidente de la MILD'T Le Directeur des Hôpitaux Le Directeur "
    "Général de la Santé\n\nNicole MAESTRACCI\n\nEdouard COUTY\n\nLucien ABENHAIM\n"
)
LETTER_BODY = (
    "Nous souhaitons vous confier le recensement des réseaux de soins « dépendances » "
    "et un support méthodologique pour leur développement.\n"
)


def doc_passage(
    text: str, rank: int, chunk_index: int, doc_chunks: int, doc_id: str = "lettre", **meta: str
) -> Passage:
    """Passage ``chunk_index`` of a document of ``doc_chunks`` passages, ranked ``rank``."""
    metadata: Metadata = {
        "doc_id": doc_id,
        "chunk_index": chunk_index,
        "doc_chunks": doc_chunks,
        **LETTER_META,
        **meta,
    }
    return Passage(f"{doc_id}:{chunk_index}", text, metadata, 1.0 / rank, rank, dense=0.9)


def said_of(question: str, passages: list[Passage]) -> tuple[int, str]:
    """(index of the passage cited, sentence) of a question about a document."""
    asked = document_question(question)
    assert asked is not None
    i = find_document(asked, passages, FrenchAnalyzer().stems)
    assert i is not None
    return i, fact_sentence(asked, passages[i].metadata, passages[i].text)


def test_who_signed_a_letter_is_its_signature_blocks_three_names() -> None:
    passages = [doc_passage(LETTER_BODY, 1, 0, 3), doc_passage(LETTER_END, 2, 2, 3)]
    assert signatories(LETTER_END) == ["Nicole MAESTRACCI", "Edouard COUTY", "Lucien ABENHAIM"]
    i, sentence = said_of(LETTER, passages)
    assert i == 1  # the passage that holds the block is the one cited
    # Each name under its role: the block's line of roles has one per name, in order.
    assert sentence == (
        f"La lettre de mission « {LETTER_TITLE} » est signée par Nicole MAESTRACCI (la "
        "Présidente de la MILD'T), Edouard COUTY (le Directeur des Hôpitaux) et Lucien "
        "ABENHAIM (le Directeur Général de la Santé)."
    )
    # « Quel directeur des hôpitaux a cosigné … ? » asks the same (measured: no document
    # question, answered with a sentence naming the Direction des Hôpitaux).
    for question in (
        "Quel directeur des hôpitaux a cosigné la lettre de mission sur les réseaux ?",
        "Quel directeur général de la santé figure parmi les signataires de la lettre de mission ?",
    ):
        assert said_of(question, passages) == (1, sentence)
    # Roles that are not one per name are not given.
    two_roles = LETTER_END.replace(" Le Directeur Général de la Santé", "")
    assert signature_roles(two_roles, 3) == []


def test_who_signed_a_note_is_its_one_signatory() -> None:
    end = (
        "Vous voudrez bien me tenir informé des difficultés que vous pourriez rencontrer "
        "dans l'application de cette circulaire.\n\nEtienne APAIRE\n"
    )
    note = doc_passage(
        end, 1, 18, 19, doc_id="note-2010", title="Orientations 2010", type="circulaire"
    )
    i, sentence = said_of("Par qui la circulaire de 2010 a-t-elle été signée ?", [note])
    assert i == 0
    assert sentence == "La circulaire « Orientations 2010 » est signée par Etienne APAIRE."


def test_without_a_signature_block_the_record_says_who_signed() -> None:
    # The block lies in a passage that was not retrieved: the record's issuer.
    i, sentence = said_of(LETTER, [doc_passage(LETTER_BODY, 1, 0, 3)])
    assert i == 0
    assert sentence.startswith("D'après sa fiche, le document « Lettre de mission")
    assert sentence.endswith(
        "émane de : MILDT, Direction des Hôpitaux, Direction Générale de la Santé."
    )
    # Names at the end of a passage that is not the document's last are no signature.
    assert signatories(LETTER_END, {"chunk_index": 1, "doc_chunks": 3}) == []


@pytest.mark.parametrize(
    "text",
    [
        # A sentence that ends with a capitalised name, cut by the passage's end.
        "Le bilan des réseaux a été présenté au comité de pilotage par Jean-Pierre DUPONT\n",
        "Le bilan est fait.\n\nDr Martin a présenté les résultats du recensement.\n",
        # A list of members under its heading is not signed.
        "Membres du comité :\n\nJean DUPONT\n\nMarie MARTIN\n",
        "Le bilan est fait.\n\nBulletin OFDT\n",
    ],
)
def test_a_name_in_the_text_is_no_signature_block(text: str) -> None:
    assert signatories(text) == []
    _, sentence = said_of(LETTER, [doc_passage(text, 1, 2, 3)])
    assert sentence.startswith("D'après sa fiche,") and "émane de : MILDT" in sentence


def test_who_wrote_a_letter_is_still_its_issuer() -> None:
    asked = document_question("Qui a rédigé la lettre de mission de 2000 ?")
    assert asked is not None and asked.fact == "issuer" and not asked.signed
    passages = [doc_passage(LETTER_BODY, 1, 0, 3), doc_passage(LETTER_END, 2, 2, 3)]
    i, sentence = said_of("Qui a rédigé la lettre de mission de 2000 ?", passages)
    assert i == 0 and "émane de : MILDT" in sentence


@pytest.mark.parametrize(
    ("question", "signed"),
    [
        (LETTER, True),
        ("Qui signe la note aux chefs de projet ?", True),
        ("Quels sont les signataires de la lettre de mission ?", True),
        ("Qui a cosigné la circulaire de 1999 ?", True),
        ("Par qui la lettre de mission a-t-elle été signée ?", True),
        ("Qui a écrit la lettre de mission ?", False),
        ("Qui a publié la note aux chefs de projet ?", False),
        ("Qui est l'auteur du bulletin du RIAHN ?", False),
        ("Qui a rédigé la note signée par le président ?", False),  # the note is named so
    ],
)
def test_asking_who_signed_is_told_from_asking_who_wrote(question: str, signed: bool) -> None:
    asked = document_question(question)
    assert asked is not None and asked.fact == "issuer"
    assert asked.signed is signed


@pytest.mark.parametrize(
    "question",
    [
        # Measured by a tester: « … est en vigueur », of R131-35 (ranked first: it cites
        # 131-5-1), for a repealed article ranked 13th.
        "L'article 131-35-1 du code pénal est-il encore en vigueur ?",
        "L'article 131-35-1 du code pénal est-il abrogé ?",
    ],
)
def test_a_numbered_article_is_found_by_its_record_not_its_words(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    assert [c.doc_id for c in ans.citations] == ["cp-131-35-1-version-2007"]
    assert "est abrogé" in ans.answer


@pytest.mark.parametrize(
    ("title", "articles"),
    [
        ("Code pénal, article R131-35 (stages prévus par l'article 131-5-1)", ["R131-35"]),
        ("Code pénal, articles 222-37 et 222-39 (trafic)", ["222-37", "222-39"]),
        (
            "Code de la santé publique, articles L3411-1 à L3411-5 (dispositions générales)",
            ["L3411-1", "L3411-2", "L3411-3", "L3411-4", "L3411-5"],
        ),
        ("CSP, articles D3121-33 à D3121-33-2 (CAARUD)", ["D3121-33", "D3121-33-1", "D3121-33-2"]),
        (
            "CSS, article L221-1-4 et articles D221-36 à D221-37 (fonds)",
            ["L221-1-4", "D221-36", "D221-37"],
        ),
        # A range whose numbers do not say what lies between is its two ends.
        ("Code, articles L1110-4 à R1110-3 (partage)", ["L1110-4", "R1110-3"]),
        ("Bulletin du réseau (2004)", []),
    ],
)
def test_a_title_lists_its_articles_ranges_spelled_out(title: str, articles: list[str]) -> None:
    assert title_articles(title) == articles


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        # Before, the article of a list or a range was not found by its number and the
        # question abstained.
        ("L'article L3411-3 est-il toujours en vigueur ?", "csp-l3411-1-a-l3411-5"),
        ("L'article 222-39 du code pénal est-il en vigueur ?", "cp-222-37-222-39"),
        ("L'article D3121-33-2 est-il en vigueur ?", "csp-d3121-33-a-d3121-33-6"),
    ],
)
def test_an_article_of_a_list_or_a_range_is_found_by_its_number(
    seeded: Assistant, question: str, doc_id: str
) -> None:
    ans = seeded.ask(question)
    assert [c.doc_id for c in ans.citations] == [doc_id]
    assert ans.answer.startswith("D'après sa fiche")


def test_an_article_number_no_text_has_is_not_answered_from_another(seeded: Assistant) -> None:
    ans = seeded.ask("L'article L9999-1 du code de la santé publique est-il en vigueur ?")
    assert ans.abstained


def test_a_text_in_force_to_check_says_so_with_its_status(seeded: Assistant) -> None:
    # Measured by a tester: « … est en vigueur » beside the « À vérifier (2000) » badge.
    ans = seeded.ask("La lettre de mission de 2000 est-elle toujours en vigueur ?")
    assert "est en vigueur ; texte de 2000 : vérifier qu'il est toujours d'actualité" in ans.answer


def test_what_a_document_is_about_is_its_opening(seeded: Assistant) -> None:
    # Sixth fresh-user test: « De quoi parle la note … ? » quoted its closing sentences
    # (« je vous réunirai le 18 novembre … »), not its subject.
    ans = seeded.ask("De quoi parle la note aux chefs de projet de novembre 2009 ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith("Le document « Note aux chefs de projet")
    assert sentences[0].endswith("commence ainsi :")
    # Its first sentences, without the letterhead, the dateline or the addressee line.
    assert sentences[1].startswith("La réussite du plan gouvernemental")
    assert "Paris, le 4 novembre 2009" not in ans.answer
    assert [c.doc_id for c in ans.citations] == ["mildt-note-chefs-de-projet-orientations-2010"]
