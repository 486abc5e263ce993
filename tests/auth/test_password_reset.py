"""Forgotten password: a reset link by e-mail that works once, ends other sessions, signs in."""

import threading

import pytest

import fund.auth.services
from fund import tasks
from fund.auth.services import set_active
from fund.extensions import db
from fund.models import LinkPurpose, Role
from tests.auth.conftest import (
    NEW_PASSWORD,
    expire,
    is_signed_in,
    link_path,
    link_row,
    page_text,
    registration,
    submit_login,
    user_by_email,
)
from tests.conftest import PASSWORD, make_user, outbox

EMAIL = "amina@example.org"


def ask_for_reset(client, email: str = EMAIL):
    """Ask for a link, and let the work the request left running finish (as it would before
    the e-mail reaches anyone)."""
    response = client.post("/account/forgot", data={"email": email})
    assert tasks.wait(timeout=30)
    return response


def new_password(**changes: str) -> dict[str, str]:
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    data.update(changes)
    return data


def test_known_address_gets_a_reset_link(client):
    """Asking for a known address queues one reset_password message with a link."""
    make_user(email=EMAIL)
    response = ask_for_reset(client, "  Amina@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert [m.recipient for m in outbox(event="reset_password")] == [EMAIL]
    assert link_path("reset_password", EMAIL).startswith("/account/reset/")


@pytest.mark.parametrize("known", [True, False], ids=["known", "unknown"])
def test_the_answer_does_not_reveal_whether_an_account_exists(client, known):
    """Known and unknown addresses get the same redirect and the same words."""
    make_user(email=EMAIL)
    email = EMAIL if known else "nobody@example.org"
    response = ask_for_reset(client, email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    text = page_text(client.get("/account/login"))
    assert f"If an account uses {email}, a link to choose a new password is on its way." in text
    assert len(outbox()) == (1 if known else 0)


def test_deactivated_account_gets_no_link(client):
    """A deactivated account is answered like an unknown one and sent nothing."""
    make_user(email=EMAIL, active=False)
    assert ask_for_reset(client).status_code == 302
    assert outbox() == []


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_bad_address_is_refused(client, email):
    """An empty or malformed address is 400 with a message, and nothing is queued."""
    response = ask_for_reset(client, email)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert outbox() == []


def test_opening_the_link_shows_the_form_and_uses_nothing(client):
    """GET (twice, as a mail scanner might) shows the form and leaves the link usable."""
    user = make_user(email=EMAIL)
    ask_for_reset(client)
    path = link_path("reset_password", EMAIL)
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'name="password"' in html and 'autocomplete="new-password"' in html
    assert link_row(LinkPurpose.RESET_PASSWORD, user).used_at is None
    assert user_by_email(EMAIL).check_password(PASSWORD)


def test_posting_a_new_password_sets_it_and_signs_in(client):
    """POST sets the password, uses the link, signs the user in and lands on the dashboard."""
    make_user(email=EMAIL)
    ask_for_reset(client)
    response = client.post(link_path("reset_password", EMAIL), data=new_password())
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    user = user_by_email(EMAIL)
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert link_row(LinkPurpose.RESET_PASSWORD, user).used_at is not None
    assert is_signed_in(client)
    assert [m.recipient for m in outbox(event="password_changed")] == [EMAIL]


def test_reset_ends_every_other_session(app, client):
    """A second device signed in before the reset is signed out by it."""
    make_user(email=EMAIL)
    other = app.test_client()
    submit_login(other, EMAIL)
    assert is_signed_in(other)
    ask_for_reset(client)
    client.post(link_path("reset_password", EMAIL), data=new_password())
    assert not is_signed_in(other)
    assert is_signed_in(client)


def test_old_password_no_longer_works_and_new_one_does(app, client):
    """After a reset only the new password logs in."""
    make_user(email=EMAIL)
    ask_for_reset(client)
    client.post(link_path("reset_password", EMAIL), data=new_password())
    client.post("/account/logout")
    assert submit_login(client, EMAIL, PASSWORD).status_code == 400
    assert submit_login(client, EMAIL, NEW_PASSWORD).status_code == 302


def test_reset_also_verifies_the_address(client):
    """Receiving the reset mail proves the address, so an unverified account becomes verified."""
    make_user(email=EMAIL, verified=False)
    ask_for_reset(client)
    client.post(link_path("reset_password", EMAIL), data=new_password())
    assert user_by_email(EMAIL).email_verified


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short", "confirm": "short"}, "Use between 10 and 200 characters."),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"password": "", "confirm": ""}, "This field is required."),
    ],
    ids=["short", "mismatched", "empty"],
)
def test_bad_new_password_keeps_the_link(client, changes, message):
    """A refused new password is 400 with a message; the link stays usable, nothing changes."""
    user = make_user(email=EMAIL)
    ask_for_reset(client)
    path = link_path("reset_password", EMAIL)
    response = client.post(path, data=new_password(**changes))
    assert response.status_code == 400
    assert message in page_text(response)
    assert user_by_email(EMAIL).check_password(PASSWORD)
    assert link_row(LinkPurpose.RESET_PASSWORD, user).used_at is None
    assert not is_signed_in(client)
    assert client.post(path, data=new_password()).status_code == 302


def test_a_used_link_is_refused(client):
    """A reset link works once; the second use is 410 and changes nothing."""
    make_user(email=EMAIL)
    ask_for_reset(client)
    path = link_path("reset_password", EMAIL)
    client.post(path, data=new_password())
    client.post("/account/logout")
    again = new_password(password="yet another one", confirm="yet another one")
    for method in (client.get, client.post):
        response = method(path, data=again)
        assert response.status_code == 410
        assert "This link has already been used." in page_text(response)
    assert user_by_email(EMAIL).check_password(NEW_PASSWORD)
    assert not is_signed_in(client)


def test_an_expired_link_is_refused(client):
    """A reset link past its expiry is 410 and changes nothing."""
    user = make_user(email=EMAIL)
    ask_for_reset(client)
    expire(LinkPurpose.RESET_PASSWORD, user)
    for method in (client.get, client.post):
        response = method(link_path("reset_password", EMAIL), data=new_password())
        assert response.status_code == 410
        assert "This link has expired." in page_text(response)
    assert user_by_email(EMAIL).check_password(PASSWORD)
    assert not is_signed_in(client)


def test_an_unknown_token_is_refused(client):
    """A made-up token is 410."""
    response = client.post("/account/reset/made-up-token", data=new_password())
    assert response.status_code == 410
    assert "This link is not valid." in page_text(response)


def test_a_verification_link_cannot_reset_a_password(client):
    """A link sent for another purpose does not open the reset form."""
    client.post("/account/register", data=registration(email=EMAIL))
    token = link_path("verify_email", EMAIL).rsplit("/", 1)[1]
    client.post("/account/logout")
    response = client.post(f"/account/reset/{token}", data=new_password())
    assert response.status_code == 410
    assert user_by_email(EMAIL).check_password(PASSWORD)


def test_reset_link_of_a_since_deactivated_account_does_nothing(client):
    """If the account is deactivated after the link was sent, the link cannot sign anyone in."""
    admin = make_user(Role.ADMIN)
    user = make_user(email=EMAIL)
    ask_for_reset(client)
    set_active(user, False, admin)
    db.session.commit()
    response = client.post(link_path("reset_password", EMAIL), data=new_password())
    assert response.status_code in (400, 410)
    assert "This account cannot be used." in page_text(response)
    assert user_by_email(EMAIL).check_password(PASSWORD)
    assert not is_signed_in(client)


def test_using_one_reset_link_voids_every_other_one(client):
    """After one link sets a password, an older unused link no longer works (410), and the
    password stays the one just chosen."""
    make_user(email=EMAIL)
    ask_for_reset(client)
    older = link_path("reset_password", EMAIL)
    ask_for_reset(client)
    newer = link_path("reset_password", EMAIL)
    assert older != newer
    assert client.post(newer, data=new_password()).status_code == 302
    client.post("/account/logout")
    response = client.post(
        older, data=new_password(password="attacker's choice 123", confirm="attacker's choice 123")
    )
    assert response.status_code == 410
    assert user_by_email(EMAIL).check_password(NEW_PASSWORD)


def test_changing_the_password_voids_outstanding_reset_and_verification_links(client):
    """A password changed on the profile voids the reset and verification links still out."""
    make_user(email=EMAIL, verified=False)
    ask_for_reset(client)
    reset = link_path("reset_password", EMAIL)
    submit_login(client, EMAIL)
    client.post("/account/verify/resend")
    verify = link_path("verify_email", EMAIL)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reset).status_code == 410
    assert client.post(verify).status_code == 410
    assert user_by_email(EMAIL).check_password(NEW_PASSWORD)
    assert not user_by_email(EMAIL).email_verified


def test_a_new_link_after_the_change_works(client):
    """Voiding is about the links out at the time: a link asked for afterwards works."""
    make_user(email=EMAIL)
    ask_for_reset(client)
    assert client.post(link_path("reset_password", EMAIL), data=new_password()).status_code == 302
    client.post("/account/logout")
    ask_for_reset(client)
    again = new_password(password="a third passphrase", confirm="a third passphrase")
    assert client.post(link_path("reset_password", EMAIL), data=again).status_code == 302
    assert user_by_email(EMAIL).check_password("a third passphrase")


@pytest.mark.parametrize("known", [True, False], ids=["known-address", "unknown-address"])
def test_the_request_does_not_wait_for_the_work_of_a_reset(app, client, monkeypatch, known):
    """The page answers before anything is looked up or sent, for a known address as for an
    unknown one, so the time it takes tells nothing; the work then runs by itself."""
    started, release = threading.Event(), threading.Event()
    real = fund.auth.services.request_password_reset

    def held(email: str) -> None:
        started.set()
        assert release.wait(timeout=10)
        real(email)

    monkeypatch.setattr(fund.auth.services, "request_password_reset", held)
    make_user(email=EMAIL)
    response = client.post(
        "/account/forgot", data={"email": EMAIL if known else "nobody@example.org"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert started.wait(timeout=10)  # the work started, and the page had already answered
    assert not release.is_set()
    release.set()
    assert len(outbox(event="reset_password")) == (1 if known else 0)
