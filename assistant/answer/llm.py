"""The chat model behind generated answers, chosen by configuration
(``ASSISTANT_LLM=none|ollama|openai|llamacpp``). This is the one place that builds it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from ..errors import InputError
from ..settings import Settings

BACKENDS = ("none", "ollama", "openai", "llamacpp")


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    backend = settings.llm
    if backend not in BACKENDS:
        raise InputError(f"LLM inconnu « {backend} » (choix : {', '.join(BACKENDS)})")
    if backend == "none":
        return None
    if not settings.llm_model:
        raise InputError(f"ASSISTANT_LLM_MODEL manquant : quel modèle utiliser avec {backend} ?")
    timeout = settings.llm_timeout
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url or "http://127.0.0.1:11434",
            temperature=0,
            client_kwargs={"timeout": timeout},
        )
    if backend == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "sans-cle"
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=key,  # type: ignore[arg-type]
            temperature=0,
            timeout=timeout,
            max_retries=0,  # retries are ours, within the overall timeout
        )
    path = Path(settings.llm_model)
    if not path.is_file():
        raise InputError(f"fichier GGUF introuvable : {path}")
    return LlamaCppChat(model_path=str(path), n_ctx=settings.llm_context)


class LlamaCppChat(BaseChatModel):
    """A local GGUF model through llama-cpp-python, with its own chat template. Loaded on
    first use; one generation at a time (a llama.cpp context is not thread-safe)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 400
    temperature: float = 0.0
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, verbose=False)
        return self._llama

    @staticmethod
    def _messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        return [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(
            str(c.message.content) for c in self._stream(messages, stop, run_manager, **kwargs)
        )
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            stream = self._model().create_chat_completion(
                messages=self._messages(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
                stream=True,
            )
            for part in stream:
                delta = part["choices"][0].get("delta", {}).get("content") or ""
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk
