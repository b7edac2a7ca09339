"""Several replicas, one store (issue 12): two assistant processes share one
``chroma run`` server; a document added through one is answerable from the other,
already warm, without a restart.

The replicas are this file run as a script (``python tests/test_replicas.py``): each reads
one JSON command a line on stdin and writes one ``REPLY {json}`` line on stdout.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

NEW_DOC = """Dispositif Hirondelle d'accompagnement des sortants de prison

Le dispositif Hirondelle accompagne pendant six mois les personnes usagères de drogues \
qui sortent de détention. Une équipe mobile du CSAPA les rencontre avant la levée \
d'écrou, prépare avec elles la continuité du traitement de substitution et organise le \
premier rendez-vous médical dans les quarante-huit heures suivant la sortie.

Le dispositif Hirondelle associe le service pénitentiaire d'insertion et de probation, \
le CSAPA référent et un pharmacien d'officine désigné par la personne.
"""
NEW_QUESTION = "Qu'est-ce que le dispositif Hirondelle ?"
WARM_QUESTION = "Qu'est-ce que l'intervision ?"


# --- the replica (run as a script) --------------------------------------------------
def _replica() -> None:
    """One replica: settings from the environment (ASSISTANT_*), commands on stdin."""
    from assistant import Settings, build_assistant, corpus_admin

    assistant = build_assistant(Settings())
    print("REPLY " + json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        reply: dict[str, Any]
        if cmd["op"] == "sync":
            report = assistant.sync()
            reply = {"added": report.added}
        elif cmd["op"] == "add":
            entry, report = corpus_admin.add(assistant, Path(cmd["path"]), cmd["meta"])
            reply = {"doc_id": entry.doc_id, "added": report.added}
        elif cmd["op"] == "ask":
            answer = assistant.ask(cmd["question"])
            reply = {
                "abstained": answer.abstained,
                "cited": [c.doc_id for c in answer.citations],
                "passages": [p.doc_id for p in answer.passages],
            }
        else:
            reply = {"error": f"unknown op {cmd['op']}"}
        print("REPLY " + json.dumps(reply), flush=True)


# --- the test -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real ``chroma run`` server on 127.0.0.1, in a temp dir; always stopped."""
    from assistant.search.store import make_client

    exe = shutil.which("chroma", path=os.path.dirname(sys.executable)) or shutil.which("chroma")
    assert exe, "the chroma CLI comes with chromadb"
    port = _free_port()
    data = tmp_path / "chroma-server"
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers (or gives up)
            if proc.poll() is not None:
                pytest.fail("chroma run exited at start")
            try:
                make_client(url, tmp_path / "unused").heartbeat()
                break
            except Exception:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not answer")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Replica:
    """An assistant process driven over its stdin/stdout."""

    def __init__(self, name: str, root: Path, corpus: Path, chroma_url: str) -> None:
        self.name = name
        env = {
            **os.environ,
            "ASSISTANT_CHROMA_URL": chroma_url,
            "ASSISTANT_CORPUS_DIR": str(corpus),
            "ASSISTANT_INDEX_DIR": str(root / "index"),  # its own local state
            "ASSISTANT_REPLICA_CHECK_S": "0",  # check on every question
            "ASSISTANT_LLM": "none",
            "HF_HUB_OFFLINE": "1",
            "OMP_WAIT_POLICY": "passive",
            "ANONYMIZED_TELEMETRY": "False",
            "PYTHONPATH": str(REPO),
        }
        self.stderr = (root / "stderr.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._reply() == {"ready": True}

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("REPLY "):
                self.lines.put(line[len("REPLY ") :])
        self.lines.put("")  # the process ended

    def _reply(self) -> dict[str, Any]:
        try:  # a bound only so that a stuck replica fails the test rather than hangs it
            line = self.lines.get(timeout=600)
        except queue.Empty:
            pytest.fail(f"replica {self.name} did not answer")
        if not line:
            pytest.fail(f"replica {self.name} died: see {self.stderr.name}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def call(self, op: str, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.proc.stdin.flush()
        return self._reply()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.stderr.close()


@pytest.mark.slow
def test_a_document_added_through_one_replica_is_answered_by_the_other(
    chroma_url: str, small_corpus: Path, tmp_path: Path
) -> None:
    # Replica B has its own copy of the corpus folder (only its glossary is read): the
    # store is what the replicas share.
    corpus_b = tmp_path / "corpus-b"
    shutil.copytree(small_corpus, corpus_b)
    replicas: list[Replica] = []
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        a = Replica("A", tmp_path / "a", small_corpus, chroma_url)
        replicas.append(a)
        assert len(a.call("sync")["added"]) == 3
        b = Replica("B", tmp_path / "b", corpus_b, chroma_url)
        replicas.append(b)

        # B is warm: it has answered, its lexical index and exact-search copy are loaded.
        warm = b.call("ask", question=WARM_QUESTION)
        assert not warm["abstained"] and warm["cited"]
        before = b.call("ask", question=NEW_QUESTION)
        assert "dispositif-hirondelle" not in before["passages"]

        src = tmp_path / "dispositif-hirondelle.txt"
        src.write_text(NEW_DOC, encoding="utf-8")
        meta = {
            "title": "Dispositif Hirondelle : accompagnement des sortants de prison",
            "type": "guide",
            "date": "2024-03-01",
            "issuer": "ARS",
        }
        added = a.call("add", path=str(src), meta=meta)
        assert added["doc_id"] == "dispositif-hirondelle"
        assert added["added"] == ["dispositif-hirondelle"]

        # B, not restarted, answers from the new document and cites it.
        after = b.call("ask", question=NEW_QUESTION)
        assert not after["abstained"], after
        assert "dispositif-hirondelle" in after["cited"], after
        # A still answers the same (its own sync reloaded its indexes).
        assert "dispositif-hirondelle" in a.call("ask", question=NEW_QUESTION)["cited"]
    finally:
        for r in replicas:
            r.stop()


class Clock:
    """A monotonic clock moved by hand (the throttle is tested without waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _counting_checks(assistant: Any, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    real = assistant.indexer.is_current

    def is_current(lexical: Any) -> bool:
        calls.append(result := bool(real(lexical)))
        return result

    monkeypatch.setattr(assistant.indexer, "is_current", is_current)
    return calls


def test_replica_check_is_throttled_then_reloads_the_derived_indexes(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process: ``chroma_url`` set (the client is a local one here), a change
    written behind the assistant's back is noticed at the first question after
    ``replica_check_s``, not before."""
    from assistant import Settings, build_assistant
    from tests.conftest import local_client
    from tests.fakes import HashEmbeddings, write_meta

    clock = Clock()
    monkeypatch.setattr("assistant.service.monotonic", clock)
    s = Settings(
        corpus_dir=small_corpus,
        index_dir=tmp_path / "idx",
        chroma_url="http://127.0.0.1:9",  # never dialled: the client is given
        replica_check_s=5,
    )
    a = build_assistant(s, embeddings=HashEmbeddings(size=16), client=local_client(tmp_path / "c"))
    a.sync()
    calls = _counting_checks(a, monkeypatch)
    a.search(WARM_QUESTION)  # loads the lexical index: compared with the store then
    first = a.lexical
    clock.now += 1
    a.search(WARM_QUESTION)
    assert calls == []  # within the interval: no Chroma call

    # "Another replica" adds a document: written to the store, not through ``a``.
    doc = small_corpus / "dispositif-hirondelle.txt"
    doc.write_text(NEW_DOC, encoding="utf-8")
    write_meta(doc, title="Dispositif Hirondelle")
    a.indexer.sync(small_corpus)
    clock.now += 1
    a.search(NEW_QUESTION)
    assert calls == [] and a.lexical is first  # still within the interval
    clock.now += 5
    passages, _ = a.search(NEW_QUESTION, mode="bm25")  # the fake vectors mean nothing
    assert calls == [False] and a.lexical is not first
    assert "dispositif-hirondelle" in {p.doc_id for p in passages}
    clock.now += 5
    a.search(NEW_QUESTION)
    assert calls == [False, True]


def test_local_store_is_never_checked(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a Chroma server one process owns the store: no call per question."""
    from assistant import Settings, build_assistant
    from tests.fakes import HashEmbeddings

    s = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx", replica_check_s=0)
    a = build_assistant(s, embeddings=HashEmbeddings(size=16))
    a.sync()
    calls = _counting_checks(a, monkeypatch)
    for _ in range(3):
        a.search(WARM_QUESTION)
    assert calls == []


def test_a_metadata_edit_through_one_replica_is_seen_by_the_other(
    small_corpus: Path, tmp_path: Path
) -> None:
    """Only a document's sidecar changes (status → abrogé): its passages keep their ids,
    yet the other replica, warm, cites the new status and filters on it, without a
    restart; and a restart does not bring back its saved copies' old status."""
    from assistant import Settings, build_assistant
    from assistant.search.retrieval import Filters
    from tests.conftest import local_client
    from tests.fakes import HashEmbeddings

    client = local_client(tmp_path / "c")  # one store, as one Chroma server

    def replica(name: str, corpus: Path) -> Any:
        s = Settings(
            corpus_dir=corpus,
            index_dir=tmp_path / name,  # its own lexical index and dense copy
            chroma_url="http://127.0.0.1:9",  # never dialled: the client is given
            replica_check_s=0,
        )
        return build_assistant(s, embeddings=HashEmbeddings(size=16), client=client)

    corpus_b = tmp_path / "corpus-b"
    shutil.copytree(small_corpus, corpus_b)
    a = replica("a", small_corpus)
    a.sync()
    b = replica("b", corpus_b)
    doc = "riahn-bulletin-travail-en-reseau"

    def statuses(assistant: Any, filters: Any = None) -> set[str]:
        passages, _ = assistant.search(WARM_QUESTION, k=20, filters=filters, mode="bm25")
        return {str(p.metadata.get("status")) for p in passages if p.doc_id == doc}

    assert statuses(b) == {"en_vigueur"}  # warm: B's derived indexes are loaded
    ids_before = set(b.store.ids())

    meta = small_corpus / f"{doc}.meta.toml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace('status = "en_vigueur"\n', "")
        + 'status = "abroge"\n',
        encoding="utf-8",
    )
    assert a.sync().updated == [doc]
    assert set(b.store.ids()) == ids_before  # the passages' ids did not change

    assert statuses(b) == {"abroge"}  # read from B's refreshed dense copy
    assert statuses(b, Filters(in_force_only=True)) == set()  # B's lexical facets
    answer = b.answerer().answer(WARM_QUESTION, b.search(WARM_QUESTION, mode="bm25")[0])
    cited = [c for c in answer.citations if c.doc_id == doc]
    assert all(c.status == "abroge" and "abrog" in c.notice for c in cited)
    # A restarted B loads its saved copies only if they match the store.
    assert statuses(replica("b", corpus_b)) == {"abroge"}


if __name__ == "__main__":
    _replica()
