"""A rate-limit storage in a SQLite file, shared by every worker process of one server.

Flask-Limiter's `memory://` storage counts in each process, so with N gunicorn workers a limit of
10 lets up to 10 x N tries through. This storage keeps the counters in one SQLite file (by
default `instance/ratelimits.sqlite3`), each change in its own write transaction, so the
configured numbers hold exactly for all the workers of a server. Several servers share Redis
instead (`RATELIMIT_STORAGE_URI=redis://...`).

Importing this module registers the `sqlite://` scheme with the `limits` library:
`sqlite:////absolute/path.sqlite3` or `sqlite:///relative/path.sqlite3`, as SQLAlchemy spells it.
It supports the fixed-window strategy, Flask-Limiter's default.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from limits.storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at REAL NOT NULL
)
"""


def path_from_uri(uri: str) -> Path:
    """The file a `sqlite:///...` URI names (four slashes for an absolute path)."""
    scheme, sep, rest = uri.partition("://")
    if scheme != "sqlite" or not sep or not rest.startswith("/") or len(rest) < 2:
        raise ValueError(f"not a sqlite:/// rate-limit storage address: {uri!r}")
    return Path(rest[1:])


class SQLiteFileStorage(Storage):
    """Fixed-window counters in a SQLite file; safe across processes and threads."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = path_from_uri(uri)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._transaction() as conn:
            conn.execute(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # One connection per process and thread: a connection must not cross a fork.
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")  # take the write lock before reading
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to `key`'s counter, starting a window of `expiry` seconds if none runs."""
        now = time.time()
        with self._transaction() as conn:
            conn.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
            conn.execute(
                "INSERT INTO counters (key, count, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET count = count + excluded.count",
                (key, amount, now + expiry),
            )
            (count,) = conn.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()
        return count

    def get(self, key: str) -> int:
        row = (
            self._connection()
            .execute(
                "SELECT count FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = (
            self._connection()
            .execute("SELECT expires_at FROM counters WHERE key = ?", (key,))
            .fetchone()
        )
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._transaction() as conn:
            return conn.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM counters WHERE key = ?", (key,))
