"""Reads for the grant pages, the grants list and the applicants' dashboard. Each list runs a
fixed number of queries whatever the number of rows. The reports inbox is in inbox.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from fund import permissions
from fund.extensions import db
from fund.models import (
    AuditEvent,
    Call,
    Grant,
    Organisation,
    ProgressReport,
    Proposal,
    ReportReach,
    ReportState,
    Tranche,
)
from fund.paging import RowsPage

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


def _filtered(query, filters: dict[str, Any], *, lean: bool = False):
    """`query` (on grants) filtered and sorted as the list shows it, joined to the organisation,
    proposal and call; `lean`: joined only to the tables the filters read (every grant has
    all three, so the rows are the same, and the narrow grants page skips two joins)."""
    if not lean or filters.get("q"):
        query = query.join(Organisation, Organisation.id == Grant.organisation_id)
    if not lean or filters.get("call_id") or filters.get("q"):
        query = query.join(Proposal, Proposal.id == Grant.proposal_id)
    if not lean:
        query = query.join(Call, Call.id == Proposal.call_id)
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


def _filtered_grants(filters: dict[str, Any]):
    return _filtered(
        select(Grant).options(
            contains_eager(Grant.organisation),
            contains_eager(Grant.proposal).contains_eager(Proposal.call),
        ),
        filters,
    )


def grants_page(filters: dict[str, Any], page: int) -> RowsPage:
    """Page `page` of the grants list: the columns its rows show, no more (two queries: the
    count and the page). The page's 50 grants are chosen on the grants table alone and only
    they are joined to their organisation and call: whole grants, proposals and calls, or
    joins for every grant, cost several times as much to read."""
    total = db.session.scalar(
        _filtered(select(func.count(Grant.id)).select_from(Grant), filters, lean=True).order_by(
            None
        )
    )
    chosen = (
        _filtered(select(Grant.id).select_from(Grant), filters, lean=True)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    rows = db.session.execute(
        select(
            Grant.id,
            Grant.reference,
            Grant.amount,
            Grant.currency,
            Grant.state,
            Organisation.name.label("organisation"),
            Call.title.label("call_title"),
        )
        .join(Organisation, Organisation.id == Grant.organisation_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Call, Call.id == Proposal.call_id)
        .where(Grant.id.in_(chosen.scalar_subquery()))
        .order_by(Grant.created_at.desc(), Grant.id.desc())
    ).all()
    return RowsPage(rows, page, PER_PAGE, int(total or 0))


def all_grants(filters: dict[str, Any]) -> list[Grant]:
    return list(db.session.scalars(_filtered_grants(filters)).unique())


def grant_ids(filters: dict[str, Any], limit: int) -> list[int]:
    """The ids of the grants matching `filters`, in the list's order (at most `limit`)."""
    # the list's own query, so "all matching" is exactly what the list shows; its eager loads
    # name the joined tables, which the ids alone need only for the filters
    query = _filtered_grants(filters).with_only_columns(Grant.id)
    return list(db.session.scalars(query.limit(limit)))


def grants_with_reports(ids: list[int]) -> list[Grant]:
    """The grants `ids` with their organisation and reports, read as committed now (two
    queries, whatever the number of grants)."""
    return list(
        db.session.scalars(
            select(Grant)
            .options(joinedload(Grant.organisation), selectinload(Grant.reports))
            .where(Grant.id.in_(ids))
            .execution_options(populate_existing=True)
        ).unique()
    )


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


def calls_with_grants() -> list[Any]:
    """The id and title of each call with grants, newest first, for the lists' call filter
    (no whole calls: their JSON columns cost more to read than the filter shows)."""
    return list(
        db.session.execute(
            select(Call.id, Call.title)
            .where(  # EXISTS per call: an IN list of proposals walks every proposal of every call
                select(Grant.id)
                .join(Proposal, Proposal.id == Grant.proposal_id)
                .where(Proposal.call_id == Call.id)
                .exists()
            )
            .order_by(Call.opens_at.desc())
        )
    )


def submitted_reports(call_id: int, hidden_organisation_ids: set[int]) -> list[ProgressReport]:
    """The reports of a call's grants submitted at least once, by grant then due date, with
    their grant, organisation and reach (three queries whatever their number)."""
    query = (
        select(ProgressReport)
        .join(Grant, Grant.id == ProgressReport.grant_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(Proposal.call_id == call_id, ProgressReport.submitted_at.is_not(None))
        .options(
            contains_eager(ProgressReport.grant).joinedload(Grant.organisation),
            selectinload(ProgressReport.reach),
        )
        .order_by(Grant.reference, Grant.id, ProgressReport.due_on, ProgressReport.id)
    )
    if hidden_organisation_ids:
        query = query.where(Grant.organisation_id.not_in(hidden_organisation_ids))
    return list(db.session.scalars(query).unique())
