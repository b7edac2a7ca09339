"""The web server: the chat at /, the admin tab at /admin (always behind a password),
and /documents/<id>, which serves the corpus's documents and nothing else.

Built on FastAPI with gradio's ``mount_gradio_app``, so that the document route sits
beside the apps; ``assistant serve`` runs it with uvicorn.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse
from starlette.routing import Mount

from assistant import Assistant, Settings, discover
from assistant.chat import ChatEngine
from assistant.errors import InputError
from assistant.feedback import FeedbackStore

from .admin import AdminHandlers, build_admin
from .app import ASSETS, ChatHandlers, build_chat

log = logging.getLogger("assistant.ui")

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


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

    common: dict[str, Any] = {
        "max_file_size": s.max_upload_bytes,
        "enable_monitoring": False,
        "ssr_mode": False,
        "show_error": False,
        "css": (ASSETS / "chat.css").read_text(encoding="utf-8"),
        "head": (ASSETS / "head.html").read_text(encoding="utf-8"),
        "server_name": s.host,
        "server_port": s.port,
    }
    if s.admin_password is not None:
        admin_demo = build_admin(AdminHandlers(assistant, s.max_upload_bytes))
        admin_demo.queue(max_size=s.queue_size, default_concurrency_limit=1)
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
    chat_auth = parse_auth(s.chat_auth.get_secret_value()) if s.chat_auth else None
    gr.mount_gradio_app(app, chat_demo, path="", auth=chat_auth, **common)
    chat_app.extend(r.app for r in app.routes if isinstance(r, Mount) and r.path == "")
    return app


def serve(assistant: Assistant) -> None:
    import uvicorn

    s = assistant.settings
    app = create_app(assistant)
    if s.host not in ("127.0.0.1", "localhost", "::1") and s.chat_auth is None:
        log.warning("chat ouvert sur %s sans authentification (ASSISTANT_CHAT_AUTH)", s.host)
    print(f"Chat sur http://{s.host}:{s.port}/", flush=True)
    if s.admin_password is not None:
        print(f"Administration sur http://{s.host}:{s.port}/admin/", flush=True)
    uvicorn.run(app, host=s.host, port=s.port, log_level="warning")
