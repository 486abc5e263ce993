"""`flask fund send-reminders`: 3 days before due and once overdue, never twice, never for
finished work; the clock is injected."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from fund.reviews import reminders
from tests.conftest import make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

DUE = date(2027, 5, 10)


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def review(ctx):
    proposal = make_in_review(make_rubric_call())
    review = assign(proposal, make_user(Role.REVIEWER))
    review.due_on = DUE
    db.session.commit()
    return review


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(DUE - timedelta(days=4), 23, 59), []),
        (at(DUE - timedelta(days=3)), ["review_due_soon"]),
        (at(DUE, 23, 59), ["review_due_soon"]),
        (at(DUE + timedelta(days=1)), ["review_overdue"]),
        (at(DUE + timedelta(days=30)), ["review_overdue"]),
    ],
)
def test_the_due_date_boundary(review, now, expected):
    """Due soon from 3 days before the due date to its end; overdue from the day after."""
    reminders.send_reminders(now)
    assert [m.event for m in outbox()] == expected


def test_each_reminder_is_sent_once(review, runner, monkeypatch):
    """Daily runs: one due-soon, one overdue, nothing more, to the reviewer."""
    for offset in range(-5, 6):
        monkeypatch.setattr("fund.clock.now", lambda o=offset: at(DUE + timedelta(days=o), 7))
        result = runner.invoke(args=["fund", "send-reminders"])
        assert result.exit_code == 0, result.output
    messages = outbox()
    assert [m.event for m in messages] == ["review_due_soon", "review_overdue"]
    assert {m.recipient for m in messages} == {review.reviewer.email}
    assert DUE.isoformat() in messages[0].subject


@pytest.mark.parametrize("change", ["submitted", "removed", "conflicted", "reviewed"])
def test_nothing_is_sent_for_finished_assignments(review, change):
    if change == "submitted":
        review.recommendation = "fund"
        review.submitted_at = utcnow()
    elif change == "removed":
        review.removed_at = utcnow()
    elif change == "conflicted":
        review.conflict_declared_at = utcnow()
    else:
        review.proposal.state = "reviewed"
    db.session.commit()
    for now in (at(DUE - timedelta(days=1)), at(DUE + timedelta(days=2))):
        assert reminders.send_reminders(now) == 0
    assert outbox() == []


def test_the_assignment_is_rechecked_just_before_sending(review, monkeypatch):
    """Submitted between the candidate query and the send: no reminder."""
    original = reminders.reminder_kind

    def submitted_meanwhile(candidate, today):
        db.session.execute(
            db.update(type(candidate))
            .where(type(candidate).id == candidate.id)
            .values(recommendation="fund", submitted_at=utcnow())
        )
        db.session.refresh(candidate)
        return original(candidate, today)

    monkeypatch.setattr(reminders, "reminder_kind", submitted_meanwhile)
    assert reminders.send_reminders(at(DUE)) == 0
    assert outbox() == []


def test_a_new_due_date_earns_new_reminders(review):
    reminders.send_reminders(at(DUE))
    review.due_on = DUE + timedelta(days=7)
    db.session.commit()
    reminders.send_reminders(at(DUE + timedelta(days=6)))
    assert [m.event for m in outbox()] == ["review_due_soon", "review_due_soon"]


def test_the_command_accepts_now_and_refuses_nonsense(review, runner):
    result = runner.invoke(args=["fund", "send-reminders", "--now", "2027-05-11T08:00"])
    assert result.exit_code == 0 and "Queued 1 review reminder" in result.output
    result = runner.invoke(args=["fund", "send-reminders", "--now", "next tuesday"])
    assert result.exit_code == 2 and "not an ISO 8601 time" in result.output
