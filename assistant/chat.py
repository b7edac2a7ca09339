"""One conversational turn, as the chat and ``ask --llm`` run it:

1. the question is validated and its patient data masked (nothing unmasked goes further);
2. a follow-up is read with the conversation (by the LLM when there is one, else by rules);
3. retrieval and the extractive answer;
4. with an LLM, a generated answer, streamed, then checked (see generation.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .answer import Answer
from .conversation import condense
from .generation import Delta, LLMAnswerer, Outcome, condense_messages
from .privacy import Masked, PrivacyGuard
from .retrieval import Filters
from .service import Assistant

log = logging.getLogger("assistant.chat")

_MAX_CONDENSED_CHARS = 400


@dataclass
class Understood:
    """How the question was read: masked, then made standalone."""

    masked: Masked
    question: str
    condensed_by: str = ""  # "", "rules" or "llm"

    @property
    def rewritten(self) -> bool:
        return self.question != self.masked.text

    @property
    def reformulation(self) -> str:
        """The question as understood, when it differs from the (masked) one asked."""
        return self.question if self.rewritten else ""


@dataclass
class TurnResult:
    understood: Understood
    answer: Answer
    # extractive, or the generation's status: ok, repaired, fallback, unavailable, abstained
    status: str = "extractive"
    notice: str = ""
    outcome: Outcome | None = None


class ChatEngine:
    def __init__(
        self,
        assistant: Assistant,
        privacy: PrivacyGuard | None = None,
        llm: LLMAnswerer | None = None,
    ) -> None:
        self.assistant = assistant
        self.privacy = privacy or PrivacyGuard()
        self.llm = llm

    def understand(self, message: str, history: Sequence[Mapping[str, str]] = ()) -> Understood:
        """``history``: earlier turns as {"role", "content"}, user turns already masked."""
        q = self.assistant.validate_question(message)
        masked = self.privacy.mask(q)
        if masked.changed:
            log.warning("données de patient masquées : %s", ", ".join(masked.kinds()))
        text = masked.text
        if not any(t.get("role") == "user" for t in history):
            return Understood(masked, text)
        if self.llm is not None:
            rewritten = self._condense_llm(text, history)
            if rewritten:
                return Understood(masked, rewritten, "llm")
        condensed = condense(text, history, self.assistant.lexical.analyzer)
        return Understood(masked, condensed, "rules" if condensed != text else "")

    def _condense_llm(self, question: str, history: Sequence[Mapping[str, str]]) -> str:
        assert self.llm is not None
        try:
            out = self.llm.invoke_text(
                condense_messages(question, history), timeout=self.llm.config.timeout / 3
            )
        except Exception as exc:
            log.warning("reformulation par le LLM impossible (%s) : règles", type(exc).__name__)
            return ""
        line = " ".join(out.strip().strip("«»\"'").split())
        # A reply that is not one plausible question is not used.
        if not line or len(line) > _MAX_CONDENSED_CHARS or "\n" in out.strip():
            return ""
        return self.privacy.mask(line).text

    def stream(
        self,
        message: str,
        history: Sequence[Mapping[str, str]] = (),
        filters: Filters | None = None,
        k: int | None = None,
        mode: str | None = None,
    ) -> Iterator[Understood | Delta | TurnResult]:
        understood = self.understand(message, history)
        yield understood
        passages, qvec = self.assistant.search(understood.question, k=k, filters=filters, mode=mode)
        extractive = self.assistant.answerer().answer(
            understood.question, passages, query_vector=qvec
        )
        if self.assistant.settings.log_questions:
            log.info("question (masquée) : %s", understood.question)
        if self.llm is None:
            yield TurnResult(understood, extractive)
            return
        sources = passages[: self.assistant.settings.answer_passages]
        for event in self.llm.stream(understood.question, sources, extractive):
            if isinstance(event, Delta):
                yield event
            else:
                yield TurnResult(understood, event.answer, event.status, event.notice, event)

    def ask(
        self,
        message: str,
        history: Sequence[Mapping[str, str]] = (),
        filters: Filters | None = None,
        k: int | None = None,
        mode: str | None = None,
    ) -> TurnResult:
        result = None
        for event in self.stream(message, history, filters, k, mode):
            if isinstance(event, TurnResult):
                result = event
        assert result is not None
        return result
