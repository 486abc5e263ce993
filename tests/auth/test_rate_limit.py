"""Login and password-reset requests are rate-limited, with the friendly error page."""

import pytest
from limits import parse_many

from tests.auth.conftest import is_signed_in, page_text
from tests.conftest import PASSWORD, make_user, outbox


def per_minute(setting: str) -> int:
    """The smallest number of requests the configured limits allow within one minute."""
    return min(limit.amount for limit in parse_many(setting))


def assert_friendly_429(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    text = page_text(response)
    assert "<h1>Too many attempts</h1>" in text
    assert "Wait a minute, then try again." in text


def test_default_limits_are_the_documented_ones(app):
    """Unless configured otherwise: 10 logins a minute (50 an hour), fewer resets."""
    assert app.config["RATELIMIT_LOGIN"] == "10 per minute;50 per hour"
    assert per_minute(app.config["RATELIMIT_RESET"]) <= per_minute(app.config["RATELIMIT_LOGIN"])


def test_login_attempts_beyond_the_limit_get_429(app, client):
    """After the configured number of login POSTs, the next one is refused with 429."""
    user = make_user()
    allowed = per_minute(app.config["RATELIMIT_LOGIN"])
    for _ in range(allowed):
        response = client.post("/account/login", data={"email": user.email, "password": "wrong"})
        assert response.status_code == 400
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert_friendly_429(response)
    assert not is_signed_in(client)


def test_the_login_limit_follows_the_setting(app, client, monkeypatch):
    """RATELIMIT_LOGIN decides the limit; showing the login page (GET) is never limited."""
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "3 per minute")
    for _ in range(5):
        assert client.get("/account/login").status_code == 200
    for _ in range(3):
        client.post("/account/login", data={"email": "x@example.org", "password": "wrong"})
    assert_friendly_429(
        client.post("/account/login", data={"email": "x@example.org", "password": "wrong"})
    )


def test_reset_requests_beyond_the_limit_get_429(app, client):
    """After the configured number of reset requests, the next is refused and queues nothing."""
    user = make_user()
    allowed = per_minute(app.config["RATELIMIT_RESET"])
    for _ in range(allowed):
        assert client.post("/account/forgot", data={"email": user.email}).status_code == 302
    assert len(outbox(event="reset_password")) == allowed
    assert_friendly_429(client.post("/account/forgot", data={"email": user.email}))
    assert len(outbox(event="reset_password")) == allowed


@pytest.mark.parametrize("limit", ["2 per minute", "1 per minute;5 per hour"])
def test_the_reset_limit_follows_the_setting(app, client, monkeypatch, limit):
    """RATELIMIT_RESET decides the limit on /account/forgot."""
    monkeypatch.setitem(app.config, "RATELIMIT_RESET", limit)
    for _ in range(per_minute(limit)):
        client.post("/account/forgot", data={"email": "x@example.org"})
    assert_friendly_429(client.post("/account/forgot", data={"email": "x@example.org"}))


def test_limit_page_is_json_for_json_clients(app, client, monkeypatch):
    """A client asking for JSON gets the same refusal as JSON."""
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "1 per minute")
    client.post("/account/login", data={"email": "x@example.org", "password": "wrong"})
    response = client.post(
        "/account/login",
        data={"email": "x@example.org", "password": "wrong"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 429
    assert response.get_json() == {
        "error": "Too many attempts",
        "message": "Wait a minute, then try again.",
    }
