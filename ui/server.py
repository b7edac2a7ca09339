"""The web server: the chat at /, the admin tab at /admin (always behind a password),
/documents/<id>, which serves the corpus's documents and nothing else, and
/lecture/<id>, the reader (a document's text with the cited passage highlighted).

Built on FastAPI with gradio's ``mount_gradio_app``, so that the document route sits
beside the apps; ``assistant serve`` runs it with uvicorn. Three guards are added to
what gradio does for a mounted app: the chat takes no upload, an event's input may
name no file but those its app received by upload, and a full queue answers in French
to every client.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.datastructures import Headers
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant import Assistant, Settings, discover
from assistant.chat import ChatEngine
from assistant.errors import InputError
from assistant.feedback import FeedbackStore

from .admin import AdminHandlers, build_admin
from .chat_handlers import ChatHandlers
from .chat_view import ASSETS, build_chat
from .library import reader_html

log = logging.getLogger("assistant.ui")

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}

UPLOAD_REFUSED = "Envoi de fichiers refusé : le chat n'accepte aucun fichier."
FILE_REFUSED = (
    "Fichier refusé : seul un fichier envoyé depuis cette page peut être utilisé. "
    "Choisissez-le à nouveau."
)
QUEUE_FULL_CHAT = (
    "File d'attente pleine : trop de questions en même temps. Réessayez dans un instant."
)
QUEUE_FULL_ADMIN = (
    "File d'attente pleine : une opération est déjà en attente. Réessayez dans un instant."
)
# gradio's routes that write a request's files to disk (the upload cache, the temp folder).
_UPLOAD_ROUTES = frozenset({"upload", "process_recording"})


def parse_auth(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError("ASSISTANT_CHAT_AUTH : format attendu « utilisateur:mot-de-passe »")
    return user, password


def document_path(corpus_dir: Path, doc_id: str) -> Path | None:
    """The file of a corpus document, or None. Only ids of discovered documents resolve,
    and the file must lie inside the corpus folder (a symlink out of it does not)."""
    root = corpus_dir.resolve()
    for entry in discover(corpus_dir).entries:
        if entry.doc_id == doc_id:
            path = entry.path.resolve()
            return path if path.is_relative_to(root) and path.is_file() else None
    return None


class RefuseUploads:
    """ASGI middleware for a gradio app that has no file input (the chat): its upload
    routes, and any multipart body sent to its API, are refused before a byte of the body
    is read, so nothing reaches the temp folder. gradio serves these routes to anyone
    (anonymously on an open chat) whatever the app's components.

    Added to the gradio app itself, so it holds whatever path the app is mounted at.
    The login form (multipart from the browser) is not under ``gradio_api`` and passes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            parts = [p for p in str(scope["path"]).split("/") if p]
            content_type = Headers(scope=scope).get("content-type", "").lower()
            if "gradio_api" in parts and (
                parts[-1] in _UPLOAD_ROUTES or content_type.startswith("multipart/")
            ):
                refusal = JSONResponse({"detail": UPLOAD_REFUSED}, status_code=403)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def accept_only_received_files(demo: Any) -> None:
    """An event's input may name a file only if this app received it by upload.

    gradio copies any ``{"path": ...}`` of an input into its cache (reading it) before
    the handler runs, and serves the copy back; its own check, that the file was
    uploaded, only runs after ``launch()``, never for an app mounted on FastAPI. Without
    this, a request naming a server file (``/etc/…``) had it read and proposed by the
    admin, or echoed back by the chat's history. The paths are compared as strings, so a
    refused file is never opened.
    """
    import gradio as gr
    from gradio_client.utils import is_file_obj, traverse

    preprocess = demo.preprocess_data

    def check(file: dict[str, Any]) -> dict[str, Any]:
        # ``upload_file_set`` is where gradio's upload route records what it wrote for
        # this app; without it (another gradio), nothing is accepted.
        received = {os.path.abspath(p) for p in getattr(demo, "upload_file_set", ())}
        if os.path.abspath(str(file["path"])) not in received:
            log.warning("fichier refusé dans une requête : %.200r", file["path"])
            raise gr.Error(FILE_REFUSED, title="Fichier refusé", print_exception=False)
        return file

    async def guarded(
        block_fn: Any, inputs: list[Any], state: Any, explicit_call: bool = False
    ) -> Any:
        traverse(inputs, check, is_file_obj)
        return await preprocess(block_fn, inputs, state, explicit_call)

    demo.preprocess_data = guarded


def french_queue_full(demo: Any, message: str) -> None:
    """A full queue answers ``message`` to every client, not only in the browser.

    gradio refuses the request with a 503 whose text each client writes itself, in
    English (gradio_client: "Queue is full! Please try again."; the browser: "This
    application is currently busy"). Instead the request is taken and its event ends at
    once with ``message`` as its error, which every client shows as it is: gradio_client
    raises it, the browser shows it, the HTTP API streams it. Nothing is queued or run.
    """
    from gradio.server_messages import ProcessCompletedMessage

    queue = demo._queue
    push = queue.push

    async def push_or_refuse(body: Any, request: Any, username: str | None) -> Any:
        accepted, detail, state = await push(body=body, request=request, username=username)
        if state != "queue_full":
            return accepted, detail, state
        log.warning("file d'attente pleine : requête refusée")
        event_id = uuid.uuid4().hex
        # A client without a session (the /call API) reads its events by event id.
        session = body.session_hash or event_id
        async with queue.pending_message_lock:
            if session not in queue.pending_messages_per_session:
                queue.pending_messages_per_session[session] = asyncio.Queue()
            queue.pending_event_ids_session.setdefault(session, set()).add(event_id)
        error = {"error": message, "title": "File d'attente pleine", "visible": True}
        queue.pending_messages_per_session[session].put_nowait(
            ProcessCompletedMessage(event_id=event_id, output=error, success=False)
        )
        return True, event_id, "success"

    queue.push = push_or_refuse


def create_app(
    assistant: Assistant,
    engine: ChatEngine | None = None,
    feedback: FeedbackStore | None = None,
) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # offline by design: never ask the hub
    import gradio as gr

    s: Settings = assistant.settings
    engine = engine or ChatEngine(assistant, llm=assistant.llm_answerer())
    feedback = feedback or FeedbackStore(s.feedback_db, store_questions=s.log_questions)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    chat_app: list[Any] = []  # the mounted chat, whose login also guards the documents

    def logged_in(request: Request) -> bool:
        if s.chat_auth is None:
            return True
        gradio_app = chat_app[0]
        cookie = f"access-token-{gradio_app.cookie_id}"
        token = request.cookies.get(cookie) or request.cookies.get(
            f"access-token-unsecure-{gradio_app.cookie_id}"
        )
        return gradio_app.tokens.get(token) is not None

    @app.get("/documents/{doc_id}")
    def document(doc_id: str, request: Request) -> Any:
        if not logged_in(request):
            raise HTTPException(status_code=401, detail="identification requise")
        path = document_path(s.corpus_dir, doc_id)
        if path is None:
            raise HTTPException(status_code=404, detail="document inconnu")
        headers = {
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(path.name)}",
        }
        if path.suffix != ".pdf":
            headers["Content-Security-Policy"] = "default-src 'none'"
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)

    @app.get("/lecture/{doc_id}")
    def reader(doc_id: str, request: Request) -> Any:
        """The in-app reader: the document's text, title and metadata above, the cited
        passage (``extrait``, repeatable) highlighted and scrolled to (``#passage``)."""
        if not logged_in(request):
            raise HTTPException(status_code=401, detail="identification requise")
        extracts = request.query_params.getlist("extrait")
        page = reader_html(s.corpus_dir, doc_id, extracts, s.max_age_years)
        if page is None:
            raise HTTPException(status_code=404, detail="document inconnu")
        headers = {
            "X-Content-Type-Options": "nosniff",
            # Styles inline, no script, links within the app.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        }
        return HTMLResponse(page, headers=headers)

    common: dict[str, Any] = {
        "max_file_size": s.max_upload_bytes,
        "enable_monitoring": False,
        "ssr_mode": False,
        "show_error": False,
        # gradio's footer links are in English (« Use via API », « Built with Gradio »,
        # « Settings »; fourteenth fresh-user test): none, the page is in French.
        "footer_links": [],
        "css": (ASSETS / "chat.css").read_text(encoding="utf-8"),
        "head": (ASSETS / "head.html").read_text(encoding="utf-8"),
        "server_name": s.host,
        "server_port": s.port,
    }
    if s.admin_password is not None:
        admin_demo = build_admin(AdminHandlers(assistant, s.max_upload_bytes))
        admin_demo.queue(max_size=s.queue_size, default_concurrency_limit=1)
        # Its upload route needs its login (gradio's check); what an event may name is
        # checked here.
        accept_only_received_files(admin_demo)
        french_queue_full(admin_demo, QUEUE_FULL_ADMIN)
        gr.mount_gradio_app(
            app,
            admin_demo,
            path="/admin",
            auth=(s.admin_user, s.admin_password.get_secret_value()),
            auth_message="Administration du corpus : identifiez-vous.",
            **common,
        )
    else:
        log.warning("onglet d'administration désactivé : ASSISTANT_ADMIN_PASSWORD non défini")

    chat_demo = build_chat(ChatHandlers(engine, feedback), concurrency=s.chat_concurrency)
    chat_demo.queue(max_size=s.queue_size, default_concurrency_limit=s.chat_concurrency)
    accept_only_received_files(chat_demo)
    french_queue_full(chat_demo, QUEUE_FULL_CHAT)
    chat_auth = parse_auth(s.chat_auth.get_secret_value()) if s.chat_auth else None
    gr.mount_gradio_app(app, chat_demo, path="", auth=chat_auth, **common)
    chat_app.extend(r.app for r in app.routes if isinstance(r, Mount) and r.path == "")
    chat_app[0].add_middleware(RefuseUploads)
    return app


def check_port(host: str, port: int) -> None:
    """Refuse, in one French line, a port already taken (another ``assistant serve``) or
    forbidden, before anything is built or announced; uvicorn would otherwise print its
    own English error after « Chat sur … »."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As uvicorn does: a port left in TIME_WAIT by a server just stopped is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"impossible d'ouvrir le chat sur {host}:{port} ({exc.strerror or exc}) : "
                "port déjà utilisé ? choisissez-en un autre avec --port"
            ) from None


def serve(assistant: Assistant) -> None:
    import uvicorn

    s = assistant.settings
    check_port(s.host, s.port)
    app = create_app(assistant)
    if s.host not in ("127.0.0.1", "localhost", "::1") and s.chat_auth is None:
        log.warning("chat ouvert sur %s sans authentification (ASSISTANT_CHAT_AUTH)", s.host)
    print(f"Chat sur http://{s.host}:{s.port}/", flush=True)
    if s.admin_password is not None:
        print(f"Administration sur http://{s.host}:{s.port}/admin/", flush=True)
    uvicorn.run(app, host=s.host, port=s.port, log_level="warning")
