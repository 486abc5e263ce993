"""The secretariat's reports inbox: reports submitted and awaiting review, overdue and due
soon, paged per section; the counts on the dashboard and the overdue reports of the weekly
digest. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import contains_eager

from fund.extensions import db
from fund.grants.queries import PER_PAGE
from fund.grants.status import DUE_SOON_DAYS
from fund.models import Call, Grant, GrantState, Organisation, ProgressReport, Proposal, ReportState
from fund.paging import RowsPage, clamp_page


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
    """The columns the inbox shows, no more: no report texts, proposals or calls loaded whole."""
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


def _inbox_conditions(today: date) -> dict[str, Any]:
    soon = today + timedelta(days=DUE_SOON_DAYS)
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
    page of each section, or page `page` of `section` alone. One query counts the three sections,
    one per section shown reads its rows. Reports of `hidden_organisation_ids` (those a chair has
    a conflict with) are left out of the rows and the counts."""
    conditions = _inbox_conditions(today)
    if hidden_organisation_ids:
        visible = Grant.organisation_id.not_in(hidden_organisation_ids)
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
    if call_id:
        counted = counted.join(Proposal, Proposal.id == Grant.proposal_id).where(
            Proposal.call_id == call_id
        )
    totals = dict(zip(conditions, (int(n) for n in db.session.execute(counted).one()), strict=True))
    keys = [section] if section in conditions else list(conditions)
    pages = {}
    for key in keys:
        number = clamp_page(page if key == section else 1, totals[key], PER_PAGE)
        rows = db.session.execute(
            _inbox_rows(call_id)
            .where(conditions[key])
            .order_by(*INBOX_ORDER[key])
            .limit(PER_PAGE)
            .offset((number - 1) * PER_PAGE)
        ).all()
        pages[key] = RowsPage(rows, number, PER_PAGE, totals[key])
    return pages


def overdue_reports(today: date) -> list[ProgressReport]:
    """For the weekly digest: every report still owed after its due date."""
    return list(
        db.session.scalars(
            _reports(None)
            .where(ProgressReport.state == ReportState.UPCOMING, ProgressReport.due_on < today)
            .order_by(ProgressReport.due_on, ProgressReport.id)
        )
    )


def _inbox_counts_statement():
    """The reports to read, overdue and due soon (`today` and `soon` bound when run)."""
    running = select(Grant.id).where(Grant.state.in_([GrantState.ACTIVE, GrantState.SUSPENDED]))
    upcoming = ProgressReport.state == ReportState.UPCOMING
    return select(
        func.sum(case((ProgressReport.state == ReportState.SUBMITTED, 1), else_=0)),
        func.sum(case((and_(upcoming, ProgressReport.due_on < bindparam("today")), 1), else_=0)),
        func.sum(
            case(
                (
                    and_(
                        upcoming,
                        ProgressReport.due_on >= bindparam("today"),
                        ProgressReport.due_on <= bindparam("soon"),
                    ),
                    1,
                ),
                else_=0,
            )
        ),
    ).where(ProgressReport.grant_id.in_(running))


# Built once per process: a statement reused keeps its cache key (the dashboard reads these on
# every view, and building them cost more than running them).
_INBOX_COUNTS = _inbox_counts_statement()
_PENDING_AGREEMENTS = (
    select(func.count()).select_from(Grant).where(Grant.state == GrantState.PENDING_AGREEMENT)
)


def inbox_counts(today: date) -> dict[str, int]:
    """The secretariat's dashboard: reports to read, overdue, due soon; grants to be signed."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    row = db.session.execute(_INBOX_COUNTS, {"today": today, "soon": soon}).one()
    pending = db.session.scalar(_PENDING_AGREEMENTS)
    return {
        "submitted": int(row[0] or 0),
        "overdue": int(row[1] or 0),
        "due_soon": int(row[2] or 0),
        "pending_agreement": int(pending or 0),
    }
