"""Answer: from the retrieved passages, the extractive answer (sentences ranked, abstention
calibrated) or a generated one checked against them; facts of a document from its record;
follow-ups, patient-data masking."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module of this stage that defines it, imported on first use (the
# CLI's start-up must not load the heavy modules behind them).
_WHERE = {
    "ABSTAIN_MESSAGE": "extractive",
    "Answer": "citations",
    "AnswerConfig": "calibration",
    "Citation": "citations",
    "ExtractiveAnswerer": "extractive",
    "SentenceModel": "sentence_ranker",
    "GenerationConfig": "generation",
    "LLMAnswerer": "generation",
    "build_chat_model": "llm",
    "follow_up": "conversation",
    "document_question": "document_facts",
    "Masked": "privacy",
    "PrivacyGuard": "privacy",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
