"""The applicant's part of the dashboard: its organisations' proposals, where each stands, what
it needs next and the deadline; in a number of queries that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund import clock
from fund.extensions import db
from fund.models import ProposalState, ProposalVersion, Role
from tests.conftest import (
    count_queries,
    login,
    make_call,
    make_organisation,
    make_proposal,
    make_user,
)
from tests.proposals.submitting import at


def test_the_dashboard_lists_the_organisations_proposals(client):
    """Title, reference, applicant-facing state, next step, deadline and the printable version."""
    member = make_user()
    organisation = make_organisation(member)
    call = make_call(title="Safe Schools 2027")
    draft = make_proposal(organisation, call, title="Draft idea")
    sent = make_proposal(organisation, call, state=ProposalState.IN_REVIEW, title="Sent idea")
    sent.reference = "INS-2027-0007"
    db.session.add(ProposalVersion(proposal_id=sent.id, number=1, content={}))
    db.session.commit()
    login(client, member)
    response = client.get("/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your proposals" in page
    assert f'href="/proposals/{draft.id}">Draft idea</a>' in page
    assert f'href="/proposals/{sent.id}">Sent idea</a>' in page
    assert "INS-2027-0007" in page and "Safe Schools 2027" in page
    assert '<span class="state">draft</span>' in page
    assert '<span class="state">under review</span>' in page
    assert "in review" not in page  # the internal name
    assert "Complete the proposal and submit it before" in page
    assert "reviewers are assessing the proposal" in page
    assert f'href="/proposals/{sent.id}/versions/1">Printable version 1</a>' in page


def test_the_deadline_is_shown_in_the_users_time_zone(client):
    member = make_user()
    member.timezone = "Asia/Kolkata"
    db.session.commit()
    proposal = make_proposal(make_organisation(member))
    login(client, member)
    page = client.get("/dashboard").get_data(as_text=True)
    local = proposal.call.closes_at + timedelta(hours=5, minutes=30)
    assert f"{local:%-I:%M}" in page and "(Asia/Kolkata)" in page


def test_a_draft_whose_call_has_closed_says_so(client, monkeypatch):
    member = make_user()
    proposal = make_proposal(make_organisation(member))
    monkeypatch.setattr(clock, "now", at(proposal.call.closes_at + timedelta(minutes=1)))
    login(client, member)
    assert "this draft can no longer be submitted" in client.get("/dashboard").get_data(
        as_text=True
    )


def test_other_organisations_proposals_are_not_listed(client):
    member, stranger = make_user(), make_user()
    make_proposal(make_organisation(stranger), title="Their secret plan")
    make_organisation(member)
    login(client, member)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Their secret plan" not in page
    assert "Your organisation has no proposals yet." in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REVIEWER, Role.CHAIR])
def test_users_without_an_organisation_see_no_proposals_section(client, role):
    login(client, make_user(role))
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert "Your proposals" not in response.get_data(as_text=True)


def _dashboard_queries(client) -> int:
    with count_queries() as statements:
        response = client.get("/dashboard")
    assert response.status_code == 200
    return len(statements)


def test_the_query_count_does_not_grow_with_the_proposals(client):
    """The same number of queries with 1 proposal as with 25 (in two organisations and two
    calls, with versions)."""
    member = make_user()
    first, second = make_organisation(member), make_organisation(member)
    calls = [make_call(title="One"), make_call(title="Two")]
    make_proposal(first, calls[0])
    login(client, member)
    one = _dashboard_queries(client)
    for n in range(24):
        proposal = make_proposal(
            (first, second)[n % 2], calls[n % 2], title=f"P{n}", state=ProposalState.SUBMITTED
        )
        db.session.add(ProposalVersion(proposal_id=proposal.id, number=1, content={}))
    db.session.commit()
    many = _dashboard_queries(client)
    assert "P23" in client.get("/dashboard").get_data(as_text=True)
    assert many == one
