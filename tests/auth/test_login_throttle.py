"""Wrong passwords are counted per account, whatever address they come from: too many pause
password logins to the account, with the same answer as a wrong password, and its owner is told."""

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models.base import utcnow
from tests.auth.conftest import (
    NEW_PASSWORD,
    is_signed_in,
    link_path,
    page_text,
    user_by_email,
    without_csrf,
)
from tests.conftest import PASSWORD, make_user, outbox

EMAIL = "amina@example.org"
WRONG = "The e-mail address or the password is not correct."


@pytest.fixture(autouse=True)
def generous_address_limit(app, monkeypatch):
    """The per-address limit is not what these tests are about."""
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "1000 per minute")


def attempt(client, password: str, address: str = "192.0.2.1", email: str = EMAIL):
    return client.post(
        "/account/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client, times: int, **kwargs) -> None:
    for n in range(times):
        response = attempt(client, f"wrong guess {n}", address=f"192.0.2.{n % 6 + 1}", **kwargs)
        assert response.status_code == 400
        assert WRONG in page_text(response)


def test_ten_failures_from_six_addresses_pause_the_account(app, client):
    """After 10 wrong passwords from 6 addresses, even the right password is refused, with the
    very message a wrong password gets, and the owner is e-mailed a reset link once."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"])
    response = attempt(client, PASSWORD, address="198.51.100.7")
    assert response.status_code == 400
    assert WRONG in page_text(response)
    assert not is_signed_in(client)
    messages = outbox(event="login_locked")
    assert [m.recipient for m in messages] == [EMAIL]
    assert "/account/reset/" in messages[0].body_text
    fail(client, 5)  # more tries while paused send nothing more
    assert len(outbox(event="login_locked")) == 1


def test_the_answer_is_the_same_for_a_paused_account_and_an_unknown_address(app, client):
    """A paused account's page is the unknown address's page: nothing tells them apart."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"])
    paused = without_csrf(page_text(attempt(client, PASSWORD)))
    unknown = without_csrf(page_text(attempt(client, PASSWORD, email="nobody@example.org")))
    assert paused.replace(EMAIL, "X") == unknown.replace("nobody@example.org", "X")


def test_nine_failures_do_not_pause_the_account(app, client):
    """Below the limit the right password still works, and it clears the count."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"] - 1)
    assert attempt(client, PASSWORD).status_code == 302
    assert user_by_email(EMAIL).failed_logins == 0
    assert outbox(event="login_locked") == []


def test_failures_older_than_the_window_do_not_count(app, client):
    """A wrong password after the window has passed starts a new count."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"] - 1)
    user = user_by_email(EMAIL)
    window = app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
    user.failed_logins_since = utcnow() - timedelta(minutes=window, seconds=1)
    db.session.commit()
    fail(client, 1)
    assert user_by_email(EMAIL).failed_logins == 1
    assert attempt(client, PASSWORD).status_code == 302


def test_the_pause_ends_by_itself(app, client):
    """Once the pause is over, the right password works again."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"])
    user = user_by_email(EMAIL)
    assert user.login_locked_until > utcnow() + timedelta(minutes=14)
    user.login_locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert attempt(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_reset_link_in_the_notice_lifts_the_pause(app, client):
    """The owner can choose a new password from the e-mail and is signed in at once."""
    make_user(email=EMAIL)
    fail(client, app.config["LOGIN_FAILURE_LIMIT"])
    path = link_path("login_locked", EMAIL)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_signed_in(client)
    client.post("/account/logout")
    assert attempt(client, NEW_PASSWORD).status_code == 302


def test_unknown_addresses_are_not_counted_or_mailed(app, client):
    """Guessing at addresses that have no account changes nothing and sends nothing."""
    fail(client, app.config["LOGIN_FAILURE_LIMIT"] + 2, email="nobody@example.org")
    assert outbox() == []
