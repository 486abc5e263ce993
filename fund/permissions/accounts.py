"""Organisations, accounts and the secretariat's own pages: who sees and edits an
organisation, manages users and income groups, reads the audit log, the overview and the
portfolio."""

from __future__ import annotations

from typing import Any

from fund.models import Role
from fund.permissions.core import has_role, is_member, is_signed_in


def can_view_organisation(user: Any, organisation: Any) -> bool:
    return has_role(user, Role.ADMIN) or is_member(user, organisation.id)


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id)


def can_invite_members(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id) and user.email_verified


def can_create_organisation(user: Any) -> bool:
    return has_role(user, Role.APPLICANT)


def can_remove_passkey(user: Any, passkey: Any) -> bool:
    """Only its owner removes a passkey (an admin resets all of a user's second factors)."""
    return is_signed_in(user) and passkey.user_id == user.id


def can_manage_users(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_audit_log(user: Any) -> bool:
    """The audit log is the secretariat's; no one edits or deletes it (fund/models/audit.py)."""
    return has_role(user, Role.ADMIN)


def can_view_portfolio(user: Any) -> bool:
    """The portfolio's aggregates: the secretariat, the chairs and the observers."""
    return any(has_role(user, role) for role in (Role.ADMIN, Role.CHAIR, Role.OBSERVER))


def can_manage_income_groups(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_see_overview(user: Any) -> bool:
    """The secretariat's overview of calls, reviews, grants and money, and the lists behind it."""
    return has_role(user, Role.ADMIN)
