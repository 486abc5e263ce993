"""Report reminders: 14 days before, on the due date, 7 days after; once each; none once
submitted; and the secretariat's weekly digest of overdue reports (the clock is injected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fund import clock
from fund.extensions import db
from fund.grants.reminders import send_report_reminders
from fund.models import ProgressReport
from tests.conftest import outbox
from tests.grants.conftest import TODAY, build_grant

DUE = TODAY + timedelta(days=30)


def at(day) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def grantee_events(world) -> list[str]:
    return [m.event for m in outbox(recipient=world.member.email)]


@pytest.mark.parametrize(
    "offset,expected",
    [
        (-15, []),
        (-14, ["report_due_soon"]),
        (-1, ["report_due_soon"]),
        (0, ["report_due_today"]),
        (6, ["report_due_today"]),
        (7, ["report_overdue"]),
        (40, ["report_overdue"]),
    ],
    ids=lambda v: str(v),
)
def test_the_reminder_sent_on_a_day_depends_on_how_far_the_due_date_is(ctx, offset, expected):
    world = build_grant(interim_due=DUE)
    send_report_reminders(at(DUE + timedelta(days=offset)))
    assert grantee_events(world) == expected


def test_each_reminder_is_sent_once_across_daily_runs(ctx):
    world = build_grant(interim_due=DUE)
    for offset in range(-20, 12):
        send_report_reminders(at(DUE + timedelta(days=offset)))
    assert grantee_events(world) == ["report_due_soon", "report_due_today", "report_overdue"]
    message = outbox("report_overdue")[0]
    assert "interim report" in message.subject and DUE.isoformat() in message.subject
    assert f"/reports/{world.interim.id}" in message.body_text


@pytest.mark.parametrize("state", ["submitted", "accepted", "changes_requested"])
def test_no_reminder_for_a_report_already_submitted(ctx, state):
    world = build_grant(interim_due=DUE)
    db.session.get(ProgressReport, world.interim.id).state = state
    db.session.commit()
    for offset in (-14, 0, 7):
        send_report_reminders(at(DUE + timedelta(days=offset)))
    assert grantee_events(world) == []


@pytest.mark.parametrize("grant_state", ["pending_agreement", "cancelled", "closed"])
def test_no_reminder_for_a_grant_not_running(ctx, grant_state):
    world = build_grant(grant_state, interim_due=DUE)
    send_report_reminders(at(DUE))
    assert grantee_events(world) == []


def test_a_report_submitted_after_one_reminder_gets_no_more(ctx):
    world = build_grant(interim_due=DUE)
    send_report_reminders(at(DUE - timedelta(days=14)))
    db.session.get(ProgressReport, world.interim.id).state = "submitted"
    db.session.commit()
    send_report_reminders(at(DUE))
    send_report_reminders(at(DUE + timedelta(days=7)))
    assert grantee_events(world) == ["report_due_soon"]


def test_the_secretariat_gets_one_digest_of_overdue_reports_a_week(ctx):
    world = build_grant(interim_due=DUE)
    send_report_reminders(at(DUE))  # due today: not overdue yet
    assert outbox("report_overdue_digest") == []
    first = DUE + timedelta(days=1)
    for offset in range(14):
        send_report_reminders(at(first + timedelta(days=offset)))
    digests = outbox("report_overdue_digest")
    weeks = {(first + timedelta(days=o)).isocalendar()[:2] for o in range(14)}
    assert len(digests) == len(weeks)  # one per ISO week the runs fell in
    assert {m.recipient for m in digests} == {world.admin.email}
    assert world.grant.reference in digests[0].body_text


def test_send_reminders_uses_the_clock_and_reports_what_it_queued(runner, ctx, monkeypatch):
    world = build_grant(interim_due=DUE)
    monkeypatch.setattr(clock, "now", lambda: at(DUE - timedelta(days=14)))
    result = runner.invoke(args=["fund", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 report reminder(s)." in result.output
    assert grantee_events(world) == ["report_due_soon"]
