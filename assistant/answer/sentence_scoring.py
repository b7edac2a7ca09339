"""The answer units of a question's passages, each with the features the sentence model
(sentence_ranker.py) reads and its score: what the extractive answer chooses from."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from ..ingest.sentences import answer_units, is_dateline, is_reference_entry, strip_furniture
from ..search.answer_forms import is_aggravated
from ..search.glossary import Glossary, with_equivalents
from ..search.lexical import FrenchAnalyzer, LexicalIndex
from ..search.question_type import QuestionType, classify, form_score
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .calibration import AnswerConfig
from .sentence_ranker import SentenceModel

# Questions a bibliography answers: « Quel ouvrage lire sur les réseaux ? », « Quelles
# références le bulletin donne-t-il ? ».
_ASKS_FOR_READING = re.compile(
    r"\b(?:ouvrages?|livres?|guides?|manuels?|lire|lectures?|bibliograph\w*|références?|"
    r"publications?|publiée?s?|auteurs?|éditée?s?|éditions?|bulletin officiel|journal officiel|"
    r"pages?|numéro|parue?s?)\b",
    re.I,
)


@dataclass
class _Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    score: float = 0.0
    sim: float = 0.0  # cosine with the question
    cover: float = 0.0  # share (by IDF) of the question's key terms it contains
    form: float = 0.0  # has the form of the answer asked for (question_type.form_score)
    # The follow-up's new word: 1.0 in the sentence, or for a name (« Et le SCAT ? ») when
    # the sentence opens on it (its subject: « Le SCAT apporte … »); MENTION_FOCUS when it
    # only names it in passing (« … une structure intermédiaire comme le SCAT. »).
    focus: float = 0.0
    features: dict[str, float] = field(default_factory=dict)  # SENTENCE_FEATURES
    reference: bool = False  # a bibliography's entry (is_reference_entry)


def _candidate(passage_index: int, text: str, start: int, end: int) -> _Candidate:
    """The unit ``text[start:end]`` without its opening furniture (list marker, heading
    glued by text extraction), which still tells a bibliography's entry (« > Bakis H. »)."""
    s = strip_furniture(text, start, end)
    reference = is_reference_entry(text[start:end])
    return _Candidate(passage_index, s, end, text[s:end], reference=reference)


@dataclass
class _Scored:
    """The answer units of a question's passages, scored, with what the choice reads."""

    cands: list[_Candidate]
    terms_of: list[set[str]]  # the stems of each unit (acronyms count as their long form)
    key: dict[str, float]  # the question's key terms and their IDF
    qt: QuestionType
    verb: set[str]
    missing_focus: set[str]
    titled: dict[int, set[str]]  # stems of each passage and of its document's title

    def terms(self, c: _Candidate) -> set[str]:
        """The stems of unit ``c`` (one of ``cands``), as ``terms_of`` holds them."""
        return next(t for o, t in zip(self.cands, self.terms_of, strict=True) if o is c)


# A follow-up's new word named in passing weighs this share of its weight; as the
# sentence's subject (its first _SUBJECT_WORDS words: « Le Lama garde … »), all of it.
MENTION_FOCUS = 0.5
_SUBJECT_WORDS = 4
# … and is found only where this share (IDF) of the other key terms is too (0.25 → 0.4
# moved no gold or training answer; see the CHANGELOG).
_FOCUS_CONTEXT = 0.4
# What the best sentence cannot be read without: the sentence before it, when it opens on
# a pronoun, a demonstrative or a connective (« Je vous rappelle », « Nous … » need none).
_LEANS_BACK = re.compile(
    r"^(?:en effet|ainsi|de plus|par ailleurs|néanmoins|toutefois|cependant|mais|or|donc|"
    r"dans ce cadre|à cet effet|de la même façon|c['’]est ainsi|"
    r"celui-ci|celle-ci|ceux-ci|celles-ci|ceci|cela|ce|cet|cette|ces|"
    r"il(?!\s+(?:existe|appartient|vous appartient|s['’]agit|convient|faut|importe|y a|"
    r"est (?:créée?|institué|utile|nécessaire|important|rappelé|possible|prévu)))|"
    r"elle|ils|elles|son|sa|ses|leur|leurs)\b",
    re.I,
)
# « selon l'article L6321-1 », « d'après la loi du 4 mars 2002 »: which text, not what
# about; the text's title says it (see _answers).
_TEXT_REFERENCE = re.compile(
    r"\b(?:selon|d['’]après|dans|par)?\s*(?:l['’]|les?\s+)?articles?\s+[LRDA]?\.?\s*"
    r"\d[\w.-]*(?:\s+(?:à|et)\s+[LRDA]?\.?\s*\d[\w.-]*)?",
    re.I,
)
# Stems of prepositions, adverbs and the auxiliary « avoir » (« pour avoir fumé ») the
# analyzer keeps: no answer is « about » them.
_NOT_A_TOPIC = frozenset({"selon", "apres", "avant", "hor", "parm", "pend", "avoir"})
# A list item's marker: « - », « • », « 2° », « a) » (neighbours.py reads lists with it).
LIST_MARKER = r"(?:[-–•]|\d{1,2}°|[a-z]\))"
_ITEM_LINE = re.compile(rf"^\s*{LIST_MARKER}\s+")
# A word of the sentence with the question's verb stem is read as that action unless it
# has a noun's ending (« déléguer », « délégué » answer « déléguer » ; « délégation »
# is another thing).
_NOUN_ENDING = re.compile(r"(?:tion|sion|ment|age|eur|rice|ure|ance|ence|ité|isme)s?$")

# « Sous l'autorité de qui … ? », « Sur proposition de qui … ? »: the answer writes the
# same phrase before whom it names (« sous l'autorité du préfet »).
_PHRASE_OF_WHOM = re.compile(
    r"^\s*(?:et\s+)?(?P<prep>sous|sur|avec|après|selon|par)\s+(?P<np>(?:l['’]|la |le |les )?"
    r"[\w-]+)\s+d(?:e|u|es|['’])\s*(?:qui|quoi|quel(?:le)?s?)\b",
    re.I,
)


def _asked_phrase(question: str) -> re.Pattern[str] | None:
    """The phrase a « <préposition> <nom> de qui … ? » question asks to complete, as a
    sentence would write it before a noun (« sous l'autorité d… »), or None."""
    m = _PHRASE_OF_WHOM.match(question)
    if m is None:
        return None
    np = re.escape(m["np"].replace("’", "'")).replace("\\ ", r"\s+").replace("'", "['’]")
    return re.compile(rf"\b{m['prep']}\s+{np}\s+d(?:e|u|es|['’])\s*\w", re.I)


class SentenceScorer:
    """Scores the answer units of the passages; the fields are ExtractiveAnswerer's."""

    embeddings: Embeddings
    lexical: LexicalIndex
    analyzer: FrenchAnalyzer
    glossary: Glossary
    store: ChunkStore | None
    config: AnswerConfig
    _sentence_model: SentenceModel | None

    @property
    def sentence_model(self) -> SentenceModel:
        """The sentence ranker, read from the package on first use."""
        if self._sentence_model is None:
            self._sentence_model = SentenceModel.load()
        return self._sentence_model

    def _units(self, passages: Sequence[Passage]) -> tuple[list[_Candidate], np.ndarray]:
        """The answer units of the passages with their vectors: stored at index time,
        or computed now for passages that have none stored. A unit's opening furniture
        (list marker, heading glued by text extraction) is left out of its span."""
        stored = self.store.units_of([p.chunk_id for p in passages]) if self.store else []
        by_chunk: dict[str, list[tuple[int, int, list[float]]]] = {}
        for u in stored:
            by_chunk.setdefault(u.chunk_id, []).append((u.start, u.end, u.vector))
        cands: list[_Candidate] = []
        vecs: list[list[float]] = []
        todo: list[_Candidate] = []
        for pi, p in enumerate(passages):
            if p.chunk_id in by_chunk:
                for s, e, v in sorted(by_chunk[p.chunk_id], key=lambda t: t[0]):
                    cands.append(_candidate(pi, p.text, s, e))
                    vecs.append(v)
            else:
                for s, e in answer_units(p.text):
                    todo.append(_candidate(pi, p.text, s, e))
        if todo:
            cands.extend(todo)
            vecs.extend(self.embeddings.embed_documents([c.text for c in todo]))
        return cands, np.asarray(vecs, dtype=np.float32).reshape(len(cands), -1)

    def _key_terms(self, qt: QuestionType, focus_stems: set[str]) -> dict[str, float]:
        """The terms an answer must be about, weighted by IDF: the question's content
        words without its frame (« ai-je le droit de », « qu'est-ce que »)."""
        content = _TEXT_REFERENCE.sub(" ", qt.content)
        terms = {t for t in self.analyzer.stems(content) if len(t) > 1} - _NOT_A_TOPIC
        terms |= focus_stems
        return {t: self.lexical.idf(t) for t in sorted(terms)}  # sorted: reproducible sums

    def _synonyms(self, question: str, everyday: bool = False) -> list[tuple[set[str], set[str]]]:
        """Glossary.equivalents of the question. ``everyday``: with its everyday words
        (the choice of sentences reads them; the confidence does not: measured, it then
        answered four paraphrases wrongly that it had abstained on)."""
        return self.glossary.equivalents(question, self.analyzer.stems, everyday)

    def _said_as(self, focus: Sequence[str]) -> list[tuple[set[str], set[str]]]:
        """(focus word stems, document term stems) for each way the documents may say a
        follow-up's word (« Et qui le paie ? » is answered by « aux frais du condamné »)."""
        pairs = []
        for w in focus:
            own = set(self.analyzer.stems(w))
            for name in self.glossary.said_as(w)[1:]:
                other = set(self.analyzer.stems(name))
                if own and other:
                    pairs.append((own, other))
        return pairs

    def sentence_features(
        self,
        question: str,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None = None,
    ) -> list[tuple[int, str, dict[str, float]]]:
        """(passage index, sentence, features) of every answer unit of ``passages``, in
        the order the selection reads them; what evals/train_sentences.py learns from."""
        qvec = np.asarray(
            query_vector if query_vector is not None else self.embeddings.embed_query(question),
            dtype=np.float32,
        )
        scored = self._score(question, qvec, passages[: self.config.max_passages], ())
        if scored is None:
            return []
        return [(c.passage_index, c.text, c.features) for c in scored.cands]

    def _score(
        self,
        question: str,
        qvec: np.ndarray,
        passages: Sequence[Passage],
        focus: Sequence[str],
    ) -> _Scored | None:
        """Every answer unit of the passages with its features (SENTENCE_FEATURES) and
        its score by the sentence model; None when the passages have no unit."""
        cands, vecs = self._units(passages)
        qt = classify(question)
        if qt.kind != "time":
            # A dateline (« Paris, le 4 novembre 2009 ») says when, and nothing else.
            keep = [i for i, c in enumerate(cands) if not is_dateline(c.text)]
            cands, vecs = [cands[i] for i in keep], vecs[keep]
        if not _ASKS_FOR_READING.search(question):
            # A bibliography's entry (« Shhweyer FX. Créer et piloter un réseau de
            # santé. ») names a book; « Qui pilote le DAC ? » is not answered by its title.
            keep = [i for i, c in enumerate(cands) if not c.reference]
            cands, vecs = [cands[i] for i in keep], vecs[keep]
        cands, vecs = self._without_bare_listings(question, qt, focus, cands, vecs)
        if not cands:
            return None
        focus_stems = {t for w in focus for t in self.analyzer.stems(w)}
        # The follow-up's names (« Et le SCAT ? ») as written: a sentence that only lists a
        # name says nothing of it; a common noun (« Et les médicaments ? ») is, where named.
        name_stems = self._names(question, focus)
        key = self._key_terms(qt, focus_stems)
        synonyms = self._synonyms(question, everyday=True) + self._said_as(focus)
        verb = set(self.analyzer.stems(qt.verb)) if qt.verb else set()
        names = self.glossary.names_of(qt.subject) if qt.kind == "definition" else ()
        verb_names = self.glossary.said_as(qt.verb) if qt.kind == "agent" else ()
        framed = _asked_phrase(question)
        subject_stems = set(self.analyzer.stems(qt.subject))
        cos = vecs @ qvec
        terms_of: list[set[str]] = []
        for c, sim in zip(cands, cos, strict=True):
            terms = with_equivalents(set(self.analyzer.stems(c.text)), synonyms)
            terms_of.append(terms)
            c.sim = float(sim)
            c.form = form_score(qt, c.text, names, verb_names)
            if framed and framed.search(c.text):
                # « sous l'autorité du préfet » for « Sous l'autorité de qui … ? »: the
                # phrase asked, completed; as decisive as a follow-up's new word.
                c.form, c.focus = 1.0, 1.0
            if focus_stems & terms:
                opening = set(self.analyzer.stems(" ".join(c.text.split()[:_SUBJECT_WORDS])))
                # A name only listed, not the sentence's subject, weighs less; so does a
                # part of what the follow-up brought (« amende » of « Et l'amende
                # forfaitaire ? », in every penalty), by key weight.
                listed = bool(name_stems & terms) and not name_stems & opening
                share = _share(key, terms & focus_stems, _share(key, focus_stems, 1.0))
                c.focus = (MENTION_FOCUS if listed else 1.0) * share
                if qt.subject == "peine" and is_aggravated(c.text) and share == 1.0:
                    # « Et pour un chauffeur de bus ? »: the case it names is this one.
                    c.form = 1.0
        passage_terms: dict[int, set[str]] = {}
        for c, terms in zip(cands, terms_of, strict=True):
            passage_terms.setdefault(c.passage_index, set()).update(terms)
        # A passage is also named by its document's title (« article L6321-1 (réseaux de
        # santé) »), which the topic check reads.
        titled = {
            pi: terms | set(self.analyzer.stems(str(passages[pi].metadata.get("title", ""))))
            for pi, terms in passage_terms.items()
        }
        # Focus words only in passages with under _FOCUS_CONTEXT of the other key terms
        # (« Et pour un mineur ? » on anonymity: « … se présentant comme mineures ») unless
        # in the law's words (« pilote »), or in no sentence, are reported, not weighed.
        context = set(key) - focus_stems
        held = {pi: _share(key, context & t, _share(key, context, 1.0)) for pi, t in titled.items()}
        in_context = [
            t if not context or held[c.passage_index] >= _FOCUS_CONTEXT
            else t - set(self.analyzer.stems(c.text))
            for c, t in zip(cands, terms_of, strict=True)
        ]  # fmt: skip
        found_focus = set().union(*in_context) & focus_stems
        missing_focus = focus_stems - found_focus
        for t in missing_focus:
            key.pop(t, None)
        total = sum(key.values())
        # What a passage's document brings to a sentence: a text in force that lays down
        # rules (for a yes/no question or a definition); the text about the term.
        normative = {
            pi: qt.kind in ("yesno", "definition") and _normative(passages[pi])
            for pi in passage_terms
        }
        defining = {
            pi: qt.kind == "definition"
            and bool(subject_stems)
            and self._text_defines(passages[pi], subject_stems, synonyms)
            for pi in passage_terms
        }
        first = {pi: min(c.start for c in cands if c.passage_index == pi) for pi in passage_terms}
        typed = qt.kind in ("quantity", "time")
        for c, terms in zip(cands, terms_of, strict=True):
            c.cover = _share(key, terms, total)
            if typed and c.form > 0:
                # « La durée de la mesure est de six mois » answers for « la mesure
                # d'injonction thérapeutique » of its passage: a sentence with the number
                # or the date asked for shares half its passage's cover.
                whole = _share(key, passage_terms[c.passage_index], total)
                c.cover = max(c.cover, (c.cover + whole) / 2)
        top_sim = max(c.sim for c in cands)
        top_cover = max(c.cover for c in cands)
        # The sentences around: an answer often follows the sentence that names the
        # question's subject (« Le CSAPA … . Il assure … »).
        before: dict[int, _Candidate] = {}
        after: dict[int, _Candidate] = {}
        for pi in passage_terms:
            row = sorted((c for c in cands if c.passage_index == pi), key=_start)
            for prev, nxt in itertools.pairwise(row):
                after[id(prev)] = nxt
                before[id(nxt)] = prev
        model = self.sentence_model
        for c, terms in zip(cands, terms_of, strict=True):
            text = c.text.rstrip()
            c.features = {
                "sim": c.sim,
                "sim_gap": c.sim - top_sim,
                "cover": c.cover,
                "cover_gap": c.cover - top_cover,
                "form": c.form if qt.kind in ("yesno", "agent", "place", "other") else 0.0,
                "form_definition": c.form if qt.kind == "definition" else 0.0,
                "form_typed": c.form if typed else 0.0,
                "action": float(bool(verb) and self._has_action(c.text, verb)),
                "normative": float(normative[c.passage_index]),
                "defining": float(defining[c.passage_index]),
                "rank_prior": 1.0 / (1 + c.passage_index),
                "first": float(c.start == first[c.passage_index]),
                "log_chars": math.log(1 + len(text)),
                "short": float(len(text) < 60),
                "colon_end": float(text.endswith(":")),
                "leans_back": float(bool(_LEANS_BACK.match(text))),
                "subject": float(bool(subject_stems) and subject_stems <= terms),
                "cover_passage": _share(key, titled[c.passage_index], total),
                "cover_prev": before[id(c)].cover if id(c) in before else 0.0,
                "cover_next": after[id(c)].cover if id(c) in after else 0.0,
                "sim_prev": before[id(c)].sim - top_sim if id(c) in before else -1.0,
            }
            c.score = model.score(c.features) + model.focus * c.focus
        return _Scored(cands, terms_of, key, qt, verb, missing_focus, titled)

    def _without_bare_listings(
        self,
        question: str,
        qt: QuestionType,
        focus: Sequence[str],
        cands: list[_Candidate],
        vecs: np.ndarray,
    ) -> tuple[list[_Candidate], np.ndarray]:
        """The units without the list items that only name a body asked about among
        others (« - des services spécialisés comme le RAT ou le Lama ; ») when another
        unit says something of it: « Quel est le rôle du Lama ? », « Et le SCAT ? ».
        The body is a follow-up's name or the subject of « qu'est-ce que / quel est le
        rôle de … », as the question writes it with a capital."""
        names = self._names(question, [*focus, qt.subject] if qt.kind == "definition" else focus)
        if not names:
            return cands, vecs
        listing: list[bool] = []
        naming: list[bool] = []
        for c in cands:
            lines = [ln for ln in c.text.split("\n") if names <= set(self.analyzer.stems(ln))]
            naming.append(bool(lines))
            listing.append(bool(lines) and all(self._lists(ln, names) for ln in lines))
        if not any(n and not li for n, li in zip(naming, listing, strict=True)):
            return cands, vecs
        keep = [i for i, li in enumerate(listing) if not li]
        return [cands[i] for i in keep], vecs[keep]

    def _names(self, question: str, words: Sequence[str]) -> set[str]:
        """The stems of those ``words`` that the question writes with a capital: names
        (« Et le SCAT ? », « le Lama »), not common nouns (« Et les médicaments ? »)."""
        return {
            t
            for w in words
            if w
            and any(
                m.group(0)[:1].isupper()
                for m in re.finditer(rf"\b{re.escape(w)}\b", question, re.I)
            )
            for t in self.analyzer.stems(w)
        }

    def _lists(self, line: str, names: set[str]) -> bool:
        """Whether a line naming ``names`` is a list item that does not open on them: an
        item goes on the sentence that announced it (a marker, or a lower-case opening
        once the unit's marker is stripped)."""
        marker = _ITEM_LINE.match(line)
        item = line[marker.end() if marker else 0 :]
        if not (marker or item[:1].islower()):
            return False
        opening = set(self.analyzer.stems(" ".join(item.split()[:_SUBJECT_WORDS])))
        return not names & opening

    def _has_action(self, text: str, verb: set[str]) -> bool:
        """Whether the sentence writes the question's action as a verb (see _NOUN_ENDING)."""
        for w in self.analyzer.words(text):
            if _NOUN_ENDING.search(w):
                continue
            if set(self.analyzer.stems(w)) & verb:
                return True
        return False

    def _text_defines(
        self, p: Passage, subject: set[str], synonyms: list[tuple[set[str], set[str]]]
    ) -> bool:
        """Whether the passage's document is the text about the term (its title names
        it): there, the definition is the law's or the text's own."""
        title = set(self.analyzer.stems(str(p.metadata.get("title", ""))))
        return subject <= with_equivalents(title, synonyms)


# Texts that lay down rules for their readers (corpus.DOC_TYPES), the notes and letters
# of mission of the bodies that direct the networks included.
_NORMATIVE_TYPES = frozenset(
    {"loi", "code", "decret", "arrete", "circulaire", "instruction", "note", "lettre_de_mission"}
)


def _normative(p: Passage) -> bool:
    m = p.metadata
    return (
        str(m.get("type", "")) in _NORMATIVE_TYPES
        and str(m.get("status") or "en_vigueur") == "en_vigueur"
    )


def _share(key: Mapping[str, float], terms: set[str], total: float) -> float:
    return sum(w for t, w in key.items() if t in terms) / total if total else 0.0


def _start(c: _Candidate) -> int:
    return c.start
