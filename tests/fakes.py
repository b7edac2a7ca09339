"""Deterministic stand-ins, used only where a real component cannot serve the test."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult


class CountingEmbeddings(Embeddings):
    """Wraps a real embedder and records what it embeds (to prove what is re-embedded)."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "inner")
        self.documents: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self.inner.embed_query(text)


class HashEmbeddings(DeterministicFakeEmbedding):
    """Hash-seeded vectors: same text, same vector; no meaning. For plumbing tests only."""

    name: str = "fake-hash"


class FailingEmbeddings(Embeddings):
    """Embeds normally until ``fail_when`` says a batch must fail (a crash mid-index)."""

    def __init__(self, inner: Embeddings, fail_when: Callable[[list[str]], bool]) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "inner")
        self.fail_when = fail_when

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.fail_when(texts):
            raise RuntimeError("panne simulée de l'embedder")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def write_meta(path: Path, **fields: object) -> Path:
    """Write a ``NAME.meta.toml`` sidecar next to ``path``."""
    meta = {"title": f"Document {path.stem}", "type": "guide", **fields}
    lines = []
    for k, v in meta.items():
        if isinstance(v, str):
            lines.append(f'{k} = "{v}"')
        else:
            lines.append(f"{k} = {v}")
    out = path.with_name(path.stem + ".meta.toml")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def make_pdf(
    path: Path,
    pages: list[str],
    labels: tuple[str, int] | None = None,
    user_password: str | None = None,
) -> Path:
    """A real PDF with one text page per entry (core font: Latin-1 text only)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if user_password is not None:
        pdf.set_encryption(owner_password="proprietaire", user_password=user_password)
    for i, text in enumerate(pages):
        pdf.add_page()
        if labels and i == 0:
            style, start = labels
            pdf.set_page_label(label_style=style, label_start=start)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def make_image_only_pdf(path: Path) -> Path:
    """A scan-like PDF: drawings, no text layer."""
    pdf = FPDF()
    pdf.add_page()
    for i in range(20):
        pdf.rect(10 + i * 5, 10 + i * 5, 50, 20, style="F")
    pdf.output(str(path))
    return path


class ScriptedChatModel(BaseChatModel):
    """A backend that misbehaves on cue: fails its first ``failures`` calls (connection
    refused), waits ``delay`` seconds before each answer (a stuck server), then says
    ``reply``."""

    failures: int = 0
    delay: float = 0.0
    reply: str = ""
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("connexion refusée (panne simulée)")
        time.sleep(self.delay)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self.reply))])
