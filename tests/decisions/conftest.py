"""Factories for the decisions tests: a call with a two-criterion rubric, reviewed proposals and
submitted reviews with chosen scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fund.extensions import db
from fund.models import Criterion, CriterionScore, Proposal, ProposalState, Review, Role
from fund.models.base import utcnow
from tests.conftest import make_call, make_organisation, make_user

# Weighted score = 60 * (a - 1) / 4 + 40 * (b - 1) / 4 = 15 (a - 1) + 10 (b - 1), from 0 to 100.
WEIGHTS = (60, 40)


def make_rubric_call(
    *, envelope: str = "100000", approvals: int = 1, threshold: str = "15", title: str = "Call 2027"
):
    """A closed call with criteria weighted 60 and 40."""
    call = make_call(open_now=False, title=title)
    call.budget_envelope = Decimal(envelope)
    call.min_award = Decimal("1000")
    call.max_award = min(Decimal("50000"), Decimal(envelope))
    call.chair_approvals_needed = approvals
    call.disagreement_threshold = Decimal(threshold)
    call.criteria = [
        Criterion(position=i, name=f"Criterion {i}", weight=w)
        for i, w in enumerate(WEIGHTS, start=1)
    ]
    db.session.commit()
    return call


def make_reviewed(
    call,
    organisation=None,
    *,
    amount: str = "20000",
    title: str = "Safe schools",
    reference: str | None = None,
    state: str = ProposalState.REVIEWED,
    start: date = date(2027, 3, 1),
    months: int = 12,
    strategies=("norms",),
):
    """A proposal in `state` (reviewed by default) asking for `amount`."""
    organisation = organisation or make_organisation(make_user(Role.APPLICANT))
    n = db.session.scalar(db.select(db.func.count(Proposal.id))) + 1
    proposal = Proposal(
        call_id=call.id,
        organisation_id=organisation.id,
        title=title,
        state=state,
        reference=reference or f"INS-2027-{n:04d}",
        amount_requested=Decimal(amount),
        start_date=start,
        duration_months=months,
        strategies=list(strategies),
        countries=[organisation.country_code],
        summary="What the project does.",
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def review(
    proposal,
    reviewer,
    scores: tuple[int, int],
    recommendation: str = "fund",
    *,
    comments: str = "",
    confidential: str = "",
    round: int = 1,
    submitted: bool = True,
):
    """A submitted review with one score per criterion (in rubric order)."""
    criteria = sorted(proposal.call.criteria, key=lambda c: c.position)
    now = utcnow()
    row = Review(
        proposal_id=proposal.id,
        reviewer_id=reviewer.id,
        round=round,
        due_on=date.today() + timedelta(days=7),
        no_conflict_at=now,
        recommendation=recommendation,
        comments_for_applicant=comments,
        confidential_comments=confidential,
        submitted_at=now if submitted else None,
        scores=[
            CriterionScore(criterion_id=c.id, score=s)
            for c, s in zip(criteria, scores, strict=True)
        ],
    )
    db.session.add(row)
    db.session.commit()
    return row


PREFIXES = {"award": "award", "decline": "decline", "request-revision": "revision"}


def decide(client, proposal_id: int, path: str, *, confirmed: bool = True, **fields):
    """POST a decision form (`path` is award, decline or request-revision) with its fields, as
    sent from its confirmation step (or, with confirmed=False, the first POST that asks it)."""
    prefix = PREFIXES[path]
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(f"/decisions/proposals/{proposal_id}/{path}", data=data)
