import sqlite3
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.feedback import FeedbackStore


def test_feedback_rows_and_bad_input(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "f.sqlite3")
    fid = store.record(1, ["doc-a"], abstained=False, masked_question="question masquée")
    store.set_reason(fid, "incomplet")
    (row,) = store.rows()
    assert (row.rating, row.reason, row.question, row.sources) == (1, "incomplet", None, ["doc-a"])
    with pytest.raises(InputError, match="avis invalide"):
        store.record(0, [], abstained=True)
    with pytest.raises(InputError, match="motif inconnu « joli »"):
        store.set_reason(fid, "joli")
    # Reopening keeps what was stored.
    assert len(FeedbackStore(tmp_path / "sub" / "f.sqlite3").rows()) == 1


def test_a_comment_is_kept_with_its_feedback_and_old_databases_gain_the_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.sqlite3"
    # A database written before comments existed.
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
            "rating INTEGER NOT NULL, reason TEXT, question TEXT, sources TEXT NOT NULL, "
            "abstained INTEGER NOT NULL, generated INTEGER NOT NULL DEFAULT 0)"
        )
        db.execute(
            "INSERT INTO feedback (at, rating, sources, abstained) VALUES ('x', -1, '[]', 0)"
        )
    store = FeedbackStore(path)
    (old,) = store.rows()
    assert old.comment is None
    store.set_comment(old.id, "  la  source   ne  parle pas de [téléphone masqué]  ")
    assert store.rows()[0].comment == "la source ne parle pas de [téléphone masqué]"
    store.set_comment(old.id, "x" * 5000)
    assert len(store.rows()[0].comment or "") == 1000
