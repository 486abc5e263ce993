"""Assignment writes: reviewers assigned, removed, replaced and given new due dates by hand, and
automatic assignment, where each proposal gets the call's number of reviewers, load balanced.

Every change of an assignment leaves an audit row (subject "review") and tells the reviewer by
e-mail; services flush but never commit.

Automatic picks come from fund/reviews/suggestions.py: the call's pool, the proposal's language,
exclusions, expertise and load. A reviewer is never picked for a proposal of an organisation it
belongs to or has a conflict with, nor twice for one proposal. Load counts every open assignment
(not submitted, removed or conflicted), so earlier hand assignments are taken into account: when
nothing is excluded and nobody has stated expertise, max minus min load stays at most 1.
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
from fund.models import Proposal, ProposalState, Review, Role, User
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


def add_reviewer_locked(proposal: Proposal, reviewer: User, due_on: date, actor: Any) -> bool:
    """add_reviewer for a caller that has locked the proposal already (automatic assignment)."""
    return _assign(proposal, reviewer, due_on, actor)[1]


def auto_assign(proposals: Sequence[Proposal], due_on: date, actor: Any) -> int:
    """Fill every proposal up to the call's number of reviewers; returns how many were added.

    The picks are fund/reviews/suggestions.py's (language, exclusions, expertise, load). All or
    nothing: when the pool cannot cover one proposal, nobody is assigned. Sent twice, the
    second finds every proposal filled and adds nobody.
    """
    # suggestions builds on this module, so it is imported here rather than at the top
    from fund.reviews import suggestions

    check_due_on(due_on)
    lock_for_assignment(proposals)
    by_call: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        by_call.setdefault(proposal.call_id, []).append(proposal)
    made = [suggestions.suggest(group[0].call, group, due_on) for group in by_call.values()]
    short = [row for suggestion in made for row in suggestion.rows if row.shortfall]
    if short:
        details = "; ".join(
            ngettext(
                "%(ref)s needs %(num)d more reviewer and %(available)d can be chosen",
                "%(ref)s needs %(num)d more reviewers and %(available)d can be chosen",
                row.needed,
                ref=services.reference(row.proposal),
                available=len(row.picks),
            )
            + f" ({row.shortfall})"
            for row in short
        )
        raise ReviewError(
            _(
                "The reviewer pool is too small: %(details)s. Give more people the reviewer role, "
                "or assign by hand.",
                details=details,
            ),
            status=409,
        )
    return sum(suggestions.apply(suggestion, actor) for suggestion in made)


def proposals_in_review(call_id: int) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.state == ProposalState.IN_REVIEW)
            .order_by(Proposal.id)
        )
    )
