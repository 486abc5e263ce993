"""Each SQLite connection of the app keeps a page cache large enough for a busy page's rows
(fund/sqlite_cache.py); PostgreSQL's connections are left as they are."""

from __future__ import annotations

from sqlalchemy import create_engine, event, text

from fund import sqlite_cache
from fund.extensions import db


def cache_size(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("PRAGMA cache_size")).scalar_one()


def test_the_apps_sqlite_connections_get_the_larger_cache(app, sqlite_only):
    with app.app_context():
        db.engine.dispose()  # a new connection, as a worker opens it
        assert cache_size(db.engine) == -sqlite_cache.CACHE_KIB


def test_an_engine_left_alone_keeps_sqlites_default(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    assert cache_size(engine) != -sqlite_cache.CACHE_KIB
    sqlite_cache.install(engine)
    engine.dispose()
    assert cache_size(engine) == -sqlite_cache.CACHE_KIB


def test_a_postgresql_engine_gets_no_listener():
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    sqlite_cache.install(engine)  # nothing to connect to: install must not try
    assert not event.contains(engine, "connect", sqlite_cache.set_cache_size)
