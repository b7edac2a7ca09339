"""Follow-up questions without an LLM: an elliptic question ("Et pour les pharmaciens ?")
is read together with the previous question of the conversation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .lexical import FrenchAnalyzer

_ELLIPTIC_START = re.compile(
    r"^\s*(?:et\b|qu['’]en est[- ]il|quid\b|pareil|idem|même question|aussi\b|sinon\b|"
    r"dans ce cas|et si\b|pour\b)",
    re.I,
)
# With this few content words, a question leans on what was said before.
_MAX_CONTENT_WORDS = 3


def is_elliptic(question: str, analyzer: FrenchAnalyzer | None = None) -> bool:
    words = (analyzer or FrenchAnalyzer()).words(question)
    return bool(_ELLIPTIC_START.match(question)) or len(words) <= _MAX_CONTENT_WORDS


def condense(
    question: str,
    history: Sequence[Mapping[str, str]],
    analyzer: FrenchAnalyzer | None = None,
) -> str:
    """The question as understood: standalone questions are kept as they are; an elliptic
    one is prefixed with the previous user question."""
    previous = [t["content"] for t in history if t.get("role") == "user" and t.get("content")]
    if not previous or not is_elliptic(question, analyzer):
        return question.strip()
    return f"{previous[-1].strip()} {question.strip()}"
