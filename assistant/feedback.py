"""Users' 👍/👎 on answers, in a local SQLite database.

The question's text is stored only when the operator turns it on
(``ASSISTANT_LOG_QUESTIONS``), and then as masked: callers pass the masked question.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

REASONS = ("inexact", "source inadaptée", "incomplet", "autre")
COMMENT_MAX = 1000  # characters of free text kept with a feedback

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    reason TEXT,
    question TEXT,
    sources TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    generated INTEGER NOT NULL DEFAULT 0,
    comment TEXT
)
"""


@dataclass
class FeedbackRow:
    id: int
    at: str
    rating: int
    reason: str | None
    question: str | None
    sources: list[str]
    abstained: bool
    generated: bool
    comment: str | None = None  # the masked free text of the « autre » reason


class FeedbackStore:
    def __init__(self, path: Path, store_questions: bool = False) -> None:
        self.path = path
        self.store_questions = store_questions
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)
            # A database written before the free-text comment: the column is added.
            columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
            if "comment" not in columns:
                db.execute("ALTER TABLE feedback ADD COLUMN comment TEXT")

    def _connect(self) -> sqlite3.Connection:
        # One connection per call: gradio handlers run on several threads.
        return sqlite3.connect(self.path, timeout=10)

    def record(
        self,
        rating: int,
        sources: Sequence[str],
        abstained: bool,
        masked_question: str | None = None,
        generated: bool = False,
    ) -> int:
        if rating not in (-1, 1):
            raise InputError("avis invalide (👍 ou 👎)")
        question = masked_question if self.store_questions else None
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (at, rating, question, sources, abstained, generated) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    rating,
                    question,
                    json.dumps(list(sources), ensure_ascii=False),
                    int(abstained),
                    int(generated),
                ),
            )
            return int(cur.lastrowid or 0)

    def set_reason(self, feedback_id: int, reason: str) -> None:
        if reason not in REASONS:
            raise InputError(f"motif inconnu « {reason} » (motifs : {', '.join(REASONS)})")
        with self._connect() as db:
            db.execute("UPDATE feedback SET reason = ? WHERE id = ?", (reason, feedback_id))

    def set_comment(self, feedback_id: int, masked_comment: str) -> None:
        """The free text of the « autre » reason, already masked by the caller
        (``PrivacyGuard.mask``): no patient data is stored; at most COMMENT_MAX
        characters are kept."""
        text = " ".join(masked_comment.split())[:COMMENT_MAX]
        with self._connect() as db:
            db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (text or None, feedback_id))

    def rows(self) -> list[FeedbackRow]:
        with self._connect() as db:
            res = db.execute(
                "SELECT id, at, rating, reason, question, sources, abstained, generated, "
                "comment FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackRow(
                r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), bool(r[6]), bool(r[7]), r[8]
            )
            for r in res
        ]
