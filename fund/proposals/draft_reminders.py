"""Draft reminders, sent by `flask fund send-reminders` (cron): each member of an organisation
with an unsubmitted draft in an open call is reminded 7 days and 1 day before the call closes.

The days are counted in the member's own time zone (the calendar day there, as the member reads
the deadline), and each reminder has a window rather than a single day, so a day the cron job
missed is caught up: "week" from 7 days before until 2 days before, "day" from 1 day before until
the deadline. Each draft is locked and re-read just before its reminders are queued: one
submitted, a call closed or a deadline moved meanwhile gets nothing from this run. A row per
(draft, member, kind, deadline) makes each reminder go once; a moved deadline earns new ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime, get_timezone_name
from sqlalchemy import select

from fund.extensions import db
from fund.models import Call, DraftReminder, Proposal, ProposalState, User
from fund.notifications import organisation_members, public_url, queue_email
from fund.outbox import commit

WEEK, DAY = "week", "day"
DAYS_BEFORE = {WEEK: 7, DAY: 1}


def zone_of(user: User) -> ZoneInfo:
    """The member's time zone (UTC when none or an unknown one is stored)."""
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def days_left(closes_at: datetime, now: datetime, zone: ZoneInfo) -> int:
    """Calendar days from today to the closing day, both as the clock reads in `zone`."""
    return (closes_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def reminder_kind(closes_at: datetime, now: datetime, zone: ZoneInfo) -> str | None:
    """ "week", "day" or None for a draft whose call closes at `closes_at`, at `now` in `zone`."""
    if now >= closes_at:
        return None
    left = days_left(closes_at, now, zone)
    if left <= DAYS_BEFORE[DAY]:
        return DAY
    if left <= DAYS_BEFORE[WEEK]:
        return WEEK
    return None


def _candidates(now: datetime) -> list[tuple[int, datetime]]:
    """Drafts in calls open now that close within 8 days (7 plus a day for the time zones)."""
    return list(
        db.session.execute(
            select(Proposal.id, Call.closes_at)
            .join(Call, Call.id == Proposal.call_id)
            .where(
                Proposal.state == ProposalState.DRAFT,
                Call.published_at.is_not(None),
                Call.opens_at <= now,
                Call.closes_at > now,
                Call.closes_at <= now + timedelta(days=DAYS_BEFORE[WEEK] + 1),
            )
            .order_by(Proposal.id)
        ).tuples()
    )


def _already_sent(proposal: Proposal, closes_at: datetime) -> set[tuple[int, str]]:
    return set(
        db.session.execute(
            select(DraftReminder.user_id, DraftReminder.kind).where(
                DraftReminder.proposal_id == proposal.id, DraftReminder.closes_at == closes_at
            )
        ).tuples()
    )


def _remind(proposal: Proposal, member: User, kind: str, now: datetime) -> None:
    call = proposal.call
    zone = zone_of(member)
    locale = member.locale or "en"
    deadline = "{} ({})".format(
        format_datetime(call.closes_at, "medium", tzinfo=zone, locale=locale),
        get_timezone_name(zone, locale=locale),
    )
    db.session.add(
        DraftReminder(
            proposal_id=proposal.id,
            user_id=member.id,
            kind=kind,
            closes_at=call.closes_at,
            sent_at=now,
        )
    )
    queue_email(
        member,
        "draft_reminder",
        dedupe_key=f"draft-reminder:{proposal.id}:{member.id}:{kind}:{call.closes_at.isoformat()}",
        title=proposal.title,
        call_title=call.title,
        deadline=deadline,
        days=DAYS_BEFORE[kind],
        url=public_url("proposals.edit", proposal_id=proposal.id),
    )


def send_draft_reminders(now: datetime) -> int:
    """Queue (and try to send) the draft reminders due at `now`; returns how many were queued."""
    queued = 0
    for proposal_id, closes_at in _candidates(now):
        proposal = db.session.scalars(
            select(Proposal)
            .where(Proposal.id == proposal_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        db.session.refresh(proposal.call)
        call = proposal.call
        if (
            proposal.state == ProposalState.DRAFT
            and call.is_open(now)
            and call.closes_at == closes_at  # a deadline moved meanwhile: the next run sees it
        ):
            sent = _already_sent(proposal, closes_at)
            for member in organisation_members(proposal.organisation_id):
                kind = reminder_kind(closes_at, now, zone_of(member))
                if kind is not None and (member.id, kind) not in sent:
                    _remind(proposal, member, kind, now)
                    queued += 1
        commit()  # one transaction per draft: releases its lock, then sends
    return queued
