"""Each backend against a real HTTP server on 127.0.0.1 speaking its protocol (Ollama's
/api/chat, OpenAI's /v1/chat/completions), streamed and not."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer

from assistant import Assistant
from assistant.answer.llm import build_chat_model
from assistant.chat import ChatEngine
from tests import llm_servers

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"
SUPPORTED = (
    "Sauf opposition du patient, des professionnels de santé peuvent échanger des "
    "informations relatives à une même personne prise en charge"
)
BACKENDS = ["ollama", "openai"]


def source_number(assistant: Assistant) -> int:
    passages, _ = assistant.search(SECRET)
    for i, p in enumerate(passages[: assistant.settings.answer_passages], 1):
        if "sauf opposition du patient" in " ".join(p.text.split()):
            return i
    raise AssertionError("secret-partagé passage not retrieved")


def engine_for(
    assistant: Assistant, server: HTTPServer, backend: str, stream: bool = True, timeout: float = 10
) -> ChatEngine:
    settings = assistant.settings.model_copy(
        update={
            "llm": backend,
            "llm_model": "modele-test",
            "llm_base_url": llm_servers.base_url(server, backend),
            "llm_timeout": timeout,
            "llm_stream": stream,
        }
    )
    a = replace(assistant, settings=settings, chat_model=build_chat_model(settings))
    return ChatEngine(a, llm=a.llm_answerer())


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_valid_answer(
    seeded: Assistant, httpserver: HTTPServer, backend: str, stream: bool
) -> None:
    n = source_number(seeded)
    seen: list[dict[str, object]] = []
    handler = llm_servers.HANDLERS[backend](lambda body: f"{SUPPORTED} [{n}].", seen)
    llm_servers.serve(httpserver, backend, handler)
    result = engine_for(seeded, httpserver, backend, stream).ask(SECRET)
    assert result.status == "ok", result.notice
    assert result.answer.generated and result.answer.answer.endswith("[1].")
    assert seen[0]["model"] == "modele-test"
    assert seen[0]["stream"] is stream
    messages = seen[0]["messages"]
    assert isinstance(messages, list) and messages[0]["role"] == "system"
    assert '<source n="1"' in messages[-1]["content"]


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_marker_beyond_the_sources_is_repaired(
    seeded: Assistant, httpserver: HTTPServer, backend: str, stream: bool
) -> None:
    n = source_number(seeded)
    reply = f"{SUPPORTED} [{n}]. Ce partage est toujours obligatoire [7]."
    llm_servers.serve(httpserver, backend, llm_servers.HANDLERS[backend](lambda b: reply, []))
    result = engine_for(seeded, httpserver, backend, stream).ask(SECRET)
    assert result.status == "repaired" and "[7]" not in result.answer.answer


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_answer_without_markers_falls_back(
    seeded: Assistant, httpserver: HTTPServer, backend: str, stream: bool
) -> None:
    llm_servers.serve(
        httpserver, backend, llm_servers.HANDLERS[backend](lambda b: SUPPORTED + ".", [])
    )
    result = engine_for(seeded, httpserver, backend, stream).ask(SECRET)
    assert result.status == "fallback" and not result.answer.generated
    assert result.answer.citations  # the extractive answer, with its sources


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_http_500_gives_the_extractive_answer(
    seeded: Assistant, httpserver: HTTPServer, backend: str, stream: bool
) -> None:
    llm_servers.serve(httpserver, backend, llm_servers.failing(500))
    result = engine_for(seeded, httpserver, backend, stream).ask(SECRET)
    assert result.status == "unavailable"
    assert result.notice.startswith("Le générateur de réponses est indisponible")
    assert result.answer.answer == seeded.ask(SECRET).answer
    # One try and at most two retries.
    assert len(httpserver.log) == 3


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_server_hanging_past_the_timeout(
    seeded: Assistant, httpserver: HTTPServer, backend: str, stream: bool
) -> None:
    llm_servers.serve(httpserver, backend, llm_servers.hanging(6))
    started = time.monotonic()
    result = engine_for(seeded, httpserver, backend, stream, timeout=1).ask(SECRET)
    assert result.status == "unavailable"
    # Neither the 6 s hang nor retries after the 1 s deadline were waited for.
    assert time.monotonic() - started < 5
