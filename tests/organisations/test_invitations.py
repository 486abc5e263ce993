"""Inviting colleagues: a one-time e-mailed link that only the invited address can use."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, LinkToken, Membership, Role
from tests.conftest import login, make_organisation, make_user, outbox

LINK = re.compile(r"http://127\.0\.0\.1:5000(/organisations/join/[\w-]+)")


def member_ids(organisation) -> set[int]:
    return set(
        db.session.scalars(
            select(Membership.user_id).where(Membership.organisation_id == organisation.id)
        )
    )


def invite(client, organisation, email="colleague@example.org"):
    return client.post(f"/organisations/{organisation.id}/invitations", data={"email": email})


def invitation_path() -> str:
    """The path of the link in the newest invitation e-mail."""
    message = outbox(event="invitation")[-1]
    return LINK.search(message.body_text).group(1)


@pytest.fixture
def inviter(ctx):
    return make_user(Role.APPLICANT, name="Ana Applicant")


@pytest.fixture
def organisation(inviter):
    return make_organisation(inviter, name="Safe Childhoods Uganda")


def test_member_invites_a_colleague_by_email(client, inviter, organisation):
    """A verified member's invitation is an e-mail in the outbox with a one-time link."""
    login(client, inviter)

    response = invite(client, organisation, " Colleague@Example.org ")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    [message] = outbox(event="invitation")
    assert message.recipient == "colleague@example.org"
    assert message.subject == "You are invited to join Safe Childhoods Uganda"
    assert "Ana Applicant" in message.body_text
    assert LINK.search(message.body_text)
    assert LINK.search(message.body_html)
    link = db.session.scalar(select(LinkToken))
    assert (link.purpose, link.email, link.organisation_id, link.created_by_id, link.used_at) == (
        "invitation",
        "colleague@example.org",
        organisation.id,
        inviter.id,
        None,
    )
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.subject_type == "organisation")
        )
        == "invite"
    )


def test_opening_the_link_does_not_use_it(client, inviter, organisation):
    """GET shows the invitation (mail scanners open links) and leaves the link unused."""
    login(client, inviter)
    invite(client, organisation)
    client.post("/account/logout")

    for _ in range(2):
        page = client.get(invitation_path())
        assert page.status_code == 200
        assert b"Join Safe Childhoods Uganda" in page.data
        assert b"colleague@example.org" in page.data
    assert db.session.scalar(select(LinkToken.used_at)) is None


def test_anonymous_post_does_not_use_the_link(client, inviter, organisation):
    """Without logging in, posting the form only shows the page again."""
    login(client, inviter)
    invite(client, organisation)
    client.post("/account/logout")

    response = client.post(invitation_path())

    assert response.status_code == 200
    assert db.session.scalar(select(LinkToken.used_at)) is None


def test_invitee_joins_and_the_link_works_once(client, inviter, organisation):
    """The invited address joins with a POST; the link is then used and a second use is refused."""
    login(client, inviter)
    invite(client, organisation)
    path = invitation_path()
    invitee = make_user(Role.APPLICANT, email="colleague@example.org", verified=False)
    login(client, invitee)

    page = client.get(path)
    response = client.post(path)

    assert b"Join the organisation" in page.data
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    assert member_ids(organisation) == {inviter.id, invitee.id}
    assert db.session.scalar(select(LinkToken.used_at)) is not None
    assert invitee.email_verified  # the link reached the mailbox
    assert "join" in db.session.scalars(select(AuditEvent.action)).all()
    assert client.get(f"/organisations/{organisation.id}").status_code == 200

    again = client.post(path)
    assert again.status_code == 410
    assert b"This link has already been used." in again.data
    assert client.get(path).status_code == 410


def test_another_account_cannot_accept(client, inviter, organisation):
    """Knowing the link is not enough: a differently addressed account is refused with 400."""
    login(client, inviter)
    invite(client, organisation)
    path = invitation_path()
    stranger = make_user(Role.APPLICANT, email="stranger@example.org")
    login(client, stranger)

    page = client.get(path)
    response = client.post(path)

    assert b"but you are logged in as stranger@example.org" in page.data
    assert b"Join the organisation" not in page.data
    assert response.status_code == 400
    assert (
        b"This invitation was sent to colleague@example.org. Log in with that address to accept it."
    ) in response.data
    assert member_ids(organisation) == {inviter.id}
    assert db.session.scalar(select(LinkToken.used_at)) is None


@pytest.mark.parametrize("token", ["nonsense", "x" * 43])
def test_unknown_link_is_refused_clearly(client, token):
    """A made-up or mistyped link says it is not valid."""
    response = client.get(f"/organisations/join/{token}")
    assert response.status_code == 410
    assert b"This link is not valid." in response.data


def test_expired_link_is_refused(client, app, inviter, organisation, monkeypatch):
    """An invitation older than INVITATION_MAX_AGE_HOURS no longer works."""
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE_HOURS", 0)
    login(client, inviter)
    invite(client, organisation)
    invitee = make_user(Role.APPLICANT, email="colleague@example.org")
    login(client, invitee)

    response = client.post(invitation_path())

    assert response.status_code == 410
    assert b"This link has expired." in response.data
    assert member_ids(organisation) == {inviter.id}


def test_unverified_member_cannot_invite(client, organisation):
    """A member must confirm its own address before inviting anyone."""
    unverified = make_user(Role.APPLICANT, verified=False)
    db.session.add(Membership(organisation_id=organisation.id, user_id=unverified.id))
    db.session.commit()
    login(client, unverified)

    response = invite(client, organisation)
    page = client.get(f"/organisations/{organisation.id}")

    assert response.status_code == 403
    assert b"Confirm your own e-mail address before inviting colleagues." in response.data
    assert b"Send invitation" not in page.data
    assert outbox() == []
    assert db.session.scalar(select(LinkToken)) is None


@pytest.mark.parametrize("email", ["ana-member@example.org", "ANA-MEMBER@example.org "])
def test_inviting_an_existing_member_is_refused(client, organisation, email):
    """Inviting someone who already belongs gives 400 and sends nothing."""
    colleague = make_user(Role.APPLICANT, email="ana-member@example.org")
    db.session.add(Membership(organisation_id=organisation.id, user_id=colleague.id))
    db.session.commit()
    login(client, colleague)

    response = invite(client, organisation, email)

    assert response.status_code == 400
    assert b"ana-member@example.org is already a member." in response.data
    assert outbox() == []


@pytest.mark.parametrize(
    "email", ["", "not-an-address", "colleague@", "a@b\x00.org", "x" * 250 + "@example.org"]
)
def test_bad_address_is_refused(client, inviter, organisation, email):
    """An empty or malformed address gives 400 with a message, never a 500."""
    login(client, inviter)

    response = invite(client, organisation, email)

    assert response.status_code == 400
    assert b"Something in the request was not right" in response.data
    assert outbox() == []
