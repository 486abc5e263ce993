"""Draft reminders before a call closes: 7 days and 1 day before, counted in each member's time
zone, once each, re-checked before sending; through `flask fund send-reminders --now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import DraftReminder, Membership, Role
from fund.proposals.draft_reminders import send_draft_reminders
from tests.conftest import make_call, make_organisation, make_proposal, make_user, outbox

CLOSES = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)  # noon UTC on 15 March


@pytest.fixture
def member(ctx):
    return make_user(Role.APPLICANT, email="ana@example.org")


@pytest.fixture
def draft(member):
    call = make_call()
    call.opens_at = CLOSES - timedelta(days=60)
    call.closes_at = CLOSES
    db.session.commit()
    return make_proposal(make_organisation(member), call, title="Safe schools")


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (timedelta(days=8), []),
        (timedelta(days=7), ["7 days"]),
        (timedelta(days=6), ["7 days"]),
        (timedelta(days=2), ["7 days"]),
        (timedelta(days=1), ["1 day"]),
        (timedelta(hours=1), ["1 day"]),  # the closing day itself, before the deadline
    ],
)
def test_the_reminder_sent_depends_on_the_days_left(draft, before, expected):
    now = CLOSES - before
    assert send_draft_reminders(now) == len(expected)
    bodies = [m.body_text for m in outbox(event="draft_reminder")]
    assert len(bodies) == len(expected)
    for body, days in zip(bodies, expected, strict=True):
        assert f"closes in {days}" in body and "Safe schools" in body


def test_each_reminder_goes_once_even_when_the_command_runs_every_day(draft):
    for days_before in (9, 8, 7, 6, 5, 4, 3, 2, 1, 0):
        send_draft_reminders(CLOSES - timedelta(days=days_before, hours=1))
    kinds = db.session.scalars(select(DraftReminder.kind).order_by(DraftReminder.id)).all()
    assert kinds == ["week", "day"]
    assert len(outbox(event="draft_reminder")) == 2


def test_the_days_are_counted_in_the_members_time_zone(draft, member):
    # 21:00 UTC on 7 March: still the 8th day before in New York, already the 7th in Nairobi
    # (it is 8 March there), so only the Nairobi member is reminded.
    member.timezone = "America/New_York"
    nairobi = make_user(Role.APPLICANT, email="neema@example.org")
    nairobi.timezone = "Africa/Nairobi"
    db.session.add(Membership(user_id=nairobi.id, organisation_id=draft.organisation_id))
    db.session.commit()
    now = datetime(2027, 3, 7, 21, 0, tzinfo=UTC)
    assert send_draft_reminders(now) == 1
    assert [m.recipient for m in outbox(event="draft_reminder")] == ["neema@example.org"]
    body = outbox(event="draft_reminder")[0].body_text
    assert "closes in 7 days, on Mar 15, 2027, 3:00:00\u202fPM (Kenya Time)" in body


def test_a_submitted_draft_or_a_closed_call_gets_nothing(draft):
    draft.state = "submitted"
    db.session.commit()
    assert send_draft_reminders(CLOSES - timedelta(days=3)) == 0
    draft.state = "draft"
    db.session.commit()
    assert send_draft_reminders(CLOSES + timedelta(hours=1)) == 0
    assert outbox(event="draft_reminder") == []


def test_a_moved_deadline_earns_new_reminders(draft):
    send_draft_reminders(CLOSES - timedelta(days=6))
    draft.call.closes_at = CLOSES + timedelta(days=7)
    db.session.commit()
    assert send_draft_reminders(CLOSES - timedelta(days=6)) == 0  # 13 days left now
    assert send_draft_reminders(CLOSES + timedelta(days=1)) == 1  # 6 days before the new one
    assert len(outbox(event="draft_reminder")) == 2


def test_the_send_reminders_command_sends_them_with_an_injected_now(runner, draft):
    now = (CLOSES - timedelta(days=7)).isoformat()
    result = runner.invoke(args=["fund", "send-reminders", "--now", now])
    assert result.exit_code == 0, result.output
    assert "Queued 1 draft reminder(s)." in result.output
    result = runner.invoke(args=["fund", "send-reminders", "--now", now])
    assert "Queued 0 draft reminder(s)." in result.output
