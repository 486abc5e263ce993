"""Rows for the overview tests: reviews with a due date relative to today, grants with tranches."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund.extensions import db
from fund.models import Grant, Proposal, Review, Role, Tranche, User
from fund.models.base import utcnow
from tests.conftest import make_organisation, make_proposal, make_user

_numbers = iter(range(1, 10**6))


def make_review(
    proposal: Proposal, reviewer: User | None = None, *, due_in_days: int = -3, **columns
) -> Review:
    """An assignment of `proposal` to `reviewer` (a new reviewer by default), due in
    `due_in_days` days (negative: overdue)."""
    review = Review(
        proposal_id=proposal.id,
        reviewer_id=(reviewer or make_user(Role.REVIEWER)).id,
        due_on=(utcnow() + timedelta(days=due_in_days)).date(),
        **columns,
    )
    db.session.add(review)
    db.session.commit()
    return review


def proposal_in(call, state: str = "in_review", organisation=None) -> Proposal:
    """A proposal of `call` in `state`, with a reference."""
    proposal = make_proposal(organisation or make_organisation(make_user()), call, state=state)
    proposal.reference = f"INS-2027-{next(_numbers):04d}"
    if state not in ("draft", "concept_draft"):
        proposal.submitted_at = utcnow()
    db.session.commit()
    return proposal


def make_grant_with_tranches(
    call, *, state: str = "active", amount: str = "10000", paid: tuple[bool, bool] = (False, False)
) -> Grant:
    """An awarded grant of `call`, agreement accepted unless pending, with two tranches
    (80% on signature, 20% after the final report, which has no report row: due at once)."""
    proposal = proposal_in(call, "awarded")
    total = Decimal(amount)
    grant = Grant(
        proposal_id=proposal.id,
        organisation_id=proposal.organisation_id,
        state=state,
        amount=total,
        currency=call.currency,
        reference=f"GR-2027-{next(_numbers):04d}",
        accepted_at=None if state == "pending_agreement" else utcnow(),
    )
    shares = (total * Decimal("0.8"), total * Decimal("0.2"))
    grant.tranches = [
        Tranche(
            position=n,
            percent=percent,
            amount=share,
            condition=condition,
            paid_on=utcnow().date() if done else None,
            paid_amount=share if done else None,
        )
        for n, (percent, share, condition, done) in enumerate(
            zip((80, 20), shares, ("signature", "final_report"), paid, strict=True), start=1
        )
    ]
    db.session.add(grant)
    db.session.commit()
    return grant
