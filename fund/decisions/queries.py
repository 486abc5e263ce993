"""Reads for the chairs: the envelope left, approvals, reviews, history and letters.

The ranking itself is in fund/decisions/ranking.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, bindparam, func, select

from fund import permissions
from fund.extensions import db
from fund.models import (
    AuditEvent,
    Call,
    CallStateCount,
    Decision,
    DecisionApproval,
    Proposal,
    ProposalState,
    Review,
    User,
)
from fund.reads import read


class RankingCall(NamedTuple):
    """What the ranking shows and reads of its call, as a plain row: loading the call as an
    object (its long texts and forms, the ORM's bookkeeping) was work the page threw away."""

    id: int
    title: str
    currency: str
    budget_envelope: Decimal
    chair_approvals_needed: int
    disagreement_threshold: Decimal
    strategies: list[str]


_RANKING_CALL = select(
    Call.id,
    Call.title,
    Call.currency,
    Call.budget_envelope,
    Call.chair_approvals_needed,
    Call.disagreement_threshold,
    Call.strategies,
).where(Call.id == bindparam("call_id", type_=Integer), Call.published_at.is_not(None))


def ranking_call(call_id: int) -> RankingCall | None:
    """The published call `call_id` as its ranking reads it; None if there is no such call."""
    row = read(_RANKING_CALL, {"call_id": call_id}).first()
    return RankingCall._make(row) if row is not None else None


def pending_approvals(proposal_id: int) -> list[DecisionApproval]:
    """The chairs' approvals of an award still waiting for the quorum, oldest first."""
    return list(
        db.session.scalars(
            select(DecisionApproval)
            .where(
                DecisionApproval.proposal_id == proposal_id,
                DecisionApproval.decision_id.is_(None),
                DecisionApproval.cancelled_at.is_(None),
            )
            .order_by(DecisionApproval.approved_at, DecisionApproval.id)
        )
    )


# built once (each ranking page asks); the call's id is bound when it runs
_PENDING_COUNTS = (
    select(DecisionApproval.proposal_id, func.count(DecisionApproval.id))
    .join(Proposal, Proposal.id == DecisionApproval.proposal_id)
    .where(
        Proposal.call_id == bindparam("call_id"),
        DecisionApproval.decision_id.is_(None),
        DecisionApproval.cancelled_at.is_(None),
    )
    .group_by(DecisionApproval.proposal_id)
)


def pending_counts(call_id: int) -> dict[int, int]:
    """Pending approvals per proposal of the call (one query)."""
    return dict(read(_PENDING_COUNTS, {"call_id": call_id}).all())


# built once; the proposals' ids are bound when it runs
_PENDING_COUNTS_OF = (
    select(DecisionApproval.proposal_id, func.count(DecisionApproval.id))
    .where(
        DecisionApproval.proposal_id.in_(bindparam("ids", expanding=True)),
        DecisionApproval.decision_id.is_(None),
        DecisionApproval.cancelled_at.is_(None),
    )
    .group_by(DecisionApproval.proposal_id)
)


def pending_counts_of(proposal_ids: list[int]) -> dict[int, int]:
    """Pending approvals per proposal of `proposal_ids` (a page's, one query): the approvals
    themselves, without going through the call's proposals for theirs."""
    return dict(read(_PENDING_COUNTS_OF, {"ids": proposal_ids}).all())


def reviews_for_chairs(proposal: Proposal) -> list[Review]:
    """Every submitted review of the proposal, latest round first, scores loaded."""
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.proposal_id == proposal.id,
                Review.submitted_at.is_not(None),
                Review.removed_at.is_(None),
                Review.conflict_declared_at.is_(None),
            )
            .options(selectinload(Review.scores), selectinload(Review.reviewer))
            .order_by(Review.round.desc(), Review.id)
        )
    )


def history(proposal: Proposal) -> list[tuple[AuditEvent, str | None]]:
    """The proposal's state changes with the name of whoever made each, oldest first.

    Only changes of state: the other events of a proposal (assignments, conflicts declared)
    name reviewers, whom a call may hide from the chairs.
    """
    return list(
        db.session.execute(
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(
                AuditEvent.subject_type == "proposal",
                AuditEvent.subject_id == proposal.id,
                AuditEvent.to_state.is_not(None),
            )
            .order_by(AuditEvent.created_at, AuditEvent.id)
        ).tuples()
    )


def decisions_of(proposal: Proposal) -> list[Decision]:
    """The decisions on a proposal, oldest first."""
    return list(
        db.session.scalars(
            select(Decision).where(Decision.proposal_id == proposal.id).order_by(Decision.number)
        )
    )


def calls_with_counts() -> list[tuple[Call, int]]:
    """Every published call with the number of its proposals awaiting a decision (as counted
    at write time: fund/calls/figures.py)."""
    waiting = and_(
        CallStateCount.call_id == Call.id, CallStateCount.state == ProposalState.REVIEWED
    )
    return list(
        db.session.execute(
            select(Call, func.coalesce(CallStateCount.proposals, 0))
            .outerjoin(CallStateCount, waiting)
            .where(Call.published_at.is_not(None))
            .order_by(Call.closes_at.desc())
        ).tuples()
    )


def letters_for(user: Any) -> list[tuple[Decision, Proposal]]:
    """The decision letters sent to the organisations `user` belongs to, newest first."""
    organisation_ids = permissions.member_organisation_ids(user)
    if not organisation_ids:
        return []
    return list(
        db.session.execute(
            select(Decision, Proposal)
            .join(Proposal, Proposal.id == Decision.proposal_id)
            .where(
                Proposal.organisation_id.in_(organisation_ids),
                Decision.letter_subject != "",  # not decisions recorded without a letter
            )
            .order_by(Decision.decided_at.desc(), Decision.id.desc())
        ).tuples()
    )
