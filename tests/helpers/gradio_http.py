"""gradio's browser protocol over plain HTTP, to send what a browser would not: find an
event by its components, run it (queue/join, then the event stream) and return how it
ended; upload a file as the file input does."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx


def event_index(config: dict[str, Any], first_input: str, inputs: int) -> int:
    """The event with ``inputs`` inputs, the first the component of elem_id ``first_input``."""
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"]}
    for dep in config["dependencies"]:
        if len(dep["inputs"]) == inputs and dep["inputs"][0] == ids[first_input]:
            return int(dep["id"])
    raise LookupError(f"aucun événement à {inputs} entrée(s) sur « {first_input} »")


def api_index(config: dict[str, Any], api_name: str) -> int:
    return next(int(d["id"]) for d in config["dependencies"] if d.get("api_name") == api_name)


def run_event(http: httpx.Client, base: str, fn_index: int, data: list[Any]) -> dict[str, Any]:
    """Join the queue as the browser does and return the event's last message
    (``process_completed``, or whatever ended the stream)."""
    session = uuid.uuid4().hex
    payload = {
        "data": data,
        "fn_index": fn_index,
        "session_hash": session,
        "event_data": None,
        "trigger_id": None,
    }
    joined = http.post(f"{base}/gradio_api/queue/join", json=payload)
    joined.raise_for_status()
    event_id = joined.json()["event_id"]
    url = f"{base}/gradio_api/queue/data"
    with http.stream("GET", url, params={"session_hash": session}, timeout=120) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message: dict[str, Any] = json.loads(line[5:])
            if message.get("event_id") not in (None, event_id):
                continue
            if message["msg"] in ("process_completed", "unexpected_error", "close_stream"):
                return message
    raise AssertionError("flux d'événements clos sans fin d'événement")


def upload(http: httpx.Client, base: str, name: str, content: bytes) -> httpx.Response:
    return http.post(f"{base}/gradio_api/upload", files={"files": (name, content)})
