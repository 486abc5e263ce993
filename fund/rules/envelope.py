"""What a call's budget envelope has left: the rule behind the award guard, the ranking's
running total and the chairs' confirmation step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select

from fund.extensions import db
from fund.models import Decision, DecisionOutcome, Proposal, ProposalState
from fund.reads import read

# built once (each ranking page and each award asks); the call's id is bound when it runs
_AWARDED_TOTAL = (
    select(func.coalesce(func.sum(Decision.amount), 0))
    .join(Proposal, Proposal.id == Decision.proposal_id)
    .where(
        Proposal.call_id == bindparam("call_id"),
        Proposal.state == ProposalState.AWARDED,
        Decision.outcome == DecisionOutcome.AWARD,
    )
)


def awarded_total(call_id: int) -> Decimal:
    """The money already awarded in the call.

    An award is recorded with the proposal's move to "awarded", a final state, so only the
    awarded proposals are looked at: the index of proposals by call and state finds them
    without walking every proposal of a big call for its decisions."""
    total = db.session.scalar(_AWARDED_TOTAL, {"call_id": call_id})
    return Decimal(total or 0)


class WithEnvelope(Protocol):
    """A call as a model or as a page's plain row (the ranking's): its id and envelope."""

    id: int
    budget_envelope: Any


def envelope_left(call: WithEnvelope) -> Decimal:
    """The call's envelope less the awards already made."""
    return Decimal(call.budget_envelope) - awarded_total(call.id)


def envelope_left_shown(call: WithEnvelope) -> Decimal:
    """`envelope_left` for a page that shows it, read without the ORM's handling of the
    statement (fund/reads.py): a page reads before it writes anything, so there is nothing to
    flush first. The award guard keeps `envelope_left`, which sees the awards of its own
    transaction not yet flushed."""
    total = read(_AWARDED_TOTAL, {"call_id": call.id}).scalar()
    return Decimal(call.budget_envelope) - Decimal(total or 0)
