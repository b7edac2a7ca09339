"""French BM25: an analyzer (elisions, stop words, Snowball stems, folded accents) and an
index built with bm25s, saved beside the Chroma data and rebuildable from it."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import replace_dir

# Chunk metadata kept in the lexical index for filtering.
FACETS = ("doc_id", "type", "date_int", "status")

_TOKEN = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.I)

# French function words; also the folded forms, since users type without accents.
_STOP = [
    "a",
    "à",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cet",
    "cette",
    "c",
    "ça",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "elles",
    "en",
    "et",
    "eux",
    "il",
    "ils",
    "je",
    "j",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lui",
    "ma",
    "mais",
    "me",
    "même",
    "mes",
    "moi",
    "mon",
    "ne",
    "n",
    "nos",
    "notre",
    "nous",
    "on",
    "ou",
    "où",
    "par",
    "pas",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "ses",
    "son",
    "sur",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tu",
    "un",
    "une",
    "vos",
    "votre",
    "vous",
    "y",
    "l",
    "d",
    "s",
    "m",
    "t",
    "est",
    "sont",
    "été",
    "être",
    "ai",
    "as",
    "avons",
    "avez",
    "ont",
    "avait",
    "étaient",
    "sera",
    "seront",
    "soit",
    "sont",
    "fait",
    "faire",
    "peut",
    "peuvent",
    "doit",
    "doivent",
    "dont",
    "si",
    "sans",
    "sous",
    "entre",
    "vers",
    "chez",
    "comme",
    "plus",
    "moins",
    "très",
    "aussi",
    "ainsi",
    "alors",
    "donc",
    "car",
    "or",
    "ni",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "quoi",
    "comment",
    "pourquoi",
    "quand",
    "combien",
    "tout",
    "tous",
    "toute",
    "toutes",
    "autre",
    "autres",
    "lors",
    "afin",
    "cela",
    "celui",
    "celle",
    "ceux",
    "celles",
    "ceci",
    "là",
    "ici",
    "y",
    "a-t-il",
    "est-ce",
    "puis-je",
    "dois-je",
    "ai-je",
]


def fold(text: str) -> str:
    """Lowercase and strip accents (é -> e, œ -> oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


STOP_WORDS = frozenset(_STOP) | frozenset(fold(w) for w in _STOP)

# ``fold`` of one word, memoised: the analyzer folds every token it reads, and a corpus has
# a few tens of thousands of distinct words.
_fold_word = functools.lru_cache(maxsize=200_000)(fold)

# Texts whose stems an analyzer remembers: the passages found for a question are analysed
# again by the answer step, the reranker and the generation check, and the same passages
# come back for many questions (issue 12, item 3).
STEMS_CACHE_TEXTS = 8192
WORD_STEMS_MAX = 500_000


class FrenchAnalyzer:
    """Text -> index terms. The Snowball stemmer is created lazily (cheap, but not at import).

    Stems are memoised per word (a word always has the same stem) and per text (a bounded
    LRU), so analysing a passage again costs a dictionary lookup.
    """

    def __init__(self) -> None:
        self._stemmer: Any = None
        self._lock = threading.Lock()  # a Snowball stemmer is not safe across threads
        self._word_stems: dict[str, str] = {}  # word -> its stem, folded
        self._text_stems = functools.lru_cache(maxsize=STEMS_CACHE_TEXTS)(self._compute_stems)

    def _stem(self, words: list[str]) -> list[str]:
        with self._lock:
            if self._stemmer is None:
                import Stemmer

                self._stemmer = Stemmer.Stemmer("french")
            return list(self._stemmer.stemWords(words))

    def words(self, text: str) -> list[str]:
        """Lowercased content words with elisions split off (accents kept, for the stemmer)."""
        out: list[str] = []
        for m in _TOKEN.finditer(text.lower().replace("’", "'")):
            tok = _ELISION.sub("", m.group(0))
            for part in tok.split("'"):
                for w in part.split("-") if not part.isdigit() else [part]:
                    keep = (len(w) > 1 or w.isdigit()) and _fold_word(w) not in STOP_WORDS
                    if keep and w not in STOP_WORDS:
                        out.append(w)
        return out

    def stems(self, text: str) -> list[str]:
        """Content words as stems with folded accents."""
        return list(self._text_stems(text))

    def _compute_stems(self, text: str) -> tuple[str, ...]:
        words = self.words(text)
        known = self._word_stems
        if len(known) > WORD_STEMS_MAX:  # a server fed odd words for months: start again
            known.clear()
        new = [w for w in dict.fromkeys(words) if w not in known]
        if new:
            # Dict assignment is atomic: two threads may stem one word twice, never wrongly.
            for w, s in zip(new, self._stem(new), strict=True):
                known[w] = fold(s)
        return tuple(known[w] for w in words)

    def analyze(self, text: str) -> list[str]:
        """Index terms. (Stem bigrams were tried and measured: no gain on the gold set.)"""
        return self.stems(text)


class LexicalIndex:
    """BM25 over chunk texts, addressed by chunk id."""

    FILE_IDS = "chunk_ids.json"

    def __init__(
        self,
        analyzer: FrenchAnalyzer,
        bm25: Any,
        ids: list[str],
        fingerprint: str,
        facets: list[dict[str, Any]],
        records: str = "",
    ) -> None:
        self.analyzer = analyzer
        self.bm25 = bm25
        self.ids = ids
        self.position = {cid: i for i, cid in enumerate(ids)}
        self.chunks_fingerprint = fingerprint  # of the chunk ids (``fingerprint_of``)
        # The store's per-document records when it was built (``ChunkStore.
        # records_fingerprint``, read before the chunks): a change of metadata alone keeps
        # the chunk ids but changes these. "": unknown (an index saved before them).
        self.records = records
        # The metadata that filters use, per chunk, so a filtered BM25 search needs no
        # round trip to Chroma.
        self.facets = facets
        self._facet_arrays: dict[str, np.ndarray] | None = None

    def facet_arrays(self) -> dict[str, np.ndarray]:
        """The facets as one array per field, rows aligned with ``ids`` (built once): a
        filter is then a few vector comparisons, not a Python call per chunk. Missing
        values are "" (text fields) and 0 (``date_int``)."""
        if self._facet_arrays is None:
            arrays = {
                k: np.asarray([str(f.get(k) or "") for f in self.facets], dtype=str)
                for k in FACETS
                if k != "date_int"
            }
            arrays["date_int"] = np.asarray(
                [int(f.get("date_int") or 0) for f in self.facets], dtype=np.int64
            )
            self._facet_arrays = arrays
        return self._facet_arrays

    @property
    def fingerprint(self) -> str:
        """The version of the store this index was built from: its chunk ids and its
        per-document records (the exact-search copy carries the same)."""
        return self.version_of(self.chunks_fingerprint, self.records)

    @staticmethod
    def version_of(chunks_fingerprint: str, records: str) -> str:
        return f"{chunks_fingerprint}+{records}" if records else chunks_fingerprint

    @staticmethod
    def fingerprint_of(ids: Sequence[str]) -> str:
        h = hashlib.sha256()
        for cid in sorted(ids):
            h.update(cid.encode())
            h.update(b"\0")
        return h.hexdigest()[:32]

    @classmethod
    def build(
        cls,
        analyzer: FrenchAnalyzer,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Mapping[str, Any]],
    ) -> LexicalIndex:
        return cls.build_from(analyzer, zip(ids, texts, metadatas, strict=True))

    @classmethod
    def build_from(
        cls,
        analyzer: FrenchAnalyzer,
        rows: Iterable[tuple[str, str, Mapping[str, Any]]],
        records: str = "",
    ) -> LexicalIndex:
        """The index of ``rows`` (chunk id, text, metadata), read once.

        Only the term ids of each text are kept (4 bytes a term, our own vocabulary), not
        the texts nor lists of term strings: a rebuild from Chroma pages through 100,000
        chunks without holding them (issue 12: peak RSS). bm25s scores a term the same
        whatever its id."""
        import bm25s

        ids: list[str] = []
        facets: list[dict[str, Any]] = []
        vocab: dict[str, int] = {}
        docs: list[array[int]] = []
        for cid, text, meta in rows:
            terms = analyzer.analyze(text) or ["∅"]
            docs.append(array("i", [vocab.setdefault(t, len(vocab)) for t in terms]))
            ids.append(cid)
            facets.append({k: meta.get(k) for k in FACETS})
        bm25 = None
        if docs:
            bm25 = bm25s.BM25(k1=1.2, b=0.75)
            bm25.index((docs, vocab), show_progress=False)
        return cls(analyzer, bm25, ids, cls.fingerprint_of(ids), facets, records)

    def save(self, directory: Path) -> None:
        """Write the index (a crash never leaves half of it)."""

        def write(tmp: Path) -> None:
            if self.bm25 is not None:
                self.bm25.save(str(tmp), show_progress=False)
            (tmp / self.FILE_IDS).write_text(
                json.dumps(
                    {
                        "fingerprint": self.chunks_fingerprint,
                        "records": self.records,
                        "ids": self.ids,
                        "facets": self.facets,
                    }
                ),
                encoding="utf-8",
            )

        replace_dir(directory, write)

    @classmethod
    def saved_fingerprint(cls, directory: Path) -> tuple[str, list[str]] | None:
        """(fingerprint, ids) of the saved index, without loading BM25; the fingerprint
        is the version (chunk ids and records, see ``fingerprint``)."""
        try:
            meta = json.loads((directory / cls.FILE_IDS).read_text(encoding="utf-8"))
            version = cls.version_of(str(meta["fingerprint"]), str(meta.get("records", "")))
            return version, list(meta["ids"])
        except (OSError, ValueError, KeyError):
            return None

    @classmethod
    def load(cls, analyzer: FrenchAnalyzer, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when it is missing or unreadable (then rebuild)."""
        import bm25s

        try:
            meta = json.loads((directory / cls.FILE_IDS).read_text(encoding="utf-8"))
            ids = list(meta["ids"])
            bm25 = bm25s.BM25.load(str(directory), show_progress=False) if ids else None
            records = str(meta.get("records", ""))
            return cls(analyzer, bm25, ids, str(meta["fingerprint"]), list(meta["facets"]), records)
        except (OSError, ValueError, KeyError):
            return None

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (aligned with ``self.ids``)."""
        if self.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        terms = [t for t in self.analyzer.analyze(query) if t in self.bm25.vocab_dict]
        if not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(terms), dtype=np.float32)

    def df(self, term: str) -> int:
        """How many chunks hold the term (a stem)."""
        if self.bm25 is None or term not in self.bm25.vocab_dict:
            return 0
        t = self.bm25.vocab_dict[term]
        indptr = self.bm25.scores["indptr"]
        return int(indptr[t + 1] - indptr[t])

    def idf(self, term: str) -> float:
        """Inverse document frequency over chunks; unseen terms get the highest."""
        n, df = len(self.ids), self.df(term)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def is_rare(self, phrase: str) -> bool:
        """Whether the passages seldom hold the phrase: its rarest stem is in at most 1 %
        of them (at least 3), or in none."""
        stems = self.analyzer.stems(phrase)
        if self.bm25 is None or not stems:
            return True
        return min(self.df(s) for s in stems) <= max(3, len(self.ids) // 100)

    def known_terms(self, query: str) -> tuple[list[str], list[str]]:
        """(terms of the query found in the corpus, terms not found)."""
        terms = self.analyzer.stems(query)
        vocab = self.bm25.vocab_dict if self.bm25 is not None else {}
        return [t for t in terms if t in vocab], [t for t in terms if t not in vocab]
