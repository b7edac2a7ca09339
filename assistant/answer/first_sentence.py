"""Which answer unit goes first: the rules that raise a sentence over the best-scored one
when the question asks for what that sentence has and the best one lacks (a figure, a
body named by its acronym, the plain offence or the case described, the predicate
asked about), within a margin of its score. Used by ``SentenceSelector._select``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..search.answer_forms import is_aggravated
from ..search.asked_list import asked_items, counted_items, list_opening_head, names_the_items
from ..search.asked_values import PERSON
from ..search.glossary import with_equivalents
from ..search.measured import measured
from ..search.question_type import QuestionType
from .list_items import in_list
from .sentence_scoring import SentenceScorer, _Candidate, _Scored
from .unnamed import other_product

_PRONOUN_SUBJECT = re.compile(
    r"^(?:il|elle|ils|elles|ce|cet|cette|ces)\b(?!\s+(?:existe|appartient|s['’]agit|faut|y a|"
    r"qui|que|qu['’]|dont))",
    re.I,
)
# The bodies a question names by their acronym (« CSAPA », « CAARUD », « MILDT »).
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,}s?\b")
# Where a sentence's subject is written, long forms included (« Les dépenses
# médico-sociales des centres de soins, d'accompagnement et de prévention en addictologie
# … »): its first words.
_OPENING_WORDS = 16
# « ces activités », « cette mission »: a noun phrase that takes up the sentence before.
_DEMONSTRATIVE = re.compile(r"\b(?:ces|cette|cet|ce)\s+(?!qui\b|que\b|qu['’]|dont\b)\w", re.I)


# A sentence that reports what a legal text says: « Ce texte prévoit que … », « la loi du
# 4 mars 2002 définit … », « l'article L. 1110-4 dispose … ».
_REPORTS_LAW = re.compile(
    r"\b(?:loi|code|texte|article|décret|arrêté|ordonnance)\b(?:[^.]|\.(?=\s*\d)){0,80}?\b(?:prévoi\w*|"
    r"dispos\w*|précis\w*|défini\w*|autoris\w*|impos\w*|stipul\w*)",
    re.I,
)


def _sentence_before(c: _Candidate, cands: Sequence[_Candidate]) -> _Candidate | None:
    """The answer unit just before ``c`` in its passage, if any."""
    earlier = [o for o in cands if o.passage_index == c.passage_index and o.start < c.start]
    return max(earlier, key=lambda o: o.start, default=None)


# « est-il nommé », « sont-elles bien anonymes », « sera-t-il rendu public », « a-t-il été
# désigné »: the predicate asked about, after an inverted « être » and its adverbs.
_PREDICATE = re.compile(
    r"\b(?:(?:est|sont|sera|seront|était|étaient|serait|seraient)-(?:t-)?(?:il|elle|ils|elles|on)"
    r"|(?:a|ont|avait|avaient)-(?:t-)?(?:il|elle|ils|elles|on)\s+été)\s+"
    r"(?:(?:bien|toujours|aussi|vraiment|encore|obligatoirement|forcément|également)\s+)*"
    r"(?:été\s+)?(?P<p>[a-zà-ÿ]+)",
    re.I,
)
# Not a predicate: negation, an article or a pronoun (« est-il le plus … », « est-il
# lui-même … »), and the words of permission and obligation (the answer's form).
_NOT_PREDICATE = frozenset(
    {"pas", "plus", "le", "la", "les", "l", "un", "une", "des", "du", "de", "en", "quand",
     "lui", "eux", "elle", "elles", "possible", "obligatoire", "interdit", "permis",
     "autorisé", "nécessaire", "tenu", "tenue", "tenus", "tenues", "censé", "censée", "censés",
     "censées", "obligé", "obligée", "obligés", "obligées", "soumis", "soumise"}
)  # fmt: skip


class FirstSentenceRules(SentenceScorer):
    """The rules that choose the sentence to put first (see the module's docstring)."""

    def _typed_first(self, qt: QuestionType, order: list[_Candidate]) -> _Candidate:
        """The sentence to put first: the best one, or for a question that asks for a
        number, a date, a place or a reason, the best one that has the form asked for
        (« pour une durée maximum de dix ans » for « Pour combien de temps … est-il
        désigné ? », « Le fait d'accompagner permet de rassurer la personne » for
        « Pourquoi … ? », « dans les locaux dédiés ou dans des bus » for « Où … ? ») when it
        scores at most ``typed_margin`` below the best. A sentence without the figure
        cannot answer such a question (see _answers): the choice is between the figure
        of a close sentence and no answer. For a definition, the sentence that defines,
        within ``named_margin`` and with the follow-up's words as much."""
        best = order[0]
        # « Qui peut solliciter … ? » (asked_action): the sentence that names who may.
        asks_form = (
            qt.kind in ("quantity", "time", "place")
            or qt.subject in ("raison", "financeur", "membres", PERSON)
            or (qt.kind == "agent" and bool(qt.verb))
        )
        if qt.kind == "definition" and best.form < 1.0:
            # The sentence that defines, when close: « Le fonds … contribue … au
            # financement d'actions … » before « Il est créé … un fonds … » for « À quoi
            # sert le fonds … ? » (fourteenth fresh-user test).
            floor = best.score - self.config.named_margin
            defining = [
                c for c in order if c.score >= floor and c.form >= 1.0 and c.focus >= best.focus
            ]
            return defining[0] if defining else best
        if not asks_form or best.form >= 1.0:
            return best
        floor = best.score - self.config.typed_margin
        # Who may do it is named by the sentence that writes the action (form 1.0), not
        # by one that only names a body (0.6: « élaboré par un groupe de travail »).
        least = 1.0 if qt.kind == "agent" else 0.0
        typed = [c for c in order if c.score >= floor and c.form > best.form and c.form >= least]
        return max(typed, key=lambda c: (c.form, c.score)) if typed else best

    def _measured_first(
        self, scored: _Scored, best: _Candidate, order: list[_Candidate]
    ) -> _Candidate:
        """For a rate, the sentence within ``typed_margin`` of the best, with a figure as
        well, that names more of what the rate is of (search/measured.py, by key weight):
        « Quel pourcentage du volume horaire de la capacité porte sur les traitements ? »
        is answered by « Traitement des conduites addictives (30 à 40 % du volume horaire
        total) », not by the share of « Aspects de santé publique », its sibling."""
        words, in_sentence = measured(scored.qt)
        stems = set(self.analyzer.stems(words)) & set(scored.key)
        if not (in_sentence and stems):
            return best

        def held(c: _Candidate) -> float:
            return sum(scored.key[t] for t in stems & scored.terms(c))

        floor = best.score - self.config.typed_margin
        more = [
            c for c in order if c.score >= floor and c.form >= best.form and held(c) > held(best)
        ]
        return max(more, key=lambda c: (held(c), c.score)) if more else best

    def _named_first(
        self, question: str, scored: _Scored, best: _Candidate, order: list[_Candidate]
    ) -> _Candidate:
        """The best sentence that names the bodies the question names by their acronym
        (or writes their long form), when the best one names none of them and it scores
        at most ``named_margin`` below: « Qui paie les dépenses des CSAPA ? » is answered
        by the sentence on the CSAPA, not by the one before it on the ACT, in the same
        article."""
        # The body the question names first is what it asks about (« Un CSAPA peut-il
        # remettre un autotest VIH … ? »): a best sentence that names only another one
        # (« … détectant l'infection aux virus de l'immunodéficience humaine », the 2° of
        # a list whose 3° names the CSAPA) is not about it.
        named_bodies = [
            s
            for m in _ACRONYM.finditer(question)
            if (s := set(self.analyzer.stems(m.group(0))) & set(scored.key))
        ]
        if not named_bodies:
            return best
        stems = named_bodies[0]
        # « Ils développent des actions de médiation sociale … » is about the body its
        # pronoun takes up, named in the sentence before; « Les dépenses afférentes à ces
        # activités sont prises en charge par l'assurance maladie » about the activities
        # of the centre named in the sentence before (« Qui prend en charge les dépenses
        # du dépistage … au CSAPA ? » abstained: that sentence says no payer).
        if stems & scored.terms(best) or _PRONOUN_SUBJECT.match(best.text):
            return best
        before = _sentence_before(best, scored.cands)
        if (
            before is not None
            and stems <= scored.terms(before)
            and _DEMONSTRATIVE.search(best.text)
        ):
            return best
        floor = best.score - self.config.named_margin
        named = [c for c in order if c.score >= floor and stems <= scored.terms(c)]
        if not named:
            return best
        # The sentence about the body names it in its opening words, where its subject
        # is; one that names it late names it in passing (« … à l'exclusion des dépenses
        # des centres de soins, d'accompagnement et de prévention en addictologie »).
        synonyms = self._synonyms(question, everyday=True)

        def opens_on(c: _Candidate) -> bool:
            opening = set(self.analyzer.stems(" ".join(c.text.split()[:_OPENING_WORDS])))
            return stems <= with_equivalents(opening, synonyms)

        return next((c for c in named if opens_on(c)), named[0])

    def _focus_first(self, best: _Candidate, order: list[_Candidate]) -> _Candidate:
        """For a follow-up, the best sentence that holds all the words it brought when the
        best one holds part of them and it scores at most ``named_margin`` below:
        « D'autres ministres peuvent-ils y être appelés ? » is answered by « D'autres
        ministres peuvent être appelés à siéger … », not by the committee's presidency
        « … au ministre de l'intérieur », which holds the anchor's every word."""
        if not 0 < best.focus < 1:
            return best
        floor = best.score - self.config.named_margin
        whole = [c for c in order if c.score >= floor and c.focus >= 1.0]
        return whole[0] if whole else best

    def _law_first(
        self, scored: _Scored, best: _Candidate, order: list[_Candidate], law: Sequence[bool]
    ) -> _Candidate:
        """For a yes/no question, the law's own sentence when the best one reports a law
        from another document (« Ce texte prévoit que « sauf opposition du patient … » »
        in a network's bulletin, of the 2002 law since amended), the law's sentence has
        the form asked and the question's key terms as much, and it scores at most
        ``named_margin`` below (fifteenth fresh-user test). ``law``: whether each passage
        is a legal text in force."""
        if scored.qt.kind != "yesno" or law[best.passage_index]:
            return best
        if not _REPORTS_LAW.search(best.text):
            return best
        return self._flagged_first(best, order, law, lambda c: c.cover)

    def _in_force_first(
        self, best: _Candidate, order: list[_Candidate], in_force: Sequence[bool]
    ) -> _Candidate:
        """The best sentence of a text in force when the best one is of a repealed or
        replaced text (``in_force``: each passage's), it has the form asked for and the
        follow-up's words as much, and it scores at most ``named_margin`` below: « Qui paie
        ces stages ? » quoted the repealed article 131-35-1 (« La juridiction précise si le
        stage est exécuté aux frais du condamné ») when 131-5-1 in force says « … est
        effectué aux frais du condamné » (thirteenth fresh-user test)."""
        if in_force[best.passage_index]:
            return best
        margin = self.config.in_force_margin
        return self._flagged_first(best, order, in_force, lambda c: c.focus, margin)

    def _flagged_first(
        self,
        best: _Candidate,
        order: list[_Candidate],
        flags: Sequence[bool],
        also: Callable[[_Candidate], float],
        margin: float | None = None,
    ) -> _Candidate:
        """The first of ``order`` whose passage ``flags`` marks, within ``margin``
        (``named_margin`` by default) of ``best``, with its form and its ``also`` (cover,
        focus) as high as best's."""
        floor = best.score - (self.config.named_margin if margin is None else margin)
        return next(
            (
                c
                for c in order
                if c.score >= floor
                and flags[c.passage_index]
                and c.form >= best.form
                and also(c) >= also(best)
            ),
            best,
        )

    def _rarest_first(
        self,
        question: str,
        scored: _Scored,
        best: _Candidate,
        order: list[_Candidate],
        docs: Sequence[str],
    ) -> _Candidate:
        """The best sentence that holds the question's rarest key term some sentence
        holds, when the best one lacks it, holds no term as rare, and it scores at most
        ``rarest_margin`` below: « Le ministre de la culture est-il membre du comité
        interministériel … ? » is answered by the list that names « le ministre chargé de
        la culture », not by the sentence on the committee's presidency, which has every
        other word; « Un tribunal peut-il condamner quelqu'un à un stage sur la
        maltraitance animale ? » by that stage's item. What sets the question apart from
        its neighbours is its rarest word (by IDF, ``rarest_idf`` at least), in the
        document of the best sentence (``docs``: each passage's), in a list (what a
        document enumerates is where one item is told from the others). The item writes
        the term, or names it as the glossary writes a name (« la Mutualité sociale
        agricole » for « MSA »), not with an everyday word's common equivalent
        (« conduire » for « au volant »: the driving ban came before « L'immobilisation du
        véhicule … », fourteenth fresh-user test). For a yes/no question only."""
        if scored.qt.kind != "yesno":
            return best
        # A term of the best sentence's passage is its context (« Anderlecht » for « La
        # coopération … fonctionne-t-elle bien à Anderlecht ? »), not what it lacks.
        best_terms = scored.titled[best.passage_index] & set(scored.key)
        lacking = (set().union(*scored.terms_of) & set(scored.key)) - best_terms
        if not lacking:
            return best
        top = max(scored.key[t] for t in lacking)
        if top < self.config.rarest_idf or any(
            scored.key[t] > top for t in scored.terms(best) & set(scored.key)
        ):
            return best
        rarest = {t for t in lacking if scored.key[t] == top}
        floor = best.score - self.config.rarest_margin
        synonyms = self._synonyms(question)  # the glossary's names, not everyday words
        rare = [
            c
            for c in order
            if c.score >= floor
            and rarest & with_equivalents(set(self.analyzer.stems(c.text)), synonyms)
            and docs[c.passage_index] == docs[best.passage_index]
            and in_list(c, _sentence_before(c, scored.cands))
        ]
        return rare[0] if rare else best

    def _plain_first(
        self, scored: _Scored, best: _Candidate, order: list[_Candidate]
    ) -> _Candidate:
        """For a question on a penalty, the sentence that sets the penalty of the plain
        offence before one that sets it for a case the question does not describe: « Que
        risque-t-on si on consomme du cannabis ? » is answered by « L'usage illicite … est
        puni d'un an d'emprisonnement … », not by the penalty of the driver who has used
        drugs, which holds the same words of the question and more conditions. The plain
        sentence holds every key term the best one holds, has the form asked for, scores
        within ``typed_margin`` of the best, and is the shortest such sentence (the fewest
        words, the fewest conditions). Only when the best sentence holds every key term:
        otherwise what it lacks is the case asked about (« Un pharmacien qui délivre des
        stupéfiants sur une fausse ordonnance … » is the sentence after it). A case the
        question does describe is then raised by _case_first."""
        held = scored.terms(best) & set(scored.key)
        # A common word it lacks is no case (« si on est pris à fumer … »): a fifth of the
        # key terms' weight at most.
        lacking = sum(w for t, w in scored.key.items() if t not in held)
        if scored.qt.subject != "peine" or lacking > 0.2 * sum(scored.key.values()):
            return best
        floor = best.score - self.config.typed_margin
        plain = [
            c
            for c in order
            if c.score >= floor
            and c.form >= best.form
            and held <= scored.terms(c)
            and len(c.text.split()) < len(best.text.split())
        ]
        return min(plain, key=lambda c: len(c.text.split())) if plain else best

    def _case_first(
        self,
        question: str,
        scored: _Scored,
        best: _Candidate,
        order: list[_Candidate],
        focus: Sequence[str],
    ) -> _Candidate:
        """For a question on a penalty, the sentence that raises it for the case the
        question describes, when the best sentence sets the penalty of the plain offence
        and misses that case: « Un conducteur de train qui consomme du cannabis risque
        quoi ? » is answered by « … commise … par le personnel d'une entreprise de
        transport …, les peines sont portées à cinq ans … » (the vocabulary's word for a
        train driver), not by the penalty of any user. The case is a key term of the
        question that the aggravated sentence holds and the best one lacks, or a word the
        follow-up brought (« Et pour un chauffeur de bus ? »: any driver's penalty holds
        « conducteur » too); within ``typed_margin`` of the best."""
        if scored.qt.subject != "peine" or is_aggravated(best.text):
            return best
        # What the best sentence holds is no case (« Et l'amende forfaitaire ? »: the
        # plain penalty's « amende » is not the aggravated one's).
        brought = {t for w in focus for t in self.analyzer.stems(w)}
        case_terms = (set(scored.key) | brought) - scored.terms(best)
        floor = best.score - self.config.typed_margin
        case = [
            c
            for c in order
            if c.score >= floor and is_aggravated(c.text) and case_terms & scored.terms(c)
            and not other_product(question, c.text)
        ]  # fmt: skip
        return case[0] if case else best

    def _predicate_first(
        self, question: str, scored: _Scored, best: _Candidate, order: list[_Candidate]
    ) -> _Candidate:
        """For a question on what its subject is or undergoes (« Comment le président de la
        mission est-il nommé ? », « Le dépistage est-il gratuit ? », « Les frais sont-ils
        remboursés ? »), the best sentence that writes that participle or adjective when
        the best one does not and it scores at most ``predicate_margin`` below: « Le
        président de la mission est nommé par décret. », not « Le président de la mission
        est rapporteur général du comité interministériel. », which has every other word.
        Permission and obligation (« est-il interdit », « sont-ils tenus ») are the form
        of the answer the scores already weigh, not a predicate to find."""
        asked = asked_predicate(question)
        if not asked:
            return best
        stems = set(self.analyzer.stems(asked))
        if not stems or stems <= scored.terms(best):
            return best
        floor = best.score - self.config.predicate_margin
        held = [c for c in order if c.score >= floor and stems <= scored.terms(c)]
        return held[0] if held else best

    def _listed_first(self, question: str, best: _Candidate, order: list[_Candidate]) -> _Candidate:
        """For a question that asks which ones (« Quels stages le tribunal peut-il
        imposer … ? », search/asked_list.py), the best sentence that opens their list,
        naming them before its « : » (« Les stages que peut prononcer la juridiction sont
        : »), when the best one opens none and it scores at most ``typed_margin``
        below: the list is the answer, the sentence on « un stage » near it is not
        (sixteenth fresh-user test)."""
        if not _asked_noun(question, best) or self.opens_asked_list(question, best):
            return best
        floor = best.score - self.config.typed_margin
        held = (c for c in order if c.score >= floor and self.opens_asked_list(question, c))
        found = next(held, best)
        if list_opening_head(best.text) and _holds(best, found):
            # « Le conseil … comprend : » opens the list whose item « 2° Cinq représentants
            # d'associations … : » is: that item follows it (SentenceSelector._compose).
            return best
        return found

    def opens_asked_list(self, question: str, c: _Candidate) -> bool:
        """Whether ``c`` opens the list of what the question asks to be listed (its
        plural noun before the sentence's « : »)."""
        noun, head = _asked_noun(question, c), list_opening_head(c.text)
        return bool(noun and head) and names_the_items(noun, head, self.analyzer.stems)


def _asked_noun(question: str, c: _Candidate) -> str:
    """What the question asks to be listed, or, for « Combien de ministres … ? » when
    ``c`` writes no number (its form is 0), what it counts: their list answers it
    (seventeenth fresh-user test: the committee's 22 ministers, counted nowhere)."""
    return asked_items(question) or (counted_items(question) if c.form == 0 else "")


def _holds(opening: _Candidate, c: _Candidate) -> bool:
    """Whether ``c`` comes after ``opening`` in its passage (an item of its list)."""
    return c is not opening and c.passage_index == opening.passage_index and c.start > opening.start


def asked_predicate(question: str) -> str:
    """The participle or adjective after an inverted « être » (« est-il nommé » →
    « nommé », « sont-elles anonymes » → « anonymes »); "" when there is none, or when
    it says a permission or an obligation (« est-il interdit », « sont-ils tenus »)."""
    m = _PREDICATE.search(question)
    if not m or m.group("p").lower() in _NOT_PREDICATE:
        return ""
    return m.group("p")
