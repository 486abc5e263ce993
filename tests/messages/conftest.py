"""A proposal under screening with its people: a member, an outsider, the secretariat, a chair
and an assigned reviewer, for the message-thread tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fund.extensions import db
from fund.models import Message, Proposal, Role, User
from fund.models.base import utcnow
from tests.conftest import login, make_organisation, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


@dataclass
class People:
    proposal: Proposal
    member: User
    outsider: User
    admin: User
    chair: User
    reviewer: User

    def as_role(self, client, role: str) -> None:
        """Sign in as `role` ("anonymous" stays signed out)."""
        if role != "anonymous":
            login(client, getattr(self, role))


@pytest.fixture
def people(ctx) -> People:
    member = make_user(Role.APPLICANT, name="Maria Member", locale="fr")
    outsider = make_user(Role.APPLICANT, name="Otto Outsider")
    make_organisation(outsider)
    admin = make_user(Role.ADMIN, name="Amina Admin", locale="es")
    chair = make_user(Role.CHAIR, name="Chidi Chair")
    reviewer = make_user(Role.REVIEWER, name="Rita Reviewer")
    organisation = make_organisation(member, name="Safe Homes")
    proposal = make_in_review(make_rubric_call(), organisation, state="submitted")
    assign(proposal, reviewer)
    db.session.commit()
    return People(proposal, member, outsider, admin, chair, reviewer)


def reads_english(*users: User) -> None:
    """These people read the app in English (the fixture gives the member French and the admin
    Spanish, for the e-mail tests); for the tests that look for English text on a page."""
    for user in users:
        user.locale = "en"
    db.session.commit()


def write(proposal: Proposal, author: User, body: str, *, secretariat: bool) -> Message:
    """A message written directly (the services are tested through the pages)."""
    message = Message(
        proposal_id=proposal.id,
        author_id=author.id,
        from_secretariat=secretariat,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return message
