"""An organisation's pages are for its members (and, to read, the secretariat) only."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from fund.extensions import db
from fund.models import AuditEvent, LinkToken, Organisation, Role
from fund.organisations import services
from tests.conftest import login, make_organisation, make_user, outbox
from tests.organisations.conftest import PDF, organisation_form


@pytest.fixture
def organisation(ctx, app):
    """An organisation with one verified member and a safeguarding policy on file."""
    member = make_user(Role.APPLICANT)
    policy = FileStorage(stream=BytesIO(PDF), filename="policy.pdf")
    with app.test_request_context():
        organisation = services.create_organisation(member, organisation_form(), policy)
        db.session.commit()
    return db.session.get(Organisation, organisation.id)


def outsider(kind: str):
    """A signed-in user who is not a member, or None for an anonymous visitor."""
    if kind == "other applicant":
        user = make_user(Role.APPLICANT)
        make_organisation(user)
        return user
    if kind == "reviewer":
        return make_user(Role.REVIEWER)
    if kind == "chair":
        return make_user(Role.CHAIR)
    return None


PAGES = [
    ("GET", "/organisations/{id}"),
    ("GET", "/organisations/{id}/edit"),
    ("POST", "/organisations/{id}/edit"),
    ("POST", "/organisations/{id}/invitations"),
    ("GET", "/organisations/{id}/safeguarding-policy"),
]


@pytest.mark.parametrize("kind", ["other applicant", "reviewer", "chair"])
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_non_members_get_404(client, organisation, kind, method, path):
    """Another organisation's member, a reviewer or a chair cannot even learn it exists."""
    login(client, outsider(kind))

    response = client.open(
        path.format(id=organisation.id),
        method=method,
        data=organisation_form(name="Taken over", email="intruder@example.org"),
        buffered=True,
    )

    assert response.status_code == 404
    assert organisation.name == "Safe Childhoods Uganda"
    assert outbox() == []
    assert db.session.scalar(select(func.count()).select_from(LinkToken)) == 0


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_anonymous_visitors_are_sent_to_login(client, organisation, method, path):
    """Without an account every organisation page leads to the login page."""
    response = client.open(
        path.format(id=organisation.id), method=method, data={"email": "intruder@example.org"}
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert outbox() == []


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_unknown_organisation_is_404(client, organisation, method, path):
    """A made-up id looks the same as somebody else's organisation."""
    login(client, make_user(Role.ADMIN, Role.APPLICANT))
    response = client.open(path.format(id=organisation.id + 1000), method=method, buffered=True)
    assert response.status_code == 404


def test_admin_can_view_the_details_and_policy_but_not_edit(client, organisation):
    """The secretariat reads every organisation; only members change one."""
    login(client, make_user(Role.ADMIN))

    detail = client.get(f"/organisations/{organisation.id}")
    policy = client.get(f"/organisations/{organisation.id}/safeguarding-policy", buffered=True)
    edit = client.post(
        f"/organisations/{organisation.id}/edit", data=organisation_form(name="Renamed by admin")
    )

    assert detail.status_code == 200
    assert b"Safe Childhoods Uganda" in detail.data
    assert b"Edit details" not in detail.data
    assert policy.status_code == 200 and policy.data == PDF
    assert edit.status_code == 404
    assert organisation.name == "Safe Childhoods Uganda"
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "update")
        )
        == 0
    )


def test_my_organisations_lists_only_mine(client, organisation):
    """The list of organisations shows the user's own and no one else's."""
    other = make_user(Role.APPLICANT)
    make_organisation(other, name="Other Organisation")
    login(client, other)

    page = client.get("/organisations/")

    assert page.status_code == 200
    assert b"Other Organisation" in page.data
    assert b"Safe Childhoods Uganda" not in page.data
