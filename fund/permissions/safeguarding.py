"""Safeguarding concerns: anyone signed in reports one; only the safeguarding leads
read and handle them."""

from __future__ import annotations

from typing import Any

from fund.models import Role
from fund.permissions.core import has_role, is_signed_in


def can_report_concern(user: Any) -> bool:
    """Anyone signed in may report a safeguarding concern."""
    return is_signed_in(user)


def can_handle_concerns(user: Any) -> bool:
    """Only safeguarding leads read concerns: not admins, chairs or the organisation concerned."""
    return has_role(user, Role.SAFEGUARDING_LEAD)


def can_view_own_concern(user: Any, concern: Any) -> bool:
    """The reporter sees that their concern was received (not what the leads did with it)."""
    return is_signed_in(user) and concern.reporter_id == user.id
