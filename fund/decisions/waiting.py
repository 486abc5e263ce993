"""The chairs' dashboard: what waits for their decision, and the awards waiting for their
approval to reach a call's quorum. Proposals of organisations the chair has a conflict with are
left out of both, as the ranking leaves them out. Two queries, whatever the number of rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fund import permissions
from fund.extensions import db
from fund.models import Call, DecisionApproval, Organisation, Proposal, ProposalState


def reviewed_per_call(chair: Any) -> list[tuple[Call, int]]:
    """Calls with reviewed proposals waiting for a decision, and how many (one query; the
    count reads only the index of proposals by call and state)."""
    hidden = permissions.conflicted_organisation_ids(chair)
    counted = select(Proposal.call_id, func.count().label("n")).where(
        Proposal.state == ProposalState.REVIEWED
    )
    if hidden:
        counted = counted.where(Proposal.organisation_id.not_in(hidden))
    waiting = counted.group_by(Proposal.call_id).subquery()
    return list(
        db.session.execute(
            select(Call, waiting.c.n)
            .join(waiting, waiting.c.call_id == Call.id)
            .order_by(Call.closes_at.desc(), Call.id.desc())
        ).tuples()
    )


def awaiting_approval(chair: Any) -> list[Any]:
    """Awards other chairs have approved that still need more approvals, and that this chair
    has not approved yet: proposal, organisation, call, approvals so far and needed."""
    pending = (DecisionApproval.decision_id.is_(None)) & (DecisionApproval.cancelled_at.is_(None))
    mine = select(DecisionApproval.proposal_id).where(
        pending, DecisionApproval.chair_id == chair.id
    )
    query = (
        select(
            Proposal.id,
            Proposal.reference,
            Proposal.title,
            Organisation.name.label("organisation"),
            Call.title.label("call_title"),
            Call.chair_approvals_needed.label("needed"),
            func.count(DecisionApproval.id).label("approvals"),
        )
        .join(DecisionApproval, DecisionApproval.proposal_id == Proposal.id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .join(Call, Call.id == Proposal.call_id)
        .where(
            pending,
            Proposal.state == ProposalState.REVIEWED,
            Proposal.id.not_in(mine),
        )
        .group_by(
            Proposal.id,
            Proposal.reference,
            Proposal.title,
            Organisation.name,
            Call.title,
            Call.chair_approvals_needed,
        )
        .order_by(func.min(DecisionApproval.approved_at), Proposal.id)
    )
    hidden = permissions.conflicted_organisation_ids(chair)
    if hidden:
        query = query.where(Proposal.organisation_id.not_in(hidden))
    return list(db.session.execute(query))
