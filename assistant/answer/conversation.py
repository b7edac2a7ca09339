"""Follow-up questions without an LLM.

A question is read with the conversation only when its grammar says it leans on it:

- it is *elliptic*: it opens like a continuation ("Et si…", "Qu'en est-il…", "Sinon…"),
  or it has no verb and no noun phrase of its own ("Pourquoi ?", "Dans quel délai ?"),
  or no verb and opens with a conjunction or a preposition ("Et avec un pharmacien ?"),
  or opens with a conjunction and names nothing of its own, only verbs and nouns the
  definite article says are known ("Et qui a élaboré le référentiel ?", "Et qui aide à
  remplir le dossier d'admission ?");
- it is *anaphoric*: a demonstrative ("ce texte", "celles d'un CAARUD", "cela"), "le
  même…", a third-person subject pronoun with no noun before it ("Doit-il…"), an object
  or adverbial clitic ("Qui la finance ?", "Comment y accéder ?", "Qui en est
  responsable ?").

Weaker cues (a complete question opening with "Et" that names a topic of its own, "Et
qu'est-ce qu'un CSAPA ?", "Et sinon, quelle est la recette de la tarte tatin ?"; a verbless
question with a noun phrase of its own; a definite "le texte" with nothing to say which)
make it *possibly* dependent: the chat then searches both readings (see chat.py);
``condense``, which does not search, reads it with the conversation. A complete question
is searched as typed, however short.

A dependent question is read with the *anchor*: the last user question of the conversation
that stood on its own, as typed, so that follow-ups never pile up. Its *focus* is what it
adds: its content words that the anchor does not have ("pharmacien").

Plain rules over tokens, no model: spaCy's small French tagger was tried on these
questions and mis-tags exactly the cues that matter (in "Qui la finance ?" it reads
"la finance" as a noun phrase; inverted verbs such as "Peut-on" or "rejoint-il" as
adverbs or adjectives).

Here the conversation's side: ``follow_up`` and ``condense``. The rules are in
follow_up_rules.py (over the tokens and word classes of question_grammar.py), the
rewriting with the anchor in rewriting.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..search.lexical import FrenchAnalyzer
from .follow_up_rules import Dependence as Dependence
from .follow_up_rules import FollowUpRules as FollowUpRules
from .follow_up_rules import Reading as Reading
from .follow_up_rules import split_questions
from .pointer_cues import definite_of
from .question_grammar import _tokens
from .referents import swap_demonstrative, swap_possessive
from .rewriting import rewrite as rewrite
from .rewriting import swap_part, swaps_phrase


@dataclass(frozen=True)
class FollowUp:
    """A question and how it is read with the conversation."""

    asked: str
    question: str  # as understood: the asked one, or it read with the anchor
    dependence: Dependence = "no"
    anchor: str = ""
    focus: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    # The reading is a whole question of its own, searched as such: a possessive or a
    # demonstrative read with what it takes up (« Et le financement des CAARUD ? »).
    whole: bool = False

    @property
    def rewritten(self) -> bool:
        return self.question != self.asked


def follow_up(
    question: str,
    history: Sequence[Mapping[str, str]],
    analyzer: FrenchAnalyzer | None = None,
    kind_of: Callable[[str], str] | None = None,
) -> FollowUp:
    """How ``question`` is read after ``history`` (turns as {"role", "content"}).
    ``kind_of``: the kind of body a name stands for (``Glossary.kind_of``), which lets
    « Et les CSAPA ? » swap « les CAARUD » of « Qui finance les CAARUD ? »."""
    q = question.strip()
    rules = FollowUpRules(analyzer)
    root = rules.anchor(history)
    anchor = _latest_whole(root, history, kind_of)
    if not anchor:
        return FollowUp(q, q)
    reading = rules.read(q)
    said = last_answer(history)
    if reading.dependence == "no" and said:
        # « Qui fixe la distance ? » after an answer on the distances: maybe theirs.
        stems = rules.analyzer.stems
        cues = definite_of(_tokens(q), set(stems(said)), stems)
        reading = Reading("maybe", tuple(cues)) if cues else reading
    if reading.dependence == "no":
        return FollowUp(q, q, "no", anchor, (), reading.cues)
    read_as = rewrite(q, anchor, kind_of)
    possessive = swap_possessive(q, anchor)
    whole = bool(possessive) and read_as == possessive
    if read_as == f"{anchor} {q}":
        # « Qui définit cette politique ? »: the noun of the answer just read.
        own = swap_demonstrative(q, said, anchor, kind_of)
        read_as, whole = (own, True) if own else (read_as, whole)
    # After a swap (« Et les CSAPA ? »), the anchor is the swapped question: the last one
    # added nothing else (« Et les ACT ? » is not « … ? Et les CSAPA ? »).
    added = _added_since(anchor, history, rules, kind_of) if anchor == root else ""
    if added and swaps_phrase(q, anchor, kind_of):
        # « Et pour un CSAPA ? » after « Qu'est-ce qu'un CAARUD ? », « Est-ce que c'est
        # anonyme ? »: the last question asked, of the CSAPA (one level, never more).
        read_as = f"{read_as} {added}"
    return FollowUp(
        q,
        read_as,
        reading.dependence,
        anchor,
        rules.focus(q, anchor),
        reading.cues,
        whole,
    )


def last_answer(history: Sequence[Mapping[str, str]]) -> str:
    """The text of the last assistant turn of ``history``, "" when there is none."""
    return next(
        (t.get("content") or "" for t in reversed(history) if t.get("role") == "assistant"), ""
    )


def _added_since(
    anchor: str,
    history: Sequence[Mapping[str, str]],
    rules: FollowUpRules,
    kind_of: Callable[[str], str] | None,
) -> str:
    """The last user question when it only added to the anchor (« Est-ce que c'est
    anonyme ? » after « Qu'est-ce qu'un CAARUD ? »), as typed; "" otherwise."""
    asked = [t.get("content") or "" for t in history if t.get("role") == "user"]
    last = split_questions(asked[-1])[-1] if asked else ""
    if not last or last == anchor or anchor.endswith(last) or swap_part(last, anchor, kind_of):
        return ""
    return last if rules.read(last).dependence != "no" else ""


def _latest_whole(
    anchor: str,
    history: Sequence[Mapping[str, str]],
    kind_of: Callable[[str], str] | None = None,
) -> str:
    """The anchor, or the follow-up asked since that swapped one of its parts: after « Un
    CSAPA peut-il délivrer des médicaments ? », « Et un CAARUD ? », a « Pourquoi ? » is
    about the CAARUD (« Un CAARUD peut-il … ? »). A follow-up that only adds to the
    anchor (« … ? Et au volant ? ») is not a question of its own: the anchor stays, so
    that readings never pile up."""
    if not anchor:
        return anchor
    for turn in reversed(history):
        if turn.get("role") != "user":
            continue
        for q in reversed(split_questions(turn.get("content") or "")):
            if q == anchor:
                return anchor
            return swap_part(q, anchor, kind_of) or anchor
    return anchor


def condense(
    question: str,
    history: Sequence[Mapping[str, str]],
    analyzer: FrenchAnalyzer | None = None,
) -> str:
    """The question as understood, without searching: a question that may lean on the
    conversation is read with the last standalone question; others are kept as typed.
    (The chat does better on the doubtful ones: it searches both readings.)"""
    return follow_up(question, history, analyzer).question


def is_elliptic(question: str, analyzer: FrenchAnalyzer | None = None) -> bool:
    """Whether the question surely leans on what was said before."""
    return FollowUpRules(analyzer).read(question).dependence == "yes"


# « Et la posologie de la méthadone ? », « Et le SCAT ? »: a topic named after « et »,
# which may be searched on its own.
_TOPIC_AFTER_ET = re.compile(r"^\s*(?:et|mais|ou)\s+(?:le|la|les|l['’]|un|une|des|du)\b", re.I)


def needs_context(question: str, analyzer: FrenchAnalyzer | None = None) -> bool:
    """Whether the question cannot be asked alone: it surely leans on what was said
    before (``is_elliptic``) and names no topic of its own to search: a phrase after a
    preposition (« Et pour un pilote de ligne ? », « Et au volant ? »), a pronoun (« Qui
    la finance ? »), an interrogative alone (« Pourquoi ? », « Dans quel délai ? »), a
    bare noun (« Le délai ? »). A noun phrase after « et » (« Et la posologie de la
    méthadone ? ») names one, and a whole question opening on « et » (« Et qui a élaboré
    le référentiel ? ») is searched as typed."""
    reading = FollowUpRules(analyzer).read(question)
    whole = any(c.startswith("ouverture par « et »") for c in reading.cues)
    return reading.dependence == "yes" and not whole and not _TOPIC_AFTER_ET.match(question)
