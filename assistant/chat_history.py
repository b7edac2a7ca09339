"""What the chat reads of a conversation's history: the user's courtesies (« Merci ! »),
which ask nothing; the questions the documents did not answer, which a follow-up is not
read with; and the document the last answer quoted (see ``ChatEngine.stream``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .answer.citations import Answer
from .answer.extractive import ABSTAIN_MESSAGE
from .answer.follow_up_rules import READ_WITH_CONVERSATION
from .search.lexical import fold
from .search.retrieval import Passage

if TYPE_CHECKING:
    from .chat import TurnResult

# « Merci, bonne journée ! », « Bonjour », « D'accord » : a courtesy, not a question. It
# is answered as one, without searching (the closest passages of « Merci » mean nothing).
_COURTESY = re.compile(
    r"^(?:(?:merci(?: beaucoup| bien| pour (?:tout|votre aide|la réponse))?|bonjour|bonsoir|"
    r"salut|au revoir|à bientôt|bonne (?:journée|soirée|fin de journée|nuit)|ok|okay|"
    r"d['’]accord|parfait|super|très bien|entendu|c['’]est noté|madame|monsieur)"
    r"[\s,.!…]*)+$",
    re.I,
)
COURTESY_REPLY = "À votre service : posez-moi une question sur les documents du corpus."
# The citation marks of an answer (« … usagers. [1] Il … »), between its quoted sentences.
_CITATION_MARKS = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]\s*")


def document_read(passages: Sequence[Passage], said: str) -> str:
    """The document the last answer (``said``) quoted, when one of ``passages`` holds one
    of its sentences; "" otherwise."""
    quoted = [s.strip() for s in _CITATION_MARKS.split(said) if len(s.strip()) >= 30]
    for p in passages:
        if any(q in p.text for q in quoted):
            return p.doc_id
    return ""


def cited(answer: Answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def is_courtesy(message: str) -> bool:
    """Whether the message is only a courtesy (thanks, greetings, agreement)."""
    return bool(_COURTESY.match(message.strip()))


def without_courtesies(history: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The turns without the user's courtesies: « Bonjour », « Merci ! » ask nothing a
    follow-up could complete."""
    return [
        t for t in history if not (t.get("role") == "user" and is_courtesy(t.get("content", "")))
    ]


def answered_turns(history: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The turns a follow-up may be read with: a question the documents did not answer
    (« Quel temps fera-t-il demain ? ») and its abstention are left out, so that « Et la
    posologie de la méthadone ? » after it is searched as asked."""
    out: list[Mapping[str, str]] = []
    for turn in history:
        content = (turn.get("content") or "").strip()
        if (
            turn.get("role") == "assistant"
            and (content.startswith((ABSTAIN_MESSAGE, COURTESY_REPLY)))
            and out
            and out[-1].get("role") == "user"
        ):
            out.pop()
            continue
        out.append(turn)
    return out


def reply_turn(result: TurnResult) -> dict[str, str]:
    """The assistant's turn of a conversation's history, as the next ``understand`` reads
    it: the answer, and whether the question was read with the conversation (then it
    is no question a later follow-up leans on, see ``FollowUpRules.anchor``)."""
    return {
        "role": "assistant",
        "content": result.answer.answer,
        # Read with the conversation, not only written the documents' way (« Un CAARUD,
        # ça fait quoi ? » → « Que fait un CAARUD ? » stands on its own: an anchor).
        READ_WITH_CONVERSATION: "oui" if result.understood.condensed_by else "",
    }


# How the chat compares what the user typed with its reading.
def is_name(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` (as the follow-up rules give it, lowercased) with
    a capital: « CAARUD », « SCAT », not « informé »."""
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I)
    return m is not None and m.group(0)[:1].isupper()


def spelling_free(text: str) -> str:
    """Lower case, without accents, apostrophes, hyphens nor spaces: « dannees » and
    « d'annees » are one spelling."""
    return re.sub(r"['’\-\s]", "", fold(text).lower())
