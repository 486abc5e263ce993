"""Helpers for the review tests: a call with a rubric, proposals in review, assignments."""

from __future__ import annotations

from datetime import timedelta

from fund.extensions import db
from fund.models import Call, Criterion, Proposal, Review, Role, User
from fund.models.base import utcnow
from tests.conftest import make_call, make_organisation, make_proposal, make_user

RUBRIC = (("INSPIRE fit", 40), ("Design and feasibility", 35), ("Budget", 25))


def make_rubric_call(*, reviewers: int = 2, title: str = "Call 2027") -> Call:
    """A call with a three-criterion rubric asking for `reviewers` reviewers per proposal."""
    call = make_call(title=title)
    call.reviewers_per_proposal = reviewers
    call.criteria = [
        Criterion(position=i, name=name, guidance=f"How good is the {name}?", weight=weight)
        for i, (name, weight) in enumerate(RUBRIC)
    ]
    db.session.commit()
    return call


_numbers = iter(range(1, 10**6))


def make_in_review(
    call: Call,
    organisation=None,
    *,
    state: str = "in_review",
    title: str = "Safe schools",
    country_code: str = "UG",
    strategies: list[str] | None = None,
) -> Proposal:
    """A submitted proposal with a reference, in `state`."""
    organisation = organisation or make_organisation(
        make_user(Role.APPLICANT), country_code=country_code
    )
    proposal = make_proposal(organisation, call, state=state, title=title)
    proposal.reference = f"INS-2027-{next(_numbers):04d}"
    proposal.submitted_at = utcnow()
    proposal.strategies = strategies or ["laws"]
    db.session.commit()
    return proposal


def assign(
    proposal: Proposal, reviewer: User, *, answered: bool = True, due_in: int = 14, round_: int = 1
) -> Review:
    """An assignment made directly; `answered` means the reviewer said "No conflict"."""
    review = Review(
        proposal_id=proposal.id,
        reviewer_id=reviewer.id,
        round=round_,
        due_on=utcnow().date() + timedelta(days=due_in),
        no_conflict_at=utcnow() if answered else None,
    )
    db.session.add(review)
    db.session.commit()
    return review


def review_form(
    call: Call, *, scores=(4, 3, 5), recommendation="fund", action="save", **extra
) -> dict:
    """Form data for the review form of `call`; None in `scores` leaves that score out."""
    data = {
        "recommendation": recommendation or "",
        "comments_for_applicant": "Clear plan.",
        "confidential_comments": "Strong team.",
        "action": action,
    }
    for criterion, score in zip(call.criteria, scores, strict=False):
        if score is not None:
            data[f"score_{criterion.id}"] = str(score)
    data.update(extra)
    return data


def submit_directly(review: Review, scores=(4, 4, 4)) -> None:
    """Submit a review through the service (for tests about what happens after)."""
    from fund.reviews import services

    call = review.proposal.call
    services.save_review(
        review,
        {
            "scores": {c.id: s for c, s in zip(call.criteria, scores, strict=True)},
            "recommendation": "fund",
        },
        review.reviewer,
        submit=True,
    )
    db.session.commit()
