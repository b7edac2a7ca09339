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
