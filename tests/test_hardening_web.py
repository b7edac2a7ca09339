"""Issue 16, the web app (items 11-13), on a real server on 127.0.0.1: the chat takes no
upload and the admin's need its login, with nothing written to the temp folders when
refused; an event's input names no file but one its app received by upload, so no server
file is read through the admin's file input or the chat's history; a full queue answers
in French to every client."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from pydantic import SecretStr

from assistant import Assistant, build_assistant
from assistant.settings import Settings
from tests.fakes import HashEmbeddings, ScriptedChatModel
from tests.helpers.gradio_http import api_index, event_index, run_event, upload
from tests.live import free_port, running
from ui.server import FILE_REFUSED, QUEUE_FULL_CHAT, RefuseUploads, create_app

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DOC = "riahn-bulletin-travail-en-reseau"
QUESTION = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"
PASSWORD = "mot-de-passe-admin"
MARK = "CONFIDENTIEL-7731"
NOTE = (
    "Note sur le partage d'informations\n\nParis, le 3 mars 2024\n\n"
    "Les membres de l'équipe de liaison en addictologie partagent les informations "
    "strictement nécessaires à la coordination des soins.\n"
)


@dataclass
class Web:
    url: str
    assistant: Assistant
    temp_dirs: tuple[Path, Path]  # gradio's upload folder, the system temp folder


def light_assistant(
    root: Path, chat_model: ScriptedChatModel | None = None, **settings: object
) -> Assistant:
    """One corpus document, a stand-in embedder, lexical search: these tests are about
    the web layer, not about answers."""
    corpus = root / "corpus"
    corpus.mkdir()
    for suffix in (".txt", ".meta.toml"):
        shutil.copy(CORPUS / f"{DOC}{suffix}", corpus)
    s = Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        mode="bm25",
        feedback_db=root / "feedback.sqlite3",
        **settings,  # type: ignore[arg-type]
    )
    a = build_assistant(s, embeddings=HashEmbeddings(size=16), chat_model=chat_model)
    a.sync()
    return a


def files_under(*dirs: Path) -> set[Path]:
    return {p for d in dirs if d.exists() for p in d.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    root = tmp_path_factory.mktemp("web")
    gradio_dir, system_dir = root / "gradio-temp", root / "system-temp"
    system_dir.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        # Every place a request's files could land: gradio's upload folder and the
        # system temp folder (multipart parsing, gradio's own temp files).
        mp.setenv("GRADIO_TEMP_DIR", str(gradio_dir))
        mp.setattr(tempfile, "tempdir", str(system_dir))
        port = free_port()
        a = light_assistant(root, admin_password=SecretStr(PASSWORD), port=port)
        with running(create_app(a), port) as url:
            yield Web(url, a, (gradio_dir, system_dir))


@pytest.fixture
def admin_http(web: Web) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as http:
        r = http.post(f"{web.url}/admin/login", data={"username": "admin", "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield http


# --- 11. uploads -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "route",
    [
        "/gradio_api/upload",
        "/gradio_api/upload?upload_id=abc",
        "/gradio_api/upload/",
        "/gradio_api//upload",
        "/gradio_api/process_recording",
        "/gradio_api/component_server",
        "/upload",
    ],
)
def test_the_chat_refuses_uploads_and_writes_nothing(web: Web, route: str) -> None:
    before = files_under(*web.temp_dirs)
    files = [("files", (f"f{i}.txt", b"a" * 900_000)) for i in range(3)]
    files.append(("video", ("v.mp4", b"\x00" * 900_000)))
    r = httpx.post(web.url + route, files=files, timeout=60)
    assert r.status_code in (403, 404), (route, r.status_code, r.text[:200])
    if r.status_code == 403:
        assert r.json()["detail"] == "Envoi de fichiers refusé : le chat n'accepte aucun fichier."
    assert files_under(*web.temp_dirs) == before


def test_the_admin_uploads_need_its_login(web: Web, admin_http: httpx.Client) -> None:
    before = files_under(*web.temp_dirs)
    for route in ("/admin/gradio_api/upload", "/admin/gradio_api/process_recording"):
        r = httpx.post(web.url + route, files={"files": ("a.txt", b"a" * 900_000)})
        assert r.status_code == 401, (route, r.status_code)
    assert files_under(*web.temp_dirs) == before
    ok = upload(admin_http, f"{web.url}/admin", "note.txt", NOTE.encode())
    assert ok.status_code == 200, ok.text
    assert Path(ok.json()[0]).read_text(encoding="utf-8") == NOTE


def test_uploads_are_refused_whatever_the_mount_path(tmp_path: Path) -> None:
    """The guard sits on the gradio app itself: mounted under a prefix, it still holds."""
    import gradio as gr
    from fastapi import FastAPI
    from starlette.routing import Mount

    with gr.Blocks() as demo:
        gr.Textbox()
    app = FastAPI()
    gr.mount_gradio_app(app, demo, path="/sous/chemin")
    mounted: Any = next(r.app for r in app.routes if isinstance(r, Mount))
    mounted.add_middleware(RefuseUploads)
    port = free_port()
    with running(app, port) as url:
        r = httpx.post(f"{url}/sous/chemin/gradio_api/upload", files={"files": ("a", b"a")})
        assert r.status_code == 403 and "refusé" in r.json()["detail"]
        assert httpx.get(f"{url}/sous/chemin/config").status_code == 200


# --- 12. a file input names only this app's uploads -----------------------------------


@pytest.fixture
def server_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret-serveur.txt"
    secret.write_text(f"Titre confidentiel\n\n{MARK} : mot de passe du serveur.\n", "utf-8")
    return secret


def assert_never_read(web: Web, *answers: dict[str, object]) -> None:
    for answer in answers:
        assert MARK not in json.dumps(answer, ensure_ascii=False)
    for path in files_under(*web.temp_dirs):
        assert MARK not in path.read_text(encoding="utf-8", errors="ignore"), path
    corpus = web.assistant.settings.corpus_dir
    assert not any("secret" in p.name for p in corpus.iterdir())


def file_data(path: str) -> dict[str, object]:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


def test_the_admin_file_input_refuses_a_server_path(
    web: Web, admin_http: httpx.Client, server_file: Path
) -> None:
    admin = f"{web.url}/admin"
    config = admin_http.get(f"{admin}/config").json()
    propose, add = event_index(config, "upload", 1), event_index(config, "upload", 8)
    # A real upload, to take its folder as the start of a path that climbs out of it.
    uploaded = upload(admin_http, admin, "note.txt", NOTE.encode()).json()[0]
    out = str(Path(uploaded).parent) + "/../.." + str(server_file)
    fields = ["Titre", "note", "", "", "", "en_vigueur", ""]
    ends = []
    for path in (str(server_file), out, f"file://{server_file}", "/etc/passwd"):
        for fn, data in ((propose, [file_data(path)]), (add, [file_data(path), *fields])):
            end = run_event(admin_http, admin, fn, data)
            assert end["success"] is False, end
            assert end["output"]["error"] == FILE_REFUSED
            ends.append(end)
    assert_never_read(web, *ends)


def test_the_admin_file_input_takes_its_own_uploads(web: Web, admin_http: httpx.Client) -> None:
    admin = f"{web.url}/admin"
    config = admin_http.get(f"{admin}/config").json()
    propose, add = event_index(config, "upload", 1), event_index(config, "upload", 8)
    path = upload(admin_http, admin, "note-liaison.txt", NOTE.encode()).json()[0]
    end = run_event(admin_http, admin, propose, [file_data(path)])
    assert end["success"] is True, end
    assert end["output"]["data"][0] == "Note sur le partage d'informations"
    fields = ["Note sur le partage", "note", "2024-03-03", "", "", "en_vigueur", ""]
    end = run_event(admin_http, admin, add, [file_data(path), *fields])
    assert end["success"] is True, end
    assert "« note-liaison » ajouté" in end["output"]["data"][0]
    assert (web.assistant.settings.corpus_dir / "note-liaison.txt").is_file()


def test_the_chat_history_cannot_name_a_server_file(web: Web, server_file: Path) -> None:
    """The same hole through the chat, anonymously: a history message holding a file."""
    with httpx.Client(timeout=60) as http:
        config = http.get(f"{web.url}/config").json()
        respond = event_index(config, "question", 7)
        history = [
            {"role": "user", "content": [{"file": file_data(str(server_file)), "type": "file"}]},
            {"role": "assistant", "content": [{"text": "Bonjour.", "type": "text"}]},
        ]
        end = run_event(http, web.url, respond, [QUESTION, history, None, [], "", "", False])
    assert end["success"] is False and end["output"]["error"] == FILE_REFUSED, end
    assert_never_read(web, end)


# --- 13. a full queue, in French for every client ----------------------------------------


def test_a_full_queue_answers_in_french_to_every_client(tmp_path: Path) -> None:
    """One answer at a time, one waiting: the next ones are turned away at once, in French,
    whether they come through gradio_client, the HTTP API or the browser's protocol."""
    port = free_port()
    slow = light_assistant(
        tmp_path,
        port=port,
        queue_size=1,
        chat_concurrency=1,
        llm_timeout=10.0,
        chat_model=ScriptedChatModel(delay=4.0, reply="Trop tard [1]."),
    )
    with running(create_app(slow), port) as url:
        client = Client(url + "/", verbose=False)
        first = client.submit(QUESTION, api_name="/ask")
        time.sleep(1.0)
        second = client.submit(QUESTION, api_name="/ask")
        time.sleep(0.5)

        with pytest.raises(Exception) as refused:  # gradio_client's own types
            client.submit(QUESTION, api_name="/ask").result(timeout=30)
        assert QUEUE_FULL_CHAT in str(refused.value)

        with httpx.Client(timeout=30) as http:
            posted = http.post(f"{url}/gradio_api/call/ask", json={"data": [QUESTION]})
            assert posted.status_code == 200, posted.text
            streamed = http.get(f"{url}/gradio_api/call/ask/{posted.json()['event_id']}").text
            assert "event: error" in streamed
            data = [json.loads(x[5:]) for x in streamed.splitlines() if x.startswith("data:")]
            assert {"error": QUEUE_FULL_CHAT} in [
                {"error": d.get("error")} for d in data if isinstance(d, dict)
            ], streamed

            config = http.get(f"{url}/config").json()
            end = run_event(http, url, api_index(config, "ask"), [QUESTION])
            assert end["success"] is False and end["output"]["error"] == QUEUE_FULL_CHAT, end

        # The refusals cost the others nothing: both are answered.
        assert "[1]" in first.result(timeout=60)[0]
        assert "[1]" in second.result(timeout=60)[0]
