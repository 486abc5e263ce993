"""Registration cannot be used to flood mailboxes or to race a duplicate account into being:
it is rate-limited per client address and per e-mail address, and parallel registrations of one
address give one account and the same calm answer to each."""

import threading

from limits import parse_many
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import User
from tests.auth.conftest import page_text, registration
from tests.conftest import outbox


def per_minute(setting: str) -> int:
    return min(limit.amount for limit in parse_many(setting))


def register(client, email: str, address: str = "192.0.2.1"):
    return client.post(
        "/account/register",
        data=registration(email=email),
        environ_base={"REMOTE_ADDR": address},
    )


def test_registrations_from_one_address_are_limited(app, client):
    """Past RATELIMIT_REGISTER, one client address gets the friendly 429 and creates nothing."""
    allowed = per_minute(app.config["RATELIMIT_REGISTER"])
    for n in range(allowed):
        assert register(client, f"person{n}@example.org").status_code == 302
    response = register(client, "one-more@example.org")
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(User)) == allowed
    assert len(outbox()) == allowed


def test_one_e_mail_address_is_limited_whatever_the_client_address(app, client, monkeypatch):
    """Registering one address again and again from many client addresses stops at
    RATELIMIT_PER_EMAIL, so nobody can fill a stranger's mailbox."""
    monkeypatch.setitem(app.config, "RATELIMIT_PER_EMAIL", "3 per hour")
    for n in range(3):
        assert register(client, "target@example.org", address=f"192.0.2.{n + 1}").status_code == 302
    response = register(client, "TARGET@example.org", address="198.51.100.9")
    assert response.status_code == 429
    assert len(outbox(recipient="target@example.org")) == 3  # one verification, two notices


def test_reset_requests_for_one_address_are_limited_whatever_the_client(app, client, monkeypatch):
    """The same per-address limit holds for forgotten-password requests."""
    monkeypatch.setitem(app.config, "RATELIMIT_PER_EMAIL", "2 per hour")
    for n in range(2):
        response = client.post(
            "/account/forgot",
            data={"email": "target@example.org"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"},
        )
        assert response.status_code == 302
    response = client.post(
        "/account/forgot",
        data={"email": "target@example.org"},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert response.status_code == 429


def test_parallel_registrations_of_one_address_make_one_account(app, postgresql_only, monkeypatch):
    """Ten registrations of one address at the same moment: one account, one verification
    e-mail, and every request gets the ordinary answer (no 500)."""
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "1000 per minute")
    monkeypatch.setitem(app.config, "RATELIMIT_PER_EMAIL", "1000 per hour")
    barrier = threading.Barrier(10)
    statuses: list = []

    def one(n: int) -> None:
        client = app.test_client()
        barrier.wait(timeout=10)
        try:
            response = register(client, "race@example.org", address=f"192.0.2.{n + 1}")
            statuses.append((response.status_code, response.headers.get("Location")))
        except Exception as error:  # reported below, not lost in the thread
            statuses.append(error)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [(302, "/account/login")] * 10
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "race@example.org")
        )
        assert count == 1
        assert len(outbox(event="verify_email")) == 1
        db.session.remove()
