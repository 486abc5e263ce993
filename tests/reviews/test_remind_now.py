""" "Remind now" on a late review: one reminder a day through the outbox, recorded and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import AuditEvent, OutgoingMessage, Role
from fund.models.base import utcnow
from tests.admin.overview_data import make_review, proposal_in
from tests.conftest import login, make_call, make_user, outbox


@pytest.fixture
def late(ctx):
    """An overdue review of a proposal in review, by a reviewer of its own."""
    return make_review(proposal_in(make_call()), make_user(Role.REVIEWER), due_in_days=-2)


def remind(client, review, **args):
    return client.post(
        f"/admin/overview/reviews/{review.id}/remind",
        query_string={"when": "overdue", **args},
        follow_redirects=True,
    )


def test_remind_now_sends_once_and_says_so(client, late):
    login(client, make_user(Role.ADMIN))
    page = remind(client, late)
    assert page.status_code == 200
    assert f"Reminder sent to {late.reviewer.name}." in page.text
    (message,) = outbox("review_overdue", late.reviewer.email)
    assert late.proposal.reference in message.subject
    db.session.refresh(late)
    assert late.reminded_at is not None
    assert db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.subject_type == "review",
            AuditEvent.subject_id == late.id,
            AuditEvent.action == "remind",
        )
    )


def test_a_second_press_the_same_day_sends_nothing(client, late):
    login(client, make_user(Role.ADMIN))
    remind(client, late)
    again = remind(client, late)
    assert "was already reminded today; no second reminder was sent." in again.text
    assert len(outbox(recipient=late.reviewer.email)) == 1


def test_the_next_day_a_reminder_may_be_sent_again(client, late, monkeypatch):
    login(client, make_user(Role.ADMIN))
    remind(client, late)
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr("fund.clock.now", lambda: tomorrow)
    assert "Reminder sent to" in remind(client, late).text
    assert len(outbox("review_overdue", late.reviewer.email)) == 2


def test_a_review_due_this_week_gets_the_due_soon_reminder(client, ctx):
    review = make_review(proposal_in(make_call()), due_in_days=4)
    login(client, make_user(Role.ADMIN))
    remind(client, review, when="week")
    assert len(outbox("review_due_soon", review.reviewer.email)) == 1


def test_the_list_shows_when_a_review_was_reminded(client, late):
    login(client, make_user(Role.ADMIN))
    page = remind(client, late, reviewer=late.reviewer_id).text
    row = page[page.index(f'id="review-{late.id}"') :]
    assert "Not reminded by hand" not in row[: row.index("</tr>")]


@pytest.mark.parametrize("change", ["submitted", "removed", "conflicted", "reviewed"])
def test_a_review_no_longer_owed_cannot_be_reminded(client, late, change):
    now = utcnow()
    if change == "submitted":
        late.no_conflict_at, late.recommendation, late.submitted_at = now, "fund", now
    elif change == "removed":
        late.removed_at = now
    elif change == "conflicted":
        late.conflict_declared_at = now
    else:
        late.proposal.state = "reviewed"
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    response = remind(client, late)
    assert response.status_code == 409
    assert "no longer waits for its reviewer" in response.text
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) == 0


def test_remind_needs_the_form_token(client, late, csrf):
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/admin/overview/reviews/{late.id}/remind")
    assert response.status_code == 400
    assert outbox() == []


def test_an_unknown_review_is_not_found(client, ctx):
    login(client, make_user(Role.ADMIN))
    assert client.post("/admin/overview/reviews/999999/remind").status_code == 404
