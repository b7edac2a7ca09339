"""One conversational turn, as the chat and ``ask --llm`` run it:

1. the question is validated and its patient data masked (nothing unmasked goes further);
2. a question that leans on the conversation (rules decide, see conversation.py) is read
   with the last standalone question, by the LLM when there is one, else by rules; when
   the rules are unsure, both readings are searched, and the one with the conversation is
   kept only if the question as asked finds no answer and it finds one that speaks of
   every word the user brought;
3. retrieval and the extractive answer, which favours the words a follow-up brought;
4. with an LLM, a generated answer, checked sentence by sentence as it is written and
   streamed only once checked (see generation.py).

With an LLM, the turn has one deadline, ``ASSISTANT_LLM_TIMEOUT`` from its start: the
condensation of a follow-up and the answer (retries included) each get what remains of
it, so that a stuck server costs the user the budget the README promises, never more.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from .answer.citations import unnote
from .answer.conversation import FollowUp, FollowUpRules, follow_up, last_answer, needs_context
from .answer.document_facts import document_question
from .answer.extractive import Answer
from .answer.follow_up_rules import DEFINITE_CUE
from .answer.generation import Delta, LLMAnswerer, Outcome, Progress, condense_messages
from .answer.privacy import Masked, PrivacyGuard
from .answer.question_grammar import heads_missing
from .answer.rewriting import swaps_phrase
from .chat_history import (
    COURTESY_REPLY,
    answered_turns,
    cited,
    document_read,
    is_courtesy,
    is_name,
    spelling_free,
    without_courtesies,
)
from .chat_history import reply_turn as reply_turn
from .search.retrieval import Filters, Passage
from .search.word_family import kin_said
from .service import Assistant

log = logging.getLogger("assistant.chat")

_MAX_CONDENSED_CHARS = 400
# An elliptic question with nothing before it to complete (« Et pour un pilote de ligne ? »
# as a first message).
NEEDS_CONTEXT = (
    "Cette question semble faire suite à une autre, que je n'ai pas : posez-la en entier, "
    "avec ce dont elle parle."
)


@dataclass
class Understood:
    """How the question was read: masked, then made standalone."""

    masked: Masked
    question: str
    condensed_by: str = ""  # "", "rules" or "llm"
    # The content words a follow-up brought ("pharmacien" in "Et avec un pharmacien ?").
    focus: tuple[str, ...] = ()
    # The rules were unsure the question leans on the conversation: the question as asked
    # is searched too, and kept when it finds an answer (see ChatEngine.stream).
    uncertain: bool = False
    # What is searched, when it is not ``question`` (see ChatEngine.understand).
    query: str = ""
    # What the user has just read, when the question adds to it (« … ? Et qui le paie ? »):
    # its sentences are not the answer again (see ExtractiveAnswerer.answer).
    said: str = ""
    # The earlier question it was read with (conversation.FollowUpRules.anchor).
    anchor: str = ""
    # Read with a question the documents did not answer, the reading with the answered
    # one before it, searched too (see ChatEngine.stream).
    other: Understood | None = None
    # Doubtful only for a definite noun phrase (« Qui a piloté le référentiel ? »): which
    # one, the document the user has just read says (see ChatEngine.stream).
    points_back: bool = False

    @property
    def rewritten(self) -> bool:
        # An acronym typed in lower case and written as the glossary does (« csapa » →
        # « CSAPA »), an apostrophe or an accent put back (« a quoi » → « à quoi ») make
        # the same question.
        return spelling_free(self.question) != spelling_free(self.masked.text)

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

    def understand(
        self,
        message: str,
        history: Sequence[Mapping[str, str]] = (),
        deadline: float | None = None,
    ) -> Understood:
        """``history``: earlier turns as {"role", "content"}; ``deadline``
        (``time.monotonic()``): the turn's, which the LLM's rewriting keeps.

        The earlier user turns are masked here too, whatever the caller did: a follow-up is
        rewritten with one of them, and the rewritten question is logged, shown and sent
        to the LLM (the web chat already stores its turns masked; API callers may not)."""
        q = self.assistant.validate_question(message)
        masked = self.privacy.mask(q)
        if masked.changed:
            log.warning("données de patient masquées : %s", ", ".join(masked.kinds()))
        # « et les caarud ? » names the CAARUD, « et ou ? » asks where: its rewriting and
        # search read them so.
        cased = self.assistant.written
        text = cased(masked.text)
        history = [
            {**turn, "content": cased(self.privacy.mask(turn.get("content", "")).text)}
            if turn.get("role") == "user"
            else turn
            for turn in without_courtesies(history)
        ]
        # The rules decide whether the question leans on the conversation at all; only
        # then is the LLM asked to rewrite it.
        analyzer = self.assistant.lexical.analyzer
        answered = answered_turns(history)
        kind_of = self.assistant.glossary.kind_of
        fu = follow_up(text, answered, analyzer, kind_of)
        uncertain = fu.dependence == "maybe"
        other: Understood | None = None
        if len(answered) < len(history):
            # After a question the documents did not answer, a follow-up may still be
            # about it (« Quelle peine pour un usager de crack ? » unanswered, then « Et au
            # volant ? »): read with it, but as a doubtful reading, which the
            # question as asked beats unless only this one is answered (see stream).
            with_unanswered = follow_up(text, history, analyzer, kind_of)
            if with_unanswered.dependence != "no" and with_unanswered.anchor != fu.anchor:
                if fu.dependence != "no" and self.llm is None:
                    # Or about the answered question before it: « Et celui du CPAS ? »
                    # after « Quel est le rôle du RAT ? », « Comment faire une pâte à
                    # crêpes ? » asks the CPAS's role. Both readings are searched (an LLM
                    # rewrites from the whole history: its reading is the same either way).
                    other = self._reading(fu, masked, text, history, uncertain, deadline)
                fu, uncertain = with_unanswered, True
        if fu.dependence == "no":
            return Understood(masked, text)
        chosen = self._reading(fu, masked, text, history, uncertain, deadline)
        points_back = bool(fu.cues) and all(c.startswith(DEFINITE_CUE) for c in fu.cues)
        return replace(chosen, other=other, points_back=points_back)

    def _reading(
        self,
        fu: FollowUp,
        masked: Masked,
        text: str,
        history: Sequence[Mapping[str, str]],
        uncertain: bool,
        deadline: float | None,
    ) -> Understood:
        """The dependent question ``fu`` as understood and searched."""
        kind_of = self.assistant.glossary.kind_of
        focus = " ".join(fu.focus)
        if self.llm is not None:
            rewritten = self._condense_llm(text, history, deadline)
            if rewritten:
                return Understood(
                    masked, rewritten, "llm", fu.focus, uncertain, f"{rewritten} {focus}".strip()
                )
        # A possessive's or a demonstrative's reading (« Et le financement des CAARUD ? »)
        # is a whole question, searched as one: the anchor's words ranked its missions.
        pronoun_reading = not fu.question.startswith(fu.anchor) and not (
            swaps_phrase(text, fu.anchor, kind_of) or fu.whole
        )
        if fu.question.startswith(fu.anchor) or pronoun_reading:
            # The follow-up's words first, then those of the anchor's topic (not its
            # interrogative frame), then its own words again so that BM25 weighs them
            # against the anchor's: on the gold follow-ups, the expected passage is in the
            # top 5 for 19 of 22 against 17 when the rewritten question is searched. So
            # is a pronoun's reading (« L'intervision se passe où ? »), which is shown.
            topic = " ".join(self.assistant.lexical.analyzer.words(fu.anchor))
            query = f"{text} {topic} {focus}"
            said = last_answer(history)
            return Understood(
                masked, fu.question, "rules", fu.focus, uncertain, query.strip(), said, fu.anchor
            )
        # The anchor with one of its phrases swapped: a whole question, with its new
        # common words again (« informé »); not a new name: « Qui finance les CAARUD ?
        # CAARUD » ranked the passages naming the CAARUD above the one saying who pays
        # for them.
        common = " ".join(w for w in fu.focus if not is_name(w, text))
        query = f"{fu.question} {common}"
        return Understood(
            masked, fu.question, "rules", fu.focus, uncertain, query.strip(), anchor=fu.anchor
        )

    def _condense_llm(
        self, question: str, history: Sequence[Mapping[str, str]], deadline: float | None = None
    ) -> str:
        assert self.llm is not None
        # At most a third of the budget, so that the answer keeps the rest of the turn's.
        budget = self.llm.config.timeout / 3
        if deadline is not None:
            budget = min(budget, deadline - time.monotonic())
        if budget <= 0:
            return ""
        try:
            out = self.llm.invoke_text(condense_messages(question, history), timeout=budget)
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
    ) -> Iterator[Understood | Progress | Delta | TurnResult]:
        """The question as understood, then with an LLM: Progress while nothing checked
        is ready, Deltas of checked text; then the TurnResult. Nothing unchecked."""
        # Set before anything else: retrieval, condensation and generation share it.
        deadline = None if self.llm is None else time.monotonic() + self.llm.config.timeout
        if is_courtesy(message):
            masked = self.privacy.mask(message.strip())
            understood = Understood(masked, masked.text)
            yield understood
            yield TurnResult(understood, Answer(masked.text, COURTESY_REPLY, True, [], []))
            return
        understood = self.understand(message, history, deadline)
        # « Et pour un pilote de ligne ? », « Qui la finance ? » surely lean on a question
        # before; asked alone (nothing before, or nothing it completes) they ask nothing
        # the documents could answer, and a search finds words (« piloter un réseau »).
        # With a filter on a text, « Que dit ce texte ? » has its object.
        alone_asks_nothing = (filters is None or filters.is_empty()) and needs_context(
            self.assistant.written(understood.masked.text), self.assistant.lexical.analyzer
        )
        if alone_asks_nothing and not understood.rewritten:
            yield understood
            yield TurnResult(understood, Answer(understood.question, NEEDS_CONTEXT, True, [], []))
            return
        filters = self._text_meant(understood, filters, k, mode) or filters
        passages, extractive = self._retrieve(understood, filters, k, mode)
        if understood.uncertain and understood.rewritten and not alone_asks_nothing:
            # Both readings. Their confidences do not compare: the reading with the
            # conversation inherits the earlier question's words, which its passages
            # cover, and scored higher in 21 of the 22 doubtful questions of the gold set,
            # off-topic ones included. So the question as asked is kept, unless the
            # documents have no answer to it and the reading with the conversation has
            # one that speaks of every word the user brought. A follow-up that asks
            # nothing alone is only read with the conversation (above).
            asked = Understood(understood.masked, self.assistant.written(understood.masked.text))
            alt_passages, alt = self._retrieve(asked, filters, k, mode)
            merged_ok = not extractive.abstained and self._says_all(extractive, understood.focus)
            # « Qui a piloté le référentiel ? » after the crack scheme: the one of the
            # document just read, when only the reading with the conversation quotes it.
            read = document_read(passages, understood.said) if understood.points_back else ""
            goes_on = bool(read) and read in cited(extractive) and read not in cited(alt)
            if not ((alt.abstained and merged_ok) or (goes_on and not extractive.abstained)):
                understood, passages, extractive = asked, alt_passages, alt
        if understood.other is not None:
            # Two readings with the conversation, each inheriting an earlier question's
            # words: their confidences compare.
            other_passages, other_answer = self._retrieve(understood.other, filters, k, mode)
            if (other_answer.abstained, -other_answer.confidence) < (
                extractive.abstained,
                -extractive.confidence,
            ):
                understood, passages, extractive = understood.other, other_passages, other_answer
        if (
            understood.anchor
            and not understood.question.startswith(understood.anchor)
            and not extractive.abstained
            and extractive.focus_missing
            and len(extractive.focus_missing) == len(understood.focus)
            and swaps_phrase(
                self.assistant.written(understood.masked.text),
                understood.anchor,
                self.assistant.glossary.kind_of,
            )
        ):
            # A phrase of the anchor swapped for words no passage has (« Et avec un
            # pharmacien ? »): what the documents say is the rule of the question it
            # completes, given with the note that they say nothing of those words. That
            # question is the one that stood on its own, not an earlier swap (« … avec les
            # pharmaciens ? », whose words the documents lack too).
            root = FollowUpRules(self.assistant.lexical.analyzer).anchor(
                without_courtesies(history)
            )
            base = Understood(understood.masked, self.privacy.mask(root).text or understood.anchor)
            base_passages, base_answer = self._retrieve(base, filters, k, mode)
            if not base_answer.abstained:
                base_answer.focus_missing = extractive.focus_missing
                base_answer.notes = [extractive.notes[0], *base_answer.notes]
                base_answer.question = extractive.question
                passages, extractive = base_passages, base_answer
        verbs = FollowUpRules(self.assistant.lexical.analyzer).verbs(understood.masked.text)
        # No note that the documents lack a verb of the follow-up (« Qui s'en occupe ? »:
        # « assurés par un pharmacien »): the texts say the act their own way.
        unnote(extractive, verbs)
        self._check_focus(understood, extractive, verbs)
        yield understood
        if self.assistant.settings.log_questions:
            log.info("question (masquée) : %s", understood.question)
        if self.llm is None:
            yield TurnResult(understood, extractive)
            return
        sources = passages[: self.assistant.settings.answer_passages]
        for event in self.llm.stream(understood.question, sources, extractive, deadline):
            if isinstance(event, Outcome):
                yield TurnResult(understood, event.answer, event.status, event.notice, event)
            else:
                yield event

    def _text_meant(
        self, understood: Understood, filters: Filters | None, k: int | None, mode: str | None
    ) -> Filters | None:
        """The text « ce texte », « cet article » stands for in a question about a document
        (« Ce texte est-il toujours en vigueur ? », « De quand date cet article ? »): the
        first one cited by the answer to the question it follows, as a filter on that
        document; None when the question names no text that way, or a filter is set.
        (Searched with the question before, it found whichever text best matched both:
        a bulletin, not the repealed article the answer had just cited.)"""
        asked = document_question(self.assistant.written(understood.masked.text))
        if (
            asked is None
            or asked.fact == "source"
            or not _DEMONSTRATIVE_TEXT.match(asked.named)
            or not understood.anchor
            or (filters is not None and not filters.is_empty())
        ):
            return None
        before = Understood(understood.masked, understood.anchor)
        _, answer = self._retrieve(before, filters, k, mode)
        if answer.abstained or not answer.citations:
            return None
        return Filters(doc_ids=(answer.citations[0].doc_id,))

    def _retrieve(
        self, understood: Understood, filters: Filters | None, k: int | None, mode: str | None
    ) -> tuple[list[Passage], Answer]:
        """Search for a reading of the question and answer it extractively."""
        query = understood.query or understood.question
        passages, qvec = self.assistant.search(query, k=k, filters=filters, mode=mode)
        answer = self.assistant.answerer().answer(
            understood.question,
            passages,
            query_vector=qvec,
            focus=understood.focus,
            said=understood.said,
        )
        return passages, answer

    def _says_all(self, answer: Answer, focus: Sequence[str]) -> bool:
        """Whether the answer speaks of each of the focus words."""
        said = set(self.assistant.lexical.analyzer.stems(answer.answer))
        return all(self._names(w, said) for w in focus)

    def _names(self, word: str, said: set[str]) -> bool:
        """Whether stems ``said`` name ``word``, or its glossary counterpart (« CAARUD »
        said as « centre d'accueil et d'accompagnement à la réduction des risques … »,
        « paie » as « frais »)."""
        analyzer = self.assistant.lexical.analyzer
        for name in self.assistant.glossary.said_as(word):
            stems = set(analyzer.stems(name))
            if stems and (stems <= said if name != word.lower() else stems & said):
                return True
        return False

    def _check_focus(self, understood: Understood, answer: Answer, verbs: set[str]) -> None:
        """A follow-up's own words must show in the answer, or the user is told that the
        documents say nothing of them (the answerer says so when no passage has them;
        this covers passages that have them but not on the question)."""
        if not understood.focus or answer.abstained:
            return
        analyzer = self.assistant.lexical.analyzer
        told = " ".join(n for n in answer.notes if n.startswith("Les documents trouvés"))
        # The documents quoted are about what their titles name (« L3411-9 (… CAARUD) »).
        titles = " ".join(c.title for c in answer.citations)
        said = set(analyzer.stems(f"{answer.answer} {told} {titles}"))
        missing = heads_missing(
            understood.question,
            [
                w
                for w in understood.focus
                if not self._names(w, said)
                and not kin_said(analyzer.stems(w), said)
                and w not in verbs
            ],
            understood.focus,
        )
        if missing:
            words = ", ".join(f"« {w} »" for w in missing)
            answer.notes.insert(
                0, f"Les documents trouvés ne disent rien de {words} sur cette question."
            )

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


# « ce texte », « cet article », « cette circulaire »: a text the conversation cited.
_DEMONSTRATIVE_TEXT = re.compile(r"^(?:ce|cet|cette|ces)\s", re.I)
