"""Calls, proposals and concept notes: who sees and edits them, starts one, screens
them and asks the applicant for more information."""

from __future__ import annotations

from typing import Any

from fund.models import CONCEPT_STAGE_STATES, ProposalState, Role
from fund.permissions.core import (
    has_role,
    is_conflicted,
    is_member,
    member_organisation_ids,
    reviewable_proposal_ids,
    was_submitted,
)

# The states in which members edit the full proposal (an invited one is a draft of it). While
# the secretariat asks for more information the whole form is editable as a draft is, with the
# same validation: the question may concern any answer, and the answer is a new version.
EDITABLE_STATES = frozenset(
    {
        ProposalState.DRAFT,
        ProposalState.REVISION_REQUESTED,
        ProposalState.INVITED,
        ProposalState.INFORMATION_REQUESTED,
    }
)


def can_view_proposal(user: Any, proposal: Any) -> bool:
    """The applicant organisation; once submitted, also the secretariat, chairs without a
    conflict, and reviewers assigned to it who answered "No conflict" (and have not declared one
    since). Nobody else needs a draft, so to everyone else it does not exist."""
    if is_member(user, proposal.organisation_id):
        return True
    if not was_submitted(proposal):
        return False
    if has_role(user, Role.ADMIN):
        return True
    if is_conflicted(user, proposal):
        return False
    return has_role(user, Role.CHAIR) or proposal.id in reviewable_proposal_ids(user)


def can_edit_proposal(user: Any, proposal: Any) -> bool:
    """Members of the applicant organisation, while the proposal is a draft or under revision."""
    return is_member(user, proposal.organisation_id) and proposal.state in EDITABLE_STATES


def can_edit_concept(user: Any, proposal: Any) -> bool:
    """Members of the applicant organisation, while its concept note is a draft."""
    return (
        is_member(user, proposal.organisation_id) and proposal.state == ProposalState.CONCEPT_DRAFT
    )


def can_screen_concepts(user: Any) -> bool:
    """The secretariat and the chairs read and shortlist a two-stage call's concept notes."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.CHAIR)


def can_view_concept(user: Any, proposal: Any) -> bool:
    """The applicant organisation; once submitted, the secretariat and the chairs without a
    conflict with the organisation."""
    if is_member(user, proposal.organisation_id):
        return True
    if proposal.concept_note is None or not can_screen_concepts(user):
        return False
    return has_role(user, Role.ADMIN) or not is_conflicted(user, proposal)


def shows_full_proposal(user: Any, proposal: Any) -> bool:
    """Whether `user` may read the full proposal's content: an invited organisation's full
    draft is its own until it is submitted, like any draft; others see the concept note."""
    return proposal.state not in CONCEPT_STAGE_STATES or is_member(user, proposal.organisation_id)


def can_start_proposal(user: Any) -> bool:
    return has_role(user, Role.APPLICANT) and bool(member_organisation_ids(user))


def can_manage_calls(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_call(user: Any, call: Any) -> bool:
    """Published calls are public; the secretariat also sees those not yet published."""
    return call.published_at is not None or can_manage_calls(user)


def can_screen(user: Any) -> bool:
    """The secretariat screens proposals for eligibility."""
    return has_role(user, Role.ADMIN)


def can_request_information(user: Any) -> bool:
    """The secretariat asks applicants for more information while screening."""
    return has_role(user, Role.ADMIN)
