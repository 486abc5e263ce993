"""Helpers for the account tests: fill in the forms as a person would, and read the outbox."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from fund import tasks
from fund.extensions import db
from fund.models import LinkPurpose, LinkToken, User
from fund.models.base import utcnow
from tests.conftest import PASSWORD, outbox

PUBLIC_URL = "http://127.0.0.1:5000"
NEW_PASSWORD = "a brand new passphrase"


def page_text(response) -> str:
    """The response body with HTML entities decoded, for matching the words a person reads."""
    return html.unescape(response.get_data(as_text=True))


def without_csrf(page: str) -> str:
    """The page without its CSRF token, which carries the time it was made."""
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def registration(**changes: str) -> dict[str, str]:
    """A valid registration form, with `changes` applied."""
    data = {
        "name": "Amina Okello",
        "email": "amina@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "en",
    }
    data.update(changes)
    return data


def submit_login(client, email: str, password: str = PASSWORD, next: str | None = None):
    """Post the login form (with `next` in the query string, as the login page keeps it)."""
    url = "/account/login" + (f"?next={next}" if next is not None else "")
    return client.post(url, data={"email": email, "password": password})


def is_signed_in(client) -> bool:
    """Whether `client`'s session is signed in (the dashboard needs a login)."""
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def link_path(event: str, recipient: str) -> str:
    """The path of the link in the latest `event` message to `recipient`."""
    messages = outbox(event=event, recipient=recipient)
    assert messages, f"no {event} message for {recipient}"
    match = re.search(re.escape(PUBLIC_URL) + r"(/\S+)", messages[-1].body_text)
    assert match, messages[-1].body_text
    return match.group(1)


def link_row(purpose: LinkPurpose, user: User) -> LinkToken:
    """The latest link of `purpose` issued to `user` (once background work is done)."""
    assert tasks.wait(timeout=30)
    return db.session.scalars(
        db.select(LinkToken)
        .where(LinkToken.purpose == purpose.value, LinkToken.user_id == user.id)
        .order_by(LinkToken.id.desc())
    ).first()


def expire(purpose: LinkPurpose, user: User) -> None:
    """Move the expiry of `user`'s latest link of `purpose` into the past."""
    link = link_row(purpose, user)
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


RP_ID, ORIGIN = "localhost", "http://localhost:5000"
JSON = {"Accept": "application/json"}


@pytest.fixture
def relying_party(app, monkeypatch) -> tuple[str, str]:
    """Passkeys for the site http://localhost:5000 (an IP address cannot hold passkeys)."""
    monkeypatch.setitem(app.config, "WEBAUTHN_RP_ID", RP_ID)
    monkeypatch.setitem(app.config, "WEBAUTHN_ORIGIN", ORIGIN)
    return RP_ID, ORIGIN
