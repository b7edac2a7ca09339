"""A real headless Chromium (Debian's package) on the launched chat: ask the
secret-partagé question, see the answer and its sources, click a marker.

Skipped when /usr/bin/chromium is absent, unless ASSISTANT_REQUIRE_BROWSER=1 (CI sets it,
after installing chromium with apt), where its absence fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from tests.helpers.browser import ARGS, CHROMIUM
from tests.live import free_port, running
from ui.server import create_app

SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)

if not Path(CHROMIUM).exists():
    if os.environ.get("ASSISTANT_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium absent alors que ASSISTANT_REQUIRE_BROWSER=1")
    pytest.skip("chromium absent (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def url(seeded: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    port = free_port()
    settings = seeded.settings.model_copy(
        update={"port": port, "feedback_db": tmp / "feedback.sqlite3"}
    )
    with running(create_app(replace(seeded, settings=settings)), port) as u:
        yield u


@pytest.mark.slow
def test_secret_partage_in_chromium(url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("ASSISTANT_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=ARGS,
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
            page.goto(url + "/")
            page.wait_for_selector("#question textarea", timeout=60_000)
            assert "Médecin généraliste" in page.inner_text("#examples")
            page.fill("#question textarea", SECRET)
            page.click("#send")
            marker = page.locator("#chat a.cite").first
            marker.wait_for(timeout=60_000)
            assert marker.inner_text() == "[1]"
            page.wait_for_selector("#sources article#src-1-1", timeout=60_000)
            sources = page.inner_text("#sources")
            assert "Sources de la réponse 1" in sources and "En vigueur" in sources
            assert page.locator("#sources article#src-1-1 mark").count() >= 1
            # Scroll the panel away from the card, then click the marker.
            page.eval_on_selector("#sources", "el => el.scrollTop = el.scrollHeight")
            marker.click()
            page.wait_for_selector("#sources article#src-1-1.focus", timeout=10_000)
            page.wait_for_timeout(800)  # the smooth scroll
            in_view = page.eval_on_selector(
                "#sources article#src-1-1",
                "el => { const r = el.getBoundingClientRect();"
                " return r.top < window.innerHeight && r.bottom > 0; }",
            )
            assert in_view
            assert len(browser.contexts[0].pages) == 1  # no new tab opened
            # The document opens from its card, in the reader.
            href = page.get_attribute("#sources article#src-1-1 a.src-open", "href")
            assert href and href.startswith("/lecture/")
            page.screenshot(path=str(shots / "chat-secret-partage.png"))
            doc = page.request.get(url + href.split("#")[0])
            assert doc.status == 200
            # gradio's queue-full toast is English; the page says it in French.
            page.evaluate(
                "() => { const d = document.createElement('div'); d.id = 'toast-test';"
                " d.textContent = 'This application is currently busy. Please try again. ';"
                " document.body.appendChild(d); }"
            )
            page.wait_for_function(
                "() => document.getElementById('toast-test').textContent"
                ".startsWith('File d\\'attente pleine')",
                timeout=5_000,
            )
        finally:
            browser.close()
