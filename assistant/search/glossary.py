"""The domain's acronyms and renamed bodies (``corpus/glossary.toml``): query expansion
both ways, and notes that explain an answer's acronyms and old names."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError
from .everyday_phrase import phrase_in, words
from .lexical import FrenchAnalyzer
from .question_type import asks_penalty

GLOSSARY_FILE = "glossary.toml"


@dataclass(frozen=True)
class Rename:
    old: str
    old_long: str
    new: str
    new_long: str
    year: int
    old_aliases: tuple[str, ...] = ()  # other spellings of the old name
    new_aliases: tuple[str, ...] = ()

    def old_names(self) -> tuple[str, ...]:
        return (self.old, self.old_long, *self.old_aliases)

    def names(self) -> tuple[str, ...]:
        return (*self.old_names(), self.new, self.new_long, *self.new_aliases)


def _terms(value: object, key: str) -> tuple[str, ...]:
    """A vocabulary entry's document terms: a string or a list of strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(t, str) for t in items):
        raise ValueError(f"« {key} » : une liste de termes est attendue")
    return tuple(items)


@dataclass
class Glossary:
    acronyms: dict[str, str] = field(default_factory=dict)
    renames: list[Rename] = field(default_factory=list)
    # Everyday word or phrase -> the terms the documents use for it (a consumer health
    # vocabulary: « shit » -> cannabis, « la Sécu » -> assurance maladie).
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _analyzer: FrenchAnalyzer = field(default_factory=FrenchAnalyzer, repr=False)

    def __post_init__(self) -> None:
        # expand() and notes() test every long form against the same texts: stem each once.
        self._stems = functools.lru_cache(maxsize=1024)(self._analyzer.stems)
        self._lemma_stems = functools.lru_cache(maxsize=256)(self._compute_lemma_stems)
        self._word_stems = functools.lru_cache(maxsize=4096)(self._compute_word_stems)
        # (lower-case pattern, acronym) for with_acronyms, built on first use.
        self._typed_acronyms: list[tuple[re.Pattern[str], str]] | None = None

    @classmethod
    def load(cls, corpus_dir: Path) -> Glossary:
        path = corpus_dir / GLOSSARY_FILE
        if not path.exists():
            return cls()
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            renames = [
                Rename(
                    old=r["old"],
                    old_long=r["old_long"],
                    new=r["new"],
                    new_long=r["new_long"],
                    year=int(r["year"]),
                    old_aliases=tuple(r.get("old_aliases", ())),
                    new_aliases=tuple(r.get("new_aliases", ())),
                )
                for r in raw.get("renames", [])
            ]
            acronyms = {str(k): str(v) for k, v in raw.get("acronyms", {}).items()}
            vocabulary = {str(k): _terms(v, k) for k, v in raw.get("vocabulary", {}).items()}
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{path.name} : glossaire invalide ({exc})") from None
        return cls(acronyms, renames, vocabulary)

    # --- matching -------------------------------------------------------------------
    @staticmethod
    def _has_acronym(text: str, acronym: str) -> bool:
        # Case-sensitive: "ARS" the agency, not "ars" in a word; "MILD'T" with its quote.
        return re.search(rf"(?<![\w'’]){re.escape(acronym)}(?![\w])", text) is not None

    def with_acronyms(self, text: str) -> str:
        """A question with the acronyms it types in lower case written as the glossary
        writes them: « qui paye les csapa » → « qui paye les CSAPA » (the embedding model reads
        « csapa » as another word: the question abstained that « Qui paye les CSAPA ? »
        answers). An acronym whose lower case is a French word (« rat ») stays."""
        if self._typed_acronyms is None:
            names = [
                *self.acronyms,
                *(n for r in self.renames for n in (r.old, r.new) if n.isupper()),
            ]
            self._typed_acronyms = [
                (re.compile(rf"(?<![\w'’]){re.escape(name.lower())}(?=s?(?!\w))"), name)
                for name in sorted(names, key=len, reverse=True)
                if len(name) >= 3 and not french_word(name.lower())
            ]
        for pattern, name in self._typed_acronyms:
            text = pattern.sub(name.replace("\\", r"\\"), text)
        return text

    def _has_phrase(self, text: str, phrase: str, plural_free: bool = False) -> bool:
        """The phrase's content words, in order, as stems: plurals and accents agree.
        ``plural_free``: a final « s » or « x » is ignored too (the stemmer keeps it on
        short words: « accros », « ados »)."""
        want, have = self._stems(phrase), self._stems(text)
        if plural_free:
            want = [s.rstrip("sx") or s for s in want]
            have = [s.rstrip("sx") or s for s in have]
        n = len(want)
        return n > 0 and any(have[i : i + n] == want for i in range(len(have) - n + 1))

    def _has_everyday(self, text: str, phrase: str) -> bool:
        """The everyday phrase in the text, its words as written or as their dictionary
        form: « s'il avait bu » has « boire », « ils fumaient » « fumer ». Only the text's
        words are lemmatized: the phrase is matched as written (« joint » is not the
        « joindre » of « comment joindre le CSAPA ? »)."""
        if len(self._stems(phrase)) < len(words(phrase)):
            # « au volant », « le prévenir »: its grammar words say what it is.
            return phrase_in(text, phrase, self._word_stems, _lemma)
        if self._has_phrase(text, phrase, plural_free=True):
            return True
        want = [s.rstrip("sx") or s for s in self._stems(phrase)]
        have = self._lemma_stems(text)
        n = len(want)
        return n > 0 and any(
            all(w in alts for w, alts in zip(want, have[i : i + n], strict=True))
            for i in range(len(have) - n + 1)
        )

    def _within(self, question: str, phrase: str, other: str) -> bool:
        """Whether the everyday ``phrase`` is a form of part of the longer ``other``, which
        the question writes as it is: « paie » of « se faire payer » (an entry whose words
        are matched by their content only, as « payer », is not enough: « Qui paie ? »)."""
        longer = len(other.split()) > len(phrase.split())
        return (
            longer
            and re.search(rf"\b{_written(other)}\b", question, re.I) is not None
            and self._has_everyday(other, phrase)
        )

    def _compute_word_stems(self, word: str) -> frozenset[str]:
        """A word's stem and its lemma's stem, plural-free; empty for a stop word."""
        if not self._analyzer.stems(word):
            return frozenset()
        forms = (word, _lemma(word))
        return frozenset((self._analyzer.stems(f) or [f])[0].rstrip("sx") for f in forms)

    def _compute_lemma_stems(self, text: str) -> list[frozenset[str]]:
        """Per content word of ``text``: its stem and its lemma's stem, plural-free."""
        return [self._word_stems(w) for w in self._analyzer.words(text)]

    def _mentions(self, text: str, name: str) -> bool:
        is_acronym = len(name) <= 8 and " " not in name
        return self._has_acronym(text, name) if is_acronym else self._has_phrase(text, name)

    # --- query expansion ------------------------------------------------------------
    def names_of(self, term: str) -> tuple[str, ...]:
        """The ways of writing a term, lowercased: as given, and its glossary counterpart
        (« CSAPA » and « centre de soins, d'accompagnement … », either way round)."""
        names = [term]
        for short, long in self.acronyms.items():
            if term.lower() == short.lower():
                names.append(long)
            elif term.lower() in (long.lower(), long.lower() + "s"):
                names.append(short)
        return tuple(n.lower() for n in names if n)

    def said_as(self, word: str) -> tuple[str, ...]:
        """The ways the documents may say a word, lowercased: its glossary names (see
        :meth:`names_of`) and, for an everyday word, the documents' terms (« paie » →
        « frais », « prise en charge »)."""
        terms = [t for w, ts in self.vocabulary.items() if self._has_everyday(word, w) for t in ts]
        return tuple(dict.fromkeys([*self.names_of(word), *(t.lower() for t in terms)]))

    def equivalents(
        self,
        question: str,
        stems: Callable[[str], list[str]],
        everyday: bool = False,
        rare: Callable[[str], bool] | None = None,
    ) -> list[tuple[set[str], set[str]]]:
        """(question word stems, document term stems) pairs: a text that writes the
        second covers the first. The glossary acronyms the question uses in either form
        (« CSAPA » / « centre de soins, d'accompagnement et de prévention en
        addictologie ») and, with ``everyday``, its everyday words and the documents'
        terms for them (« chauffeur » / « personnel d'une entreprise de transport »).
        ``stems``: the analyzer of the texts compared (the lexical index's); ``rare``:
        as for :meth:`expand`, only everyday words the documents seldom use."""
        pairs = []
        rare = self.rare_rule(question, rare)
        q = set(stems(question))
        for short, long in self.acronyms.items():
            short_stems = set(stems(short))
            long_stems = set(stems(long))
            if short_stems and (short_stems <= q or (long_stems and long_stems <= q)):
                pairs.append((short_stems, long_stems))
        # An everyday word of the question is covered by the documents' term for it;
        # with ``rare``, only a word the documents seldom use (the search's rule).
        # Plural-free, as the search's expansion reads them: « accros aux jeux » says
        # « jeu » (the stemmer keeps « jeux »).
        q_free = {t.rstrip("sx"): t for t in q}
        for word, terms in self.vocabulary.items() if everyday else ():
            free = {t.rstrip("sx") for t in stems(word)}
            own = {q_free[t] for t in free if t in q_free}
            if free and len(own) == len(free) and (rare is None or rare(word) or _is_phrase(word)):
                # One step further when a term is itself an everyday word: « joint » is
                # « cannabis », which the law calls « stupéfiants ».
                further = [u for t in terms for u in self.vocabulary.get(t, ())]
                pairs.extend((own, set(stems(t))) for t in dict.fromkeys([*terms, *further]))
        return pairs

    def kind_of(self, name: str) -> str:
        """The kind of body a name stands for: the head noun of its long form, lowercased
        and singular (« centre » for CSAPA and CAARUD, « agence » for ARS, « mission »
        for MILDT and MILDECA); "" for a name the glossary does not know."""
        long = self.acronyms.get(name, "")
        for r in self.renames:
            if name in (r.old, r.new, *r.old_aliases, *r.new_aliases):
                long = r.new_long
        head = long.split()[0].lower() if long.split() else ""
        return head[:-1] if head.endswith(("s", "x")) and len(head) > 3 else head

    @staticmethod
    def rare_rule(
        question: str, rare: Callable[[str], bool] | None
    ) -> Callable[[str], bool] | None:
        """Which everyday words of ``question`` are read with the documents' terms (in
        the search's expansion and in :meth:`equivalents`): those ``rare`` accepts, or all
        of them when the question asks for a penalty. Only the law sets one, and it never
        writes the everyday word (« consommer ») but its own (« usage »), however often
        the other documents use the first."""
        return None if asks_penalty(question) else rare

    def expand(self, question: str, rare: Callable[[str], bool] | None = None) -> str:
        """The question followed by the other names of what it mentions.

        ``rare(phrase)``: whether the documents seldom use an everyday phrase; only then
        are its document terms added (« drogue », frequent in the texts, gains nothing
        from « stupéfiants » but noise). Without it, every everyday phrase is expanded.
        """
        extra: list[str] = []
        rare = self.rare_rule(question, rare)
        for short, long in self.acronyms.items():
            if self._has_acronym(question, short) and not self._has_phrase(question, long):
                extra.append(long)
            elif self._has_phrase(question, long) and not self._has_acronym(question, short):
                extra.append(short)
        for r in self.renames:
            if any(self._mentions(question, n) for n in r.names()):
                # Short names only: the long ones are made of the corpus's commonest words.
                extra.extend(n for n in (r.old, r.new) if not self._mentions(question, n))
        said = [
            w
            for w in self.vocabulary
            if self._has_everyday(question, w) and (rare is None or rare(w) or _is_phrase(w))
        ]
        for word in said:
            # The longest phrase wins: « jeux d'argent » is not about « argent », nor
            # « se faire payer » about « paie » (a form of the same verb).
            if not any(
                word != other and (word in other or self._within(question, word, other))
                for other in said
            ):
                extra.extend(t for t in self.vocabulary[word] if not self._mentions(question, t))
        return question if not extra else f"{question} ({' ; '.join(dict.fromkeys(extra))})"

    # --- notes for answers ----------------------------------------------------------
    def notes(self, answer_text: str, cited_texts: list[str]) -> list[str]:
        """What the acronyms of the answer stand for, and today's name of old bodies."""
        out = []
        for r in self.renames:
            texts = [answer_text, *cited_texts]
            if any(self._mentions(t, n) for t in texts for n in r.old_names()):
                out.append(f"{r.old} ({r.old_long}) : devenue {r.new} ({r.new_long}) en {r.year}.")
        for short, long in self.acronyms.items():
            if self._has_acronym(answer_text, short) and not self._has_phrase(answer_text, long):
                out.append(f"{short} : {long}.")
        return out


def with_equivalents(
    stems: set[str] | frozenset[str], pairs: list[tuple[set[str], set[str]]]
) -> set[str]:
    """``stems`` (of a text) with, for each pair of :meth:`Glossary.equivalents` whose one
    side the text writes in full, the other side: a sentence that writes « centres de
    soins, d'accompagnement et de prévention en addictologie » names the « CSAPA ». Only
    what the text writes grants a pair, never what another pair granted: « élève
    conducteur » is no « conducteur de train » through « personnel d'une entreprise de
    transport »."""
    out = set(stems)
    for short, long in pairs:
        if short <= stems or (long and long <= stems):
            out |= short | long
    return out


def _lemma(word: str) -> str:
    """A word's dictionary form (« est » → « être », « fumaient » → « fumer »), lower-cased."""
    import simplemma  # a dictionary of French forms, loaded on first use

    return str(simplemma.lemmatize(word, lang="fr")).lower()


def _written(phrase: str) -> str:
    """A pattern of the phrase's words as written, any spacing between them."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _is_phrase(entry: str) -> bool:
    """Whether a vocabulary entry is a phrase of several words (« faire son injection »,
    « jeux d'argent »): specific as a whole, however common its words are in the texts
    (the rarity rule is for single words)."""
    return len(entry.split()) > 1


def french_word(word: str) -> bool:
    """Whether simplemma's dictionary of French forms knows ``word``."""
    import simplemma  # loaded on first use (see Glossary._lemma_stems)

    return bool(simplemma.is_known(word, lang="fr"))
