"""Reads for the grant pages, the grants list and the applicants' dashboard. Each list runs a
fixed number of queries whatever the number of rows. The reports inbox is in inbox.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from fund import like, permissions
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
from fund.reads import read

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


def _filter_kind(filters: dict[str, Any]) -> tuple[bool, bool, bool]:
    """Which filters are in use (call, state, text): what shapes the list's statements."""
    return bool(filters.get("call_id")), bool(filters.get("state")), bool(filters.get("q"))


def _filter_values(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters' values as `_filtered` binds them (the text as a LIKE pattern: a "%" or
    "_" typed is found as it is)."""
    values: dict[str, Any] = {}
    if filters.get("call_id"):
        values["call_id"] = filters["call_id"]
    if filters.get("state"):
        values["state"] = filters["state"]
    if filters.get("q"):
        values["q"] = like.containing(filters["q"].lower())
    return values


def _filtered(query, kind: tuple[bool, bool, bool], *, lean: bool = False):
    """`query` (on grants) filtered as `kind` says, the values bound (`_filter_values`), and
    sorted as the list shows it, joined to the organisation, proposal and call; `lean`: joined
    only to the tables the filters read (every grant has all three, so the rows are the same,
    and the narrow grants page skips two joins)."""
    by_call, by_state, by_text = kind
    if not lean or by_text:
        query = query.join(Organisation, Organisation.id == Grant.organisation_id)
    if not lean or by_call or by_text:
        query = query.join(Proposal, Proposal.id == Grant.proposal_id)
    if not lean:
        query = query.join(Call, Call.id == Proposal.call_id)
    if by_call:
        query = query.where(Proposal.call_id == bindparam("call_id", type_=Integer))
    if by_state:
        query = query.where(Grant.state == bindparam("state", type_=String))
    if by_text:
        pattern = bindparam("q", type_=String)
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape=like.ESCAPE),
                func.lower(Grant.reference).like(pattern, escape=like.ESCAPE),
                func.lower(Proposal.title).like(pattern, escape=like.ESCAPE),
            )
        )
    return query.order_by(Grant.created_at.desc(), Grant.id.desc())


@cache
def _filtered_grants(kind: tuple[bool, bool, bool]):
    return _filtered(
        select(Grant).options(
            contains_eager(Grant.organisation),
            contains_eager(Grant.proposal).contains_eager(Proposal.call),
        ),
        kind,
    )


@cache
def _page_statements(kind: tuple[bool, bool, bool]) -> tuple[Any, Any]:
    """The grants list's count and page for filters of `kind`, built once per process (the
    filters' values, `limit` and `offset` bound when they run). The page's 50 grants are
    chosen on the grants table alone and only they are joined to their organisation and
    call: whole grants, proposals and calls, or joins for every grant, cost several times as
    much to read."""
    counted = _filtered(select(func.count(Grant.id)).select_from(Grant), kind, lean=True)
    chosen = (
        _filtered(select(Grant.id).select_from(Grant), kind, lean=True)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    page = (
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
    )
    return counted.order_by(None), page


def grants_page(filters: dict[str, Any], page: int) -> RowsPage:
    """Page `page` of the grants list: the columns its rows show, no more (two queries: the
    count and the page)."""
    counted, paged = _page_statements(_filter_kind(filters))
    values = _filter_values(filters)
    total = read(counted, values).scalar()
    values.update(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    rows = read(paged, values).all()
    return RowsPage(rows, page, PER_PAGE, int(total or 0))


def all_grants(filters: dict[str, Any]) -> list[Grant]:
    statement = _filtered_grants(_filter_kind(filters))
    return list(db.session.scalars(statement, _filter_values(filters)).unique())


def grant_ids(filters: dict[str, Any], limit: int) -> list[int]:
    """The ids of the grants matching `filters`, in the list's order (at most `limit`)."""
    # the list's own query, so "all matching" is exactly what the list shows; its eager loads
    # name the joined tables, which the ids alone need only for the filters
    query = _filtered_grants(_filter_kind(filters)).with_only_columns(Grant.id)
    return list(db.session.scalars(query.limit(limit), _filter_values(filters)))


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


# grant_figures' statements, built once: the grants' ids and the day are bound when they run
_PAID = (
    select(Tranche.grant_id, func.coalesce(func.sum(Tranche.paid_amount), 0))
    .where(Tranche.grant_id.in_(bindparam("ids", expanding=True)))
    .group_by(Tranche.grant_id)
)
_REPORTS_DUE = (
    select(
        ProgressReport.grant_id,
        func.sum(case((ProgressReport.due_on < bindparam("today"), 1), else_=0)),
        func.min(ProgressReport.due_on),
    )
    .where(
        ProgressReport.grant_id.in_(bindparam("ids", expanding=True)),
        ProgressReport.state == ReportState.UPCOMING,
    )
    .group_by(ProgressReport.grant_id)
)


def grant_figures(grant_ids: list[int], today: date) -> dict[int, dict[str, Any]]:
    """Per grant: amount paid, reports overdue and the next report due (two column reads,
    without the ORM's handling of each execution: the grants list runs them on each view)."""
    figures = {gid: {"paid": Decimal(0), "overdue": 0, "next_due": None} for gid in grant_ids}
    if not grant_ids:
        return figures
    values = {"ids": grant_ids, "today": today}
    for grant_id, total in read(_PAID, values):
        figures[grant_id]["paid"] = Decimal(total)
    for grant_id, overdue, next_due in read(_REPORTS_DUE, values):
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


_CALLS_WITH_GRANTS = (  # built once
    select(Call.id, Call.title)
    .where(  # EXISTS per call: an IN list of proposals walks every proposal of every call
        select(Grant.id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(Proposal.call_id == Call.id)
        .exists()
    )
    .order_by(Call.opens_at.desc())
)


def calls_with_grants() -> list[Any]:
    """The id and title of each call with grants, newest first, for the lists' call filter
    (no whole calls: their JSON columns cost more to read than the filter shows)."""
    return list(db.session.execute(_CALLS_WITH_GRANTS))


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
