"""The chat's handlers, called directly with the values gradio would pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant import Answer, Assistant, Citation
from assistant.answer.citations import NO_RELATED_PASSAGE
from assistant.chat import ChatEngine
from assistant.feedback import FeedbackStore
from assistant.search.retrieval import Passage
from ui import conversations as convs
from ui.chat_handlers import INTERNAL_ERROR, ChatHandlers, new_session
from ui.render import answer_markdown, citation_card, passage_card, passage_record, sources_html

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"


@pytest.fixture
def handlers(seeded: Assistant, tmp_path: Path) -> ChatHandlers:
    return ChatHandlers(ChatEngine(seeded), FeedbackStore(tmp_path / "feedback.sqlite3"))


def run(h: ChatHandlers, message: str, chat=None, session=None, **filters):  # type: ignore[no-untyped-def]
    # Copies: gradio sends each step as it comes; the handler reuses its lists.
    steps = [
        deepcopy(s) for s in h.respond(message, chat or [], session or new_session(), **filters)
    ]
    return steps, steps[-1]


def test_answer_streams_with_linked_markers_and_source_cards(handlers: ChatHandlers) -> None:
    steps, (chat, panel, session, box) = run(handlers, SECRET)
    assert len(steps) >= 3  # the masked question, sentence by sentence, then the sources
    assert chat[0] == {"role": "user", "content": SECRET}
    answer = chat[1]["content"]
    assert '<a class="cite" href="#src-1-1"' in answer
    assert 'id="src-1-1"' in panel and "<mark>" in panel
    assert "Bulletin du réseau addictions de Haute-Normandie" in panel
    assert 'class="badge badge-ok">En vigueur' in panel
    assert 'href="/lecture/riahn-bulletin-travail-en-reseau?extrait=' in panel
    assert box == "" and len(session["turns"]) == 1


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
def test_an_empty_question_leaves_the_conversation_as_it_is(
    handlers: ChatHandlers, empty: str
) -> None:
    # Measured by a tester: « Envoyer » on an empty box blanked the chat and the saved
    # conversation.
    _, (chat, panel, session, _) = run(handlers, SECRET)
    steps, (chat2, panel2, session2, box) = run(handlers, empty, chat, session)
    assert len(steps) == 1
    assert chat2 == chat and panel2 == panel and session2 == session and box == ""


def test_an_internal_fault_is_said_in_french_and_the_question_given_back(
    handlers: ChatHandlers, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Thirteenth fresh-user test: a fault while the first index was being built showed
    # gradio's English « Error » badge and erased the question.
    def failing(*args: object, **kwargs: object) -> Iterator[object]:
        raise ValueError("all the input arrays must have same number of dimensions")
        yield  # a generator, as ChatEngine.stream is

    monkeypatch.setattr(handlers.engine, "stream", failing)
    _, (chat, _, session, box) = run(handlers, SECRET)
    assert chat[-1] == {"role": "assistant", "content": INTERNAL_ERROR}
    assert box == SECRET and not session["turns"]
    assert "question non traitée" in caplog.text


def test_follow_up_shows_the_question_as_understood(handlers: ChatHandlers) -> None:
    _, (chat, _, session, _) = run(handlers, "Quelles sont les missions des réseaux de santé ?")
    _, (chat, panel, session, _) = run(handlers, "Et pour les pharmaciens ?", chat, session)
    assert (
        "Question comprise : « Quelles sont les missions des réseaux de santé ? "
        "Et pour les pharmaciens ? »" in chat[-1]["content"]
    )
    # The first answer's sources stay reachable, folded.
    assert 'id="turn-2"' in panel and "<details>" in panel and 'id="turn-1"' in panel


@pytest.mark.parametrize(
    "question",
    [
        # Measured by a tester: legal passages on drugs were offered as « peut-être utiles ».
        "Quelle est la recette de la tarte tatin ?",
        "Comment faire pousser des tomates sur un balcon ?",
        "What is the capital of Australia?",
    ],
)
def test_an_unrelated_question_is_told_plainly_that_nothing_relates(
    handlers: ChatHandlers, question: str
) -> None:
    _, (chat, panel, session, _) = run(handlers, question)
    message = chat[-1]["content"]
    assert "Je n'ai pas trouvé" in message and NO_RELATED_PASSAGE in message
    assert "peut-être utiles" not in message + panel and 'class="source maybe"' not in panel
    assert NO_RELATED_PASSAGE in panel and session["turns"][0]["maybe"] == []
    # Reopened from the browser's store: still nothing offered.
    store, *_ = handlers.save(chat, session, convs.new_store())
    _, panel2, *_ = handlers.restore(json.loads(json.dumps(store)))
    assert 'class="source maybe"' not in panel2 and NO_RELATED_PASSAGE in panel2


def test_an_in_scope_abstention_shows_maybe_useful_passages(handlers: ChatHandlers) -> None:
    question = (
        "Comment rejoindre un réseau de santé en addictologie quand on est médecin généraliste ?"
    )
    _, (chat, panel, session, _) = run(handlers, question)
    message = chat[-1]["content"]
    assert "Je n'ai pas trouvé" in message and "*peut-être utiles*" in message
    assert NO_RELATED_PASSAGE not in message + panel
    assert "peut-être utiles" in panel and panel.count('class="source maybe"') == 3
    assert len(session["turns"][0]["maybe"]) == 3
    store, *_ = handlers.save(chat, session, convs.new_store())
    _, panel2, *_ = handlers.restore(json.loads(json.dumps(store)))
    assert panel2.count('class="source maybe"') == 3


def cited(status: str, notice: str, date: str | None = "2000-05-06") -> Citation:
    return Citation(
        n=1,
        doc_id="mildt-lettre-mission-reseaux-2000",
        title="Lettre de mission",
        type="circulaire",
        date=date,
        page=None,
        section="",
        text="Il existe actuellement environ 96 réseaux recensés.",
        status=status,
        notice=notice,
    )


OLD = "texte de 2000 : vérifier qu'il est toujours d'actualité"


@pytest.mark.parametrize("status", ["en_vigueur", ""])
def test_an_old_text_in_force_is_badged_to_check_not_in_force(status: str) -> None:
    # Measured by a tester: « En vigueur » beside « texte de 2000 : vérifier … ».
    card = citation_card(cited(status, OLD), 1)
    assert "En vigueur" not in card and "badge-ok" not in card
    assert '<span class="badge badge-warn"' in card and ">À vérifier (2000)</span>" in card
    assert f"⚠ {escape(OLD)}" in card
    # The year comes from the notice, whatever the date's form.
    assert ">À vérifier (1998)</span>" in citation_card(
        cited(status, "texte de 1998 : vérifier qu'il est toujours d'actualité", None), 1
    )


def test_other_badges_are_unchanged() -> None:
    assert 'class="badge badge-ok">En vigueur</span>' in citation_card(cited("en_vigueur", ""), 1)
    for status, label in (("abroge", "Abrogé"), ("remplace", "Remplacé")):
        card = citation_card(cited(status, f"texte {label.lower()}, remplacé par « X »"), 1)
        assert f'class="badge badge-old">{label}</span>' in card and "À vérifier" not in card


def test_a_passage_offered_beside_an_abstention_carries_its_notice() -> None:
    # Measured by a tester: the « peut-être utiles » cards said « En vigueur » for a text
    # of 2000, and for a repealed one nothing but its badge.
    old = Passage(
        "c1",
        "Il existe actuellement environ 96 réseaux recensés.",
        {
            "doc_id": "lettre",
            "title": "Lettre de mission",
            "type": "circulaire",
            "date": "2000-05-06",
            "status": "en_vigueur",
        },
        1.0,
        1,
        0.9,
    )
    ans = Answer("q", "Je n'ai pas trouvé.", True, [], [old], notices={"c1": OLD})
    html_ = sources_html(ans, 1)
    assert ">À vérifier (2000)</span>" in html_ and f"⚠ {escape(OLD)}" in html_
    assert "En vigueur" not in html_
    assert f"Lettre de mission ⚠ {OLD}" in ans.to_text()
    # Kept in the browser's store, the card is drawn the same.
    record = passage_record(old, OLD)
    assert ">À vérifier (2000)</span>" in passage_card(json.loads(json.dumps(record)))


def test_an_undated_legal_text_is_to_check(seeded: Assistant) -> None:
    # « Arrêté du 29 avril 1988 … annexe X »: its version is dated nowhere in the corpus.
    notice = seeded.answerer().notice({"type": "arrete", "status": "en_vigueur"})
    assert notice == "texte non daté : vérifier la version en vigueur"
    assert seeded.answerer().notice({"type": "guide", "status": "en_vigueur"}) == ""
    card = citation_card(cited("en_vigueur", notice, None), 1)
    assert '<span class="badge badge-warn"' in card and ">À vérifier</span>" in card


def test_a_cited_old_text_is_badged_to_check_in_the_chat(handlers: ChatHandlers) -> None:
    question = "Combien de réseaux étaient recensés selon la lettre de mission de la MILDT ?"
    _, (chat, panel, session, _) = run(handlers, question)
    assert "texte de 2000 : vérifier" in panel and "À vérifier (2000)" in panel
    assert "En vigueur" not in panel
    # Drawn again from the browser's store, the badge still says so.
    store, *_ = handlers.save(chat, session, convs.new_store())
    _, panel2, *_ = handlers.restore(json.loads(json.dumps(store)))
    assert "À vérifier (2000)" in panel2 and "En vigueur" not in panel2


def test_patient_data_is_masked_and_warned(handlers: ChatHandlers) -> None:
    _, (chat, _, session, _) = run(
        handlers, "Mon patient au 06 12 34 56 78 peut-il être orienté en CSAPA ?"
    )
    assert "06 12 34 56 78" not in str(chat) and "06 12 34 56 78" not in str(session)
    assert chat[0]["content"] == "Mon patient au [téléphone masqué] peut-il être orienté en CSAPA ?"
    assert "Données de patient masquées" in chat[1]["content"]


def test_filters_narrow_the_search(handlers: ChatHandlers, seeded: Assistant) -> None:
    _, (_, panel, _, _) = run(handlers, SECRET, types=["code"])
    assert "Bulletin du réseau" not in panel and "Code de la santé publique" in panel
    _, (chat, _, _, _) = run(handlers, SECRET, date_from="2030-13-01")
    assert (
        chat[-1]["content"] == "⚠️ date de début : date invalide « 2030-13-01 » (format AAAA-MM-JJ)"
    )


def test_bad_question_is_one_line(handlers: ChatHandlers) -> None:
    _, (chat, _, _, _) = run(handlers, "x" * 3000)
    assert chat[-1]["content"].startswith("⚠️ la question est trop longue")
    assert "x" * 100 not in str(chat)


def test_feedback_is_stored_without_the_question(handlers: ChatHandlers) -> None:
    _, (_, _, session, _) = run(handlers, SECRET)
    fid, msg = handlers.like(1, False, session)
    assert fid is not None and "préciser" in msg
    assert handlers.reason("source inadaptée", session) == "Motif enregistré, merci."
    (row,) = handlers.feedback.rows()
    assert row.rating == -1 and row.reason == "source inadaptée" and row.question is None
    assert row.sources and row.sources[0] == "riahn-bulletin-travail-en-reseau"


def test_feedback_keeps_only_the_masked_question_when_enabled(
    seeded: Assistant, tmp_path: Path
) -> None:
    h = ChatHandlers(
        ChatEngine(seeded), FeedbackStore(tmp_path / "f.sqlite3", store_questions=True)
    )
    _, (_, _, session, _) = run(h, "Patient joignable au 06 12 34 56 78 : partage possible ?")
    h.like(1, True, session)
    (row,) = h.feedback.rows()
    assert (
        row.rating == 1
        and row.question == "Patient joignable au [téléphone masqué] : partage possible ?"
    )


def test_generated_answer_streams_in_the_chat(seeded: Assistant, tmp_path: Path) -> None:
    passages, _ = seeded.search(SECRET)
    n = next(
        i for i, p in enumerate(passages[:5], 1) if "sauf opposition" in " ".join(p.text.split())
    )
    reply = (
        "Sauf opposition du patient, des professionnels de santé peuvent échanger des "
        f"informations relatives à une même personne prise en charge [{n}]. <b>Gras</b> [{n}]. "
        f"Ces échanges visent la continuité des soins [{n}]."
    )
    a = replace(seeded, chat_model=GenericFakeChatModel(messages=iter([AIMessage(reply)])))
    h = ChatHandlers(ChatEngine(a, llm=a.llm_answerer()), FeedbackStore(tmp_path / "f.sqlite3"))
    steps, (chat, panel, _, _) = run(h, SECRET)
    shown = [s[0][-1]["content"] for s in steps]
    assert "*Rédaction de la réponse…*" in shown  # while nothing is checked yet
    partial = [c for c in shown if c.endswith("▌")]
    # The checked first sentence, as soon as the next one begins; never the raw HTML.
    assert len(partial) == 1 and partial[0].startswith("Sauf opposition du patient")
    assert not any("<b>" in c or "Gras" in c for c in shown)
    final = chat[-1]["content"]
    assert "<b>" not in final and "▌" not in final
    assert '<a class="cite" href="#src-1-1"' in final and 'id="src-1-1"' in panel


def test_rendering_escapes_document_html(seeded: Assistant) -> None:
    ans = seeded.ask(SECRET)
    ans.citations[0].text = "<img src=x onerror=alert(1)>"
    ans.citations[0].title = "<script>alert(1)</script>"
    html = sources_html(ans, 1)
    assert "<img" not in html and "<script" not in html
    ans.answer = "<img src=x> [1]"
    assert "<img" not in answer_markdown(ans, 1)


def test_a_quoted_list_keeps_one_item_per_paragraph_in_the_chat(seeded: Assistant) -> None:
    # Sixteenth fresh-user test: the items of a list ran on in one paragraph
    # (« … ; [1] 2° Le soutien … »).
    ans = seeded.ask("Quelles sont les missions d'un CAARUD ?")
    shown = answer_markdown(ans, 1)
    paragraphs = [p for p in shown.split("\n\n") if p.strip()]
    for marker in ("1°", "2°", "3°", "4°", "5°"):
        assert any(p.startswith(marker) for p in paragraphs), (marker, shown)
    ans.answer = "Texte <b>gras</b> :\n\n1° Premier ; [1]\n\n2° *Second*. [1]"
    shown = answer_markdown(ans, 1)
    assert "<b>" not in shown and "\\*Second\\*" in shown
    assert shown.split("\n\n")[-1].startswith("2° ")


def test_conversation_store_round_trip_and_export(handlers: ChatHandlers) -> None:
    _, (chat, _, session, _) = run(handlers, SECRET)
    store, choices, current, exports = handlers.save(chat, session, convs.new_store())
    assert len(choices) == 1 and current == store["current"]
    assert exports[1][1] == "1"
    # What the browser sends back reopens the same conversation, sources drawn again.
    chat2, panel2, session2, *_ = handlers.restore(json.loads(json.dumps(store)))
    assert chat2 == chat and 'id="src-1-1"' in panel2 and "<mark>" in panel2
    assert session2["turns"][0]["answer"] == session["turns"][0]["answer"]
    md = convs.export_markdown(session["turns"])
    assert "**[1] Bulletin du réseau addictions de Haute-Normandie" in md and "\n> " in md
    payload = json.loads(handlers.export("1", "html", session))
    assert payload["name"].startswith("reponse-1-") and "<blockquote>" in payload["content"]
    # Deleting leaves an empty list; junk from the browser is a fresh store.
    assert handlers.delete(store)[4] == []
    assert handlers.restore({"conversations": "x"})[0] == []


def test_a_conversation_gradio_hands_back_in_parts_reopens_as_text(
    handlers: ChatHandlers,
) -> None:
    # Measured: gradio 6 gives the chat back with each message as a list of parts; a
    # reopened conversation showed « [{'text': "Et celles d'un CAARUD ?", 'type': 'text'}] ».
    _, (chat, _, session, _) = run(handlers, SECRET)
    parts = [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in chat]
    parts[0]["content"].append({"type": "file", "file": {"path": "/tmp/x.png"}})
    store, *_ = handlers.save(parts, session, convs.new_store())
    chat2, *_ = handlers.restore(json.loads(json.dumps(store)))
    assert chat2 == chat
    assert convs.message_text({"type": "text", "text": "Et les CAARUD ?"}) == "Et les CAARUD ?"
    assert convs.message_text(["Bonjour", {"type": "text", "text": "Et alors ?"}]) == (
        "Bonjour\n\nEt alors ?"
    )
    assert convs.message_text(None) == ""


def test_hostile_store_is_escaped_when_drawn_again(handlers: ChatHandlers) -> None:
    bad = {
        "current": "c1",
        "conversations": [
            {
                "id": "c1",
                "title": "t",
                "chat": [{"role": "user", "content": "q"}, {"role": "system", "content": "x"}],
                "turns": [
                    {
                        "user": {"content": "q"},
                        "answer": "a",
                        "citations": [
                            {"n": 1, "doc_id": "d", "title": "<script>x</script>", "text": "t"}
                        ],
                    }
                ],
            }
        ],
    }
    chat, panel, *_ = handlers.restore(bad)
    assert chat == [{"role": "user", "content": "q"}]
    assert "<script>" not in panel and "&lt;script&gt;" in panel


def test_feedback_comment_is_masked(handlers: ChatHandlers) -> None:
    _, (_, _, session, _) = run(handlers, SECRET)
    fid, _ = handlers.like(1, False, session)
    assert handlers.reason("autre", session).startswith("Motif enregistré")
    msg, box = handlers.comment("Rappeler le 06 12 34 56 78", session)
    assert "masquées" in msg and box == ""
    (row,) = [r for r in handlers.feedback.rows() if r.id == fid]
    assert row.reason == "autre" and row.comment is not None
    assert "06 12" not in row.comment and "[téléphone masqué]" in row.comment


def test_documents_view_and_reader(handlers: ChatHandlers, seeded: Assistant) -> None:
    from ui.library import reader_html

    table = handlers.documents("")
    assert "<table" in table and "Abrogé" in table
    assert handlers.documents("abrogé").count("<tr>") == 4  # the header and 3 rows
    page = reader_html(
        seeded.settings.corpus_dir,
        "riahn-bulletin-travail-en-reseau",
        ["travail en réseau"],
    )
    assert page is not None and 'id="passage"' in page
    assert reader_html(seeded.settings.corpus_dir, "../etc/passwd", []) is None


def test_documents_list_and_reader_give_a_text_the_badge_the_chat_gives_it(
    handlers: ChatHandlers, seeded: Assistant
) -> None:
    # Measured by a tester: the 2000 mission letter was « En vigueur » in the Documents
    # tab and « À vérifier (2000) » on the chat's source card.
    from ui.library import document_rows, reader_html

    rows = {r.doc_id: r for r in document_rows(seeded.settings.corpus_dir)}
    letter = rows["mildt-lettre-mission-reseaux-2000"]
    assert letter.status == "en_vigueur" and "2000" in letter.notice
    table = handlers.documents("lettre de mission")
    assert "À vérifier (2000)" in table and "En vigueur" not in table
    assert "mildt-lettre-mission-reseaux-2000" in handlers.documents("à vérifier")
    page = reader_html(seeded.settings.corpus_dir, "mildt-lettre-mission-reseaux-2000", [])
    assert page is not None and "À vérifier (2000)" in page and "En vigueur" not in page
    # The card of a passage of that text says the same.
    card = handlers.engine.assistant.answerer().notice(
        {"status": "en_vigueur", "date": letter.date, "type": letter.type}
    )
    assert card == letter.notice
    # A recent text in force keeps its badge.
    recent = [r for r in rows.values() if r.status == "en_vigueur" and not r.notice]
    assert recent and all(
        'class="badge badge-ok">En vigueur' in handlers.documents(r.title) for r in recent[:3]
    )
