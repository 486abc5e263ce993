"""The chairs' decisions and the bulk actions: the ranking, declining in bulk, a bulk
run's result, broadcasts and decision letters."""

from __future__ import annotations

from typing import Any

from fund.models import Role
from fund.permissions.core import has_role, is_conflicted, is_member, is_signed_in
from fund.permissions.reviews import can_view_review_summary


def can_decide(user: Any, proposal: Any) -> bool:
    """Chairs without a conflict decide on proposals (the decision pages use this)."""
    return has_role(user, Role.CHAIR) and not is_conflicted(user, proposal)


def can_view_ranking(user: Any) -> bool:
    """Chairs rank and decide; the secretariat may look. Proposals a chair is conflicted with
    are left out of what it sees (fund/decisions/ranking.py)."""
    return has_role(user, Role.CHAIR) or has_role(user, Role.ADMIN)


def can_decline_in_bulk(user: Any) -> bool:
    """Chairs decline from the ranking in bulk; each proposal is still checked on its own (a
    conflicted chair is refused that row)."""
    return has_role(user, Role.CHAIR)


def can_view_bulk_run(user: Any, run: Any) -> bool:
    """The result of a bulk action: the person who ran it, and the secretariat."""
    return is_signed_in(user) and (run.actor_id == user.id or has_role(user, Role.ADMIN))


def can_send_broadcasts(user: Any) -> bool:
    """The secretariat writes to whole audiences (applicants, reviewers, grantees) at once."""
    return has_role(user, Role.ADMIN)


def can_read_decision_letter(user: Any, proposal: Any) -> bool:
    """The organisation the letter went to, the secretariat and unconflicted chairs."""
    return is_member(user, proposal.organisation_id) or can_view_review_summary(user, proposal)
