"""Registration: a new applicant account with a verification link on its way, and the same
answer whether or not the address already has an account."""

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Role, User
from tests.auth.conftest import (
    is_signed_in,
    page_text,
    registration,
    submit_login,
    user_by_email,
    without_csrf,
)
from tests.conftest import PASSWORD, login, make_user, outbox


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_an_unverified_applicant_and_sends_them_to_log_in(client):
    """Registering stores an active, unverified applicant with the chosen language; the next step
    is the login page, with a message to confirm the address."""
    response = client.post("/account/register", data=registration(locale="fr"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    user = user_by_email("amina@example.org")
    assert user is not None
    assert user.name == "Amina Okello"
    assert user.roles == {Role.APPLICANT}
    assert user.active and not user.email_verified
    assert user.locale == "fr"
    assert user.check_password(PASSWORD)
    assert not is_signed_in(client)
    assert "We sent a message to amina@example.org" in page_text(client.get("/account/login"))


def test_the_new_account_can_log_in_before_confirming(client):
    """The password chosen at registration works at once; confirming is needed to submit."""
    client.post("/account/register", data=registration())
    assert submit_login(client, "amina@example.org").status_code == 302
    assert is_signed_in(client)


def test_register_queues_one_verification_message(client):
    """Registering queues exactly one verify_email message, to the address given, with a link."""
    client.post("/account/register", data=registration())
    messages = outbox()
    assert [(m.event, m.recipient) for m in messages] == [("verify_email", "amina@example.org")]
    assert "http://127.0.0.1:5000/account/verify/" in messages[0].body_text


def test_register_stores_the_address_in_lower_case(client):
    """The address is stored trimmed and in lower case, so it matches at login whatever the case."""
    client.post("/account/register", data=registration(email="  Amina@Example.ORG "))
    assert user_by_email("amina@example.org") is not None


@pytest.mark.parametrize("email", ["amina@example.org", "AMINA@example.org"])
def test_an_address_in_use_gets_the_same_answer_and_its_owner_is_told(client, email):
    """Registering an address that has an account (in any case) answers exactly as for a new
    one, so nobody learns who has an account; nothing is created, and the owner is e-mailed."""
    fresh = client.post("/account/register", data=registration(email="new@example.org"))
    fresh_page = without_csrf(page_text(client.get("/account/login")))
    fresh_page = fresh_page.replace("new@example.org", "ADDRESS")
    make_user(email="amina@example.org")
    taken = client.post("/account/register", data=registration(email=email))
    taken_page = without_csrf(page_text(client.get("/account/login")))
    taken_page = taken_page.replace("amina@example.org", "ADDRESS")
    assert (taken.status_code, taken.headers["Location"]) == (302, fresh.headers["Location"])
    assert taken_page == fresh_page
    assert user_count() == 2
    assert [m.event for m in outbox(recipient="amina@example.org")] == ["register_existing"]
    message = outbox(recipient="amina@example.org")[0]
    assert "http://127.0.0.1:5000/account/forgot" in message.body_text
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"email": ""}, "This field is required."),
        ({"password": "", "confirm": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Invalid email address."),
        ({"email": "amina@"}, "Invalid email address."),
        ({"password": "short pw", "confirm": "short pw"}, "Use between 10 and 200 characters."),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"name": "Amina\x00Okello"}, "Remove the invisible control characters"),
        ({"name": "Amina\x1b[31mOkello"}, "Remove the invisible control characters"),
        ({"name": "Amina\nOkello"}, "Remove the invisible control characters"),
        ({"name": "A" * 121}, "Field cannot be longer than 120 characters."),
        ({"locale": "xx"}, "Not a valid choice."),
    ],
    ids=[
        "no-name",
        "no-email",
        "no-password",
        "bad-email",
        "half-email",
        "short-password",
        "mismatched-confirm",
        "nul-in-name",
        "escape-in-name",
        "newline-in-name",
        "long-name",
        "unknown-locale",
    ],
)
def test_register_refuses_bad_input(client, changes, message):
    """Bad input is answered 400 with a message next to the field; nothing is created or sent."""
    response = client.post("/account/register", data=registration(**changes))
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert 'class="error-summary"' in text
    assert user_count() == 0
    assert outbox() == []
    assert not is_signed_in(client)


def test_register_accepts_a_name_of_the_maximum_length(client):
    """A name of exactly 120 characters is accepted (the limit is inclusive)."""
    response = client.post("/account/register", data=registration(name="A" * 120))
    assert response.status_code == 302
    assert user_by_email("amina@example.org").name == "A" * 120


def test_register_passes_a_local_next_on_to_the_login(client):
    """After registering, a local `next` is kept for after the login."""
    response = client.post("/account/register?next=/organisations/new", data=registration())
    assert response.headers["Location"] == "/account/login?next=/organisations/new"


def test_register_drops_a_foreign_next(client):
    """A `next` pointing at another site is dropped."""
    response = client.post("/account/register?next=https://elsewhere.example/", data=registration())
    assert response.headers["Location"] == "/account/login"


def test_signed_in_user_is_sent_from_register_to_the_dashboard(client):
    """Someone already signed in who opens the registration page goes to the dashboard."""
    login(client, make_user())
    response = client.get("/account/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_register_page_preselects_the_browser_language(client):
    """The language list starts on the browser's language when it is one we offer."""
    response = client.get("/account/register", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert response.status_code == 200
    assert '<option selected value="es">' in response.get_data(as_text=True)
