"""Declining several proposals from the ranking: the confirmation page, one row that moved on
meanwhile, the letters, the audit rows and the result page."""

from __future__ import annotations

import re

from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, BulkRun, Decision, Proposal, ProposalState, Role
from tests.conftest import login, make_organisation, make_user, outbox
from tests.decisions.conftest import make_reviewed, make_rubric_call


def three_reviewed():
    call = make_rubric_call()
    proposals = [
        make_reviewed(call, make_organisation(make_user(Role.APPLICANT), name=f"Org {n}"))
        for n in range(3)
    ]
    return call, proposals


def confirm_url(call, proposals, **extra):
    ids = "&".join(f"proposal={p.id}" for p in proposals)
    more = "".join(f"&{k}={v}" for k, v in extra.items())
    return f"/bulk/calls/{call.id}/ranking?action=decline&{ids}{more}"


def post_data(proposals, **extra):
    return {"action": "decline", "proposal": [str(p.id) for p in proposals], **extra}


def test_the_confirmation_page_lists_each_row_and_changes_nothing(client):
    call, proposals = three_reviewed()
    proposals[2].state = ProposalState.AWARDED
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    page = client.get(confirm_url(call, proposals))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("will be declined") == 2
    assert "This cannot be done while the item is awarded." in html
    assert "Decline 2 proposals" in html
    assert db.session.scalar(select(db.func.count(Decision.id))) == 0


def test_a_row_that_moved_on_is_refused_and_the_others_are_declined(client):
    call, proposals = three_reviewed()
    chair = make_user(Role.CHAIR)
    login(client, chair)
    assert client.get(confirm_url(call, proposals)).status_code == 200
    # meanwhile another chair reopened one of them for review
    db.session.execute(
        db.update(Proposal).where(Proposal.id == proposals[1].id).values(state="in_review")
    )
    db.session.commit()
    response = client.post(
        f"/bulk/calls/{call.id}/ranking", data=post_data(proposals, reason="Outside the scope.")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 done, 1 refused." in page
    assert "This cannot be done while the item is in review." in page
    states = {p.id: p.state for p in db.session.scalars(select(Proposal))}
    assert states == {
        proposals[0].id: "declined",
        proposals[1].id: "in_review",
        proposals[2].id: "declined",
    }
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "decline")).all()
    assert sorted(e.subject_id for e in events) == [proposals[0].id, proposals[2].id]
    assert all(e.comment == "Outside the scope." for e in events)
    decisions = db.session.scalars(select(Decision)).all()
    assert len(decisions) == 2 and all("Outside the scope." in d.letter_text for d in decisions)
    assert len(outbox(event="decision_decline")) == 2  # one letter per declined proposal
    run = db.session.scalars(select(BulkRun)).one()
    assert run.actor_id == chair.id and [o["done"] for o in run.outcomes] == [True, False, True]


def test_a_decline_without_a_reason_is_asked_again_and_changes_nothing(client):
    call, proposals = three_reviewed()
    login(client, make_user(Role.CHAIR))
    response = client.post(f"/bulk/calls/{call.id}/ranking", data=post_data(proposals, reason=""))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give a reason." in html and 'id="error-summary"' in html
    assert all(p.state == "reviewed" for p in db.session.scalars(select(Proposal)))


def test_all_matching_carries_the_filters_and_looks_the_rows_up_again(client):
    call, proposals = three_reviewed()
    login(client, make_user(Role.CHAIR))
    html = client.get(
        f"/bulk/calls/{call.id}/ranking?action=decline&all=1&state=reviewed"
    ).get_data(as_text=True)
    assert html.count("will be declined") == 3
    assert 'name="proposal"' not in html  # the ids are not carried: the filters are
    assert re.search(r'name="all" value="1"', html)
    late = make_reviewed(call, make_organisation(make_user(Role.APPLICANT)), title="Late one")
    response = client.post(
        f"/bulk/calls/{call.id}/ranking",
        data={"action": "decline", "all": "1", "state": "reviewed", "reason": "No money left."},
    )
    assert response.status_code == 302
    assert db.session.get(Proposal, late.id).state == "declined"
    assert db.session.scalar(select(db.func.count(Decision.id))) == 4
