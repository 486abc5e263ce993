"""Who may reach each call page."""

from __future__ import annotations

import pytest

from fund.models import Call, Role
from tests.calls.conftest import create_call, form_data
from tests.conftest import login, make_user

ADMIN_GETS = ("/calls/manage", "/calls/new", "/calls/{id}/edit")
ADMIN_POSTS = ("/calls/new", "/calls/{id}/edit", "/calls/{id}/open", "/calls/{id}/close")
NOT_ADMIN = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR)


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_admin_can_open_the_secretariat_pages(client, path):
    """An admin gets every secretariat page."""
    call = create_call(published=False)
    login(client, make_user(Role.ADMIN))
    assert client.get(path.format(id=call.id)).status_code == 200


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("path", ADMIN_GETS)
def test_other_roles_are_refused_the_secretariat_pages(client, role, path):
    """Applicants, reviewers and chairs get 403 on the secretariat's pages."""
    call = create_call(published=False)
    login(client, make_user(role))
    assert client.get(path.format(id=call.id)).status_code == 403


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_other_roles_cannot_change_calls(client, role, path):
    """A POST from a non-admin is refused with 403 and changes nothing."""
    call = create_call(published=False)
    login(client, make_user(role))
    response = client.post(path.format(id=call.id), data=form_data(title="Taken over"))
    assert response.status_code == 403
    assert call.title == "Call with a rubric" and call.published_at is None
    assert Call.query.count() == 1


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    """The secretariat's pages redirect an anonymous visitor to the login page."""
    call = create_call(published=False)
    response = client.get(path.format(id=call.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_anonymous_posts_change_nothing(client, path):
    """An anonymous POST is sent to log in and the call stays as it was."""
    call = create_call(published=False)
    response = client.post(path.format(id=call.id), data=form_data(title="Taken over"))
    assert response.status_code == 302
    assert call.title == "Call with a rubric" and call.published_at is None


@pytest.mark.parametrize("role", (None, *NOT_ADMIN, Role.ADMIN))
def test_public_pages_are_open_to_everyone(client, role):
    """The list of calls and a published call's page need no account and no role."""
    call = create_call()
    if role:
        login(client, make_user(role))
    assert client.get("/calls/").status_code == 200
    assert client.get(f"/calls/{call.id}").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", (None, *NOT_ADMIN))
def test_an_unpublished_call_is_hidden_from_all_but_admins(client, role):
    """An unpublished call's page is 404 for everyone but the secretariat."""
    call = create_call(published=False)
    if role:
        login(client, make_user(role))
    assert client.get(f"/calls/{call.id}").status_code == 404


def test_admins_see_an_unpublished_call(client):
    """The secretariat previews an unpublished call, marked as such."""
    call = create_call(published=False)
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/calls/{call.id}")
    assert response.status_code == 200
    assert "Not published" in response.text


def test_unknown_calls_are_404(client):
    """A call that does not exist is 404, for the public and the secretariat."""
    assert client.get("/calls/999").status_code == 404
    login(client, make_user(Role.ADMIN))
    assert client.get("/calls/999/edit").status_code == 404
    assert client.post("/calls/999/open").status_code == 404
