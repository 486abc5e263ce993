"""/healthz makes a real round trip to the database and says 503, never 500, when it fails."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.exc import OperationalError

from fund import create_app
from fund.extensions import db
from tests.conftest import test_settings as settings_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "uploads": "ok"}


@pytest.fixture
def unreachable_app(tmp_path):
    """An app whose PostgreSQL server does not exist: nothing listens on its port."""
    app = create_app(
        settings_for(
            tmp_path,
            SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x",
        )
    )
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_healthz_answers_503_when_the_database_server_is_down(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] != "ok" and body["database"] != "ok"


@pytest.mark.parametrize("fail_on", ["execute", "execute-and-rollback"])
def test_healthz_answers_503_when_the_query_fails(client, monkeypatch, fail_on):
    """A failing query, even one whose rollback fails too, gives 503 and not an error page."""

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "execute", broken)
    if fail_on == "execute-and-rollback":
        monkeypatch.setattr(db.session, "rollback", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"
