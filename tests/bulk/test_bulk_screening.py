"""Screening out and assigning reviewers to several proposals from the screening list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, Proposal, Review, Role
from fund.models.base import utcnow
from tests.conftest import login, make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

DUE = utcnow().date() + timedelta(days=21)


def test_screen_out_in_bulk_mails_each_applicant_the_one_reason(client):
    call = make_rubric_call()
    waiting = [make_in_review(call, state="submitted") for _ in range(2)]
    moved_on = make_in_review(call, state="in_review")
    login(client, make_user(Role.ADMIN))
    chosen = [str(p.id) for p in [*waiting, moved_on]]
    page = client.get(
        f"/bulk/calls/{call.id}/screening",
        query_string={"action": "screen_out", "proposal": chosen},
    ).get_data(as_text=True)
    assert page.count("will be screened out") == 2
    assert "This cannot be done while the item is in review." in page
    response = client.post(
        f"/bulk/calls/{call.id}/screening",
        data={"action": "screen_out", "proposal": chosen, "reason": "Country not eligible."},
    )
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 done, 1 refused." in result
    assert [db.session.get(Proposal, p.id).state for p in waiting] == ["ineligible"] * 2
    assert db.session.get(Proposal, moved_on.id).state == "in_review"
    comments = db.session.scalars(
        select(AuditEvent.comment).where(AuditEvent.action == "screen_out")
    ).all()
    assert comments == ["Country not eligible."] * 2
    assert len(outbox(event="proposal_screened_out")) == 2


def test_assign_in_bulk_fills_each_proposal_in_review_and_refuses_the_others(client):
    pool = [make_user(Role.REVIEWER) for _ in range(3)]
    call = make_rubric_call(reviewers=2)
    empty = make_in_review(call)
    full = make_in_review(call)
    assign(full, pool[0])
    assign(full, pool[1])
    waiting = make_in_review(call, state="submitted")
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/bulk/calls/{call.id}/screening",
        data={
            "action": "assign",
            "proposal": [str(empty.id), str(full.id), str(waiting.id)],
            "due_on": DUE.isoformat(),
        },
    )
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 done, 2 refused." in result
    assert "It already has every reviewer it needs: nobody was added." in result
    assert (
        "Reviewers are assigned and reminded only in review; this proposal is submitted." in result
    )
    counts = dict(
        db.session.execute(select(Review.proposal_id, func.count()).group_by(Review.proposal_id))
        .tuples()
        .all()
    )
    assert counts == {empty.id: 2, full.id: 2}


def test_assign_in_bulk_needs_a_due_date(client):
    call = make_rubric_call()
    proposal = make_in_review(call)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/bulk/calls/{call.id}/screening", data={"action": "assign", "proposal": [proposal.id]}
    )
    assert response.status_code == 400
    assert "Give the due date as year-month-day." in response.get_data(as_text=True)


def test_remind_in_bulk_reminds_each_reviewer_who_owes_a_review_once_a_day(client):
    late, removed = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    call = make_rubric_call(reviewers=2)
    waiting = make_in_review(call)
    assign(waiting, late)
    nobody_owes = make_in_review(call)
    assign(nobody_owes, removed).removed_at = utcnow()
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    data = {"action": "remind", "proposal": [str(waiting.id), str(nobody_owes.id)]}
    response = client.post(f"/bulk/calls/{call.id}/screening", data=data)
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 done, 1 refused." in result
    assert "No reviewer owes a review of this proposal: nobody to remind." in result
    assert [m.recipient for m in outbox(event="review_due_soon")] == [late.email]
    again = client.post(f"/bulk/calls/{call.id}/screening", data=data)
    result = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Its reviewers have already been reminded today." in result
    assert len(outbox(event="review_due_soon")) == 1
