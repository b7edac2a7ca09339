"""The extractive answerer's settings (``AnswerConfig``), and the confidence model they
carry: fitted per embedder by evals/calibrate.py, read from calibration.json."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

# What the confidence model reads of a question and its passages (see evals/calibrate.py).
FEATURES = ("dense", "cover", "vocab", "lexical")

log = logging.getLogger(__name__)


@dataclass
class AnswerConfig:
    max_sentences: int = 3
    max_passages: int = 5
    abstain_threshold: float = 0.5
    # Confidence = sigmoid(bias + Σ weight × feature), fitted per embedder on the gold set
    # by evals/calibrate.py and stored in calibration.json.
    conf_bias: float = 0.0
    conf_weights: dict[str, float] = field(default_factory=dict)
    # How each sentence scores: sentence_ranker.py (learned, or the hand-set first
    # release's weights).
    # An answer cites at most this many passages; a sentence of a second passage must
    # stand alone and bring a key term of the question that the answer lacks (measured
    # on the gold set against taking any close sentence: citation precision 0.56 vs
    # 0.53, answer hit 0.51 vs 0.52).
    max_cited: int = 2
    # How much less of the question's key terms (IDF share) the rule of a normative text
    # may cover than the best sentence, to be quoted beside it (SentenceSelector._with_rule).
    rule_cover_slack: float = 0.1
    # The best sentence must carry this share of the question's key terms (by IDF), or
    # be this similar to the question (see _answers). Off by default: measured, a
    # paraphrase shares as few key terms as an unanswered question does.
    min_cover: float = 0.0
    min_similarity: float = 0.9
    # « Comment … ? » is answered from a passage that names its action, or by a sentence
    # that carries this share of the other key terms: it says the action its own way
    # (« mesurer » / « calculer »). Measured on gold and train (see the CHANGELOG).
    verb_free_cover: float = 0.85
    # A rate is of what its sentence names, a count or a length of what its passage
    # names: at least this share (by IDF) of the words the question measures
    # (search/measured.py). Measured on gold, train and PIAF (see the CHANGELOG).
    measured_cover: float = 0.5
    # For « combien » / « quand », a sentence with the figure or the date asked for comes
    # first when it scores at most this far below a best sentence without one (in the
    # sentence model's log-odds; see FirstSentenceRules._typed_first).
    typed_margin: float = 3.0
    # Beside an abstention, a passage is offered as « peut-être utile » from this dense
    # similarity to the question (Answer.maybe_useful; per embedder, calibration.json).
    related_floor: float = 0.0
    # A sentence that names the body the question names by its acronym comes first when
    # it scores at most this far below a best sentence that names none (see
    # FirstSentenceRules._named_first).
    named_margin: float = 1.0
    # A sentence of a text in force comes first when it scores at most this far below a
    # best sentence of a repealed or replaced text (FirstSentenceRules._in_force_first).
    in_force_margin: float = 2.0
    # A sentence that writes the participle or adjective a question asks about (« est-il
    # nommé ») comes first when it scores at most this far below a best sentence without
    # it (FirstSentenceRules._predicate_first). 2 and 3 gained the same items on the
    # training questions (t195), 2 lost none on gold and PIAF; the smaller one is kept.
    predicate_margin: float = 2.0
    # A sentence that holds the question's rarest key term comes first when it scores at
    # most this far below a best sentence without it (FirstSentenceRules._rarest_first).
    rarest_margin: float = 3.5
    # … when that term is rare: BM25's IDF over the corpus's chunks (4: in a handful of
    # them; a common word of the question, « secteur », « fonds », is no such term).
    rarest_idf: float = 4.0
    # Cited texts older than this are flagged.
    max_age_years: int = 10


CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def load_calibration(
    embedder: str, path: Path = CALIBRATION_FILE
) -> tuple[float, dict[str, float], float, float]:
    """(bias, weights, threshold, related floor) of the confidence model fitted for this
    embedder; the floor (see ``Answer.maybe_useful``) is 0 where it was never measured.

    An embedder never calibrated gets the default embedder's model, which may not fit its
    similarity scale: run ``python -m evals.calibrate --embedder … --write``.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data.get(embedder)
    if entry is None:
        log.warning("pas de calibration pour %s : calibration par défaut", embedder)
        entry = data[data["default"]]
    weights = {k: float(v) for k, v in entry["weights"].items()}
    floor = float(entry.get("related_floor", 0.0))
    return float(entry["bias"]), weights, float(entry.get("threshold", 0.5)), floor
