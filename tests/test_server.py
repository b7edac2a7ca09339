"""The web app launched for real on 127.0.0.1: gradio_client, the document route, upload
limits, the admin password, and what reaches the logs."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from pydantic import SecretStr

from assistant import Assistant
from tests.live import free_port, running
from ui.server import create_app, document_path

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"
LIMIT = 4096
BODY = "1840375123456"
NIR = f"1 84 03 75 123 456 {97 - int(BODY) % 97:02d}"


@pytest.fixture(scope="module")
def live(seeded: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("live")
    settings = seeded.settings.model_copy(
        update={
            "admin_password": SecretStr("mot-de-passe-admin"),
            "max_upload_bytes": LIMIT,
            "feedback_db": tmp / "feedback.sqlite3",
            "log_questions": True,  # even so, patient data stays masked
        }
    )
    port = free_port()
    app = create_app(replace(seeded, settings=settings.model_copy(update={"port": port})))
    with running(app, port) as url:
        yield url, tmp / "feedback.sqlite3"


def test_gradio_client_gets_a_streamed_answer_with_sources(live: tuple[str, Path]) -> None:
    url, _ = live
    client = Client(url + "/", verbose=False)
    job = client.submit(SECRET, api_name="/ask")
    answer, sources = job.result(timeout=120)
    steps = job.outputs()
    assert len(steps) >= 3, steps  # streamed
    assert '<a class="cite" href="#src-1-1"' in answer
    assert 'id="src-1-1"' in sources and "Bulletin du réseau addictions" in sources


def test_document_route_serves_corpus_documents(live: tuple[str, Path]) -> None:
    url, _ = live
    r = httpx.get(f"{url}/documents/riahn-bulletin-travail-en-reseau")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "Secret professionnel" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/documents/../pyproject.toml",
        "/documents/..%2Fpyproject.toml",
        "/documents/..%252Fpyproject.toml",
        "/documents/%2E%2E/%2E%2E/etc/passwd",
        "/documents/%2Fetc%2Fpasswd",
        "/documents//etc/passwd",
        "/documents/riahn-bulletin-travail-en-reseau.meta.toml",
        "/documents/README",
        "/documents/glossary",
        "/documents/....//....//pyproject.toml",
        "/gradio_api/file=../pyproject.toml",
        "/gradio_api/file=/etc/passwd",
    ],
)
def test_traversal_is_refused(live: tuple[str, Path], path: str) -> None:
    url, _ = live
    # Sent as written: no client-side normalisation of the dots.
    with httpx.Client() as client:
        request = client.build_request("GET", url)
        request.url = httpx.URL(url + path)
        r = client.send(request)
    assert r.status_code in (403, 404), (path, r.status_code)
    assert "[project]" not in r.text and "root:" not in r.text


def test_document_path_does_not_follow_symlinks_out(tmp_path: Path, corpus_copy: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("confidentiel", encoding="utf-8")
    link = corpus_copy / "lien.txt"
    link.symlink_to(secret)
    (corpus_copy / "lien.meta.toml").write_text('title = "Lien"\ntype = "note"\n', encoding="utf-8")
    assert document_path(corpus_copy, "lien") is None
    assert document_path(corpus_copy, "riahn-bulletin-travail-en-reseau") is not None


def test_upload_one_byte_over_the_limit_is_refused(live: tuple[str, Path]) -> None:
    url, _ = live
    with httpx.Client() as admin:  # only the admin takes uploads (the chat refuses them)
        login = {"username": "admin", "password": "mot-de-passe-admin"}
        assert admin.post(f"{url}/admin/login", data=login).status_code == 200
        upload = f"{url}/admin/gradio_api/upload"
        ok = admin.post(upload, files={"files": ("a.txt", b"a" * LIMIT)})
        over = admin.post(upload, files={"files": ("b.txt", b"a" * (LIMIT + 1))})
    assert ok.status_code == 200, ok.text
    assert over.status_code == 413, over.text


def test_admin_needs_the_password(live: tuple[str, Path]) -> None:
    url, _ = live
    r = httpx.get(f"{url}/admin/config")
    assert r.status_code in (401, 403) or "auth_required" in r.text
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own types
        Client(url + "/admin/", verbose=False)
    client = Client(url + "/admin/", auth=("admin", "mot-de-passe-admin"), verbose=False)
    message, table = client.predict(api_name="/sync")
    assert "à jour" in message or "inchangé" in message or "Index" in message
    assert len(table["data"]) >= 46


def test_nir_never_reaches_the_log_nor_the_feedback(
    live: tuple[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    url, db = live
    caplog.set_level(logging.DEBUG)
    client = Client(url + "/", verbose=False)
    answer, _ = client.predict(f"Mon patient {NIR} peut-il être suivi en CSAPA ?", api_name="/ask")
    assert NIR not in answer and "Données de patient masquées" in answer
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "[NIR masqué]" in logged  # questions are logged (operator's choice), masked
    assert NIR not in logged and NIR.replace(" ", "") not in logged
    if db.exists():
        with sqlite3.connect(db) as con:
            dump = "\n".join(con.iterdump())
        assert NIR not in dump


def test_a_crowd_gets_queue_full(seeded: Assistant, tmp_path: Path) -> None:
    """One answer at a time, one waiting: the third question is turned away at once."""
    from tests.fakes import ScriptedChatModel

    port = free_port()
    settings = seeded.settings.model_copy(
        update={
            "port": port,
            "queue_size": 1,
            "chat_concurrency": 1,
            "feedback_db": tmp_path / "f.sqlite3",
            "llm_timeout": 6.0,
        }
    )
    slow = replace(
        seeded, settings=settings, chat_model=ScriptedChatModel(delay=3.0, reply="Trop tard [1].")
    )
    with running(create_app(slow), port) as url:
        client = Client(url + "/", verbose=False)
        first = client.submit(SECRET, api_name="/ask")
        time.sleep(1.0)
        second = client.submit(SECRET, api_name="/ask")
        time.sleep(0.5)
        third = client.submit(SECRET, api_name="/ask")
        with pytest.raises(Exception, match=r"File d'attente pleine"):
            third.result(timeout=30)
        # The others are answered (the slow generator gives way to the extractive answer).
        assert "[1]" in first.result(timeout=60)[0]
        assert "[1]" in second.result(timeout=60)[0]


def test_chat_password_also_guards_the_documents(seeded: Assistant, tmp_path: Path) -> None:
    port = free_port()
    settings = seeded.settings.model_copy(
        update={
            "port": port,
            "chat_auth": SecretStr("medecin:secret-partage"),
            "feedback_db": tmp_path / "f.sqlite3",
        }
    )
    with running(create_app(replace(seeded, settings=settings)), port) as url:
        doc = f"{url}/documents/riahn-bulletin-travail-en-reseau"
        assert httpx.get(doc).status_code == 401
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own types
            Client(url + "/", verbose=False)
        with httpx.Client() as browser:
            bad = browser.post(f"{url}/login", data={"username": "medecin", "password": "x"})
            assert bad.status_code >= 400 and browser.get(doc).status_code == 401
            ok = browser.post(
                f"{url}/login", data={"username": "medecin", "password": "secret-partage"}
            )
            assert ok.status_code == 200, ok.text
            r = browser.get(doc)
            assert r.status_code == 200 and "Secret professionnel" in r.text
