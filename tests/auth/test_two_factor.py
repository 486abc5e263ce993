"""Two-factor sign-in (issue 11): enrolment with a QR code and the key as text, the code after
the password, no code twice, recovery codes once each, roles held at enrolment, turning it off
with the password and a code, and an admin's reset. Codes are computed with pyotp, as an
authenticator app would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from fund import clock
from fund.auth import two_factor
from fund.extensions import db
from fund.models import AuditEvent, LoginSession, RecoveryCode, Role, User
from tests.auth.conftest import is_signed_in, page_text, submit_login
from tests.conftest import PASSWORD, login, make_user, outbox

NOW = datetime(2027, 3, 1, 9, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Codes depend on the time: every request sees NOW unless a test moves it."""
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def secret_on_page(page: str) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert match, "the key is shown as text"
    return match.group(1).replace(" ", "")


def enrol(client, user: User) -> tuple[str, list[str]]:
    """Set up two-factor sign-in through the pages; returns the secret and recovery codes."""
    login(client, user)
    secret = secret_on_page(client.get("/account/two-factor").get_data(as_text=True))
    response = client.post("/account/two-factor", data={"code": code_at(secret, NOW)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([A-Z2-9-]{19})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10
    client.post("/account/logout")
    return secret, codes


def test_enrolment_shows_a_qr_code_and_the_key_as_text(client):
    user = make_user(Role.ADMIN)
    login(client, user)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert '<svg width="' in page and 'class="qr-code"' in page
    secret = secret_on_page(page)
    assert len(secret) == 32
    # the same key when the page is opened again (the person may still be scanning)
    again = client.get("/account/two-factor").get_data(as_text=True)
    assert secret_on_page(again) == secret
    db.session.refresh(user)
    assert user.totp_secret and secret not in user.totp_secret  # kept encrypted
    assert user.totp_enabled_at is None


def test_a_wrong_code_does_not_turn_it_on(client):
    user = make_user()
    login(client, user)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in page_text(response)
    db.session.refresh(user)
    assert user.totp_enabled_at is None


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1" * 41, "１２３４５６"])
def test_bad_codes_at_enrolment_are_a_clear_400(client, code):
    login(client, make_user())
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": code})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)


def test_enrolment_turns_it_on_with_ten_hashed_recovery_codes(client):
    user = make_user(Role.ADMIN)
    _secret, codes = enrol(client, user)
    db.session.refresh(user)
    assert user.totp_enabled_at == NOW
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    stored = set(stored)
    assert len(stored) == 10
    assert {RecoveryCode.hash(c.replace("-", "")) for c in codes} == stored
    assert not any(c.replace("-", "") in stored for c in codes)
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "two_factor_enabled")
        ).subject_id
        == user.id
    )


def test_login_asks_for_the_code_after_the_password(client, frozen_clock):
    user = make_user(Role.ADMIN)
    secret, _codes = enrol(client, user)
    response = submit_login(client, user.email, next="/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/login/code")
    assert not is_signed_in(client)
    frozen_clock["now"] = NOW + timedelta(minutes=1)
    code = code_at(secret, frozen_clock["now"])
    response = client.post("/account/login/code", data={"code": code})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")
    assert is_signed_in(client)


def test_a_code_is_never_accepted_twice(client, frozen_clock):
    user = make_user()
    secret, _codes = enrol(client, user)
    frozen_clock["now"] = NOW + timedelta(minutes=2)
    code = code_at(secret, frozen_clock["now"])
    submit_login(client, user.email)
    assert client.post("/account/login/code", data={"code": code}).status_code == 302
    client.post("/account/logout")
    submit_login(client, user.email)
    replay = client.post("/account/login/code", data={"code": code})
    assert replay.status_code == 400
    assert "used already" in page_text(replay)
    assert not is_signed_in(client)


def test_the_code_of_the_enrolment_cannot_sign_in(client):
    """Enrolment used the code of NOW's step; the same code at sign-in is a replay."""
    user = make_user()
    secret, _codes = enrol(client, user)
    submit_login(client, user.email)
    response = client.post("/account/login/code", data={"code": code_at(secret, NOW)})
    assert response.status_code == 400


def test_a_code_from_the_next_step_is_accepted_for_clock_drift(client, frozen_clock):
    user = make_user()
    secret, _codes = enrol(client, user)
    frozen_clock["now"] = NOW + timedelta(minutes=5)
    submit_login(client, user.email)
    ahead = code_at(secret, frozen_clock["now"] + timedelta(seconds=30))
    assert client.post("/account/login/code", data={"code": ahead}).status_code == 302


def test_a_recovery_code_works_once(client, frozen_clock):
    user = make_user()
    _secret, codes = enrol(client, user)
    submit_login(client, user.email)
    response = client.post("/account/login/code", data={"code": codes[3].lower()})
    assert response.status_code == 302
    client.get("/dashboard")
    assert is_signed_in(client)
    client.post("/account/logout")
    submit_login(client, user.email)
    again = client.post("/account/login/code", data={"code": codes[3]})
    assert again.status_code == 400
    assert not is_signed_in(client)
    assert two_factor.recovery_codes_left(user) == 9


def test_the_code_page_needs_a_password_first_and_expires(client, frozen_clock):
    assert client.get("/account/login/code").headers["Location"].endswith("/account/login")
    user = make_user()
    secret, _codes = enrol(client, user)
    submit_login(client, user.email)
    frozen_clock["now"] = NOW + timedelta(minutes=6)
    response = client.post(
        "/account/login/code", data={"code": code_at(secret, frozen_clock["now"])}
    )
    assert response.headers["Location"].endswith("/account/login")
    assert not is_signed_in(client)


def test_wrong_codes_are_limited_per_account(client, frozen_clock):
    user = make_user()
    secret, _codes = enrol(client, user)
    submit_login(client, user.email)
    for _ in range(5):
        assert client.post("/account/login/code", data={"code": "123456"}).status_code == 400
    frozen_clock["now"] = NOW + timedelta(minutes=1)
    right = code_at(secret, frozen_clock["now"])
    assert client.post("/account/login/code", data={"code": right}).status_code == 429
    refused = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "login_refused", AuditEvent.subject_id == user.id
        )
    ).all()
    assert len(refused) == 5


def test_a_required_role_is_held_at_enrolment(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    chair = make_user(Role.CHAIR)
    response = submit_login(client, chair.email)
    assert response.headers["Location"].endswith("/account/two-factor")
    for path in ("/dashboard", "/decisions/", "/account/profile"):
        held = client.get(path)
        assert held.status_code == 303, path
        assert held.headers["Location"].endswith("/account/two-factor")
    assert client.post("/account/profile", data={"name": "X"}).status_code == 303
    page = client.get("/account/two-factor")
    assert "Your role in the fund needs two-factor sign-in" in page_text(page)
    secret = secret_on_page(page.get_data(as_text=True))
    client.post("/account/two-factor", data={"code": code_at(secret, NOW)})
    assert client.get("/dashboard").status_code == 200


def test_roles_not_required_are_not_held(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    reviewer = make_user(Role.REVIEWER)
    submit_login(client, reviewer.email)
    assert client.get("/dashboard").status_code == 200


def test_an_unknown_role_in_the_setting_stops_the_start(tmp_path):
    from fund import create_app

    with pytest.raises(ValueError, match="boss"):
        create_app(
            {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TWO_FACTOR_REQUIRED_ROLES": "admin,boss"}
        )


def test_turning_it_off_needs_the_password_and_a_code(client, frozen_clock):
    user = make_user()
    secret, codes = enrol(client, user)
    login(client, user)
    frozen_clock["now"] = NOW + timedelta(minutes=3)
    code = code_at(secret, frozen_clock["now"])
    wrong_password = client.post(
        "/account/two-factor/off", data={"off-password": "not it", "off-code": code}
    )
    assert wrong_password.status_code == 400
    assert "The password is not correct." in page_text(wrong_password)
    wrong_code = client.post(
        "/account/two-factor/off", data={"off-password": PASSWORD, "off-code": "000000"}
    )
    assert wrong_code.status_code == 400
    db.session.refresh(user)
    assert user.totp_enabled_at is not None
    response = client.post(
        "/account/two-factor/off", data={"off-password": PASSWORD, "off-code": code}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.totp_enabled_at, user.totp_secret) == (None, None)
    assert two_factor.recovery_codes_left(user) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor_disabled"))


def test_new_recovery_codes_end_the_old_ones(client, frozen_clock):
    user = make_user()
    secret, old = enrol(client, user)
    login(client, user)
    frozen_clock["now"] = NOW + timedelta(minutes=4)
    response = client.post(
        "/account/two-factor/recovery-codes",
        data={"renew-code": code_at(secret, frozen_clock["now"])},
    )
    assert response.status_code == 200
    new = re.findall(r"<li><code>([A-Z2-9-]{19})</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/account/logout")
    submit_login(client, user.email)
    assert client.post("/account/login/code", data={"code": old[0]}).status_code == 400
    assert client.post("/account/login/code", data={"code": new[0]}).status_code == 302


def test_the_pages_need_a_login(client):
    for path in ("/account/two-factor",):
        assert client.get(path).headers["Location"].startswith("/account/login")
    for path in ("/account/two-factor/off", "/account/two-factor/recovery-codes"):
        assert client.post(path).headers["Location"].startswith("/account/login")


def test_an_admin_resets_a_lost_second_factor(client):
    user = make_user(Role.REVIEWER, name="Lost Phone")
    enrol(client, user)
    login(client, user)  # a session that the reset must end
    admin = make_user(Role.ADMIN)
    login(client, admin)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Remove two-factor sign-in" in page
    response = client.post(f"/admin/users/{user.id}/two-factor/reset")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.totp_enabled_at is None
    assert db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor_reset"))
    assert (event.subject_id, event.actor_id) == (user.id, admin.id)
    [mail] = outbox(event="two_factor_reset", recipient=user.email)
    assert admin.name in mail.body_text
    again = client.post(f"/admin/users/{user.id}/two-factor/reset")
    assert again.status_code == 409


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_admins_reset_a_second_factor(client, role):
    user = make_user()
    enrol(client, user)
    login(client, make_user(role))
    assert client.post(f"/admin/users/{user.id}/two-factor/reset").status_code == 403
    db.session.refresh(user)
    assert user.totp_enabled_at is not None


def test_reset_needs_a_login_and_a_real_user(client):
    response = client.post("/admin/users/1/two-factor/reset")
    assert response.headers["Location"].startswith("/account/login")
    login(client, make_user(Role.ADMIN))
    assert client.post("/admin/users/999999/two-factor/reset").status_code == 404
