"""Which sentences make the extractive answer: among the scored answer units, the one
that answers, then only the context a reader needs around it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..search.asked_list import OPENS_LIST, asked_items
from ..search.asked_values import PERSON
from ..search.measured import measured
from ..search.rerank import LEGAL_TYPES
from ..search.retrieval import Passage
from ..search.word_family import kin_said
from .first_sentence import _PRONOUN_SUBJECT, FirstSentenceRules
from .list_items import in_list, narrowed, sibling_item
from .question_grammar import heads_missing
from .sentence_scoring import _LEANS_BACK, _Candidate, _Scored, _start


@dataclass
class _Selection:
    """What ``_select`` chose, and what it could not honour."""

    chosen: list[_Candidate]
    focus_missing: list[str] = field(default_factory=list)  # focus words found nowhere
    # The first sentence is the item of a list that names the question's rarest term
    # (FirstSentenceRules._rarest_first): the list's opening line goes before it.
    listed_item: bool = False
    # The first sentence opens the list of what the question asks to be listed or counted.
    opens_list: bool = False


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
# A table row as the converters write it (« Structure : CSAPA Nord ; Places : 12. »,
# ingest/office.py, markup_blocks.py): the next row is another record, not what follows.
_LABELLED_ROW = re.compile(r"^[^:;]{1,80} : [^;]*(?: ; [^:;]{1,80} : [^;]*)+$")
# An editor's note under a legal article (« NOTA : Conformément à l'article 2 du décret
# … »): a text's history, not its rule.
_EDITOR_NOTE = re.compile(r"^\W*nota\b", re.I)
# A short sentence that only announces the list after it; a longer one may say more
# (« … compte tenu de l'expérience que vous avez acquise … pour la rédaction du Bulletin
# des réseaux, vous voudrez bien : », training t021).
_BARE_HEADER = re.compile(r":\s*$")
_SHORT_HEADER_CHARS = 100
# The units of a list quoted whole, at most (a unit may hold several items).
_MAX_LISTED = 24


def _context(c: _Candidate) -> bool:
    """Whether a sentence may be quoted as context around the one that answers: not an
    editor's note, nor a short sentence that opens a list whose items would not follow
    (« Les stages que peut prononcer la juridiction sont : » ended an answer, third
    fresh-user test)."""
    header = _BARE_HEADER.search(c.text) and len(c.text) < _SHORT_HEADER_CHARS
    return not (_EDITOR_NOTE.match(c.text) or header)


# « Pourquoi ? » after an answer (the chat glues it to the question it follows: « Qui
# finance les CAARUD ? Pourquoi ? ») asks the reason of what was just said, and brings no
# words of its own to judge a sentence by: only a sentence that gives a reason (« car »,
# « afin de », « permet de »: answer_forms) answers it; otherwise the documents do not say.
_BARE_REASON = re.compile(
    r"\?\s*(?:et |mais |oui,? mais |d'accord,? mais )?(?:pourquoi(?: donc| ça| cela)?|"
    r"pour quelles? raisons?|dans quel but|comment (?:ça|cela) se fait(?:-il)?)\s*[?!.]*\s*$",
    re.I,
)


class SentenceSelector(FirstSentenceRules):
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
        passage_stems = set().union(*scored.titled.values())
        missing = heads_missing(
            question,
            [
                w
                for w in focus
                if set(self.analyzer.stems(w)) <= scored.missing_focus
                and not kin_said(self.analyzer.stems(w), passage_stems)
            ],
            focus,
        )
        reason_only = bool(_BARE_REASON.search(question))
        # After an answer, what the user has not read yet first (see _unheard); but the
        # reason « Pourquoi ? » asks for may be what the answer said after its rule (« En
        # effet celui-ci n'aurait ni votre légitimité … »): the sentences said count.
        unheard = said and not reason_only
        orders = [self._unheard(ranked, scored, focus, said), ranked] if unheard else [ranked]
        for order in orders:
            if reason_only:
                # Only a sentence that gives a reason answers « Pourquoi ? »: the rules
                # below choose among those (one put a rule before the reason given).
                order = [c for c in order if c.form > 0] or order
            best = self._typed_first(scored.qt, order)
            best = self._measured_first(scored, best, order)
            best = self._named_first(question, scored, best, order)
            best = self._focus_first(best, order)
            best = self._plain_first(scored, best, order)
            best = self._case_first(question, scored, best, order, focus)
            best = self._predicate_first(question, scored, best, order)
            best = self._listed_first(question, best, order)
            unrare = best
            best = self._rarest_first(question, scored, best, order, [p.doc_id for p in passages])
            best = self._in_force_first(best, order, [_in_force(p) for p in passages])
            if not focus:  # a follow-up's new word (« Et avec un infirmier ? ») decides
                law = [_in_force(p) and p.metadata.get("type") in LEGAL_TYPES for p in passages]
                best = self._law_first(scored, best, order, law)
            if reason_only and best.form == 0:
                continue
            if self._answers(scored, best, self.opens_asked_list(question, best)):
                break
        else:
            return _Selection([], missing)
        # A list the best sentence opens is the answer to « Qu'est-ce qu'un CAARUD ? » and
        # to « Quels stages … ? » (its items follow it).
        opens_list = self.opens_asked_list(question, best)
        whole = scored.qt.kind == "definition" or opens_list
        chosen = self._compose(best, order, scored.cands, scored.terms_of, scored.key, whole)
        if scored.qt.kind in ("quantity", "time"):
            chosen = self._with_sibling_figure(best, chosen, scored)
        chosen = self._with_rule(best, chosen, scored)
        at = next((i for i, c in enumerate(chosen) if c is best), None)
        parts = narrowed(best, scored.key, self.analyzer.stems) if scored.qt.kind == "yesno" else []
        if at is not None and len(parts) > 1:
            # The items of a long list the question is about, after its opening; not the
            # list's other items (« Le ministre chargé de la recherche ; »).
            chosen[at : at + 1] = parts
            chosen = [c for c in chosen if c in parts or not sibling_item(c, best)]
        chosen = _in_force_first(best, chosen, passages)
        # An item asked for (« Cinq représentants d'associations … : » for « Quelles
        # associations siègent au conseil … ? ») is read after its list's opening line too.
        listed = best is not unrare or bool(asked_items(question))
        promoted = listed and bool(chosen) and chosen[0] is best
        return _Selection(chosen, missing, promoted, opens_list)

    def _with_rule(
        self, best: _Candidate, chosen: list[_Candidate], scored: _Scored
    ) -> list[_Candidate]:
        """For a yes/no question on what one may do, the rule from a normative text in
        force when the answer quotes only other documents (a bulletin that reports the
        law): « Ai-je le droit de partager des informations sur un patient avec les autres
        professionnels du réseau ? » is answered by the bulletin's account of the 2002 law
        and by the Code's own sentence (« … ils peuvent partager les informations … »),
        which the reader can rely on. The rule's sentence has a permission or a
        prohibition, names the question's action, and covers the question's key terms
        about as well as the best sentence (``rule_cover_slack`` less at most); it comes
        last, from one more cited passage."""
        cfg = self.config
        if scored.qt.kind != "yesno" or not scored.verb:
            return chosen
        if any(c.features.get("normative") for c in chosen):
            return chosen
        if len({c.passage_index for c in chosen}) >= cfg.max_cited:
            return chosen
        rules = [
            c
            for c in scored.cands
            if c.features.get("normative")
            and c.features.get("action")
            and c.form > 0
            and c.cover >= best.cover - cfg.rule_cover_slack
            and not _LEANS_BACK.match(c.text)
        ]
        return [*chosen, max(rules, key=lambda c: c.score)] if rules else chosen

    def _with_sibling_figure(
        self, best: _Candidate, chosen: list[_Candidate], scored: _Scored
    ) -> list[_Candidate]:
        """For a number or a date, the sentence just before a chosen one (the best first)
        in its passage when it too gives a figure of the same thing (the chosen one's
        rarest key terms): « … éteinte par le versement d'une amende forfaitaire d'un
        montant de 200 €. » before « Le montant de l'amende forfaitaire minorée est de
        150 € … »; the reader gets the rule and its variants, in document order."""
        if len(chosen) >= self.config.max_sentences or best.form == 0:
            return chosen
        for anchor in chosen:
            if anchor.form == 0:
                continue
            row = sorted(
                (c for c in scored.cands if c.passage_index == anchor.passage_index), key=_start
            )
            i = next(k for k, c in enumerate(row) if c is anchor)
            before = row[i - 1] if i else None
            if before is None or before.form == 0 or any(c is before for c in chosen):
                continue
            held = scored.terms(anchor) & set(scored.key)
            # Its rarest terms, all of them on an IDF tie (not one picked in hash order).
            rarest = {t for t in held if scored.key[t] == max(scored.key[u] for u in held)}
            if not rarest & scored.terms(before):
                continue
            at = next(k for k, c in enumerate(chosen) if c is anchor)
            return [*chosen[:at], before, *chosen[at:]]
        return chosen

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
        # A sentence read before stays only when none holds more of those words: « Et
        # l'amende forfaitaire ? » after « … 3750 euros d'amende » asks the sentence on
        # the « amende forfaitaire », not that one again.
        most = max((len(wanted & terms[id(c)]) for c in ranked), default=0)
        fresh = [
            c
            for c in ranked
            if not (_squeeze(c.text) in heard and len(wanted & terms[id(c)]) < max(most, 1))
        ]
        if not wanted and focus:
            # The documents say nothing of what the follow-up adds (« Et s'il récidive ? »,
            # « Et pour un mineur ? »): what follows the rule given, in its passage; not a
            # sentence of another text (« Les consommateurs sont accueillis de façon à
            # permettre leur anonymat » of the harm-reduction sites).
            read = {c.passage_index for c in ranked if _squeeze(c.text) in heard}
            fresh = [c for c in fresh if c.passage_index in read]
        return fresh or ranked

    def _answers(self, scored: _Scored, best: _Candidate, listing: bool = False) -> bool:
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
        documents do not hold the figure asked for; nor by a figure of something else than
        what it counts or measures (search/measured.py); but « Combien de ministres … ? »
        is answered by the list of them (``listing``: the best sentence opens it)."""
        cfg, qt, verb = self.config, scored.qt, scored.verb
        passage_terms = scored.titled[best.passage_index]
        asks_value = qt.kind in ("quantity", "time") or qt.subject in ("financeur", PERSON)
        if asks_value and best.form == 0:
            return listing and qt.kind == "quantity"
        words, in_sentence = measured(qt)
        measured_stems = set(self.analyzer.stems(words))
        wanted = {t: w for t, w in scored.key.items() if t in measured_stems}
        holder = passage_terms
        if in_sentence:
            # The sentence, and its document's title, which names what the whole text is
            # about (« capacité d'addictologie » for « 30 à 40 % du volume horaire total »).
            said = set().union(
                *(t for c, t in zip(scored.cands, scored.terms_of, strict=True)
                  if c.passage_index == best.passage_index)
            )  # fmt: skip
            holder = scored.terms(best) | (passage_terms - said)
        held = sum(w for t, w in wanted.items() if t in holder)
        if wanted and held < cfg.measured_cover * sum(wanted.values()):
            return False
        if best.sim >= cfg.min_similarity:
            return True
        if best.cover < cfg.min_cover:
            return False
        # A sentence with every other key term writes the action its own way (« Comment
        # mesure-t-on la distance … ? »: « Ces distances sont calculées selon … »).
        synonym_verb = best.cover >= cfg.verb_free_cover
        return not (qt.kind == "other" and verb and not verb <= passage_terms) or synonym_verb

    def _compose(
        self,
        best: _Candidate,
        ranked: list[_Candidate],
        cands: list[_Candidate],
        terms_of: list[set[str]],
        key: Mapping[str, float],
        whole_list: bool = False,
    ) -> list[_Candidate]:
        """The best sentence first (after the sentence it leans on, before the one after
        it that leans on it or speaks of the question's words too), then the context a
        reader needs, from its passage where possible, in document order. ``whole_list``:
        a list the best sentence opens is the answer (« Les centres … assurent : 1° … »
        for « Qu'est-ce qu'un CAARUD ? »), its items follow it."""
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
            if (
                _ANAPHORIC.match(nxt.text)
                and len(nxt.text) <= _MAX_FOLLOWER_CHARS
                and _context(nxt)
            ):
                # Not « Son originalité est d'organiser … une collaboration entre : »,
                # whose list is not quoted (sixth fresh-user test).
                lead.append(nxt)
            elif (
                not whole_list
                and len(nxt.text) <= _MAX_FOLLOWER_CHARS
                and not OPENS_LIST.search(best.text)
                and not (_LABELLED_ROW.match(best.text) or _LABELLED_ROW.match(nxt.text))
                and terms[id(nxt)] & set(key)
                and _context(nxt)
            ):
                # The sentence after it that speaks of the question's words too goes on
                # with it: the answer is often the sentence after the one that sets the
                # scene (« … la population madrilène se souleva contre les troupes
                # françaises … » / « La rébellion fut écrasée dans le sang par Murat. »
                # for « Quel général français écrasa le soulèvement madrilène ? »).
                # Measured: PIAF answer 0.714 → 0.724, training +1, gold unchanged;
                # without the key-term condition answers grew twice as much.
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
            if id(c) in have or not _context(c):
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
        if OPENS_LIST.search(best.text):
            # « Le conseil … comprend : 1° Les membres du comité restreint ; » opens a
            # list: its items that bring what the question asks and the answer lacks
            # (« Cinq représentants d'associations … » for « Quelles associations
            # siègent … ? ») follow it, however far their own score.
            # Quoted whole, a list's items are not counted against the answer's sentences
            # (« Quels ministres siègent … ? »: 22 of them).
            for k, c in enumerate(row[i + 1 :], start=i + 1):
                item = whole_list and in_list(c, row[k - 1]) and k - i <= _MAX_LISTED
                if picks >= cfg.max_sentences and not item:
                    break
                new = (terms[id(c)] & set(key)) - covered
                if id(c) in have or not (new or whole_list):
                    continue
                same.append(c)
                covered |= new
                have.add(id(c))
                picks += 1
        others = sorted(other, key=lambda c: (c.passage_index, c.start))
        return lead + sorted(same, key=_start) + others


def _in_force_first(
    best: _Candidate, chosen: list[_Candidate], passages: Sequence[Passage]
) -> list[_Candidate]:
    """The chosen sentences without those of a repealed or replaced text when the answer
    rests on a text in force: « Combien de temps dure le stage … ? » quoted the repealed
    article 131-35-1 after the rule in force, its warning only in the sources."""

    if not _in_force(passages[best.passage_index]):
        return chosen
    return [c for c in chosen if _in_force(passages[c.passage_index])]


def _in_force(p: Passage) -> bool:
    return (p.metadata.get("status") or "en_vigueur") == "en_vigueur"


def _squeeze(text: str) -> str:
    """Text compared across renderings: one space, no Markdown emphasis."""
    return " ".join(text.replace("*", "").replace("_", " ").split())
