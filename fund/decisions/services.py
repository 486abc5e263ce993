"""Writes for the chairs: approvals of an award, decisions, letters and the grant on award.

Every entry point locks the call first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite a write
to the call row takes the database's single write lock), so awards in one call are decided one
at a time: the envelope left and the approvals counted are never stale. Services flush; the
view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from fund import workflow
from fund.decisions import letters, queries
from fund.extensions import db
from fund.grants.creation import create_grant
from fund.i18n import lazy_gettext as _l
from fund.models import (
    Call,
    Decision,
    DecisionApproval,
    DecisionOutcome,
    Grant,
    Proposal,
    ProposalState,
)
from fund.notifications import organisation_members
from fund.opendata.services import set_publishing


@dataclass
class AwardResult:
    """What "Award" did: recorded an approval still short of the quorum, or made the award."""

    approvals: int
    needed: int
    decision: Decision | None = None
    grant: Grant | None = None


def lock_call(call_id: int) -> Call:
    """Serialise the decisions of one call until the transaction ends, and re-read the call."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE; a no-op write takes the write lock, and reads after it see
        # everything committed before.
        db.session.execute(
            update(Call)
            .where(Call.id == call_id)
            .values(id=Call.id)
            .execution_options(synchronize_session=False)
        )
    return db.session.scalars(
        select(Call)
        .where(Call.id == call_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _reload(proposal: Proposal) -> None:
    """The proposal's state as committed now that the call is locked (another chair's decision
    may have landed while this request waited)."""
    db.session.refresh(proposal, ["state", "amount_requested"])


def _refuse_if_not_decidable(
    proposal: Proposal, action: str, chair: Any, amount: Decimal | None = None, reasons: str = ""
) -> None:
    extra = {"amount": amount} if amount is not None else {}
    refused = workflow.refusal(
        proposal, action, chair, workflow.TransitionData(comment=reasons, extra=extra)
    )
    if refused is not None:
        raise refused


def _next_number(proposal: Proposal) -> int:
    return (
        db.session.scalar(
            select(func.max(Decision.number)).where(Decision.proposal_id == proposal.id)
        )
        or 0
    ) + 1


def _record(
    proposal: Proposal,
    chair: Any,
    outcome: DecisionOutcome,
    amount: Decimal | None,
    reasons: str,
    now: datetime,
) -> Decision:
    members = organisation_members(proposal.organisation_id)
    locale = letters.letter_language(proposal, members)
    subject, text = letters.compose(proposal, outcome, amount, reasons, locale)
    decision = Decision(
        proposal_id=proposal.id,
        number=_next_number(proposal),
        outcome=outcome,
        amount=amount,
        currency=proposal.call.currency,
        reasons=reasons.strip(),
        letter_subject=subject,
        letter_text=text,
        decided_by_id=chair.id,
        decided_at=now,
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def approved_already(
    pending: list[DecisionApproval], chair: Any, amount: Decimal
) -> workflow.TransitionRefused | None:
    """The refusal (409) when `chair` has already approved this award of `amount`."""
    if any(a.chair_id == chair.id and a.amount == amount for a in pending):
        return workflow.TransitionRefused(
            str(_l("You have already approved this award; another chair must approve it too.")),
            409,
        )
    return None


def award(
    proposal: Proposal,
    chair: Any,
    amount: Decimal,
    reasons: str,
    now: datetime,
    unpublished_reason: str = "",
) -> AwardResult:
    """Record `chair`'s approval of an award of `amount`; with the call's quorum reached, make
    the award: the decision, the letter and the grant with its tranches and reports.

    A non-empty `unpublished_reason` asks that the grant stay out of open data; one approving
    chair asking is enough (naming a small organisation can put it at risk), and the grant
    keeps every such reason.

    An approval for a different amount than the pending ones replaces them: the chairs must
    agree on one amount. Raises TransitionRefused (the same chair twice: 409).
    """
    call = lock_call(proposal.call_id)
    _reload(proposal)
    _refuse_if_not_decidable(proposal, "award", chair, amount, reasons)
    pending = queries.pending_approvals(proposal.id)
    refused = approved_already(pending, chair, amount)
    if refused is not None:
        raise refused
    for approval in pending:
        if approval.amount != amount or approval.chair_id == chair.id:
            approval.cancelled_at = now
    db.session.flush()
    approval = DecisionApproval(
        proposal_id=proposal.id,
        chair_id=chair.id,
        amount=amount,
        comment=reasons.strip(),
        unpublished_reason=unpublished_reason.strip(),
        approved_at=now,
    )
    db.session.add(approval)
    db.session.flush()
    approvals = [a for a in pending if a.cancelled_at is None] + [approval]
    needed = call.chair_approvals_needed
    if len(approvals) < needed:
        return AwardResult(len(approvals), needed)
    workflow.transition(proposal, "award", chair, comment=reasons, now=now, amount=amount)
    decision = _record(proposal, chair, DecisionOutcome.AWARD, amount, reasons, now)
    for a in approvals:
        a.decision_id = decision.id
    grant = create_grant(proposal, decision)
    withheld = [a.unpublished_reason for a in approvals if a.unpublished_reason]
    if withheld:
        set_publishing(grant, False, "\n\n".join(withheld), chair)
    letters.send_letter(decision, proposal)
    return AwardResult(len(approvals), needed, decision, grant)


def _end_pending(proposal: Proposal, now: datetime) -> int:
    """Cancel the approvals of an award that will not be made; returns how many."""
    pending = queries.pending_approvals(proposal.id)
    for approval in pending:
        approval.cancelled_at = now
    return len(pending)


def decline(proposal: Proposal, chair: Any, reasons: str, now: datetime) -> Decision:
    """Decline the proposal with the chairs' reasons; pending award approvals end."""
    return _decide(proposal, chair, "decline", DecisionOutcome.DECLINE, reasons, now)


def request_revision(proposal: Proposal, chair: Any, reasons: str, now: datetime) -> Decision:
    """Send the proposal back for revision, saying what must change; pending approvals end."""
    return _decide(
        proposal, chair, "request_revision", DecisionOutcome.REQUEST_REVISION, reasons, now
    )


def _decide(
    proposal: Proposal,
    chair: Any,
    action: str,
    outcome: DecisionOutcome,
    reasons: str,
    now: datetime,
) -> Decision:
    lock_call(proposal.call_id)
    _reload(proposal)
    _refuse_if_not_decidable(proposal, action, chair, reasons=reasons)
    _end_pending(proposal, now)
    workflow.transition(proposal, action, chair, comment=reasons, now=now)
    decision = _record(proposal, chair, outcome, None, reasons, now)
    letters.send_letter(decision, proposal)
    return decision


def is_decidable(proposal: Proposal) -> bool:
    """Whether the proposal is waiting for the chairs."""
    return proposal.state == ProposalState.REVIEWED
