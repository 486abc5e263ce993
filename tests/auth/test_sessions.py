"""Sessions end on the server: logout, a password change or reset, deactivation and the profile's
"Log out of all other sessions" leave no copy of a cookie that still opens a page."""

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from fund.auth import sessions
from fund.auth.services import set_active
from fund.extensions import db
from fund.models import LoginSession, Role
from fund.models.base import utcnow
from tests.auth.conftest import NEW_PASSWORD, is_signed_in, link_path, page_text, submit_login
from tests.conftest import PASSWORD, count_queries, login, make_user

EMAIL = "amina@example.org"


def log_in(client, remember: bool = False):
    data = {"email": EMAIL, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 302
    return response


def cookie(client, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def replay(app, **cookies: str):
    """A new browser holding copies of the given cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def test_a_copy_of_the_session_cookie_opens_nothing_after_logout(app, client):
    """After logout, the session cookie copied before it no longer opens /dashboard."""
    make_user(email=EMAIL)
    log_in(client)
    stolen = cookie(client, "session")
    assert is_signed_in(replay(app, session=stolen))
    client.post("/account/logout")
    assert not is_signed_in(client)
    assert not is_signed_in(replay(app, session=stolen))


def test_logout_revokes_the_remember_me_cookie(app, client):
    """The remember-me cookie copied before logout does not log anyone back in after it."""
    make_user(email=EMAIL)
    log_in(client, remember=True)
    remembered = cookie(client, "remember_token")
    assert is_signed_in(replay(app, remember_token=remembered))
    client.post("/account/logout")
    assert client.get_cookie("remember_token") is None
    assert not is_signed_in(replay(app, remember_token=remembered))


def test_remember_me_lasts_at_most_thirty_days(client):
    """Both the cookie and the server-side session of "Keep me logged in" end within 30 days."""
    make_user(email=EMAIL)
    response = log_in(client, remember=True)
    header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    )
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert expires <= utcnow() + timedelta(days=30, minutes=1)
    row = db.session.scalar(select(LoginSession))
    assert row.remember and row.expires_at <= utcnow() + timedelta(days=30, minutes=1)


def test_a_session_past_its_lifetime_opens_nothing(client):
    """A sign-in whose server-side lifetime is over is logged out, cookie or not."""
    make_user(email=EMAIL)
    log_in(client)
    row = db.session.scalar(select(LoginSession))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not is_signed_in(client)


def test_a_session_without_remember_me_lasts_the_configured_hours(app, client):
    """Without "Keep me logged in", the server ends the sign-in after SESSION_LIFETIME_HOURS."""
    make_user(email=EMAIL)
    log_in(client)
    row = db.session.scalar(select(LoginSession))
    hours = app.config["SESSION_LIFETIME_HOURS"]
    assert not row.remember
    assert abs(row.expires_at - (row.created_at + timedelta(hours=hours))) < timedelta(seconds=1)


def test_deactivation_ends_every_session_and_remember_me(app, client):
    """A deactivated account's sessions end at once, remember-me cookies included, and stay
    ended when it is reactivated."""
    user = make_user(email=EMAIL)
    admin = make_user(Role.ADMIN)
    log_in(client, remember=True)
    remembered = cookie(client, "remember_token")
    set_active(user, False, admin)
    db.session.commit()
    assert not is_signed_in(client)
    assert not is_signed_in(replay(app, remember_token=remembered))
    set_active(user, True, admin)
    db.session.commit()
    assert not is_signed_in(replay(app, remember_token=remembered))
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_a_password_reset_ends_remember_me_cookies_too(app, client):
    """After a reset by e-mail link, a remember-me cookie from before opens nothing."""
    make_user(email=EMAIL)
    phone = app.test_client()
    log_in(phone, remember=True)
    remembered = cookie(phone, "remember_token")
    client.post("/account/forgot", data={"email": EMAIL})
    path = link_path("reset_password", EMAIL)
    reset = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert reset.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(replay(app, remember_token=remembered))


def test_the_profile_lists_where_the_account_is_logged_in(app, client):
    """Each sign-in is listed with its browser; this one is marked."""
    make_user(email=EMAIL)
    laptop = app.test_client()
    laptop.post(
        "/account/login",
        data={"email": EMAIL, "password": PASSWORD},
        headers={"User-Agent": "Laptop browser"},
    )
    client.post(
        "/account/login",
        data={"email": EMAIL, "password": PASSWORD},
        headers={"User-Agent": "Phone browser"},
    )
    text = page_text(client.get("/account/profile"))
    assert "Laptop browser" in text and "Phone browser" in text
    assert text.count("(this session)") == 1
    assert "Log out of all other sessions" in text


def test_log_out_of_all_other_sessions(app, client):
    """The profile's button ends every other sign-in of the account, and keeps this one."""
    make_user(email=EMAIL)
    someone_else = make_user(email="other@example.org")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone, remember=True)
    remembered = cookie(phone, "remember_token")
    submit_login(app.test_client(), someone_else.email)
    log_in(client)
    response = client.post("/account/sessions/end-others")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    assert "You are logged out of 2 other sessions." in page_text(client.get("/account/profile"))
    assert is_signed_in(client)
    assert not is_signed_in(laptop)
    assert not is_signed_in(replay(app, remember_token=remembered))
    # Another person's session is not touched.
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_ending_other_sessions_needs_a_login(client, method):
    """Anonymous: GET is not a route (405), POST goes to the login page."""
    response = getattr(client, method)("/account/sessions/end-others")
    if method == "get":
        assert response.status_code == 405
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")


def test_ending_other_sessions_checks_the_csrf_token(app, client, csrf):
    """Without the form's token the button does nothing (400), so no site can log people out."""
    user = make_user(email=EMAIL)
    other = app.test_client()
    login(other, user)
    login(client, user)
    assert client.post("/account/sessions/end-others").status_code == 400
    assert is_signed_in(other)


def test_a_request_finds_the_sign_in_the_user_and_the_roles_in_one_query(client):
    """Every page asks the user's roles (menus, permissions): they come with the sign-in."""
    user = make_user(Role.ADMIN, Role.CHAIR, Role.REVIEWER)
    login(client, user)
    with count_queries() as statements:
        assert client.get("/account/profile").status_code == 200
    roles = [s for s in statements if "user_roles" in s]
    assert len(roles) == 1 and "login_sessions" in roles[0]
    found = sessions.load(user.get_id())
    assert found.roles == {Role.ADMIN, Role.CHAIR, Role.REVIEWER}
