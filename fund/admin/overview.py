"""The secretariat's overview: where every open or recent call stands, reviews late or due,
payments due and money per call. Each part is one or two queries, whatever the number of calls,
proposals and reviewers; the rows behind each number are on pages that take the same filters
(the counts and the lists below share their conditions, so they cannot disagree)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, bindparam, func, or_, select

from fund.extensions import db
from fund.grants import inbox as grant_inbox
from fund.models import (
    Call,
    CallMoney,
    CallStateCount,
    Grant,
    GrantState,
    Organisation,
    Payment,
    PaymentState,
    ProgressReport,
    Proposal,
    ProposalState,
    ReportState,
    Tranche,
)
from fund.paging import PER_PAGE, RowsPage, clamp_page
from fund.reads import read

RECENT_DAYS = 365  # a call closed within this many days is still "recent"

# The states a proposal waits in for someone at the fund: a call with any of them stays on the
# overview however long ago it closed.
UNDECIDED = (
    ProposalState.SUBMITTED,
    ProposalState.INFORMATION_REQUESTED,
    ProposalState.IN_REVIEW,
    ProposalState.REVIEWED,
    ProposalState.CONCEPT_SUBMITTED,
)
# The rows of each call's table, in the order a proposal moves through them. Drafts are counted
# but never listed: a draft is its organisation's alone until it is sent (fund/permissions/).
FULL_STATES = (
    ProposalState.DRAFT,
    ProposalState.SUBMITTED,
    ProposalState.INFORMATION_REQUESTED,
    ProposalState.IN_REVIEW,
    ProposalState.REVIEWED,
    ProposalState.REVISION_REQUESTED,
    ProposalState.AWARDED,
    ProposalState.DECLINED,
    ProposalState.INELIGIBLE,
    ProposalState.WITHDRAWN,
)
CONCEPT_STATES = (
    ProposalState.CONCEPT_DRAFT,
    ProposalState.CONCEPT_SUBMITTED,
    ProposalState.INVITED,
    ProposalState.CONCEPT_DECLINED,
)
# The concept-notes page's filter (fund/reviews/concepts.py FILTERS) that lists each state.
CONCEPT_FILTER = {
    ProposalState.CONCEPT_SUBMITTED: "waiting",
    ProposalState.INVITED: "invited",
    ProposalState.CONCEPT_DECLINED: "declined",
}
UNLISTED = frozenset({ProposalState.DRAFT, ProposalState.CONCEPT_DRAFT})


@dataclass
class CallFigures:
    """One call's line of the overview: proposals per state and its money."""

    call: Any  # the call's columns the overview shows (id, title, dates, money, two_stage)
    counts: dict[str, int] = field(default_factory=dict)
    awarded: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)

    @property
    def outstanding(self) -> Decimal:
        """Awarded and not paid yet."""
        return self.awarded - self.paid

    @property
    def states(self) -> tuple[ProposalState, ...]:
        """The states the call's table shows: the concept stage first in a two-stage call."""
        return (CONCEPT_STATES + FULL_STATES) if self.call.two_stage else FULL_STATES

    @property
    def rows(self) -> list[tuple[ProposalState, int]]:
        """Each row of the call's table: a state and its number of proposals."""
        counts = self.counts
        return [(state, counts.get(state.value, 0)) for state in self.states]


def _is_shown(call: Any, counts: dict[str, int], now: datetime) -> bool:
    """Open, closed within RECENT_DAYS, or with proposals still waiting for the fund."""
    if call.closes_at >= now - timedelta(days=RECENT_DAYS):
        return True
    return any(counts.get(state.value) for state in UNDECIDED)


# The overview's statements are built once per process, their dates and ids bound parameters:
# SQLAlchemy then keeps each one's cache key and compiled form, where a statement built on every
# request is coerced and keyed anew each time (about a third of the page's Python time).
_PUBLISHED = (
    select(
        Call.id,
        Call.title,
        Call.closes_at,
        Call.two_stage,
        Call.currency,
        Call.budget_envelope,
    )
    .where(Call.published_at.is_not(None), Call.opens_at <= bindparam("now"))
    .order_by(Call.closes_at.desc(), Call.id.desc())
)
# Each call's proposals per state and its money, counted at write time (fund/calls/figures.py):
# a few rows per call, where counting a big call's proposals on each view walked thousands.
_STATE_COUNTS = select(
    CallStateCount.call_id, CallStateCount.state, CallStateCount.proposals
).where(CallStateCount.call_id.in_(bindparam("call_ids", expanding=True)))
_MONEY = select(CallMoney.call_id, CallMoney.awarded, CallMoney.paid).where(
    CallMoney.call_id.in_(bindparam("call_ids", expanding=True))
)


def calls(now: datetime) -> list[CallFigures]:
    """The published calls the overview shows, newest deadline first (three queries). Only
    the columns shown are read: a whole call brings its forms and texts, ten times as long."""
    published = read(_PUBLISHED, {"now": now}).all()
    counts: dict[int, dict[str, int]] = {call.id: {} for call in published}
    for call_id, state, n in read(_STATE_COUNTS, {"call_ids": list(counts)}):
        counts[call_id][state] = n
    shown = [
        CallFigures(call, counts[call.id])
        for call in published
        if _is_shown(call, counts[call.id], now)
    ]
    money = _money([figures.call.id for figures in shown])
    for figures in shown:
        figures.awarded, figures.paid = money.get(figures.call.id, (Decimal(0), Decimal(0)))
    return shown


def _money(call_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per call: the amounts of its grants not cancelled, and what was paid on them."""
    if not call_ids:
        return {}
    rows = read(_MONEY, {"call_ids": call_ids})
    return {call_id: (Decimal(awarded), Decimal(paid)) for call_id, awarded, paid in rows}


# --- grants: agreements, reports, payments ----------------------------------------------------


def _tranches_due(today: Any):
    """Unpaid tranches whose condition is met and whose date has come: status "due" of
    fund/grants/status.py tranche_status, worked out in SQL."""
    return (
        select(Tranche)
        .join(Grant, Grant.id == Tranche.grant_id)
        .outerjoin(ProgressReport, ProgressReport.id == Tranche.report_id)
        .where(
            Tranche.paid_on.is_(None),
            # a payment recorded and awaiting approval is no longer due from the recorder
            ~select(Payment.id)
            .where(
                Payment.tranche_id == Tranche.id,
                Payment.state == PaymentState.AWAITING_APPROVAL,
            )
            .exists(),
            Grant.state != GrantState.CANCELLED,
            or_(Grant.accepted_at.is_not(None), Grant.state != GrantState.PENDING_AGREEMENT),
            or_(
                Tranche.condition == "signature",
                Tranche.report_id.is_(None),
                ProgressReport.state == ReportState.ACCEPTED,
            ),
            or_(Tranche.due_on.is_(None), Tranche.due_on <= today),
        )
    )


_TRANCHES_DUE_COUNT = (
    _tranches_due(bindparam("today")).with_only_columns(func.count(Tranche.id)).order_by(None)
)


def grants(today: date) -> dict[str, int]:
    """Agreements not yet accepted, reports to read, overdue and due soon (the reports inbox's
    counts), and tranches due for payment (three queries)."""
    counts = grant_inbox.inbox_counts(today)
    counts["tranches_due"] = int(read(_TRANCHES_DUE_COUNT, {"today": today}).scalar() or 0)
    return counts


def _tranche_rows_statements():
    """The count and the page of `tranche_rows` (`today`, `limit` and `offset` bound)."""
    base = _tranches_due(bindparam("today"))
    rows = (
        base.with_only_columns(
            Tranche.id,
            Tranche.position,
            Tranche.amount,
            Tranche.due_on,
            Tranche.condition,
            Grant.id.label("grant_id"),
            Grant.reference.label("grant_reference"),
            Grant.currency,
            Organisation.name.label("organisation"),
            Call.title.label("call_title"),
        )
        .join(Organisation, Organisation.id == Grant.organisation_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Call, Call.id == Proposal.call_id)
        .order_by(Tranche.due_on, Grant.id, Tranche.position)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return _TRANCHES_DUE_COUNT, rows


_TRANCHE_ROWS = _tranche_rows_statements()


def tranche_rows(today: date, page: Any) -> RowsPage:
    """The tranches due for payment, oldest due first (two queries)."""
    count_statement, rows_statement = _TRANCHE_ROWS
    total = db.session.scalar(count_statement, {"today": today})
    number = clamp_page(page, total, PER_PAGE)
    values = {"today": today, "limit": PER_PAGE, "offset": (number - 1) * PER_PAGE}
    rows = db.session.execute(rows_statement, values).all()
    return RowsPage(rows, number, PER_PAGE, total)
