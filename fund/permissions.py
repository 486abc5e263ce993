"""Who may do what: `can_*` predicates shared by views, the workflow and templates.

Every check of a role or of object ownership goes through this module, so a rule is written
once. Predicates accept an anonymous user and answer False for it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fund.extensions import db
from fund.models import Membership, ProposalState, Role

EDITABLE_STATES = frozenset({ProposalState.DRAFT, ProposalState.REVISION_REQUESTED})


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


def can_view_organisation(user: Any, organisation: Any) -> bool:
    return has_role(user, Role.ADMIN) or is_member(user, organisation.id)


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id)


def can_invite_members(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id) and user.email_verified


def can_create_organisation(user: Any) -> bool:
    return has_role(user, Role.APPLICANT)


def can_manage_users(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_income_groups(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_download_file(user: Any, stored_file: Any) -> bool:
    """Admins, and members of the organisation the file belongs to."""
    return has_role(user, Role.ADMIN) or is_member(user, stored_file.organisation_id)


def can_view_proposal(user: Any, proposal: Any) -> bool:
    """The applicant organisation, the secretariat and the chairs."""
    return (
        has_role(user, Role.ADMIN)
        or has_role(user, Role.CHAIR)
        or is_member(user, proposal.organisation_id)
    )


def can_edit_proposal(user: Any, proposal: Any) -> bool:
    """Members of the applicant organisation, while the proposal is a draft or under revision."""
    return is_member(user, proposal.organisation_id) and proposal.state in EDITABLE_STATES


def can_start_proposal(user: Any) -> bool:
    return has_role(user, Role.APPLICANT) and bool(member_organisation_ids(user))


def can_manage_calls(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_grant(user: Any, grant: Any) -> bool:
    return has_role(user, Role.ADMIN) or is_member(user, grant.organisation_id)


def acts_as(user: Any, role: Role, subject: Any) -> bool:
    """Whether `user` may act on `subject` in `role`; the workflow asks this before a transition.

    An applicant acts only for its own organisation's proposals, grants and reports; admins and
    chairs act on any subject their role covers.
    """
    if not has_role(user, role):
        return False
    if role is Role.APPLICANT:
        return is_member(user, subject_organisation_id(subject))
    return True


def subject_organisation_id(subject: Any) -> int | None:
    """The organisation that owns a proposal, grant or report."""
    return getattr(subject, "organisation_id", None)
