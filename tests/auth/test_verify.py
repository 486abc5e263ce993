"""E-mail verification: opening the link shows a button; only pressing it uses the link."""

from fund.models import LinkPurpose
from tests.auth.conftest import (
    expire,
    link_path,
    link_row,
    page_text,
    registration,
    submit_login,
    user_by_email,
)
from tests.conftest import outbox

EMAIL = "amina@example.org"


def register(client) -> str:
    """Register a fresh applicant, log in as it, and return the path of its verification link."""
    assert client.post("/account/register", data=registration(email=EMAIL)).status_code == 302
    assert submit_login(client, EMAIL).status_code == 302
    return link_path("verify_email", EMAIL)


def test_the_mailed_link_points_at_the_verification_page(client):
    """The link in the message is an absolute URL on PUBLIC_URL, to /account/verify/<token>."""
    path = register(client)
    assert path.startswith("/account/verify/")
    assert len(path) > len("/account/verify/") + 30


def test_opening_the_link_shows_a_button_and_uses_nothing(client):
    """GET (as a mail scanner does, twice) shows a confirm button and leaves the link usable."""
    path = register(client)
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        text = page_text(response)
        assert "Confirm my e-mail address" in text
        assert '<form method="post"' in text
    user = user_by_email(EMAIL)
    assert user.email_verified_at is None
    assert link_row(LinkPurpose.VERIFY_EMAIL, user).used_at is None


def test_pressing_the_button_verifies_the_address(client):
    """POST uses the link, stamps email_verified_at and tells the user."""
    path = register(client)
    client.get(path)
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    user = user_by_email(EMAIL)
    assert user.email_verified_at is not None
    assert link_row(LinkPurpose.VERIFY_EMAIL, user).used_at is not None
    assert "your e-mail address is confirmed" in page_text(client.get("/dashboard"))


def test_verification_works_without_being_signed_in(client):
    """The link alone verifies, e.g. on another device, and then offers to log in."""
    path = register(client)
    client.post("/account/logout")
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert user_by_email(EMAIL).email_verified
    assert "your e-mail address is confirmed" in page_text(client.get("/account/login"))


def test_a_used_link_says_so(client):
    """A second POST (or GET) of a used link answers 410, saying it was already used."""
    path = register(client)
    client.post(path)
    verified_at = user_by_email(EMAIL).email_verified_at
    for method in (client.post, client.get):
        response = method(path)
        assert response.status_code == 410
        assert "This link has already been used." in page_text(response)
    assert user_by_email(EMAIL).email_verified_at == verified_at


def test_an_expired_link_is_refused(client):
    """A link past its expiry answers 410 and verifies nothing."""
    path = register(client)
    expire(LinkPurpose.VERIFY_EMAIL, user_by_email(EMAIL))
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 410
        assert "This link has expired." in page_text(response)
    assert user_by_email(EMAIL).email_verified_at is None


def test_an_unknown_token_is_refused(client):
    """A made-up or truncated token answers 410 with a hint to copy all of the link."""
    path = register(client)
    for bad in ("/account/verify/not-a-real-token", path[:-3]):
        response = client.post(bad)
        assert response.status_code == 410
        assert "This link is not valid." in page_text(response)
    assert user_by_email(EMAIL).email_verified_at is None


def test_a_reset_link_does_not_verify(client):
    """A link made for another purpose (password reset) is not accepted as a verification link."""
    register(client)
    client.post("/account/logout")
    client.post("/account/forgot", data={"email": EMAIL})
    token = link_path("reset_password", EMAIL).rsplit("/", 1)[1]
    response = client.post(f"/account/verify/{token}")
    assert response.status_code == 410
    assert user_by_email(EMAIL).email_verified_at is None


def test_resend_sends_a_new_link_that_works(client):
    """An unverified user can ask for a new link from the profile; the new one verifies."""
    register(client)
    response = client.post("/account/verify/resend")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    new_path = link_path("verify_email", EMAIL)
    assert client.post(new_path).status_code == 302
    assert user_by_email(EMAIL).email_verified


def test_resend_is_ignored_once_verified(client):
    """A verified user asking again gets no new message."""
    path = register(client)
    client.post(path)
    client.post("/account/verify/resend")
    assert len(outbox(event="verify_email")) == 1
