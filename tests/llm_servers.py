"""Protocol-faithful LLM servers for pytest-httpserver: Ollama's /api/chat (NDJSON when
streaming) and OpenAI's /v1/chat/completions (server-sent events when streaming); and a
bare socket server that accepts and never answers (:class:`SilentServer`)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

Reply = Callable[[dict[str, object]], str]


def _tokens(text: str) -> list[str]:
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


def ollama_handler(
    reply: Reply, requests: list[dict[str, object]]
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        body = json.loads(request.data)
        requests.append(body)
        text = reply(body)
        model = body.get("model", "m")
        if body.get("stream", True):
            lines = [
                {
                    "model": model,
                    "created_at": "2026-11-22T10:00:00Z",
                    "message": {"role": "assistant", "content": tok},
                    "done": False,
                }
                for tok in _tokens(text)
            ]
            lines.append(
                {
                    "model": model,
                    "created_at": "2026-11-22T10:00:01Z",
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "prompt_eval_count": 10,
                    "eval_count": 5,
                }
            )
            return Response(
                "\n".join(json.dumps(x) for x in lines) + "\n", content_type="application/x-ndjson"
            )
        return Response(
            json.dumps(
                {
                    "model": model,
                    "created_at": "2026-11-22T10:00:00Z",
                    "message": {"role": "assistant", "content": text},
                    "done": True,
                    "done_reason": "stop",
                    "prompt_eval_count": 10,
                    "eval_count": 5,
                }
            ),
            content_type="application/json",
        )

    return handle


def openai_handler(
    reply: Reply, requests: list[dict[str, object]]
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        body = json.loads(request.data)
        requests.append(body)
        text = reply(body)
        model = body.get("model", "m")
        if body.get("stream"):
            events = []
            for i, tok in enumerate(_tokens(text)):
                delta = {"content": tok, **({"role": "assistant"} if i == 0 else {})}
                events.append(
                    {
                        "id": "c1",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                )
            events.append(
                {
                    "id": "c1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
            )
            sse = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
            return Response(sse, content_type="text/event-stream")
        return Response(
            json.dumps(
                {
                    "id": "c1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
            ),
            content_type="application/json",
        )

    return handle


def failing(status: int = 500) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        return Response(
            json.dumps({"error": "panne du serveur"}),
            status=status,
            content_type="application/json",
        )

    return handle


def hanging(seconds: float) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        time.sleep(seconds)
        return Response("{}", content_type="application/json")

    return handle


PATHS = {"ollama": "/api/chat", "openai": "/v1/chat/completions"}
HANDLERS = {"ollama": ollama_handler, "openai": openai_handler}


def serve(server: HTTPServer, backend: str, handler: Callable[[Request], Response]) -> None:
    server.expect_request(PATHS[backend], method="POST").respond_with_handler(handler)


def base_url(server: HTTPServer, backend: str) -> str:
    return server.url_for("/v1") if backend == "openai" else server.url_for("/").rstrip("/")


class SilentServer:
    """A real TCP server on 127.0.0.1 that accepts every connection, reads the request and
    never answers: the worst kind of stuck backend (no error, no byte, no close), which
    only the caller's deadline ends. A context manager; ``url`` is its base address."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._clients: list[socket.socket] = []
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True, name="silent-llm")

    @property
    def url(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._clients.append(conn)  # held open, never written to

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._clients:
            conn.close()
        self._sock.close()
