"""The migrations build, on an empty database, exactly the schema the models describe; and they
go down to nothing and up again."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from fund import create_app
from fund.extensions import db
from tests.conftest import test_settings as settings_for


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A new, empty database: a temporary SQLite file, or a database created for this test on
    the PostgreSQL server of TEST_DATABASE_URL (dropped afterwards)."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"fund_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url, tmp_path):
    """An app whose database nothing has touched yet."""
    app = create_app(settings_for(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url))
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def schema_differences() -> list:
    """What autogenerate would still write to make the database match the models."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_upgrading_an_empty_database_gives_the_models_schema(fresh_app):
    """`flask db upgrade` on an empty database creates every table, exactly as the models say."""
    with fresh_app.app_context():
        assert tables() == set()
        upgrade()
        differences = schema_differences()
        for difference in differences:
            print(difference)
        assert differences == []
        assert tables() == set(db.metadata.tables) | {"alembic_version"}


def test_downgrading_to_base_and_upgrading_again_gives_the_same_schema(fresh_app):
    """Every migration can be undone, and redone afterwards."""
    with fresh_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert tables() <= {"alembic_version"}
        upgrade()
        differences = schema_differences()
        for difference in differences:
            print(difference)
        assert differences == []


def test_migrating_leaves_the_apps_logging_on(fresh_app):
    """Alembic's logging set-up does not silence loggers made before it (the app's own)."""
    assert not fresh_app.logger.disabled
    with fresh_app.app_context():
        upgrade()
    assert not fresh_app.logger.disabled
    assert not logging.getLogger("sqlalchemy.pool").disabled
