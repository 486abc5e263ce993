"""The chairs' dashboard: what waits for their decision, and the awards waiting for their
approval to reach a call's quorum. Proposals of organisations the chair has a conflict with are
left out of both, as the ranking leaves them out. Two queries, whatever the number of rows."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select

from fund import permissions
from fund.models import (
    Call,
    CallStateCount,
    DecisionApproval,
    Organisation,
    Proposal,
    ProposalState,
)
from fund.reads import read


def _hidden_condition(column: Any) -> Any:
    """`column` not among the organisations bound as `hidden` (a list, expanded when run)."""
    return column.not_in(bindparam("hidden", expanding=True))


@cache
def _reviewed_per_call_statement(hiding: bool):
    """See `reviewed_per_call`; built once per process for each of `hiding` some
    organisations or none, the chair's own values bound when it runs."""
    stored = select(CallStateCount.proposals).where(
        CallStateCount.call_id == Call.id, CallStateCount.state == ProposalState.REVIEWED
    )
    n = func.coalesce(stored.scalar_subquery(), 0)
    if hiding:  # less the chair's conflicted organisations' own, found on the index by call,
        # state and organisation
        conflicted = select(func.count()).where(
            Proposal.call_id == Call.id,
            Proposal.state == ProposalState.REVIEWED,
            Proposal.organisation_id.in_(bindparam("hidden", expanding=True)),
        )
        n = n - conflicted.scalar_subquery()
    # Every call, those with none waiting left out by the caller: SQLite flattens a subquery,
    # so `WHERE n > 0` worked each call's count out a second time.
    return select(Call.id, Call.title, n.label("n")).order_by(Call.closes_at.desc(), Call.id.desc())


def reviewed_per_call(chair: Any) -> list[tuple[Any, int]]:
    """Calls with reviewed proposals waiting for a decision (their id and title), and how many
    (one query). Each call's reviewed proposals are counted at write time
    (fund/calls/figures.py); those of the organisations the chair has a conflict with are
    counted here and taken off."""
    hidden = sorted(permissions.conflicted_organisation_ids(chair))
    statement = _reviewed_per_call_statement(bool(hidden))
    rows = read(statement, {"hidden": hidden} if hidden else {})
    return [(row, row.n) for row in rows if row.n]


@cache
def _awaiting_approval_statement(hiding: bool):
    """See `awaiting_approval`; built once per process for each of `hiding` some organisations
    or none, the chair's id (`chair_id`) and conflicts (`hidden`) bound when it runs."""
    pending = (DecisionApproval.decision_id.is_(None)) & (DecisionApproval.cancelled_at.is_(None))
    mine = select(DecisionApproval.proposal_id).where(
        pending, DecisionApproval.chair_id == bindparam("chair_id")
    )
    approvals = (
        select(
            DecisionApproval.proposal_id,
            func.count(DecisionApproval.id).label("approvals"),
            func.min(DecisionApproval.approved_at).label("first"),
        )
        .where(pending)
        .group_by(DecisionApproval.proposal_id)
        .subquery()
    )
    query = (
        # decisions/_chair_dashboard.html unpacks each row in this order
        select(
            Proposal.id,
            Proposal.reference,
            Proposal.title,
            Organisation.name.label("organisation"),
            Call.title.label("call_title"),
            Call.chair_approvals_needed.label("needed"),
            approvals.c.approvals,
        )
        .select_from(approvals)
        .join(Proposal, Proposal.id == approvals.c.proposal_id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .join(Call, Call.id == Proposal.call_id)
        .where(Proposal.state == ProposalState.REVIEWED, approvals.c.proposal_id.not_in(mine))
        .order_by(approvals.c.first, Proposal.id)
    )
    if hiding:
        query = query.where(_hidden_condition(Proposal.organisation_id))
    return query


def awaiting_approval(chair: Any) -> list[Any]:
    """Awards other chairs have approved that still need more approvals, and that this chair
    has not approved yet: proposal, organisation, call, approvals so far and needed.

    The pending approvals are grouped first (a few dozen rows) and only their proposals read:
    starting from every reviewed proposal takes 15x as long on the bench."""
    hidden = sorted(permissions.conflicted_organisation_ids(chair))
    values: dict[str, Any] = {"chair_id": chair.id}
    if hidden:
        values["hidden"] = hidden
    return list(read(_awaiting_approval_statement(bool(hidden)), values))
