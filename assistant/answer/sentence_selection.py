"""Which sentences make the extractive answer: among the scored answer units, the one
that answers, then only the context a reader needs around it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..search.question_type import QuestionType
from ..search.retrieval import Passage
from .sentence_scoring import _LEANS_BACK, SentenceScorer, _Candidate, _Scored, _start


@dataclass
class _Selection:
    """What ``_select`` chose, and what it could not honour."""

    chosen: list[_Candidate]
    focus_missing: list[str] = field(default_factory=list)  # focus words found nowhere


# A sentence opening with one of these leans on its neighbour: "En effet celui-ci…"
# needs the sentence before; "Je souhaite que vous en assuriez la présidence." completes
# the one it follows.
_ANAPHORIC = re.compile(
    r"^(?:en effet|ainsi|de plus|par ailleurs|néanmoins|toutefois|cependant|mais|or|donc|"
    r"dans ce cadre|à cet effet|de la même façon|c['’]est ainsi|"
    r"celui-ci|celle-ci|ceux-ci|celles-ci|ceci|cela|ce|cet|cette|ces|"
    r"il|elle|ils|elles|son|sa|ses|leur|leurs|je|nous|on)\b",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(
    r"^(?:il|elle|ils|elles|ce|cet|cette|ces)\b(?!\s+(?:existe|appartient|s['’]agit|faut|y a|"
    r"qui|que|qu['’]|dont))",
    re.I,
)
# An opening phrase that names what came before with a demonstrative (« Pour le
# financement de ces dépenses, … », « Dans ce cas, … », « À cette fin, … »): the sentence
# answers about the previous one's subject, which is quoted first. A relative
# (« ce qui », « ce que », « ce dont ») is not a demonstrative.
_BACK_REFERENCE_OPENING = re.compile(
    r"^(?:pour|dans|à|au|aux|en|par|sur|lors|après|avant|outre|malgré|selon|de|dès|"
    r"depuis|pendant|sous|avec|sans|hors|faute)\b[^,;:.()]{0,60}?\b(?:ces|cette|cet|ce)\s+"
    r"(?!qui\b|que\b|qu['’]|dont\b)\w[^,;:.()]{0,50},",
    re.I,
)
_MAX_FOLLOWER_CHARS = 300


class SentenceSelector(SentenceScorer):
    """Chooses the answer's sentences among the scored ones."""

    def _select(
        self,
        question: str,
        qvec: np.ndarray,
        passages: Sequence[Passage],
        focus: Sequence[str] = (),
        said: str = "",
    ) -> _Selection:
        """Choose the answer's sentences (issue 15, item 2).

        The sentence that answers comes first: the one whose own evidence is best, its
        similarity to the question, its share of the question's key terms (rare terms
        weigh more), and its having the form of the answer the question asks for (a
        permission or a prohibition, a definition, a number, a date, a body; see
        question_type); the passage's rank is a small prior only. Then only the
        context a reader needs: the sentence it leans on, a short sentence that
        completes it, close sentences of the same passage in document order, and a
        sentence of another passage only when it brings a key term the others lack.
        When even the best sentence is neither about the question's key terms nor very
        close to it, the documents do not answer: nothing is chosen.
        """
        scored = self._score(question, qvec, passages, focus)
        if scored is None:
            return _Selection([])
        ranked = sorted(scored.cands, key=lambda c: -c.score)
        missing = [w for w in focus if set(self.analyzer.stems(w)) <= scored.missing_focus]
        # After an answer, what the user has not read yet first (see _unheard).
        orders = [self._unheard(ranked, scored, focus, said), ranked] if said else [ranked]
        for order in orders:
            best = self._typed_first(scored.qt, order)
            if self._answers(scored.qt, best, scored.verb, scored.titled[best.passage_index]):
                break
        else:
            return _Selection([], missing)
        chosen = self._compose(best, order, scored.cands, scored.terms_of, scored.key)
        return _Selection(chosen, missing)

    def _unheard(
        self, ranked: list[_Candidate], scored: _Scored, focus: Sequence[str], said: str
    ) -> list[_Candidate]:
        """``ranked`` without the sentences the user has just read that say nothing of
        what the follow-up brought: a sentence read before that has one of its words
        stays (« Et la vaccination ? » after « Le dépistage … est-il gratuit ? » is
        answered by « Le dépistage et la vaccination … sont gratuits »). The caller
        falls back to ``ranked`` when what is left does not answer (the answer had been
        given, in words the follow-up does not use)."""
        wanted = {t for w in focus for t in self.analyzer.stems(w)} - scored.missing_focus
        heard = _squeeze(said)
        terms = {id(c): t for c, t in zip(scored.cands, scored.terms_of, strict=True)}
        fresh = [c for c in ranked if not (_squeeze(c.text) in heard and not wanted & terms[id(c)])]
        return fresh or ranked

    def _typed_first(self, qt: QuestionType, order: list[_Candidate]) -> _Candidate:
        """The sentence to put first: the best one, or for a question that asks for a
        number, a date, a place or a reason, the best one that has the form asked for
        (« pour une durée maximum de dix ans » for « Pour combien de temps … est-il
        désigné ? », « Le fait d'accompagner permet de rassurer la personne » for
        « Pourquoi … ? », « dans les locaux dédiés ou dans des bus » for « Où … ? ») when it
        scores at most ``typed_margin`` below the best. A sentence without the figure
        cannot answer such a question (see _answers): the choice is between the figure
        of a close sentence and no answer."""
        best = order[0]
        asks_form = qt.kind in ("quantity", "time", "place") or qt.subject == "raison"
        if not asks_form or best.form >= 1.0:
            return best
        floor = best.score - self.config.typed_margin
        typed = [c for c in order if c.score >= floor and c.form > best.form]
        return max(typed, key=lambda c: (c.form, c.score)) if typed else best

    def _answers(
        self, qt: QuestionType, best: _Candidate, verb: set[str], passage_terms: set[str]
    ) -> bool:
        """Whether the best sentence answers at all, beyond sharing a word (the answer-level
        check of issue 15, item 2, after the calibrated confidence): very close to the
        question, or carrying at least ``min_cover`` of its key terms; and for
        « Comment rejoindre … ? », which asks how to do something, from a passage that
        names the action (or its document's title does).

        Measured: a paraphrase (« la prison » for « emprisonnement ») often carries a
        third of the key terms or less, as little as a question the documents do not
        answer; on the gold set a bar of 0.2 turned 29 answerable questions into
        abstentions and caught no unanswerable one the calibrated confidence had let
        through. So ``min_cover`` is 0 by default, and the check that stays is the
        « comment … » one.

        A question that asks for a number or a date (« combien », « quel taux », « dans
        quel délai ») is not answered by a sentence without one, however close: the
        documents do not hold the figure asked for."""
        cfg = self.config
        if qt.kind in ("quantity", "time") and best.form == 0:
            return False
        if best.sim >= cfg.min_similarity:
            return True
        if best.cover < cfg.min_cover:
            return False
        return not (qt.kind == "other" and verb and not verb <= passage_terms)

    def _compose(
        self,
        best: _Candidate,
        ranked: list[_Candidate],
        cands: list[_Candidate],
        terms_of: list[set[str]],
        key: Mapping[str, float],
    ) -> list[_Candidate]:
        """The best sentence first (after the sentence it leans on), then the context a
        reader needs, from its passage where possible, in document order."""
        cfg = self.config
        terms = {id(c): t for c, t in zip(cands, terms_of, strict=True)}
        row = sorted((c for c in cands if c.passage_index == best.passage_index), key=_start)
        i = next(k for k, c in enumerate(row) if c is best)
        # The sentence it leans on (« Cet anonymat … » on « Ils peuvent … »), and the one
        # before when that one opens on a pronoun or a demonstrative (« Ils » are « Les
        # toxicomanes qui … », « Ce guide » is the book named before);
        # a connective (« Néanmoins, … ») may open an answer.
        lead = [best]
        j = i
        while j > 0 and (
            (
                len(lead) == 1
                and (_LEANS_BACK.match(best.text) or _BACK_REFERENCE_OPENING.match(best.text))
            )
            or (len(lead) == 2 and _PRONOUN_SUBJECT.match(lead[0].text))
        ):
            j -= 1
            lead.insert(0, row[j])
        if i + 1 < len(row):
            nxt = row[i + 1]
            if _ANAPHORIC.match(nxt.text) and len(nxt.text) <= _MAX_FOLLOWER_CHARS:
                lead.append(nxt)
        have = {id(c) for c in lead}
        # Close sentences of the same passage; of another passage, only one that stands
        # alone and brings a key term the answer lacks.
        same: list[_Candidate] = []
        other: list[_Candidate] = []
        covered = set().union(*(terms[id(c)] for c in lead)) & set(key)
        picks = 1
        # ``best`` may not lead ``ranked`` (see _typed_first): it is skipped as chosen.
        for c in ranked:
            if picks == cfg.max_sentences or c.score < best.score - self.sentence_model.margin:
                break
            if id(c) in have:
                continue
            if c.passage_index == best.passage_index:
                same.append(c)
            else:
                new = (terms[id(c)] & set(key)) - covered
                cited = {o.passage_index for o in other}
                if (
                    not new
                    or _LEANS_BACK.match(c.text)
                    or (c.passage_index not in cited and len(cited) + 1 >= cfg.max_cited)
                ):
                    continue
                other.append(c)
            covered |= terms[id(c)] & set(key)
            have.add(id(c))
            picks += 1
        others = sorted(other, key=lambda c: (c.passage_index, c.start))
        return lead + sorted(same, key=_start) + others


def _squeeze(text: str) -> str:
    """Text compared across renderings: one space, no Markdown emphasis."""
    return " ".join(text.replace("*", "").replace("_", " ").split())
