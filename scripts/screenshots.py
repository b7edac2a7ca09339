"""Redo the README's screenshots (docs/screenshots/) in a real Chromium, desktop 1280×800.

    .venv/bin/python scripts/screenshots.py [--corpus corpus] [--index index] [--out DIR]

The index is copied to a temporary folder and never written (without one, the corpus is
indexed there first). The app is served on 127.0.0.1 on a free port, with an admin
password made up for the occasion, and stopped at the end, as is Chromium (Debian's
package, /usr/bin/chromium; ``apt-get install chromium``).

Shots: the chat after the question on shared professional secrecy (conversations list,
« Filtres », sources with « Lire le passage dans le document »), the reader opened from
its first source, the « Documents » view, the admin's corpus, and the first start (the
chat served while the corpus is being indexed, with its notice).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' helper that serves the app on a free port

from tests.live import free_port, running  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
SECRET = (
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?"
)
ADMIN_PASSWORD = "capture-ecran"
# The first start: a few documents, the indexing held after the first one.
FIRST_START_DOCS = (
    "dgs-instruction-usagers-crack-2022",
    "mildt-lettre-mission-reseaux-2000",
    "riahn-bulletin-travail-en-reseau",
)


def ask(page: Any, question: str) -> None:
    page.fill("#question textarea", question)
    page.click("#send")
    page.locator("#chat a.cite").first.wait_for(timeout=180_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#sources section.turn').length > 0"
        " && document.querySelector('#send') && document.querySelector('#send').offsetParent",
        timeout=180_000,
    )


def shoot(page: Any, path: Path, full_page: bool = False) -> None:
    page.wait_for_timeout(800)  # transitions, loading shades
    page.screenshot(path=str(path), full_page=full_page)
    print(f"écrit : {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def chat_shots(browser: Any, url: str, out: Path) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.goto(url + "/", wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    ask(page, SECRET)
    page.wait_for_function(
        "() => document.querySelectorAll('#conv-list label:has(input[type=radio])').length > 0",
        timeout=30_000,
    )
    page.locator("#filters").get_by_text("Filtres", exact=True).click()  # types, dates
    page.wait_for_selector("#filter-types", state="visible", timeout=10_000)
    page.evaluate("() => window.scrollTo(0, 0)")
    shoot(page, out / "chat-secret-partage.png", full_page=True)

    href = page.locator("#sources a", has_text="Lire le passage").first.get_attribute("href")
    reader = context.new_page()
    reader.goto(url + href if href and href.startswith("/") else str(href), wait_until="load")
    reader.wait_for_selector("mark, #passage", timeout=30_000)
    shoot(reader, out / "lecteur-passage.png")
    reader.close()

    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#doc-list table, #doc-list a", timeout=30_000)
    shoot(page, out / "documents.png")
    context.close()


def admin_shot(browser: Any, url: str, out: Path) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.goto(url + "/admin/", wait_until="load")
    page.wait_for_selector("input[type=password]", timeout=60_000)
    page.fill("input[type=text]", "admin")
    page.fill("input[type=password]", ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#corpus-table", timeout=60_000)
    page.wait_for_function(
        "() => /à jour/.test(document.querySelector('#corpus-table').innerText)"
        " && !document.querySelector('.pending, .generating')",
        timeout=60_000,
    )
    shoot(page, out / "admin-corpus.png")
    context.close()


def first_start_shot(browser: Any, corpus: Path, tmp: Path, out: Path, embeddings: Any) -> None:
    """The chat served on an empty index, its indexing held after the first document."""
    from assistant import Settings, build_assistant
    from assistant.search.indexing import IndexProgress
    from ui.background_index import index_in_background
    from ui.server import create_app

    small = tmp / "premier-demarrage"
    small.mkdir()
    for name in FIRST_START_DOCS:
        for suffix in (".txt", ".meta.toml"):
            shutil.copy(corpus / f"{name}{suffix}", small)
    port = free_port()
    settings = Settings(
        corpus_dir=small,
        index_dir=tmp / "index-vide",
        port=port,
        feedback_db=tmp / "avis-vide.sqlite3",
    )
    assistant = build_assistant(settings, embeddings=embeddings)
    go_on = threading.Event()

    def hold(p: IndexProgress) -> None:
        if p.docs_done == 1 and not p.finishing:
            go_on.wait(timeout=300)

    thread = index_in_background(assistant, on_progress=hold, live_every_s=0)
    try:
        with running(create_app(assistant), port) as url:
            context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
            page = context.new_page()
            page.goto(url + "/", wait_until="load")
            page.wait_for_selector("#question textarea", timeout=60_000)
            page.wait_for_function(
                "() => (document.querySelector('#indexing-notice') || {}).innerText"
                "?.includes('(1/3 documents)')",
                timeout=180_000,
            )
            ask(page, "Comment orienter un usager de crack vers un soin résidentiel ?")
            page.evaluate("() => window.scrollTo(0, 0)")
            shoot(page, out / "chat-indexation-en-cours.png")
            context.close()
    finally:
        go_on.set()
        thread.join(timeout=300)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--skip-first-start", action="store_true", help="sans la capture du premier démarrage"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    if not Path(CHROMIUM).exists():
        print("chromium absent (apt-get install chromium)", file=sys.stderr)
        return 1

    from playwright.sync_api import sync_playwright
    from pydantic import SecretStr

    from assistant import Settings, build_assistant
    from ui.server import create_app

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="captures-") as tmp_name:
        tmp = Path(tmp_name)
        index = tmp / "index"
        if (args.index / "chroma").is_dir():
            shutil.copytree(args.index, index)  # never written
        port = free_port()
        settings = Settings(
            corpus_dir=args.corpus,
            index_dir=index,
            port=port,
            feedback_db=tmp / "avis.sqlite3",
            admin_password=SecretStr(ADMIN_PASSWORD),
        )
        assistant = build_assistant(settings)
        if assistant.store.count() == 0:
            print("indexation du corpus dans un dossier temporaire…", file=sys.stderr)
            assistant.sync()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                with running(create_app(assistant), port) as url:
                    chat_shots(browser, url, args.out)
                    admin_shot(browser, url, args.out)
                if not args.skip_first_start:
                    first_start_shot(browser, args.corpus, tmp, args.out, assistant.embeddings)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
