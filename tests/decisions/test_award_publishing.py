"""The choice, made at award, to keep a grant out of open data (issue 10, "Publishing safely"):
published by default, withheld with a reason by any approving chair, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Grant, Role
from tests.conftest import login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review


@pytest.fixture
def proposal(ctx):
    member = make_user(Role.APPLICANT)
    call = make_rubric_call(envelope="50000")
    p = make_reviewed(call, make_organisation(member, name="Quiet Shelter"), amount="20000")
    review(p, make_user(Role.REVIEWER), (4, 4))
    return p


def award(client, proposal_id, confirmed=True, **fields):
    data = {"award-amount": "20000", "award-reasons": "Strong fit.", **fields}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(f"/decisions/proposals/{proposal_id}/award", data=data)


def grant_of(proposal_id: int) -> Grant | None:
    db.session.expire_all()
    return db.session.scalar(select(Grant).where(Grant.proposal_id == proposal_id))


def test_the_decision_page_offers_the_choice_unticked(client, proposal):
    login(client, make_user(Role.CHAIR))
    page = client.get(f"/decisions/proposals/{proposal.id}").get_data(as_text=True)
    assert 'name="award-unnamed"' in page
    assert 'name="award-unnamed" type="checkbox" value="y" checked' not in page
    assert "Keep this grant out of the fund&#39;s open data" in page


def test_an_award_is_published_by_default(client, proposal):
    login(client, make_user(Role.CHAIR))
    assert award(client, proposal.id).status_code == 302
    grant = grant_of(proposal.id)
    assert (grant.published, grant.unpublished_reason) == (True, "")


def test_a_chair_keeps_the_grant_out_of_open_data_with_a_reason(client, proposal):
    chair = make_user(Role.CHAIR)
    login(client, chair)
    reason = "Naming them would expose the shelter's address."
    response = award(
        client, proposal.id, **{"award-unnamed": "y", "award-unpublished_reason": reason}
    )
    assert response.status_code == 302
    grant = grant_of(proposal.id)
    assert (grant.published, grant.unpublished_reason) == (False, reason)
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.subject_id == grant.id, AuditEvent.action == "unpublish"
        )
    )
    assert (event.actor_id, event.comment) == (chair.id, reason)
    assert client.get("/grants/awarded").get_data(as_text=True).count("Quiet Shelter") == 0


def test_keeping_it_out_needs_a_reason(client, proposal):
    login(client, make_user(Role.CHAIR))
    response = award(client, proposal.id, **{"award-unnamed": "y"})
    assert response.status_code == 400
    assert "Say why the grant stays out of open data." in response.get_data(as_text=True)
    assert grant_of(proposal.id) is None


def test_the_confirmation_says_whether_the_grant_will_be_named(client, proposal):
    login(client, make_user(Role.CHAIR))
    named = award(client, proposal.id, confirmed=False).get_data(as_text=True)
    assert "The grant is named in the fund&#39;s open data" in named
    unnamed = award(
        client,
        proposal.id,
        confirmed=False,
        **{"award-unnamed": "y", "award-unpublished_reason": "Risk to staff."},
    ).get_data(as_text=True)
    assert "The grant stays out of the fund&#39;s open data" in unnamed
    # the reason travels to the confirming POST with the other fields
    assert 'value="Risk to staff."' in unnamed
    assert grant_of(proposal.id) is None


def test_one_of_two_approving_chairs_is_enough_to_keep_it_out(client, proposal):
    proposal.call.chair_approvals_needed = 2
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    award(client, proposal.id, **{"award-unnamed": "y", "award-unpublished_reason": "Risk."})
    assert grant_of(proposal.id) is None
    login(client, make_user(Role.CHAIR))
    assert award(client, proposal.id).status_code == 302
    grant = grant_of(proposal.id)
    assert (grant.published, grant.unpublished_reason) == (False, "Risk.")
