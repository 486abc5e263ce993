"""Conflicts of interest: a reviewer's answer that it has none, and conflicts declared or
recorded, which end the person's open reviews of the organisation.

Services flush but never commit; the secretariat is told of every conflict by e-mail.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from fund import clock, notifications, permissions
from fund.extensions import db
from fund.models import AuditEvent, Conflict, Proposal, Review, Role, User
from fund.reviews.services import ReviewError, audit_review, reference


def answer_no_conflict(review: Review, actor: User) -> None:
    """The reviewer has no conflict: from now on it sees the proposal."""
    if review.no_conflict_at is not None:
        return  # a second click changes nothing
    now = clock.now()
    review.no_conflict_at = now
    review.updated_at = now
    db.session.flush()
    audit_review(review, "no_conflict", actor, now=now)
    permissions.forget_review_rights(actor)


def record_conflict(person: User, proposal: Proposal, reason: str, declared_by: User) -> Conflict:
    """Record a conflict of `person` with the proposal's organisation; ends its open reviews.

    Used by reviewers and chairs declaring their own conflict and by the secretariat recording
    one for them. The secretariat is told.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(
            _("Give the reason for the conflict of interest."), fields={"reason": True}
        )
    now = clock.now()
    conflict = Conflict(
        user_id=person.id,
        organisation_id=proposal.organisation_id,
        proposal_id=proposal.id,
        reason=reason,
        declared_by_id=declared_by.id,
        declared_at=now,
    )
    db.session.add(conflict)
    ended = db.session.scalars(
        select(Review).where(
            Review.reviewer_id == person.id,
            Review.proposal_id.in_(
                select(Proposal.id).where(Proposal.organisation_id == proposal.organisation_id)
            ),
            Review.submitted_at.is_(None),
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
    ).all()
    for review in ended:
        review.conflict_declared_at = now
    db.session.flush()
    for review in ended:
        audit_review(review, "declare_conflict", declared_by, reason, now)
    db.session.add(
        AuditEvent(
            subject_type="proposal",
            subject_id=proposal.id,
            action="record_conflict",
            actor_id=declared_by.id,
            comment=f"{person.name}: {reason}",
            created_at=now,
        )
    )
    for admin in notifications.users_with_role(Role.ADMIN):
        notifications.queue_email(
            admin,
            "conflict_declared",
            proposal=proposal,
            reference=reference(proposal),
            person=person,
            reason=reason,
            ended_review=bool(ended),
            url=notifications.public_url("screening.assignments", proposal_id=proposal.id),
        )
    db.session.flush()
    permissions.forget_review_rights(person)
    return conflict


def declare_conflict(review: Review, reason: str, actor: User) -> Conflict:
    """The reviewer declares a conflict on its assignment: the assignment ends."""
    if review.submitted_at is not None:
        raise ReviewError(
            _("This review is already submitted; tell the secretariat about the conflict instead."),
            status=409,
        )
    return record_conflict(actor, review.proposal, reason, actor)
