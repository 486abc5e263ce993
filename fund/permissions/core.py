"""The facts every predicate builds on: who is signed in and with which roles, which
organisations a user belongs to, which it has a conflict with and which proposals it reviews
(each cached for the request), and whether a user acts in a role on a workflow subject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select

from fund.extensions import db
from fund.models import Conflict, Membership, PoolMember, Proposal, ProposalState, Review, Role


def is_signed_in(user: Any) -> bool:
    """True for a logged-in, active user."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def has_role(user: Any, role: Role) -> bool:
    """True if the signed-in `user` holds `role`."""
    return is_signed_in(user) and role in user.roles


def member_organisation_ids(user: Any) -> set[int]:
    """The organisations `user` belongs to (empty for anonymous users)."""
    if not is_signed_in(user):
        return set()
    cache = getattr(user, "_organisation_ids", None)
    if cache is None:
        cache = set(
            db.session.scalars(
                select(Membership.organisation_id).where(Membership.user_id == user.id)
            )
        )
        user._organisation_ids = cache  # one query per request, however often asked
    return cache


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships after joining or creating an organisation."""
    if hasattr(user, "_organisation_ids"):
        del user._organisation_ids


def is_member(user: Any, organisation_id: int | None) -> bool:
    """True if `user` belongs to the organisation."""
    return organisation_id is not None and organisation_id in member_organisation_ids(user)


def was_submitted(proposal: Any) -> bool:
    """False for a draft never sent (or withdrawn before it was): the organisation's alone."""
    if proposal.state in (ProposalState.DRAFT, ProposalState.CONCEPT_DRAFT):
        return False
    return not (proposal.state == ProposalState.WITHDRAWN and proposal.submitted_at is None)


def acts_as(user: Any, role: Role, subject: Any, model: type | None = None) -> bool:
    """Whether `user` may act on `subject` in `role`; the workflow asks this before a transition.

    An applicant acts only for its own organisation's proposals, grants and reports; admins act
    on any subject their role covers, chairs on any proposal they have no conflict with.
    `subject` may be a plain row of `model`'s table (a list page's), with the columns these
    checks read: `organisation_id` (and `user_id` for a pool invitation).
    """
    check = acts_on(user, role, model or type(subject))
    return check if isinstance(check, bool) else check(subject)


def acts_on(user: Any, role: Role, model: type) -> bool | Callable[[Any], bool]:
    """`acts_as(user, role, subject, model)` as far as it is known before the subject: False
    when `user` does not hold `role`, True when the role acts alike on every subject of `model`,
    else the check to make of each subject. A list page asks it once per role, not per row."""
    if not has_role(user, role):
        return False
    if role is Role.APPLICANT:
        return lambda subject: is_member(user, subject_organisation_id(subject))
    if role is Role.CHAIR and issubclass(model, Proposal):
        return lambda subject: not is_conflicted(user, subject)
    if role is Role.REVIEWER and issubclass(model, PoolMember):
        # only the invited reviewer answers its invitation
        return lambda subject: subject.user_id == user.id
    return True


def subject_organisation_id(subject: Any) -> int | None:
    """The organisation that owns a proposal, grant or report."""
    return getattr(subject, "organisation_id", None)


# built once: the user's id is bound when it runs
_CONFLICTED = select(Conflict.organisation_id).where(Conflict.user_id == bindparam("user_id"))


def conflicted_organisation_ids(user: Any) -> set[int]:
    """Organisations `user` has a declared conflict with (cached for the request).

    A conflict declared on one proposal covers every proposal of its organisation: a reviewer
    or chair who cannot judge one of them fairly sees none of them, nor anything derived.
    """
    if not is_signed_in(user):
        return set()
    cache = getattr(user, "_conflicted_organisation_ids", None)
    if cache is None:
        cache = set(db.session.scalars(_CONFLICTED, {"user_id": user.id}))
        user._conflicted_organisation_ids = cache
    return cache


def reviewable_proposal_ids(user: Any) -> set[int]:
    """Proposals `user` is assigned to review and answered "No conflict" for (cached)."""
    if not has_role(user, Role.REVIEWER):
        return set()
    cache = getattr(user, "_reviewable_proposal_ids", None)
    if cache is None:
        cache = set(
            db.session.scalars(
                select(Review.proposal_id).where(
                    Review.reviewer_id == user.id,
                    Review.removed_at.is_(None),
                    Review.conflict_declared_at.is_(None),
                    Review.no_conflict_at.is_not(None),
                )
            )
        )
        user._reviewable_proposal_ids = cache
    return cache


def forget_review_rights(user: Any) -> None:
    """Drop the cached conflicts and assignments after one of them changed."""
    for name in ("_conflicted_organisation_ids", "_reviewable_proposal_ids"):
        if hasattr(user, name):
            delattr(user, name)


def organisations_hidden_from(user: Any) -> set[int]:
    """Organisations whose proposals, grants and reports lists must leave out for `user`:
    those it has a conflict with, unless it is the secretariat (which sees everything)."""
    return set() if has_role(user, Role.ADMIN) else conflicted_organisation_ids(user)


def is_conflicted(user: Any, proposal: Any) -> bool:
    """True if `user` declared, or was recorded with, a conflict with the organisation."""
    return proposal.organisation_id in conflicted_organisation_ids(user)
