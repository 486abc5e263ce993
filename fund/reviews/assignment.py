"""Automatic assignment: each proposal gets the call's number of reviewers, load balanced.

The pool is every active reviewer. A reviewer is never picked for a proposal of an organisation
it belongs to or has a conflict with, nor twice for one proposal. Load counts every open
assignment (not submitted, removed or conflicted), so earlier hand assignments are taken into
account. Proposals with the fewest possible reviewers are served first, and each slot goes to the
least-loaded candidate: when nothing is excluded this keeps max minus min load at most 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Proposal, ProposalState, Review, Role, User, UserRole
from fund.reviews import services
from fund.reviews.services import ReviewError


def reviewer_pool() -> list[User]:
    """Every active user holding the reviewer role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.REVIEWER.value, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def open_loads() -> dict[int, int]:
    """Open assignments per reviewer, across all calls."""
    rows = db.session.execute(
        select(Review.reviewer_id, func.count())
        .where(
            Review.submitted_at.is_(None),
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
        .group_by(Review.reviewer_id)
    )
    return {reviewer_id: number for reviewer_id, number in rows}


def plan(proposals: Sequence[Proposal]) -> list[tuple[Proposal, list[User]]]:
    """Who would review what; raises ReviewError naming the proposals the pool cannot cover."""
    pool = reviewer_pool()
    loads = open_loads()
    wanted = []
    short = []
    for proposal in proposals:
        services.check_open_for_assignment(proposal)
        round_ = services.current_round(proposal)
        taken = set(
            db.session.scalars(
                select(Review.reviewer_id).where(
                    Review.proposal_id == proposal.id, Review.round == round_
                )
            )
        )
        active = len(services.required_reviews(proposal, round_))
        needed = max(proposal.call.reviewers_per_proposal - active, 0)
        excluded = services.ineligible_reviewer_ids(proposal) | taken
        candidates = [user for user in pool if user.id not in excluded]
        if len(candidates) < needed:
            short.append((proposal, needed, len(candidates)))
        wanted.append((proposal, needed, candidates))
    if short:
        details = "; ".join(
            ngettext(
                "%(ref)s needs %(num)d more reviewer and %(available)d can be chosen",
                "%(ref)s needs %(num)d more reviewers and %(available)d can be chosen",
                needed,
                ref=services.reference(p),
                available=available,
            )
            for p, needed, available in short
        )
        raise ReviewError(
            _(
                "The reviewer pool is too small: %(details)s. Give more people the reviewer role, "
                "or assign by hand.",
                details=details,
            ),
            status=409,
        )
    result = []
    for proposal, needed, candidates in sorted(wanted, key=lambda w: (len(w[2]) - w[1], w[0].id)):
        chosen = sorted(candidates, key=lambda u: (loads.get(u.id, 0), u.id))[:needed]
        for user in chosen:
            loads[user.id] = loads.get(user.id, 0) + 1
        result.append((proposal, chosen))
    return sorted(result, key=lambda pair: pair[0].id)


def auto_assign(proposals: Sequence[Proposal], due_on: date, actor: Any) -> int:
    """Fill every proposal up to the call's number of reviewers; returns how many were added.

    All or nothing: when the pool cannot cover one proposal, nobody is assigned.
    """
    services.check_due_on(due_on)
    added = 0
    for proposal, reviewers in plan(proposals):
        for reviewer in reviewers:
            services.assign_reviewer(proposal, reviewer, due_on, actor)
            added += 1
    return added


def proposals_in_review(call_id: int) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.state == ProposalState.IN_REVIEW)
            .order_by(Proposal.id)
        )
    )
