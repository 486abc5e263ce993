"""Passkeys (issue 11): adding one on the security page, signing in with it without an e-mail
address, using it as the second factor after the password, and the checks that refuse a
replayed challenge, a cloned authenticator, or a passkey without user verification. The
authenticator is a software one (tests/auth/soft_authenticator.py) with a real ES256 key."""

from __future__ import annotations

from sqlalchemy import select

from fund import clock
from fund.extensions import db
from fund.models import AuditEvent, Passkey, Role
from tests.auth.conftest import JSON, is_signed_in, page_text, submit_login
from tests.auth.soft_authenticator import (
    SoftAuthenticator,
    add_passkey,
    post_assertion,
    sign_in_options,
    sign_in_with,
)
from tests.auth.test_two_factor import NOW, enrol
from tests.conftest import login, make_user


def enrolled_passkey(client, relying_party, user, **kwargs) -> SoftAuthenticator:
    """`user` with a passkey added through the endpoints, then logged out."""
    authenticator = SoftAuthenticator(*relying_party, **kwargs)
    login(client, user)
    assert add_passkey(client, authenticator).status_code == 201
    client.post("/account/logout")
    return authenticator


def test_a_user_adds_a_named_passkey(client, relying_party):
    user = make_user()
    login(client, user)
    options = client.post("/account/passkeys/register/options", headers=JSON).get_json()
    assert options["rp"] == {"id": "localhost", "name": "INSPIRE Fund"}
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    response = add_passkey(client, SoftAuthenticator(*relying_party), name="  Work   laptop ")
    assert response.status_code == 201
    assert response.get_json() == {"redirect": "/account/two-factor"}
    [passkey] = db.session.scalars(select(Passkey).where(Passkey.user_id == user.id)).all()
    assert (passkey.name, passkey.transports, passkey.last_used_at) == (
        "Work laptop",
        "internal",
        None,
    )
    page = page_text(client.get("/account/two-factor"))
    assert "Passkey “Work laptop” added." in page and "<td>Work laptop</td>" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "passkey_added"))


def test_a_second_passkey_is_offered_to_be_told_apart_from_the_first(client, relying_party):
    user = make_user()
    first = enrolled_passkey(client, relying_party, user)
    login(client, user)
    options = client.post("/account/passkeys/register/options", headers=JSON).get_json()
    assert [c["id"] for c in options["excludeCredentials"]] == [first.get(options)["id"]]


def test_a_passkey_needs_a_name(client, relying_party):
    login(client, make_user())
    response = add_passkey(client, SoftAuthenticator(*relying_party), name="   ")
    assert response.status_code == 400
    assert "Give the passkey a name" in response.get_json()["error"]
    assert db.session.scalar(select(Passkey.id)) is None


def test_a_registration_for_another_site_is_refused(client, relying_party):
    login(client, make_user())
    elsewhere = SoftAuthenticator("localhost", "https://evil.example")
    response = add_passkey(client, elsewhere)
    assert response.status_code == 400
    assert response.get_json()["error"] == "The passkey's answer could not be checked. Try again."


def test_a_passkey_signs_in_without_an_email_address(client, relying_party):
    user = make_user()
    authenticator = enrolled_passkey(client, relying_party, user)
    options = sign_in_options(client)
    assert options["allowCredentials"] == []  # discoverable: the passkey says who it is
    response = post_assertion(client, authenticator.get(options))
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/dashboard"}
    assert is_signed_in(client)
    passkey = db.session.scalar(select(Passkey))
    db.session.refresh(passkey)
    assert passkey.sign_count == 1 and passkey.last_used_at is not None


def test_a_passwordless_sign_in_needs_user_verification(client, relying_party):
    user = make_user()
    authenticator = enrolled_passkey(client, relying_party, user, verifies_user=False)
    response = sign_in_with(client, authenticator)
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_replayed_challenge_is_refused_even_with_an_old_session_cookie(client, relying_party):
    user = make_user()
    authenticator = enrolled_passkey(client, relying_party, user)
    sign_in_options(client)
    with client.session_transaction() as session:
        kept = dict(session)  # a copy of the cookie, taken before the challenge is used
    credential = authenticator.get({"challenge": kept["passkey_challenge"]["challenge"]})
    assert post_assertion(client, credential).status_code == 200
    client.post("/account/logout")
    again = post_assertion(client, credential)  # the challenge has left the session
    assert again.status_code == 400
    with client.session_transaction() as session:
        session.update(kept)  # the old cookie brings the challenge back
    credential = authenticator.get({"challenge": kept["passkey_challenge"]["challenge"]})
    replay = post_assertion(client, credential)
    assert replay.status_code == 409
    assert replay.get_json()["error"] == "This passkey request was used already. Try again."
    assert not is_signed_in(client)


def test_a_counter_going_back_is_refused_and_audited(client, relying_party):
    user = make_user()
    authenticator = enrolled_passkey(client, relying_party, user)
    assert sign_in_with(client, authenticator).status_code == 200
    client.post("/account/logout")
    options = sign_in_options(client)
    clone = post_assertion(client, authenticator.get(options, count=1))  # stored count is 1
    assert clone.status_code == 403
    assert "it may have been copied" in clone.get_json()["error"]
    assert not is_signed_in(client)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "passkey_refused"))
    assert event.subject_id == user.id and "counter went back" in event.comment


def test_a_deactivated_account_cannot_sign_in_with_its_passkey(client, relying_party):
    user = make_user()
    authenticator = enrolled_passkey(client, relying_party, user)
    user.active = False
    db.session.commit()
    response = sign_in_with(client, authenticator)
    assert response.status_code == 403
    assert not is_signed_in(client)


def test_a_chair_with_a_passkey_is_not_held_and_uses_it_after_the_password(
    client, relying_party, app, monkeypatch
):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    chair = make_user(Role.CHAIR)
    login(client, chair)
    assert client.get("/dashboard").headers["Location"] == "/account/two-factor"  # held
    authenticator = SoftAuthenticator(*relying_party, verifies_user=False)
    assert add_passkey(client, authenticator).status_code == 201
    assert client.get("/dashboard").status_code == 200  # a passkey is a second factor
    client.post("/account/logout")

    response = submit_login(client, chair.email, next="/account/profile")
    assert response.headers["Location"] == "/account/login/code"
    page = page_text(client.get("/account/login/code"))
    assert "Use your passkey" in page and 'name="code"' not in page  # no app codes to type
    assert not is_signed_in(client)
    options = sign_in_options(client, after_password=True)
    assert [c["id"] for c in options["allowCredentials"]] == [authenticator.get(options)["id"]]
    # after the password, a passkey without user verification is the second factor
    response = post_assertion(client, authenticator.get(options))
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/account/profile"}
    assert is_signed_in(client)


def test_after_the_password_only_that_users_passkey_counts(client, relying_party):
    owner, other = make_user(), make_user()
    enrolled_passkey(client, relying_party, owner)
    stranger = enrolled_passkey(client, relying_party, other)
    submit_login(client, owner.email)
    response = post_assertion(client, stranger.get(sign_in_options(client, after_password=True)))
    assert response.status_code == 400
    assert "not known here" in response.get_json()["error"]
    assert not is_signed_in(client)


def test_the_code_page_offers_the_passkey_beside_the_app(client, relying_party, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)  # the app's codes depend on the time
    user = make_user()
    enrol(client, user)
    enrolled_passkey(client, relying_party, user)
    submit_login(client, user.email)
    page = page_text(client.get("/account/login/code"))
    assert "Use your passkey" in page and 'name="code"' in page
