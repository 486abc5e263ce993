"""Reviews and reviewers: assignments, conflicts, the reviewer pool and profiles,
and who sees a proposal's reviews and reviewers' names."""

from __future__ import annotations

from typing import Any

from fund.models import ProposalState, Role
from fund.permissions.core import has_role, is_conflicted


def can_declare_chair_conflict(user: Any, proposal: Any) -> bool:
    return has_role(user, Role.CHAIR) and proposal.state not in (
        ProposalState.DRAFT,
        ProposalState.CONCEPT_DRAFT,
    )


def can_remind_reviewers(user: Any) -> bool:
    """The secretariat chases late reviews; the chairs do not manage reviewers' workload."""
    return has_role(user, Role.ADMIN)


def can_assign_reviewers(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_record_conflict(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_edit_reviewer_profile(user: Any) -> bool:
    """A reviewer keeps its own profile (languages, expertise, capacity, absences)."""
    return has_role(user, Role.REVIEWER)


def can_view_reviewer_profiles(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_reviewer_pool(user: Any) -> bool:
    """The secretariat invites reviewers to a call's pool and matches them to proposals."""
    return has_role(user, Role.ADMIN)


def can_open_review(user: Any, review: Any) -> bool:
    """The reviewer's own assignment, unless removed or conflicted (then it is gone for them)."""
    return (
        has_role(user, Role.REVIEWER)
        and review.reviewer_id == user.id
        and review.removed_at is None
        and review.conflict_declared_at is None
        and not is_conflicted(user, review.proposal)
    )


def can_edit_review(user: Any, review: Any) -> bool:
    """Its reviewer, after answering "No conflict", until it is submitted."""
    return (
        can_open_review(user, review)
        and review.no_conflict_at is not None
        and review.submitted_at is None
        and review.proposal.state == ProposalState.IN_REVIEW
    )


def can_view_review_summary(user: Any, proposal: Any) -> bool:
    """The assignments and scores of a proposal (an aggregate): secretariat, unconflicted chairs."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.CHAIR) and not is_conflicted(user, proposal)


def can_see_reviewer_names(user: Any, call: Any) -> bool:
    """Whose review is whose, on the pages that list a proposal's reviews: the secretariat
    always, chairs unless the call hides reviewers' names from them; nobody else."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.CHAIR) and not call.hide_reviewer_names
