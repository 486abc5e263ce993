"""The secretariat's reports inbox: reports submitted and awaiting review, overdue and due
soon, paged per section; the counts on the dashboard and the overdue reports of the weekly
digest. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, and_, bindparam, case, func, select
from sqlalchemy.orm import contains_eager

from fund.extensions import db
from fund.grants.queries import PER_PAGE
from fund.grants.status import DUE_SOON_DAYS
from fund.models import Call, Grant, GrantState, Organisation, ProgressReport, Proposal, ReportState
from fund.paging import RowsPage, clamp_page
from fund.reads import read


def _reports(call_id: int | None):
    query = (
        select(ProgressReport)
        .join(ProgressReport.grant)
        .join(Grant.organisation)
        .join(Grant.proposal)
        .join(Proposal.call)
        .options(
            contains_eager(ProgressReport.grant).contains_eager(Grant.organisation),
            contains_eager(ProgressReport.grant)
            .contains_eager(Grant.proposal)
            .contains_eager(Proposal.call),
        )
        .where(Grant.state.in_([GrantState.ACTIVE, GrantState.SUSPENDED]))
    )
    if call_id:
        query = query.where(Proposal.call_id == call_id)
    return query


INBOX_SECTIONS = ("submitted", "overdue", "due_soon")


def _inbox_rows(call_id: int | None):
    """The columns the inbox shows, no more: no report texts, proposals or calls loaded whole
    (inbox_rows.written_rows reads them in this order)."""
    query = (
        select(
            ProgressReport.id,
            ProgressReport.kind,
            ProgressReport.due_on,
            ProgressReport.submitted_at,
            Grant.id.label("grant_id"),
            Grant.reference.label("grant_reference"),
            Organisation.name.label("organisation"),
            Call.title.label("call_title"),
        )
        .select_from(ProgressReport)
        .join(Grant, Grant.id == ProgressReport.grant_id)
        .join(Organisation, Organisation.id == Grant.organisation_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Call, Call.id == Proposal.call_id)
        .where(Grant.state.in_([GrantState.ACTIVE, GrantState.SUSPENDED]))
    )
    if call_id:
        query = query.where(Proposal.call_id == call_id)
    return query


def _inbox_conditions(today: Any, soon: Any) -> dict[str, Any]:
    """What puts a report in each section, `today` and `soon` (DUE_SOON_DAYS ahead) given as
    dates or as bound parameters."""
    return {
        "submitted": ProgressReport.state == ReportState.SUBMITTED,
        "overdue": and_(
            ProgressReport.state == ReportState.UPCOMING, ProgressReport.due_on < today
        ),
        "due_soon": and_(
            ProgressReport.state == ReportState.UPCOMING,
            ProgressReport.due_on >= today,
            ProgressReport.due_on <= soon,
        ),
    }


INBOX_ORDER = {
    "submitted": (ProgressReport.submitted_at, ProgressReport.id),
    "overdue": (ProgressReport.due_on, ProgressReport.id),
    "due_soon": (ProgressReport.due_on, ProgressReport.id),
}


def inbox(
    call_id: int | None,
    today: date,
    section: str | None = None,
    page: Any = 1,
    hidden_organisation_ids: frozenset[int] | set[int] = frozenset(),
) -> dict[str, RowsPage]:
    """Reports submitted and awaiting review, overdue, and due within DUE_SOON_DAYS: the first
    page of each section, or page `page` of `section` alone. One query counts the three
    sections, one per section shown reads its rows. Reports of `hidden_organisation_ids` (those
    a chair has a conflict with) are left out of the rows and the counts."""
    counted, listed = _inbox_statements(bool(call_id), bool(hidden_organisation_ids))
    values: dict[str, Any] = {"today": today, "soon": today + timedelta(days=DUE_SOON_DAYS)}
    if call_id:
        values["call_id"] = call_id
    if hidden_organisation_ids:
        values["hidden"] = sorted(hidden_organisation_ids)
    totals = dict(zip(listed, (int(n) for n in read(counted, values).one()), strict=True))
    keys = [section] if section in listed else list(listed)
    pages = {}
    for key in keys:
        number = clamp_page(page if key == section else 1, totals[key], PER_PAGE)
        rows = read(
            listed[key], {**values, "limit": PER_PAGE, "offset": (number - 1) * PER_PAGE}
        ).all()
        pages[key] = RowsPage(rows, number, PER_PAGE, totals[key])
    return pages


@cache
def _inbox_statements(by_call: bool, hiding: bool) -> tuple[Any, dict[str, Any]]:
    """The inbox's count statement and each section's rows statement, for one call or all,
    with some organisations hidden or none: built once, their values (the day, the call, the
    hidden organisations, the page) bound when they run. Building them anew on each request
    took longer than running them, and SQLAlchemy works a statement's cache key out once."""
    today = bindparam("today", type_=Date)
    conditions = _inbox_conditions(today, bindparam("soon", type_=Date))
    if hiding:
        visible = Grant.organisation_id.not_in(bindparam("hidden", expanding=True))
        conditions = {key: and_(condition, visible) for key, condition in conditions.items()}
    counted = (
        select(
            *[
                func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
                for condition in conditions.values()
            ]
        )
        .select_from(ProgressReport)
        .join(Grant, Grant.id == ProgressReport.grant_id)
        .where(Grant.state.in_([GrantState.ACTIVE, GrantState.SUSPENDED]))
    )
    rows = _inbox_rows(None)
    if by_call:
        call = bindparam("call_id", type_=Integer)
        counted = counted.join(Proposal, Proposal.id == Grant.proposal_id).where(
            Proposal.call_id == call
        )
        rows = rows.where(Proposal.call_id == call)
    listed = {
        key: rows.where(condition)
        .order_by(*INBOX_ORDER[key])
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        for key, condition in conditions.items()
    }
    return counted, listed


def overdue_reports(today: date) -> list[ProgressReport]:
    """For the weekly digest: every report still owed after its due date."""
    return list(
        db.session.scalars(
            _reports(None)
            .where(ProgressReport.state == ReportState.UPCOMING, ProgressReport.due_on < today)
            .order_by(ProgressReport.due_on, ProgressReport.id)
        )
    )


# Built once per process: a statement reused keeps its cache key (the dashboard reads it on
# every view, and building it cost more than running it).
_PENDING_AGREEMENTS = (
    select(func.count()).select_from(Grant).where(Grant.state == GrantState.PENDING_AGREEMENT)
)


def inbox_counts(today: date) -> dict[str, int]:
    """The secretariat's dashboard: reports to read, overdue, due soon; grants to be signed."""
    counted, _ = _inbox_statements(False, False)  # the inbox's own count, all calls
    soon = today + timedelta(days=DUE_SOON_DAYS)
    submitted, overdue, due_soon = read(counted, {"today": today, "soon": soon}).one()
    pending = read(_PENDING_AGREEMENTS).scalar()
    return {
        "submitted": int(submitted),
        "overdue": int(overdue),
        "due_soon": int(due_soon),
        "pending_agreement": int(pending or 0),
    }
