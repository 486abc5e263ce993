"""Reads for the grant pages, the grants list, the reports inbox and the dashboards. Each list
runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from fund import permissions
from fund.extensions import db
from fund.grants.status import DUE_SOON_DAYS
from fund.models import (
    AuditEvent,
    Call,
    Grant,
    GrantState,
    Organisation,
    ProgressReport,
    Proposal,
    ReportReach,
    ReportState,
    Tranche,
)
from fund.paging import RowsPage, clamp_page

PER_PAGE = 50


def get_grant(grant_id: int) -> Grant | None:
    return db.session.scalar(
        select(Grant)
        .where(Grant.id == grant_id)
        .options(
            joinedload(Grant.organisation),
            joinedload(Grant.proposal).joinedload(Proposal.call),
            selectinload(Grant.tranches).joinedload(Tranche.report),
            selectinload(Grant.reports),
        )
    )


def get_report(report_id: int) -> ProgressReport | None:
    return db.session.scalar(
        select(ProgressReport)
        .where(ProgressReport.id == report_id)
        .options(
            joinedload(ProgressReport.grant).joinedload(Grant.organisation),
            joinedload(ProgressReport.grant).joinedload(Grant.proposal).joinedload(Proposal.call),
            selectinload(ProgressReport.reach),
            selectinload(ProgressReport.spending),
            selectinload(ProgressReport.attachments),
        )
    )


def grants_of(user: Any) -> list[Grant]:
    """The grants of the organisations `user` belongs to, newest first, with their reports."""
    ids = permissions.member_organisation_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Grant)
            .where(Grant.organisation_id.in_(ids))
            .options(
                joinedload(Grant.organisation),
                joinedload(Grant.proposal),
                selectinload(Grant.reports),
            )
            .order_by(Grant.created_at.desc(), Grant.id.desc())
        )
    )


def history(grant: Grant) -> list[AuditEvent]:
    """Everything that happened to the grant and its reports, oldest first."""
    report_ids = [r.id for r in grant.reports]
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    and_(AuditEvent.subject_type == "grant", AuditEvent.subject_id == grant.id),
                    and_(
                        AuditEvent.subject_type == "report",
                        AuditEvent.subject_id.in_(report_ids or [-1]),
                    ),
                )
            )
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


def report_history(report: ProgressReport) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "report", AuditEvent.subject_id == report.id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


# --- the secretariat's grants list -------------------------------------------------------------


def _filtered_grants(filters: dict[str, Any]):
    query = (
        select(Grant)
        .join(Grant.organisation)
        .join(Grant.proposal)
        .join(Proposal.call)
        .options(
            contains_eager(Grant.organisation),
            contains_eager(Grant.proposal).contains_eager(Proposal.call),
        )
    )
    if filters.get("call_id"):
        query = query.where(Proposal.call_id == filters["call_id"])
    if filters.get("state"):
        query = query.where(Grant.state == filters["state"])
    if filters.get("q"):
        pattern = f"%{filters['q'].lower()}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern),
                func.lower(Grant.reference).like(pattern),
                func.lower(Proposal.title).like(pattern),
            )
        )
    return query.order_by(Grant.created_at.desc(), Grant.id.desc())


def grants_page(filters: dict[str, Any], page: int):
    return db.paginate(_filtered_grants(filters), page=page, per_page=PER_PAGE, error_out=False)


def all_grants(filters: dict[str, Any]) -> list[Grant]:
    return list(db.session.scalars(_filtered_grants(filters)).unique())


def grant_figures(grant_ids: list[int], today: date) -> dict[int, dict[str, Any]]:
    """Per grant: amount paid, reports overdue and the next report due (two queries)."""
    figures = {gid: {"paid": Decimal(0), "overdue": 0, "next_due": None} for gid in grant_ids}
    if not grant_ids:
        return figures
    paid = db.session.execute(
        select(Tranche.grant_id, func.coalesce(func.sum(Tranche.paid_amount), 0))
        .where(Tranche.grant_id.in_(grant_ids))
        .group_by(Tranche.grant_id)
    )
    for grant_id, total in paid:
        figures[grant_id]["paid"] = Decimal(total)
    reports = db.session.execute(
        select(
            ProgressReport.grant_id,
            func.sum(case((ProgressReport.due_on < today, 1), else_=0)),
            func.min(ProgressReport.due_on),
        )
        .where(ProgressReport.grant_id.in_(grant_ids), ProgressReport.state == ReportState.UPCOMING)
        .group_by(ProgressReport.grant_id)
    )
    for grant_id, overdue, next_due in reports:
        figures[grant_id]["overdue"] = int(overdue or 0)
        figures[grant_id]["next_due"] = next_due
    return figures


def reach_totals(grant_ids: list[int]) -> dict[int, dict[str, int]]:
    """People reached per grant and sex, summed over its accepted reports (one query)."""
    totals: dict[int, dict[str, int]] = {gid: {} for gid in grant_ids}
    if not grant_ids:
        return totals
    rows = db.session.execute(
        select(ProgressReport.grant_id, ReportReach.sex, func.sum(ReportReach.count))
        .join(ReportReach, ReportReach.report_id == ProgressReport.id)
        .where(ProgressReport.grant_id.in_(grant_ids), ProgressReport.state == ReportState.ACCEPTED)
        .group_by(ProgressReport.grant_id, ReportReach.sex)
    )
    for grant_id, sex, total in rows:
        totals[grant_id][sex] = int(total or 0)
    return totals


def calls_with_grants() -> list[Call]:
    return list(
        db.session.scalars(
            select(Call)
            .where(
                Call.id.in_(select(Proposal.call_id).join(Grant, Grant.proposal_id == Proposal.id))
            )
            .order_by(Call.opens_at.desc())
        )
    )


# --- the reports inbox -------------------------------------------------------------------------


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
    call_id: int | None, today: date, section: str | None = None, page: Any = 1
) -> dict[str, RowsPage]:
    """Reports submitted and awaiting review, overdue, and due within DUE_SOON_DAYS: the first
    page of each section, or page `page` of `section` alone. One query counts the three sections,
    one per section shown reads its rows."""
    conditions = _inbox_conditions(today)
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


def inbox_counts(today: date) -> dict[str, int]:
    """The secretariat's dashboard: reports to read, overdue, due soon; grants to be signed."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    running = select(Grant.id).where(Grant.state.in_([GrantState.ACTIVE, GrantState.SUSPENDED]))
    row = db.session.execute(
        select(
            func.sum(case((ProgressReport.state == ReportState.SUBMITTED, 1), else_=0)),
            func.sum(
                case(
                    (
                        and_(
                            ProgressReport.state == ReportState.UPCOMING,
                            ProgressReport.due_on < today,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
            func.sum(
                case(
                    (
                        and_(
                            ProgressReport.state == ReportState.UPCOMING,
                            ProgressReport.due_on >= today,
                            ProgressReport.due_on <= soon,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        ).where(ProgressReport.grant_id.in_(running))
    ).one()
    pending = db.session.scalar(
        select(func.count()).select_from(Grant).where(Grant.state == GrantState.PENDING_AGREEMENT)
    )
    return {
        "submitted": int(row[0] or 0),
        "overdue": int(row[1] or 0),
        "due_soon": int(row[2] or 0),
        "pending_agreement": int(pending or 0),
    }
