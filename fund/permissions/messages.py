"""Message threads and uploaded files: who reads and writes a thread, reads or shares
a message, works the secretariat's inbox, and downloads a file."""

from __future__ import annotations

from typing import Any

from fund.models import Proposal, Role
from fund.permissions.core import (
    conflicted_organisation_ids,
    has_role,
    is_conflicted,
    is_member,
    reviewable_proposal_ids,
    was_submitted,
)


def can_read_thread(user: Any, subject: Any) -> bool:
    """The thread of a proposal (once submitted) or of a grant: the organisation's members, the
    secretariat and the chairs without a conflict. Reviewers read only what is shared with
    them (can_read_message)."""
    if isinstance(subject, Proposal) and not was_submitted(subject):
        return False
    if has_role(user, Role.ADMIN) or is_member(user, subject.organisation_id):
        return True
    return has_role(user, Role.CHAIR) and subject.organisation_id not in (
        conflicted_organisation_ids(user)
    )


def can_write_message(user: Any, subject: Any) -> bool:
    """The two sides of a thread write in it: the organisation's members and the secretariat
    (chairs read it only)."""
    if isinstance(subject, Proposal) and not was_submitted(subject):
        return False
    return has_role(user, Role.ADMIN) or is_member(user, subject.organisation_id)


def can_read_message(user: Any, message: Any) -> bool:
    """Whoever reads its thread, and a proposal's reviewers once the secretariat shared it."""
    if can_read_thread(user, message.subject):
        return True
    return (
        message.shared_at is not None
        and message.proposal_id is not None
        and message.proposal_id in reviewable_proposal_ids(user)
        and not is_conflicted(user, message.proposal)
    )


def can_share_message(user: Any, message: Any) -> bool:
    """The secretariat shares a proposal's message with the proposal's reviewers."""
    return has_role(user, Role.ADMIN) and message.proposal_id is not None


def can_read_message_inbox(user: Any) -> bool:
    """The secretariat's list of threads waiting for an answer."""
    return has_role(user, Role.ADMIN)


def can_download_file(user: Any, stored_file: Any) -> bool:
    """Admins, and members of the organisation the file belongs to."""
    return has_role(user, Role.ADMIN) or is_member(user, stored_file.organisation_id)
