"""A larger page cache for each SQLite connection of the app (PostgreSQL is left alone).

SQLite keeps 2 MB of the file's pages per connection by default. At 10,000 proposals a
proposal's row fills about a page of its own, so a page that joins a few hundred grants to
their proposals (the portfolio) reads more pages than that cache holds: each request evicts
the pages the next one needs and reads them back through the operating system. The pool keeps
its connections open between requests, so a cache that holds a page's working set is read from
memory the next time. The cache is a ceiling, filled only as pages are read; it is per
connection, so a worker holds at most one such cache per connection it opens.
"""

from __future__ import annotations

from sqlalchemy import Engine, event

# Kibibytes, as SQLite reads a negative cache_size: 64 MiB, most of the bench database's
# 73 MB at 10,000 proposals, against the default 2 MB.
CACHE_KIB = 65536


def install(engine: Engine) -> None:
    """Give each new connection of `engine` the larger cache, if it is a SQLite engine."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", set_cache_size)


def set_cache_size(dbapi_connection, _connection_record) -> None:
    """The "connect" listener: runs once on each new DB-API connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    finally:
        cursor.close()
