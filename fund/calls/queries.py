"""Reads for calls: which are open, the public list, the secretariat's list. Each is one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select

from fund.extensions import db
from fund.models import Call, Proposal
from fund.models.base import StrEnum

PAGE_SIZE = 50
RECENTLY_CLOSED = timedelta(days=180)  # how long a closed call stays on the public list


class CallStatus(StrEnum):
    """Where a call stands at a given moment (derived, never stored)."""

    DRAFT = "draft"  # not published
    UPCOMING = "upcoming"  # published, not open yet
    OPEN = "open"
    CLOSED = "closed"


def status(call: Call, now: datetime) -> CallStatus:
    """The call's status at `now`."""
    if call.published_at is None:
        return CallStatus.DRAFT
    if now < call.opens_at:
        return CallStatus.UPCOMING
    return CallStatus.OPEN if now < call.closes_at else CallStatus.CLOSED


def has_submissions(call: Call) -> bool:
    """Whether any proposal to the call has been submitted (even if withdrawn since)."""
    return bool(
        db.session.scalar(
            select(exists().where(Proposal.call_id == call.id, Proposal.submitted_at.is_not(None)))
        )
    )


def has_concept_submissions(call: Call) -> bool:
    """Whether any concept note to the (two-stage) call has been submitted."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Proposal.call_id == call.id, Proposal.concept_submitted_at.is_not(None)
                )
            )
        )
    )


def _published():
    return Call.published_at.is_not(None)


def open_calls(now: datetime) -> list[Call]:
    """Published calls accepting proposals at `now`, closing soonest first."""
    return list(
        db.session.scalars(
            select(Call)
            .where(_published(), Call.opens_at <= now, Call.closes_at > now)
            .order_by(Call.closes_at, Call.id)
        )
    )


@dataclass(frozen=True)
class PublicCalls:
    open: list[Call]
    upcoming: list[Call]
    closed: list[Call]


def public_calls(now: datetime) -> PublicCalls:
    """Published calls that are open, coming, or closed in the last few months."""
    calls = db.session.scalars(
        select(Call)
        .where(_published(), Call.closes_at > now - RECENTLY_CLOSED)
        .order_by(Call.closes_at, Call.id)
    ).all()
    by_status: dict[CallStatus, list[Call]] = {s: [] for s in CallStatus}
    for call in calls:
        by_status[status(call, now)].append(call)
    return PublicCalls(
        open=by_status[CallStatus.OPEN],
        upcoming=by_status[CallStatus.UPCOMING],
        closed=list(reversed(by_status[CallStatus.CLOSED])),  # most recently closed first
    )


def managed_calls(page: int = 1):
    """One page of every call, newest opening first."""
    query = select(Call).order_by(Call.opens_at.desc(), Call.id.desc())
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def submitted_counts(calls: list[Call]) -> dict[int, int]:
    """How many proposals have been submitted to each of `calls` (one grouped query)."""
    if not calls:
        return {}
    rows = db.session.execute(
        select(Proposal.call_id, func.count())
        .where(Proposal.call_id.in_([c.id for c in calls]), Proposal.submitted_at.is_not(None))
        .group_by(Proposal.call_id)
    )
    return {call_id: count for call_id, count in rows}


def copy_sources(call: Call | None) -> list[tuple[int, str]]:
    """(id, title) of every call but `call`, newest first: the "Copy from call" choices."""
    query = select(Call.id, Call.title).order_by(Call.created_at.desc(), Call.id.desc())
    if call is not None:
        query = query.where(Call.id != call.id)
    return [(row.id, row.title) for row in db.session.execute(query)]
