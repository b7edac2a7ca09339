"""Generated answers: an LLM writes from numbered sources, and nothing it writes reaches
the user unchecked.

- The sources go in as numbered, delimited data blocks; the instructions say they are
  data, never instructions.
- Every [n] must name a given source, every sentence must carry one, and a sentence must
  share enough of its words (and all of its numbers) with the passages it cites. Failing
  sentences are dropped (the answer is *repaired*); when nothing sound remains, the
  extractive answer is given instead (*fallback*).
- The check runs as the model writes, sentence by sentence: only sentences that passed
  it are streamed to the user (a draft shown and replaced afterwards has already been
  read, copied, or left on a terminal). Until the first one passes, the user sees that
  the answer is being written (:class:`Progress`).
- Markdown images, links and HTML never come out of generated text.
- The backend being down, slow or broken gives the extractive answer and one line saying
  so, within the timeout: one deadline for the whole turn (the condensation of a
  follow-up included, see chat.py), each call gets what remains of it, and no new
  attempt starts when too little remains.

What the model is given is in ``prompt.py``; the check of what it writes in
``answer_check.py``; this module runs the model under its deadline.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from ..ingest.sentences import split_spans
from ..search.lexical import FrenchAnalyzer
from ..search.retrieval import Passage
from .answer_check import Checked, IncrementalCheck, renumbering
from .extractive import Answer, Citation, citation_for
from .prompt import NO_ANSWER, build_messages
from .prompt import condense_messages as condense_messages  # chat.py imports it here

log = logging.getLogger("assistant.answer.generation")


DRAFTING = "Rédaction de la réponse…"


@dataclass
class GenerationConfig:
    timeout: float = 30.0  # seconds, for the whole turn, condensation and retries included
    retries: int = 2
    # A new attempt starts only with at least this much of the budget left: a server that
    # failed once will not write a whole answer in less.
    min_attempt: float = 2.0
    # Share of a sentence's content words that must appear in the passages it cites.
    min_support: float = 0.5
    max_source_chars: int = 1500
    stream: bool = True  # False for servers that cannot stream


@dataclass
class Progress:
    """What the user is told while nothing checked is ready to show (French)."""

    text: str = DRAFTING


@dataclass
class Delta:
    """The answer so far, made only of sentences that passed the check, rendered as they
    will stay: each Delta extends the one before, and the final answer extends the last
    (unless the turn falls back on the extractive answer)."""

    text: str


@dataclass
class Outcome:
    """The end of a generation: ``status`` is ok, repaired, fallback, unavailable or
    abstained; ``notice`` is the line the user reads about it."""

    status: str
    answer: Answer
    raw: str = ""
    checked: Checked | None = None
    notice: str = ""
    problems: list[str] = field(default_factory=list)


class LLMAnswerer:
    """Writes an answer with a chat model; checks it; falls back on the extractive one."""

    def __init__(
        self,
        model: BaseChatModel,
        analyzer: FrenchAnalyzer,
        config: GenerationConfig | None = None,
        notice: Callable[[Mapping[str, Any]], str] | None = None,
    ) -> None:
        self.model = model
        self.analyzer = analyzer
        self.config = config or GenerationConfig()
        # What a reader must know of a cited text (repealed, old…): the extractive
        # answerer's rule, so that both kinds of answers flag the same texts.
        self.notice = notice or (lambda meta: "")

    # --- transport --------------------------------------------------------------------
    def _stream_once(
        self, messages: list[BaseMessage], deadline: float, stream: bool = True
    ) -> Iterator[str]:
        """Tokens of one attempt (one piece when not streaming); raises TimeoutError past
        the deadline. The call runs in a thread so that a server that hangs cannot hold
        the user past the deadline."""
        q: queue.Queue[tuple[str, Any]] = queue.Queue()

        def work() -> None:
            try:
                # stream=False also reaches the request: ChatOllama streams even in invoke().
                chunks = (
                    self.model.stream(messages)
                    if stream
                    else [self.model.invoke(messages, stream=False)]
                )
                for chunk in chunks:
                    content = chunk.content
                    q.put(("tok", content if isinstance(content, str) else str(content)))
                q.put(("end", None))
            except Exception as exc:  # handed to the caller's thread
                q.put(("err", exc))

        threading.Thread(target=work, daemon=True, name="llm-stream").start()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("délai dépassé")
            try:
                kind, value = q.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError("délai dépassé") from None
            if kind == "end":
                return
            if kind == "err":
                raise value
            yield value

    def invoke_text(self, messages: list[BaseMessage], timeout: float | None = None) -> str:
        """The whole reply of one call (used to condense follow-up questions), within
        ``timeout`` seconds (the caller gives what remains of its budget)."""
        deadline = time.monotonic() + (self.config.timeout if timeout is None else timeout)
        return "".join(self._stream_once(messages, deadline, stream=False))

    # --- answer -----------------------------------------------------------------------
    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        extractive: Answer,
        deadline: float | None = None,
    ) -> Iterator[Progress | Delta | Outcome]:
        """Progress, then Deltas of checked text while the model writes, then one Outcome.
        ``deadline`` (``time.monotonic()``) is the turn's, when the turn set one before
        (see ChatEngine.stream); else the answer has the whole timeout."""
        cfg = self.config
        if extractive.abstained and not passages:
            yield Outcome("abstained", extractive)
            return
        messages = build_messages(question, passages, cfg.max_source_chars)
        if deadline is None:
            deadline = time.monotonic() + cfg.timeout
        problems: list[str] = []
        raw = ""
        checking = IncrementalCheck(passages, self.analyzer, cfg.min_support)
        completed = shown = False
        yield Progress()
        for attempt in range(cfg.retries + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (attempt and remaining < cfg.min_attempt):
                # Out of time: a call started now would end past the budget.
                left = max(remaining, 0.0)
                problems.append(f"essai {attempt + 1} non tenté : {left:.1f} s restantes")
                break
            raw = ""
            checking.restart()
            try:
                for token in self._stream_once(messages, deadline, cfg.stream):
                    raw += token
                    text = checking.feed(raw)
                    if text is not None:
                        shown = True
                        yield Delta(text)
                completed = True
                break
            except Exception as exc:
                problems.append(f"essai {attempt + 1} : {_describe(exc)}")
                # Checked text already shown cannot be taken back by a retry.
                if shown:
                    break
        if not completed:
            # A reply cut by an error is not an answer.
            yield self._unavailable(extractive, problems)
            return
        yield self._verify(question, raw, checking.finish(raw), passages, extractive, problems)

    def _unavailable(self, extractive: Answer, problems: list[str]) -> Outcome:
        # The user reads one line; the operator needs to know why.
        log.warning("générateur indisponible : %s", " ; ".join(problems))
        notice = (
            "Le générateur de réponses est indisponible ; voici la réponse extraite "
            "directement des documents."
        )
        return Outcome("unavailable", extractive, notice=notice, problems=problems)

    def _verify(
        self,
        question: str,
        raw: str,
        checked: Checked,
        passages: Sequence[Passage],
        extractive: Answer,
        problems: list[str],
    ) -> Outcome:
        if checked.abstained:
            answer = Answer(
                question,
                NO_ANSWER,
                True,
                [],
                extractive.passages,
                extractive.confidence,
                extractive.features,
                related_floor=extractive.related_floor,
            )
            return Outcome("abstained", answer, raw, checked, problems=problems)
        if not checked.kept:
            notice = (
                "La réponse générée n'a pas passé la vérification des citations ; voici la "
                "réponse extraite directement des documents."
            )
            return Outcome("fallback", extractive, raw, checked, notice, problems)
        answer = self._answer(question, checked, passages, extractive)
        if checked.clean:
            return Outcome("ok", answer, raw, checked, problems=problems)
        n = len(checked.dropped)
        notice = (
            f"Réponse corrigée : {n} phrase{'s' if n > 1 else ''} sans appui dans les "
            f"sources {'ont été retirées' if n > 1 else 'a été retirée'}."
        )
        return Outcome("repaired", answer, raw, checked, notice, problems)

    def _answer(
        self,
        question: str,
        checked: Checked,
        passages: Sequence[Passage],
        extractive: Answer,
    ) -> Answer:
        order = renumbering(checked.kept)
        citations: list[Citation] = []
        for given, n in sorted(order.items(), key=lambda t: t[1]):
            p = passages[given - 1]
            sentences = [s for s, refs in checked.kept if given in refs]
            citations.append(
                citation_for(n, p, self._highlights(p, sentences), self.notice(p.metadata))
            )
        return Answer(
            question,
            checked.text,
            False,
            citations,
            extractive.passages,  # all that was retrieved, as for the extractive answer
            extractive.confidence,
            extractive.features,
            extractive.notes,
            generated=True,
        )

    def _highlights(self, passage: Passage, sentences: Sequence[str]) -> list[str]:
        """The passage's sentences closest to what the answer says of it."""
        spans = [
            (passage.text[s:e], set(self.analyzer.stems(passage.text[s:e])))
            for s, e in split_spans(passage.text)
        ]
        picked: list[str] = []
        for sentence in sentences:
            words = set(self.analyzer.stems(sentence))
            best = max(spans, key=lambda sp: len(words & sp[1]), default=None)
            if best is not None and best[0] not in picked:
                picked.append(best[0])
        return picked


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "délai dépassé"
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:160]
    return f"{name} : {text}" if text else name
