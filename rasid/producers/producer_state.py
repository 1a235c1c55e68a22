"""What the producer must remember across restarts, in one SQLite file.

- `seen`: keys of articles Kafka acknowledged (article id, and guid key); bounded, oldest dropped.
- `feeds`: per feed, the HTTP validators (ETag / Last-Modified) and the schedule (next due time,
  consecutive failures, last error).

A feed's validators and its articles' keys are written in one transaction, only after Kafka
acknowledged the articles: a crash in between re-sends (at-least-once) and never skips a feed
version whose articles were not delivered. SQLite keeps memory bounded (its page cache) however
many millions of keys there are.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rasid.producers.http_fetch import Validators

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (key TEXT NOT NULL UNIQUE, article_id TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
    next_due REAL NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT, updated_at REAL NOT NULL DEFAULT 0, item_ids TEXT
);
"""
_IN_CHUNK = 500  # stays under SQLite's bound-parameter limit


@dataclass(frozen=True)
class FeedSchedule:
    next_due: float = 0.0  # wall-clock epoch seconds
    failures: int = 0
    last_error: str | None = None


class ProducerState:
    def __init__(self, path: Path, capacity: int = 2_000_000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.capacity = capacity
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feeds)")}
        if "item_ids" not in columns:  # state files written before the column existed
            self._db.execute("ALTER TABLE feeds ADD COLUMN item_ids TEXT")
        self._inserted_since_prune = 0

    # -- seen articles -------------------------------------------------------------------------
    def seen_among(self, keys: Iterable[str]) -> dict[str, str]:
        """Of these keys, those already delivered, each with the id of the article it was delivered as."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for start in range(0, len(keys), _IN_CHUNK):
            chunk = keys[start:start + _IN_CHUNK]
            rows = self._db.execute(f"SELECT key, article_id FROM seen WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows)
        return found

    def __contains__(self, key: object) -> bool:
        return bool(self.seen_among([str(key)]))

    def seen_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM seen").fetchone()[0])

    # -- feeds ---------------------------------------------------------------------------------
    def validators(self, url: str) -> Validators:
        row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else Validators()

    def item_ids(self, url: str) -> list[str]:
        """The article ids of the feed's last version read (what a 304 means it still holds)."""
        row = self._db.execute("SELECT item_ids FROM feeds WHERE url = ?", (url,)).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def schedule(self, url: str) -> FeedSchedule:
        row = self._db.execute("SELECT next_due, failures, last_error FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedSchedule(*row) if row else FeedSchedule()

    def schedules(self) -> dict[str, FeedSchedule]:
        rows = self._db.execute("SELECT url, next_due, failures, last_error FROM feeds")
        return {url: FeedSchedule(next_due, failures, error) for url, next_due, failures, error in rows}

    def record_poll(self, url: str, schedule: FeedSchedule, *, seen_keys: dict[str, str] | None = None,
                    validators: Validators | None = None, item_ids: list[str] | None = None) -> None:
        """After a poll: the feed's next due time, and (on success) its delivered keys and validators.

        `seen_keys` maps each key (article id, guid key) to the article id it was delivered as.
        """
        now = time.time()
        keys = [(key, article, now) for key, article in (seen_keys or {}).items()]
        with self._transaction():
            if keys:
                self._db.executemany("INSERT OR IGNORE INTO seen (key, article_id, at) VALUES (?, ?, ?)", keys)
            self._db.execute(
                "INSERT INTO feeds (url, next_due, failures, last_error, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET next_due = excluded.next_due, failures = excluded.failures, "
                "last_error = excluded.last_error, updated_at = excluded.updated_at",
                (url, schedule.next_due, schedule.failures, schedule.last_error, now))
            if validators is not None:
                self._db.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?",
                                 (validators.etag, validators.last_modified, url))
            if item_ids is not None:
                self._db.execute("UPDATE feeds SET item_ids = ? WHERE url = ?", (json.dumps(item_ids), url))
        self._inserted_since_prune += len(keys)
        if self._inserted_since_prune > max(1000, self.capacity // 20):
            self.prune()

    def prune(self) -> int:
        """Forget the oldest keys beyond capacity; returns how many were dropped."""
        self._inserted_since_prune = 0
        cursor = self._db.execute("DELETE FROM seen WHERE rowid <= (SELECT max(rowid) FROM seen) - ?", (self.capacity,))
        return cursor.rowcount

    def _transaction(self):  # noqa: ANN202 - sqlite3.Connection as a context manager
        self._db.execute("BEGIN")
        return _Commit(self._db)

    def close(self) -> None:
        self._db.close()


class _Commit:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
