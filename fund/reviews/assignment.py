"""Assignment writes: reviewers assigned, removed, replaced and given new due dates by hand, and
automatic assignment, where each proposal gets the call's number of reviewers, load balanced.

Every change of an assignment leaves an audit row (subject "review") and tells the reviewer by
e-mail; services flush but never commit.

The pool is every active reviewer. A reviewer is never picked for a proposal of an organisation
it belongs to or has a conflict with, nor twice for one proposal. Load counts every open
assignment (not submitted, removed or conflicted), so earlier hand assignments are taken into
account. Proposals with the fewest possible reviewers are served first, and each slot goes to the
least-loaded candidate: when nothing is excluded this keeps max minus min load at most 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from fund import clock, permissions, workflow
from fund.extensions import db
from fund.models import Proposal, ProposalState, Review, Role, User, UserRole
from fund.reviews import services
from fund.reviews.services import (
    ReviewError,
    audit_review,
    complete_if_all_submitted,
    current_round,
    ineligible_reviewer_ids,
    mail_reviewer,
)


def check_open_for_assignment(proposal: Proposal) -> None:
    if proposal.state != ProposalState.IN_REVIEW:
        raise ReviewError(
            _(
                "Reviewers can be changed only while the proposal is in review; it is %(state)s.",
                state=workflow.state_label(proposal.state),
            ),
            status=409,
        )


def check_due_on(due_on: date | None, now: datetime | None = None) -> date:
    today = (now or clock.now()).date()
    if due_on is None or due_on < today:
        raise ReviewError(_("Choose a due date from today on."), fields={"due_on": True})
    return due_on


def lock_for_assignment(proposals: Sequence[Proposal]) -> None:
    """Lock the proposals' rows, in id order, and re-read them.

    Two identical requests at the same moment (a double click, two people) then run one after
    the other: the second sees the first one's assignments and finds nothing left to do,
    instead of inserting the same row and failing on the unique key.
    """
    ids = sorted({p.id for p in proposals})
    if ids:
        db.session.scalars(
            select(Proposal)
            .where(Proposal.id.in_(ids))
            .order_by(Proposal.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()


# --- assignment -------------------------------------------------------------------------------


def assign_reviewer(proposal: Proposal, reviewer: User, due_on: date, actor: Any) -> Review:
    """Ask `reviewer` to review `proposal` in the current round by `due_on`.

    Idempotent: a reviewer already assigned in this round keeps the assignment as it is.
    """
    lock_for_assignment([proposal])
    return _assign(proposal, reviewer, due_on, actor)[0]


def add_reviewer(proposal: Proposal, reviewer: User, due_on: date, actor: Any) -> bool:
    """The "Add a reviewer" button: assign_reviewer, saying whether this request assigned them
    (False: they already were, from the same form sent twice or by someone else)."""
    lock_for_assignment([proposal])
    return _assign(proposal, reviewer, due_on, actor)[1]


def _assign(proposal: Proposal, reviewer: User, due_on: date, actor: Any) -> tuple[Review, bool]:
    """The assignment and whether it was made now; the caller has locked the proposal."""
    check_open_for_assignment(proposal)
    check_due_on(due_on)
    if not reviewer.active or Role.REVIEWER not in reviewer.roles:
        raise ReviewError(_("%(name)s is not an active reviewer.", name=reviewer.name))
    if reviewer.id in ineligible_reviewer_ids(proposal):
        raise ReviewError(
            _(
                "%(name)s belongs to the applicant organisation or has a conflict of interest "
                "with it.",
                name=reviewer.name,
            ),
            status=409,
        )
    round_ = current_round(proposal)
    review = db.session.scalar(
        select(Review)
        .where(
            Review.proposal_id == proposal.id,
            Review.reviewer_id == reviewer.id,
            Review.round == round_,
        )
        .execution_options(populate_existing=True)
    )
    if review is not None and review.removed_at is None:
        return review, False
    now = clock.now()
    if review is None:
        review = Review(proposal=proposal, reviewer=reviewer, round=round_)
        db.session.add(review)
    review.removed_at = None  # a reviewer removed earlier in this round comes back
    review.due_on = due_on
    review.assigned_by_id = actor.id if actor is not None else None
    review.assigned_at = now
    db.session.flush()
    audit_review(review, "assign", actor, _("Due on %(due)s", due=due_on.isoformat()), now)
    mail_reviewer(review, "review_assigned")
    permissions.forget_review_rights(reviewer)
    return review, True


def check_removable(review: Review) -> None:
    """Raise ReviewError (409) unless the assignment can still be ended."""
    check_open_for_assignment(review.proposal)
    if review.removed_at is not None or review.conflict_declared_at is not None:
        raise ReviewError(_("This assignment has already ended."), status=409)
    if review.submitted_at is not None:
        raise ReviewError(_("A submitted review cannot be removed."), status=409)


def remove_reviewer(review: Review, actor: Any, *, complete: bool = True) -> None:
    """End an assignment that is not submitted; closes the review if the others are all in."""
    check_removable(review)
    now = clock.now()
    review.removed_at = now
    db.session.flush()
    audit_review(review, "remove", actor, now=now)
    mail_reviewer(review, "review_removed")
    permissions.forget_review_rights(review.reviewer)
    if complete:
        complete_if_all_submitted(review.proposal)


def reassign_reviewer(review: Review, new_reviewer: User, due_on: date, actor: Any) -> Review:
    """Replace an assignment's reviewer by another one (both are told)."""
    if new_reviewer.id == review.reviewer_id:
        raise ReviewError(_("Choose a different reviewer."))
    lock_for_assignment([review.proposal])
    remove_reviewer(review, actor, complete=False)
    replacement, made = _assign(review.proposal, new_reviewer, due_on, actor)
    if not made:  # the proposal would lose a reviewer: refused, and the caller rolls back
        raise ReviewError(
            _("%(name)s is already assigned to this proposal.", name=new_reviewer.name),
            status=409,
        )
    return replacement


def change_due_date(review: Review, due_on: date, actor: Any) -> None:
    """Give the reviewer another due date (reminders then count from the new one)."""
    check_open_for_assignment(review.proposal)
    check_due_on(due_on)
    if review.status not in (review.status.TO_START, review.status.IN_PROGRESS):
        raise ReviewError(_("This assignment is closed."), status=409)
    review.due_on = due_on
    audit_review(review, "change_due_date", actor, due_on.isoformat())
    db.session.flush()


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
        check_open_for_assignment(proposal)
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

    All or nothing: when the pool cannot cover one proposal, nobody is assigned. Sent twice,
    the second finds every proposal filled and adds nobody.
    """
    check_due_on(due_on)
    lock_for_assignment(proposals)
    added = 0
    for proposal, reviewers in plan(proposals):
        for reviewer in reviewers:
            added += _assign(proposal, reviewer, due_on, actor)[1]
    return added


def proposals_in_review(call_id: int) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.state == ProposalState.IN_REVIEW)
            .order_by(Proposal.id)
        )
    )
