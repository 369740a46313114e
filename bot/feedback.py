"""What officers were shown and what they made of it, kept in a local SQLite file for the gap report.

Each answer shown is one row (question, whether it was answered, the passages quoted with their
scores, where it was asked, when); each 👍/👎 is a row linked to it. A Slack user id is never
stored: only an HMAC of it under a secret salt, enough to count people and to let one person
change their vote, not to say who they are. Rows older than the retention period are deleted
whenever the store is opened, and by `delete_expired`.

Every call opens its own connection, so the store can be shared by the Slack handler threads;
the database runs in WAL mode so the gap report can read while answers are being written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.settings import Settings

CHANNEL_TYPES = ("channel", "im", "slash", "cli")
SCHEMA_VERSION = "1"
BUSY_TIMEOUT_SECONDS = 10.0

# AUTOINCREMENT, so an id is never handed out twice: a 👍 button on a message older than the retention
# period must find nothing rather than a newer answer that reused its id.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    shown TEXT NOT NULL,
    channel_type TEXT NOT NULL CHECK (channel_type IN ({", ".join(repr(kind) for kind in CHANNEL_TYPES)})),
    user_hash TEXT
);
CREATE INDEX IF NOT EXISTS answers_by_time ON answers (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    given_at TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    user_hash TEXT,
    UNIQUE (answer_id, user_hash)
);
CREATE INDEX IF NOT EXISTS feedback_by_time ON feedback (given_at);
"""


class UnknownAnswer(LookupError):
    """Feedback for an answer the store does not hold (never recorded, or deleted as too old)."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(f"no answer {answer_id} in the feedback store (it may be older than the retention period)")
        self.answer_id = answer_id


@dataclass(frozen=True)
class ShownPassage:
    """One passage quoted in an answer, with the score that ranked it."""

    rank: int
    passage_id: str
    doc_id: str
    section: str | None
    citation: str
    score: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AskedQuestion:
    """One answer as shown, with the votes it got."""

    id: int
    question: str
    answered: bool
    shown: tuple[ShownPassage, ...]
    channel_type: str
    asked_at: datetime
    user_hash: str | None
    helpful_votes: int = 0
    unhelpful_votes: int = 0


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _timestamp(moment: datetime) -> str:
    # One fixed width (microseconds always present, UTC) so timestamps compare correctly as text.
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


class FeedbackStore:
    """The SQLite file of answers and feedback; safe to share between threads."""

    def __init__(
        self,
        path: Path,
        *,
        salt: str | None = None,
        retention_days: int = 90,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.path = Path(path)
        self.retention_days = retention_days
        self._clock = clock
        self._create()
        self._salt = (salt or self._stored_salt()).encode("utf-8")
        self.delete_expired()

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        return cls(settings.db_path, salt=settings.user_salt, retention_days=settings.retention_days)

    def hash_user(self, user_id: str | None) -> str | None:
        """The stored stand-in for a Slack user id: an HMAC-SHA256 under the salt."""
        if not user_id:
            return None
        return hmac.new(self._salt, user_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def record_answer(self, answer: Answer, *, channel_type: str, user_id: str | None = None) -> int:
        """Store an answer as it was shown and return its id (for the 👍/👎 and "Show more" buttons)."""
        if channel_type not in CHANNEL_TYPES:
            raise ValueError(f"channel_type must be one of {', '.join(CHANNEL_TYPES)}, not {channel_type!r}")
        shown = [
            ShownPassage(
                rank=quote.rank,
                passage_id=quote.passage.id,
                doc_id=quote.passage.doc_id,
                section=quote.passage.section,
                citation=quote.citation.label,
                score=quote.score,
            ).to_dict()
            for quote in answer.quotes
        ]
        with self._writing() as connection:
            cursor = connection.execute(
                "INSERT INTO answers (asked_at, question, answered, shown, channel_type, user_hash) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _timestamp(self._clock()),
                    answer.question,
                    int(answer.answered),
                    json.dumps(shown, ensure_ascii=False),
                    channel_type,
                    self.hash_user(user_id),
                ),
            )
            return int(cursor.lastrowid)

    def record_feedback(self, answer_id: int, user_id: str | None, helpful: bool) -> None:
        """A 👍 (helpful) or 👎 on an answer; a person who votes again replaces their earlier vote."""
        try:
            with self._writing() as connection:
                connection.execute(
                    "INSERT INTO feedback (answer_id, given_at, helpful, user_hash) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (answer_id, user_hash) DO UPDATE SET helpful = excluded.helpful, given_at = excluded.given_at",
                    (answer_id, _timestamp(self._clock()), int(helpful), self.hash_user(user_id)),
                )
        except sqlite3.IntegrityError as error:
            if "FOREIGN KEY" in str(error):
                raise UnknownAnswer(answer_id) from None
            raise

    def answer(self, answer_id: int) -> AskedQuestion:
        """One stored answer, e.g. to re-ask its question for "Show more"."""
        rows = self._select("WHERE a.id = ?", (answer_id,))
        if not rows:
            raise UnknownAnswer(answer_id)
        return rows[0]

    def asked(self, since: datetime | None = None) -> list[AskedQuestion]:
        """Every stored answer asked at or after `since` (all of them when None), oldest first."""
        if since is None:
            return self._select("", ())
        return self._select("WHERE a.asked_at >= ?", (_timestamp(since),))

    def delete_expired(self) -> int:
        """Delete answers and feedback older than the retention period; returns how many answers went."""
        cutoff = _timestamp(self._clock() - timedelta(days=self.retention_days))
        with self._writing() as connection:
            deleted = connection.execute("DELETE FROM answers WHERE asked_at < ?", (cutoff,)).rowcount
            connection.execute("DELETE FROM feedback WHERE given_at < ?", (cutoff,))
        return deleted

    def _select(self, where: str, parameters: tuple) -> list[AskedQuestion]:
        query = (
            "SELECT a.id, a.question, a.answered, a.shown, a.channel_type, a.asked_at, a.user_hash, "
            "COALESCE(SUM(f.helpful = 1), 0), COALESCE(SUM(f.helpful = 0), 0) "
            f"FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id {where} "
            "GROUP BY a.id ORDER BY a.asked_at, a.id"
        )
        with self._connection() as connection:
            rows = connection.execute(query, parameters).fetchall()
        return [_asked_question(row) for row in rows]

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # Questions can name people or cases: the file is readable by its owner only.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def _stored_salt(self) -> str:
        """The salt generated the first time the store was opened without one; INSERT OR IGNORE makes two
        processes opening a new file at once agree on a single salt."""
        with self._writing() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('user_salt', ?)", (secrets.token_hex(32),)
            )
            return connection.execute("SELECT value FROM meta WHERE key = 'user_salt'").fetchone()[0]

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # Autocommit mode: each statement commits by itself unless `_writing` opens a transaction.
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)) as connection:
            connection.execute("PRAGMA foreign_keys = ON")
            yield connection

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once, so concurrent writers queue on the busy
        timeout instead of failing when a read lock cannot be upgraded."""
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


def _asked_question(row: tuple) -> AskedQuestion:
    identifier, question, answered, shown, channel_type, asked_at, user_hash, helpful, unhelpful = row
    return AskedQuestion(
        id=identifier,
        question=question,
        answered=bool(answered),
        shown=tuple(ShownPassage(**item) for item in json.loads(shown)),
        channel_type=channel_type,
        asked_at=datetime.fromisoformat(asked_at),
        user_hash=user_hash,
        helpful_votes=int(helpful),
        unhelpful_votes=int(unhelpful),
    )
