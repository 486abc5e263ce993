"""Loading a proposal for the current user, or 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from fund import permissions
from fund.extensions import db
from fund.models import Proposal


def get_proposal_or_404(
    proposal_id: int, check: Callable[[Any, Proposal], bool] = permissions.can_view_proposal
) -> Proposal:
    """The proposal if it exists and `check(current_user, proposal)` holds; 404 otherwise.

    404 rather than 403, so nobody learns which proposals exist.
    """
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not check(current_user, proposal):
        abort(404)
    return proposal
