"""Headless Chromium (Debian's package) for the browser tests, and a chat engine that
can be slowed down, to stop an answer while it streams."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant import Filters
from assistant.answer.generation import Delta, Progress
from assistant.chat import ChatEngine, TurnResult, Understood

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SLOW_WORD = "lentement"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ASSISTANT_REQUIRE_BROWSER") == "1":
            raise RuntimeError("chromium absent alors que ASSISTANT_REQUIRE_BROWSER=1")
        pytest.skip("chromium absent (apt-get install chromium)", allow_module_level=True)


def launch(p: Any) -> Any:
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


class SlowEngine(ChatEngine):
    """The real engine; a question holding « lentement » waits before each event."""

    delay = 4.0

    def stream(
        self,
        message: str,
        history: Sequence[Mapping[str, str]] = (),
        filters: Filters | None = None,
        k: int | None = None,
        mode: str | None = None,
    ) -> Iterator[Understood | Progress | Delta | TurnResult]:
        for event in super().stream(message, history, filters, k, mode):
            if SLOW_WORD in message:
                time.sleep(self.delay)
            yield event
