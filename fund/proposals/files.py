"""Which stored files belong to a proposal, for its download route: its attachments, its
safeguarding policy, its answers to file questions and the files of its submitted versions."""

from __future__ import annotations

from sqlalchemy import select

from fund.extensions import db
from fund.forms_def.definition import file_ids
from fund.models import Proposal, ProposalAttachment, StoredFile


def file_of(proposal: Proposal, file_id: int) -> StoredFile | None:
    """The stored file if it belongs to the proposal: an attachment, its safeguarding policy
    (its own, or the organisation's it relies on), the answer to a file question of the draft,
    or a file of one of its submitted versions."""
    if file_id == proposal.safeguarding_file_id:
        return proposal.safeguarding_file
    if proposal.safeguarding_file_id is None and (
        file_id == proposal.organisation.safeguarding_policy_file_id
    ):
        return proposal.organisation.safeguarding_policy_file
    attached = db.session.scalar(
        select(ProposalAttachment.id).where(
            ProposalAttachment.proposal_id == proposal.id, ProposalAttachment.file_id == file_id
        )
    )
    answered = file_id in file_ids(proposal.call.proposal_form, proposal.answers)
    if attached is not None or answered or file_id in _version_file_ids(proposal):
        return db.session.get(StoredFile, file_id)
    return None


def _version_file_ids(proposal: Proposal) -> set[int]:
    ids: set[int] = set()
    for version in proposal.versions:
        content = version.content or {}
        ids.update(a.get("file_id") for a in content.get("attachments") or [])
        ids.add((content.get("safeguarding") or {}).get("file_id"))
        ids.update(file_ids(content.get("form"), content.get("answers")))
    ids.discard(None)
    return ids
