"""Changing the password while signed in: other sessions end, this one stays, a notice is sent."""

import pytest

from tests.auth.conftest import NEW_PASSWORD, is_signed_in, page_text, submit_login, user_by_email
from tests.conftest import PASSWORD, make_user, outbox

EMAIL = "amina@example.org"


def change(client, current: str = PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def test_form_fields_are_marked_for_password_managers(client):
    """The current password is current-password; the new ones are new-password."""
    make_user(email=EMAIL)
    submit_login(client, EMAIL)
    html = client.get("/account/password").get_data(as_text=True)
    assert html.count('autocomplete="new-password"') == 2
    assert html.count('autocomplete="current-password"') == 1


def test_wrong_current_password_is_refused(app, client):
    """A wrong current password is 400 with a message; nothing changes and nothing is sent."""
    make_user(email=EMAIL)
    other = app.test_client()
    submit_login(other, EMAIL)
    submit_login(client, EMAIL)
    response = change(client, current="not my password")
    assert response.status_code == 400
    assert "Your current password is not correct." in page_text(response)
    user = user_by_email(EMAIL)
    assert user.check_password(PASSWORD)
    assert outbox() == []
    assert is_signed_in(client)
    assert is_signed_in(other)


@pytest.mark.parametrize(
    ("new", "confirm", "message"),
    [
        ("too short", None, "Use between 10 and 200 characters."),
        (NEW_PASSWORD, "something else entirely", "The passwords differ."),
        ("", "", "This field is required."),
    ],
    ids=["short", "mismatched", "empty"],
)
def test_bad_new_password_is_refused(client, new, confirm, message):
    """A new password that is too short or not repeated exactly is 400 with a message."""
    make_user(email=EMAIL)
    submit_login(client, EMAIL)
    response = change(client, new=new, confirm=confirm)
    assert response.status_code == 400
    assert message in page_text(response)
    assert user_by_email(EMAIL).check_password(PASSWORD)
    assert outbox() == []


def test_success_keeps_this_session_and_ends_the_others(app, client):
    """After the change this browser stays signed in; one signed in earlier elsewhere does not."""
    make_user(email=EMAIL)
    other = app.test_client()
    submit_login(other, EMAIL)
    remembered = app.test_client()
    remembered.post("/account/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    submit_login(client, EMAIL)
    response = change(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    user = user_by_email(EMAIL)
    assert user.check_password(NEW_PASSWORD)
    assert is_signed_in(client)
    assert not is_signed_in(other)
    remembered.delete_cookie("session")  # only the remember-me cookie is left
    assert not is_signed_in(remembered)


def test_success_sends_a_password_changed_notice(client):
    """The account's address is told that its password changed."""
    make_user(email=EMAIL)
    submit_login(client, EMAIL)
    change(client)
    messages = outbox()
    assert [(m.event, m.recipient) for m in messages] == [("password_changed", EMAIL)]


def test_only_the_new_password_logs_in_afterwards(client):
    """After a change the old password is refused and the new one works."""
    make_user(email=EMAIL)
    submit_login(client, EMAIL)
    change(client)
    client.post("/account/logout")
    assert submit_login(client, EMAIL, PASSWORD).status_code == 400
    assert submit_login(client, EMAIL, NEW_PASSWORD).status_code == 302
