"""With the database unreachable, pages answer 503 with Retry-After and a friendly page that makes
no query (not the web server's bare "Internal Server Error"); once the database answers again the
same visitor carries on, without a restart.

Here new connections are refused by the engine itself, so this runs on SQLite as well as
PostgreSQL; tests/test_outage_drill.py stops and starts a real PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from fund.extensions import db
from fund.models import Role
from tests.conftest import login, make_user

UNAVAILABLE = "The service is briefly unavailable"


@contextmanager
def database_down() -> Iterator[list[int]]:
    """Every new connection fails as a stopped server's would; yields the attempts made."""
    engine = db.engine
    attempts: list[int] = []

    def refuse(dialect, connection_record, cargs, cparams):
        attempts.append(1)
        raise dialect.loaded_dbapi.OperationalError("connection refused (database down)")

    engine.dispose()  # pooled connections would otherwise still answer
    event.listen(engine, "do_connect", refuse)
    try:
        yield attempts
    finally:
        event.remove(engine, "do_connect", refuse)


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.get_data(as_text=True)
    assert UNAVAILABLE in html
    assert "Traceback" not in html and "Internal Server Error" not in html


@pytest.mark.parametrize(
    "path",
    ["/dashboard", "/", "/calls/", "/account/profile", "/proposals/1", "/no-such-page"],
)
def test_a_signed_in_visitor_gets_503_and_the_friendly_page(client, path):
    """The user loader's own query fails; the page shown afterwards makes no other attempt."""
    login(client, make_user(Role.APPLICANT, Role.ADMIN))
    with database_down() as attempts:
        response = client.get(path)
    assert_unavailable_page(response)
    assert len(attempts) == 1


@pytest.mark.parametrize("path", ["/", "/calls/"])
def test_an_anonymous_visitor_gets_503_and_the_friendly_page(client, path):
    with database_down() as attempts:
        response = client.get(path)
    assert_unavailable_page(response)
    assert len(attempts) == 1


def test_the_same_visitor_carries_on_once_the_database_answers(client):
    login(client, make_user())
    with database_down():
        assert client.get("/dashboard").status_code == 503
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert "Retry-After" not in response.headers


def test_the_page_speaks_the_visitors_language_without_asking_the_database(client):
    login(client, make_user(locale="fr"))
    with database_down():
        response = client.get("/dashboard", headers={"Accept-Language": "fr"})
    assert response.status_code == 503
    assert '<html lang="fr">' in response.get_data(as_text=True)


def test_a_client_asking_for_json_gets_json(client):
    login(client, make_user())
    with database_down():
        response = client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.get_json()["error"] == UNAVAILABLE


def test_another_failure_while_the_database_is_down_gets_the_friendly_page(
    app, client, monkeypatch
):
    """A view failing for its own reason shows the 500 page, which itself needs the signed-in
    user from the database: that must not turn into the bare server error."""

    def broken():
        raise RuntimeError("a bug")

    login(client, make_user())
    monkeypatch.setitem(app.view_functions, "calls.index", broken)
    with database_down():
        response = client.get("/calls/")
    assert_unavailable_page(response)


def test_an_error_page_that_fails_for_another_reason_falls_back_to_the_plain_page(
    client, monkeypatch
):
    """If the usual error page cannot be drawn at all, the plain one says the same thing."""
    import fund.errors

    def broken_template(name, **context):
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(fund.errors, "render_template", broken_template)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Retry-After" not in response.headers
