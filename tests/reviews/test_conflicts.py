"""Conflicts of interest: declared, recorded, and enforced on every page that shows a proposal,
its versions, its files, its reviews or an aggregate of them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fund import permissions
from fund.extensions import db
from fund.models import AuditEvent, Conflict, ProposalVersion, Review, ReviewStatus, Role
from fund.models.upload import StoredFile
from fund.rules import proposal_content as content
from tests.conftest import login, make_organisation, make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


def _attach_file(proposal) -> StoredFile:
    stored = StoredFile(
        storage_name="x" * 32,
        original_name="plan.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        organisation_id=proposal.organisation_id,
    )
    db.session.add(stored)
    db.session.flush()
    proposal.safeguarding_file_id = stored.id
    db.session.add(
        ProposalVersion(proposal_id=proposal.id, number=1, content=content.snapshot(proposal))
    )
    db.session.commit()
    return stored


# Every page showing a proposal, a file, a review or an aggregate. The last element says who
# is the unconflicted control that must reach it.
ROUTES = [
    ("proposal", lambda p, r, f: f"/proposals/{p.id}", "reviewer"),
    ("version", lambda p, r, f: f"/proposals/{p.id}/versions/1", "reviewer"),
    ("file", lambda p, r, f: f"/proposals/{p.id}/files/{f.id}", "reviewer"),
    ("own review", lambda p, r, f: f"/reviews/{r.id}", "reviewer"),
    ("review summary", lambda p, r, f: f"/reviews/proposals/{p.id}", "chair"),
]


@pytest.fixture
def setup(ctx):
    call = make_rubric_call()
    proposal = make_in_review(call)
    stored = _attach_file(proposal)
    return call, proposal, stored


def _conflicted_reviewer(client, proposal):
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=False)
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}/conflict", data={"reason": "I advise them."})
    assert response.status_code == 302
    return reviewer, review


@pytest.mark.parametrize(("name", "url", "control"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_reviewer_who_declared_a_conflict_gets_404_everywhere(client, setup, name, url, control):
    """After "Declare conflict" the reviewer gets 404 for the proposal, version, file, review."""
    _call, proposal, stored = setup
    _reviewer, review = _conflicted_reviewer(client, proposal)
    assert client.get(url(proposal, review, stored)).status_code == 404


@pytest.mark.parametrize(("name", "url", "control"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_chair_with_a_conflict_gets_404_everywhere(client, setup, name, url, control):
    """A chair with a recorded conflict on the organisation reaches none of these pages."""
    _call, proposal, stored = setup
    review = assign(proposal, make_user(Role.REVIEWER))
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=proposal.organisation_id, reason="Board member")
    )
    db.session.commit()
    login(client, chair)
    assert client.get(url(proposal, review, stored)).status_code == 404


@pytest.mark.parametrize(("name", "url", "control"), ROUTES, ids=[r[0] for r in ROUTES])
def test_the_same_pages_open_without_a_conflict(client, setup, upload_file, name, url, control):
    """Control: an assigned reviewer who said "No conflict" (or a chair) reaches each page."""
    _call, proposal, stored = setup
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=True)
    login(client, reviewer if control == "reviewer" else make_user(Role.CHAIR))
    response = client.get(url(proposal, review, stored))
    response.close()  # a file download keeps its file open until closed
    assert response.status_code == 200


@pytest.fixture
def upload_file(app):
    """The stored file's bytes on disk, so the download route can send it."""
    from pathlib import Path

    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("x" * 32)).write_bytes(b"%PDF-1.4\n%%EOF\n")


def test_before_answering_a_reviewer_sees_only_title_organisation_and_country(client, ctx):
    """An unanswered assignment shows title, organisation and country, not the proposal."""
    proposal = make_in_review(make_rubric_call(), title="Safe schools in Gulu")
    proposal.summary = "A SECRET SUMMARY"
    db.session.commit()
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=False)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}")
    assert page.status_code == 200
    assert b"Safe schools in Gulu" in page.data and b"Uganda" in page.data
    assert b"A SECRET SUMMARY" not in page.data
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert client.post(f"/reviews/{review.id}/no-conflict").status_code == 302
    assert b"A SECRET SUMMARY" in client.get(f"/reviews/{review.id}").data
    assert client.get(f"/proposals/{proposal.id}").status_code == 200


def test_declaring_a_conflict_ends_the_assignment_records_it_and_tells_the_secretariat(client, ctx):
    """The review is marked conflicted, a Conflict row exists, admins get e-mail, audited."""
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call())
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=False)
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}/conflict", data={"reason": "Former employee"})
    assert response.headers["Location"] == "/reviews/"
    assert review.status is ReviewStatus.CONFLICTED
    conflict = db.session.scalar(select(Conflict))
    assert (conflict.user_id, conflict.organisation_id, conflict.reason) == (
        reviewer.id,
        proposal.organisation_id,
        "Former employee",
    )
    [mail] = outbox(event="conflict_declared")
    assert mail.recipient == admin.email and "Former employee" in mail.body_text
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "review", AuditEvent.subject_id == review.id
        )
    ).all()
    assert actions == ["declare_conflict"]


def test_declaring_a_conflict_needs_a_reason(client, ctx):
    """An empty reason is refused with 400 and nothing is recorded."""
    proposal = make_in_review(make_rubric_call())
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=False)
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}/conflict", data={"reason": "  "})
    assert response.status_code == 400
    assert review.status is ReviewStatus.TO_START
    assert db.session.scalar(select(Conflict)) is None


def test_a_conflict_covers_every_proposal_of_the_organisation(client, ctx):
    """Declared on one proposal, the conflict also ends the reviewer's other assignment there."""
    call = make_rubric_call()
    first = make_in_review(call)
    organisation = first.organisation
    second = make_in_review(call, organisation)
    reviewer = make_user(Role.REVIEWER)
    review = assign(first, reviewer, answered=False)
    other = assign(second, reviewer, answered=True)
    login(client, reviewer)
    client.post(f"/reviews/{review.id}/conflict", data={"reason": "Family"})
    assert other.status is ReviewStatus.CONFLICTED
    assert client.get(f"/proposals/{second.id}").status_code == 404
    assert client.get("/reviews/").data.count(b"Safe schools") == 0


def test_an_admin_records_a_conflict_for_a_reviewer(client, ctx):
    """The secretariat records a conflict: the reviewer's assignment ends and it loses access."""
    admin = make_user(Role.ADMIN)
    proposal = make_in_review(make_rubric_call())
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer)
    login(client, admin)
    response = client.post(
        f"/screening/proposals/{proposal.id}/conflicts",
        data={"user_id": reviewer.id, "reason": "Told us by phone", "back": "assignments"},
    )
    assert response.status_code == 302
    assert review.status is ReviewStatus.CONFLICTED
    assert db.session.scalar(select(Conflict.declared_by_id)) == admin.id
    login(client, reviewer)
    assert client.get(f"/reviews/{review.id}").status_code == 404


def test_a_chair_declares_a_conflict_and_then_cannot_decide_or_see(client, ctx):
    """A chair's declaration is recorded; is_conflicted/can_decide turn, the pages 404."""
    proposal = make_in_review(make_rubric_call(), state="reviewed")
    chair = make_user(Role.CHAIR)
    assert permissions.can_decide(chair, proposal)
    login(client, chair)
    assert client.get(f"/reviews/proposals/{proposal.id}").status_code == 200
    response = client.post(
        f"/reviews/proposals/{proposal.id}/conflict", data={"reason": "I chair its board"}
    )
    assert response.status_code == 302
    permissions.forget_review_rights(chair)
    assert permissions.is_conflicted(chair, proposal)
    assert not permissions.can_decide(chair, proposal)
    assert not permissions.can_view_proposal(chair, proposal)
    assert not permissions.acts_as(chair, Role.CHAIR, proposal)
    assert client.get(f"/reviews/proposals/{proposal.id}").status_code == 404
    assert client.get(f"/proposals/{proposal.id}").status_code == 404


def test_members_and_conflicted_people_are_not_offered_nor_accepted_by_hand(client, ctx):
    """Adding a member of the applicant organisation or a conflicted reviewer is refused."""
    admin = make_user(Role.ADMIN)
    member = make_user(Role.REVIEWER, Role.APPLICANT)
    organisation = make_organisation(member)
    proposal = make_in_review(make_rubric_call(), organisation)
    conflicted = make_user(Role.REVIEWER)
    eligible = make_user(Role.REVIEWER)
    db.session.add(Conflict(user_id=conflicted.id, organisation_id=organisation.id, reason="Donor"))
    db.session.commit()
    login(client, admin)
    page = client.get(f"/screening/proposals/{proposal.id}/assignments").get_data(as_text=True)
    offered = re.search(r'<select id="add-reviewer_id".*?</select>', page, re.S).group(0)
    assert member.name not in offered and conflicted.name not in offered
    assert eligible.name in offered
    for person in (member, conflicted):
        response = client.post(
            f"/screening/proposals/{proposal.id}/assignments",
            data={"reviewer_id": person.id, "due_on": (date.today() + timedelta(30)).isoformat()},
        )
        assert response.status_code == 409
    assert db.session.scalar(select(Review)) is None
