"""The extractive answer: the sentences of the retrieved passages that best answer the
question, in their original words, each followed by the marker of its passage.

Nothing in an answer is written by us: every sentence is a span of a cited passage. Below
a calibrated confidence, the assistant abstains and shows the closest passages instead.

Here the answerer's decisions: the confidence, the abstention, the answer's text and its
sources. Its sentences are scored in sentence_scoring.py and chosen in
sentence_selection.py; ``Answer`` and ``Citation`` (citations.py), ``AnswerConfig`` and
the calibration (calibration.py) are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ..search.asked_list import asked_items, counted_items
from ..search.asked_values import asks_about_now
from ..search.glossary import Glossary, with_equivalents
from ..search.lexical import FrenchAnalyzer, LexicalIndex
from ..search.question_type import classify, without_fillers
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .absent_role import absent_role
from .answer_text import joined_answer
from .asked_article import (
    article_passages,
    asked_articles,
    asks_what_it_says,
    document_opening,
    opening,
    titled,
)
from .calibration import CALIBRATION_FILE as CALIBRATION_FILE
from .calibration import FEATURES as FEATURES
from .calibration import AnswerConfig as AnswerConfig
from .calibration import load_calibration as load_calibration
from .citations import MAYBE_USEFUL_MAX, missing_note
from .citations import Answer as Answer
from .citations import Citation as Citation
from .citations import citation_for as citation_for
from .citations import shorten as shorten
from .document_facts import (
    HEAD_FACTS,
    absent_document_note,
    article_numbers,
    document_question,
    fact_sentence,
    find_document,
    signatories,
)
from .language import ENGLISH_NOTE, in_english
from .letterhead import head_lines, head_passage
from .lookup import described_document_passages, lexical_passages, numbered_text
from .neighbours import with_item_markers, with_list_opening, with_neighbours, with_whole_list
from .renamed_body import asked_rename, renamed_answer
from .role_holders import post_answer
from .sentence_ranker import SentenceModel
from .sentence_scoring import _Candidate
from .sentence_selection import SentenceSelector
from .unnamed import (
    product_swapped,
    unknown_names,
    unnamed_subject,
    unseen_qualified_subject,
)
from .validity import validity_notice

ABSTAIN_MESSAGE = "Je n'ai pas trouvé de réponse à cette question dans les documents."

# A capitalised word that does not open a sentence: a place, a person, a body.
# A text named after a person or a place (« la loi Evin », « le plan Borloo »): the
# words just before its name.
_NAMED_TEXT = re.compile(
    r"\b(?:loi|plan|décret|circulaire|rapport|arrêté|réforme|programme|amendement)s?\s+$",
    re.I,
)


class ExtractiveAnswerer(SentenceSelector):
    def __init__(
        self,
        embeddings: Embeddings,
        lexical: LexicalIndex,
        config: AnswerConfig | None = None,
        analyzer: FrenchAnalyzer | None = None,
        store: ChunkStore | None = None,
        glossary: Glossary | None = None,
        today: dt.date | None = None,
        sentence_model: SentenceModel | None = None,
    ) -> None:
        self.embeddings = embeddings
        self._sentence_model = sentence_model
        self.lexical = lexical
        # Where the answer units and their vectors were stored at index time.
        self.store = store
        self.glossary = glossary or Glossary()
        self.today = today or dt.date.today()
        self.config = config or AnswerConfig()
        self.analyzer = analyzer or lexical.analyzer

    # --- confidence -----------------------------------------------------------------
    def features(self, question: str, passages: Sequence[Passage]) -> dict[str, float]:
        top = passages[: self.config.max_passages]
        dense = max((p.dense or 0.0) for p in top) if top else 0.0
        # « exactement », « vraiment »: no word of the topic, known or covered.
        question = without_fillers(question)
        q_terms = set(self.analyzer.stems(question))
        # An acronym counts as known, and as covered, when its long form is (« DAC » in a
        # text that writes « dispositif d'appui à la coordination »), as the search
        # reads it (glossary expansion).
        synonyms = self._synonyms(question)

        def named(terms: set[str]) -> set[str]:
            return with_equivalents(terms, synonyms)

        if q_terms and top:
            cover = max(
                len(q_terms & named(set(self.analyzer.stems(p.text)))) / len(q_terms)
                for p in top[:3]
            )
            known, _ = self.lexical.known_terms(
                self.glossary.expand(question, self.lexical.is_rare)
            )
            # An everyday word the glossary says the documents write otherwise (« coke »,
            # « dealer », « shit ») is a known word of the corpus, not a stranger.
            everyday = self._synonyms(question, everyday=True)
            plain = q_terms & named(set(known))
            glossed = (q_terms & with_equivalents(set(known), everyday)) - plain
            vocab = (len(plain) + 0.5 * len(glossed)) / len(q_terms)
        else:
            cover = vocab = 0.0
        lexical = math.log1p(max((p.lexical or 0.0) for p in top)) if top else 0.0
        return {"dense": dense, "cover": cover, "vocab": vocab, "lexical": lexical}

    def confidence(self, feats: dict[str, float]) -> float:
        c = self.config
        z = c.conf_bias + sum(w * feats[name] for name, w in c.conf_weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    # --- answer ---------------------------------------------------------------------
    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None = None,
        focus: Sequence[str] = (),
        said: str = "",
    ) -> Answer:
        """The extractive answer to ``question`` from ``passages`` (best first).

        ``focus``: the words a follow-up question brought (« Et avec un pharmacien ? » →
        ``("pharmacien",)``), asked of the question it completes; sentences that contain
        one are strongly preferred, and when none does, a note says so.

        ``said``: what the user has just read (the answer before a follow-up that adds to
        it, « … ? Et qui le paie ? »). Its sentences are not given again, unless no other
        sentence is left: the follow-up asks for something else.
        """
        feats = self.features(question, passages)
        conf = self.confidence(feats)
        about_document = document_question(question)
        if about_document is not None:
            i = find_document(
                about_document, passages[: self.config.max_passages], self.analyzer.stems
            )
            if i is None and about_document.fact != "source":
                # The article the question numbers, found by its record, not its words.
                numbers = article_numbers(about_document.named)
                numbered = numbered_text(self.store, numbers)
                if numbered is not None:
                    passages, i = [numbered, *passages], 0
                elif numbers and self.store is not None:
                    # No text of the index has that number: nothing to say of its record,
                    # and the words of another article would answer another question.
                    return self._abstain(question, passages, conf, feats)
                elif about_document.fact in ("issuer", *HEAD_FACTS) and (
                    about_document.doc_type != "article"  # may be a part of a document
                ):
                    # Not retrieved, or not in the index (« la circulaire n° 99.648 », cited).
                    more = lexical_passages(self.lexical, self.store, about_document.named, 10)
                    i = find_document(about_document, more, self.analyzer.stems)
                    if i is None:
                        note = absent_document_note(about_document)
                        return self._abstain(question, passages, conf, feats, notes=[note])
                    passages, i = [more[i], *passages], 0
            if i is not None and about_document.fact in HEAD_FACTS:
                # A letter's head, in its first passage; when it lacks the line asked for,
                # the letter's sentences may say it.
                first = head_passage(self.store, passages[i])
                said_there = bool(head_lines(first.text, about_document.fact))
                passages, i = ([first, *passages], 0) if said_there else (passages, None)
            if i is not None:
                # Its date, issuer, reference or status: the record says it, no sentence.
                # Which text says it: the text, and what it says.
                p = passages[i]
                quoted: list[str] = []
                if about_document.fact == "subject":
                    p, quoted = document_opening(self.store, p)
                elif about_document.fact == "source":
                    qvec = np.asarray(
                        query_vector
                        if query_vector is not None
                        else self.embeddings.embed_query(question),
                        dtype=np.float32,
                    )
                    chosen = self._select(about_document.topic, qvec, [p], focus, said).chosen
                    quoted = [c.text for c in chosen]
                notice = self.notice(p.metadata)
                fact = fact_sentence(about_document, p.metadata, p.text, notice)
                sentences = [fact, *quoted]
                text = " ".join(f"{t} [1]" for t in sentences)
                # The names of a signature block are what the citation shows.
                shown = quoted or (signatories(p.text, p.metadata) if about_document.signed else [])
                if about_document.fact in HEAD_FACTS:
                    shown = head_lines(p.text, about_document.fact)
                cite = citation_for(1, p, shown, notice)
                return Answer(question, text, False, [cite], list(passages), conf, feats)
        if in_english(question):
            return self._abstain(question, passages, conf, feats, False, [ENGLISH_NOTE])
        top = passages[: self.config.max_passages]
        if (rename := asked_rename(question, self.glossary)) is not None:
            # « La MILDT existe-t-elle toujours ? »: the glossary's rename first, then what
            # a text says of the body under its new name.
            text, cited = renamed_answer(
                rename, top, self.lexical, self.store, self._best, self.notice
            )
            return Answer(question, text, False, cited, list(passages), conf, feats)
        glossed = self.glossary.notes
        post = post_answer(question, top, self.store, self.analyzer.stems, self.notice, glossed)
        if post is not None:
            # « Qui est le président de la MILDT ? »: the signatures and records that name
            # one, with their dates (no sentence says who holds a post).
            text, cited, notes = post
            if not text:
                return self._abstain(question, passages, conf, feats, notes=notes)
            return Answer(question, text, False, cited, list(passages), conf, feats, notes)
        if not passages or conf < self.config.abstain_threshold:
            return self._abstain(question, passages, conf, feats)
        if asks_about_now(question):
            # The time, the day, the weather: no document says them, whatever words they
            # share with one (« 100 à 200 heures », « La Coordination a vu le jour … »).
            return self._abstain(question, passages, conf, feats, related=False)
        unknown = self.unknown_names(question, passages)
        if unknown and classify(question).kind == "place":
            # « Où trouver un CAARUD dans le Cantal ? »: the place is the question.
            return self._abstain(question, passages, conf, feats)
        if any(_NAMED_TEXT.search(question.split(w)[0]) for w in unknown):
            # « Que dit la loi Evin sur … ? »: the text asked about is not in the documents;
            # another text's words on the same topic would answer another question.
            return self._abstain(question, passages, conf, feats)
        role = absent_role(question, passages[: self.config.max_passages], self.analyzer.stems)
        if role:
            # « Qui est le président de la République ? »: no text names that role; the
            # president of the Institut national du cancer is another one.
            note = f"Les documents ne parlent pas de « {role} »."
            return self._abstain(question, passages, conf, feats, notes=[note])
        unnamed = self.unnamed_subject(question)
        if unnamed:
            # « La buprénorphine est-elle remboursée … ? »: no document names what the
            # question is about; a sentence on what else it shares (« Les dépenses … sont
            # prises en charge par l'assurance maladie ») would read as a « yes ».
            words = ", ".join(f"« {w} »" for w in unnamed)
            note = f"Les documents ne parlent pas de {words}."
            return self._abstain(question, passages, conf, feats, notes=[note])
        stems = self.analyzer.stems
        if kind := unseen_qualified_subject(
            question, stems, self.lexical, self.store, self.glossary
        ):
            # « Le cannabis thérapeutique est-il autorisé ? »: the documents speak of
            # cannabis, not of that kind of it; their sentences on cannabis read as a « no ».
            note = f"Les documents ne parlent pas de « {kind} »."
            return self._abstain(question, passages, conf, feats, notes=[note])
        if any(w.isdigit() and int(w) != self.today.year for w in unknown):
            # « Le plan 2023-2027 prévoit-il … ? », « le budget pour l'année 2024 »: a year
            # no document names is a text or a period the documents do not cover (the
            # current one is « now », and what the documents say in force holds).
            return self._abstain(question, passages, conf, feats)

        qvec = np.asarray(
            query_vector if query_vector is not None else self.embeddings.embed_query(question),
            dtype=np.float32,
        )
        # The passages the sentences are chosen from, which their indices point into: an
        # article asked by its number is read from its own passages.
        read = list(passages[: self.config.max_passages])
        numbers = asked_articles(question)
        absent = ""
        if numbers and self.store is not None:
            # « Que dit l'article … ? » reads it from its opening, the others where they
            # match best.
            ranked = () if asks_what_it_says(question) else passages
            own = article_passages(self.store, numbers, ranked, self.config.max_passages)
            if own:
                read = own
            elif not titled(self.store, numbers):
                absent = f"Les documents ne contiennent pas l'article {', '.join(sorted(numbers))}"
                read = [p for p in read if numbers & article_numbers(p.text)]
                if not read:
                    return self._abstain(question, passages, conf, feats, notes=[f"{absent}."])
        if not numbers:  # « Que dit la note de 2009 sur … ? »: that note's passages
            stems, k = self.analyzer.stems, self.config.max_passages
            own = described_document_passages(
                question, passages, self.lexical, self.store, stems, k
            )
            read = own or read
        selection = self._select(question, qvec, read, focus=focus, said=said)
        if numbers and not absent and asks_what_it_says(question):
            # « Que dit l'article L3411-9 ? »: its text, from its opening, in order.
            selection.chosen = opening(read, self.config.max_sentences) or selection.chosen
        chosen = selection.chosen
        if not chosen:
            return self._abstain(question, passages, conf, feats)
        first = read[chosen[0].passage_index]
        context = f"{first.metadata.get('title', '')} {first.text}"
        if product := product_swapped(question, chosen[0].text, context):
            # A rule on drugs for a question on alcohol or tobacco reads as its answer.
            note = f"Les documents trouvés ne parlent pas de « {product} » sur cette question."
            return self._abstain(question, passages, conf, feats, notes=[note])
        # What the chunker cut from them: the sentence a pronoun stands for, a list's end.
        qt = classify(question)
        # A figure is answered by its sentence: « Combien de représentants … ? » is not
        # asked for the list of the ten (their list's end from the next chunk).
        # But « Combien de ministres … ? », counted nowhere, is answered by their list.
        counted = bool(counted_items(question)) and selection.opens_list
        figure = qt.kind in ("quantity", "time") and not counted
        walk = bool(asked_items(question)) or counted
        chosen, read = with_neighbours(chosen, read, self.store, not figure, walk)
        if (qt.kind == "agent" and not qt.subject) or walk:
            # « Qui peut … ? » answered by an item of a list: the list. (Its opening
            # sentence alone before the item that answers another question was measured:
            # cited apart, it lowered citation precision, gold 0.732 → 0.727.)
            chosen, read = with_whole_list(chosen, read, self.store)
        elif selection.listed_item:
            chosen, read = with_list_opening(chosen, read, self.store)

        chosen = with_item_markers(chosen, read)
        # Number the sources in the order the answer first cites them.
        order: dict[int, int] = {}
        for cand in chosen:
            order.setdefault(cand.passage_index, len(order) + 1)
        parts = [f"{cand.text} [{order[cand.passage_index]}]" for cand in chosen]
        citations = [
            citation_for(
                n,
                read[pi],
                [c.text for c in chosen if c.passage_index == pi],
                self.notice(read[pi].metadata),
            )
            for pi, n in order.items()
        ]
        text = joined_answer(parts)
        notes = self.glossary.notes(text, [c.text for c in citations])
        # A follow-up's word the answer writes, or its documents' titles name, is not
        # missing (fourteenth fresh-user test: « … ne parlent pas de « points » » under
        # « … la moitié du nombre maximal de points du permis »).
        unsaid = selection.focus_missing
        if unsaid:
            with_titles = " ".join([text, *(c.title for c in citations)])
            written = set(self.analyzer.stems(with_titles))
            unsaid = [w for w in unsaid if not set(self.analyzer.stems(w)) <= written]
        if unsaid:
            notes.insert(0, missing_note(unsaid))
        if unknown:
            words = ", ".join(f"« {w} »" for w in unknown)
            notes.insert(
                0, f"Les documents ne parlent pas de {words} : ce qui suit vaut en général."
            )
        if absent:
            notes.insert(0, f"{absent} : ce qui suit le cite.")
        return Answer(
            question,
            text,
            False,
            citations,
            list(passages),
            conf,
            feats,
            notes,
            focus_missing=unsaid,
        )

    def _abstain(
        self,
        question: str,
        passages: Sequence[Passage],
        conf: float,
        feats: dict[str, float],
        related: bool = True,
        notes: Sequence[str] = (),
    ) -> Answer:
        """No answer; the closest passages offered when related (Answer.maybe_useful);
        none when ``related`` is False (the question is about nothing they could say)."""
        return Answer(
            question,
            ABSTAIN_MESSAGE,
            True,
            [],
            list(passages),
            conf,
            feats,
            list(notes),
            related_floor=self.config.related_floor if related else math.inf,
            # Only the passages that may be shown (a replaced text's notice reads the index).
            notices={
                p.chunk_id: n for p in passages[:MAYBE_USEFUL_MAX] if (n := self.notice(p.metadata))
            },
        )

    def unknown_names(self, question: str, passages: Sequence[Passage] = ()) -> list[str]:
        """See :func:`unnamed.unknown_names`."""
        return unknown_names(question, passages, self.analyzer.stems, self.lexical, self.glossary)

    def unnamed_subject(self, question: str) -> list[str]:
        """See :func:`unnamed.unnamed_subject`."""
        return unnamed_subject(question, self.analyzer.stems, self.lexical, self.glossary)

    def _best(self, question: str, passages: Sequence[Passage]) -> list[_Candidate]:
        """The sentences of ``passages`` chosen for ``question`` (its vector computed)."""
        qvec = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        return self._select(question, qvec, passages).chosen

    def notice(self, meta: Mapping[str, Any]) -> str:
        """What a reader must know about a cited text's validity: repealed, replaced,
        older than ``max_age_years``, or a legal text whose version date the corpus does
        not give (« Arrêté du 29 avril 1988 … », an annex amended since: « en vigueur »
        alone would vouch for a wording nobody dated)."""
        return validity_notice(meta, self.today, self.config.max_age_years, self._describe)

    def _describe(self, doc_id: str) -> str:
        """'« Title » (date)' of a document, from the index; its id when unknown."""
        if self.store is not None:
            res = self.store.collection.get(
                where={"doc_id": doc_id}, limit=1, include=["metadatas"]
            )
            if res["ids"]:
                m = res["metadatas"][0]
                date = f" ({m['date']})" if m.get("date") else ""
                return f"« {m['title']} »{date}"
        return doc_id
