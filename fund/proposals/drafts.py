"""Writes for drafts: starting a proposal and saving it. Services flush, never commit.

Several members of an organisation may edit one draft. Each save names the version it started
from and claims the next one with a compare-and-set, so a save over a newer version is refused
(DraftConflict) instead of silently overwriting a colleague's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import FileStorage

from fund import clock, storage
from fund.extensions import db
from fund.forms_def.localise import reading_language
from fund.models import (
    AuditEvent,
    BudgetLine,
    Call,
    Organisation,
    Proposal,
    ProposalAttachment,
    ProposalState,
    User,
)
from fund.permissions import EDITABLE_STATES
from fund.proposals.draft_errors import FileRefused, FilesNotStored
from fund.proposals.eligibility import eligibility_problems
from fund.proposals.file_answers import settle_file_answers
from fund.rules.limits import MAX_ATTACHMENTS

CONTENT_FIELDS = (
    "title",
    "summary",
    "strategies",
    "countries",
    "start_date",
    "duration_months",
)


class NotEligible(Exception):
    """The organisation may not apply to the call; `problems` say why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class DraftConflict(Exception):
    """Someone saved (or submitted) the draft after this form was loaded."""


@dataclass
class DraftFiles:
    """The files sent with a save, and the attachment or file answer to remove."""

    safeguarding: FileStorage | None = None
    attachment: FileStorage | None = None
    attachment_description: str = ""
    remove_attachment_id: int | None = None
    answers: dict[str, FileStorage] = field(default_factory=dict)  # by file question id
    remove_answer: str | None = None  # the file question whose file to remove


def start_proposal(
    call: Call, organisation: Organisation, title: str, actor: User, now: datetime | None = None
) -> Proposal:
    """A new draft of `organisation` for `call`; NotEligible if it may not apply."""
    now = now or clock.now()
    problems = eligibility_problems(organisation, call, now)
    if problems:
        raise NotEligible(problems)
    proposal = Proposal(
        call_id=call.id,
        organisation_id=organisation.id,
        # a two-stage call's proposals start as concept notes (fund/workflow/ PROPOSAL.starts)
        state=ProposalState.CONCEPT_DRAFT if call.two_stage else ProposalState.DRAFT,
        title=title,
        # The applicant's own language when the call is given in it; they may change it.
        language=reading_language(call, actor.locale or "en"),
        summary="",
        strategies=[],
        countries=[],
        amount_requested=Decimal("0"),
        lock_version=1,
        created_by_id=actor.id,
        created_at=now,
        updated_by_id=actor.id,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(
        AuditEvent(
            subject_type="proposal",
            subject_id=proposal.id,
            action="start",
            actor_id=actor.id,
            comment=title,
            created_at=now,
        )
    )
    db.session.flush()
    return proposal


def save_draft(
    proposal: Proposal,
    data: dict[str, Any],
    actor: User,
    *,
    expected_version: int,
    files: DraftFiles | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Store the typed content (shape-checked by the form) as the next version of the draft.

    Raises DraftConflict if the draft changed since `expected_version` was loaded, and
    FileRefused for a file that is refused (or a file answer naming a file the draft does not
    have); the caller rolls back either way. Raises
    FilesNotStored, after everything else is flushed, when the storage could not take a file:
    the caller commits, so the text typed is kept.
    """
    now = now or clock.now()
    _claim_next_version(proposal, expected_version)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(proposal, name, data[name])
    not_stored = []
    if "answers" in data:
        answers = dict(data["answers"])
        not_stored = settle_file_answers(
            proposal,
            dict(proposal.answers or {}),
            answers,
            actor,
            uploads=files.answers if files else None,
            remove=files.remove_answer if files else None,
        )
        proposal.answers = answers
    if "language" in data:
        proposal.language = data["language"]
    if "budget_lines" in data:
        _replace_budget_lines(proposal, data["budget_lines"])
    proposal.amount_requested = sum((line.amount for line in proposal.budget_lines), Decimal("0"))
    proposal.updated_at = now
    proposal.updated_by_id = actor.id
    not_stored += _apply_files(proposal, files, actor) if files is not None else []
    db.session.flush()
    if not_stored:
        raise FilesNotStored(not_stored)
    return proposal


def _claim_next_version(proposal: Proposal, expected_version: int) -> None:
    """Compare-and-set on lock_version (and on an editable state), in one UPDATE."""
    result = db.session.execute(
        update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.lock_version == expected_version,
            Proposal.state.in_([state.value for state in EDITABLE_STATES]),
        )
        .values(lock_version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DraftConflict()
    set_committed_value(proposal, "lock_version", expected_version + 1)


def _replace_budget_lines(proposal: Proposal, lines: list[dict[str, Any]]) -> None:
    """Rewrite the lines in place (reusing rows), dropping those no longer there."""
    existing = list(proposal.budget_lines)
    for position, values in enumerate(lines):
        if position < len(existing):
            line = existing[position]
        else:
            line = BudgetLine(position=position)
            proposal.budget_lines.append(line)
        line.position = position
        line.category = values["category"]
        line.description = values["description"]
        line.amount = Decimal(values["amount"]).quantize(Decimal("0.01"))
    for line in existing[len(lines) :]:
        proposal.budget_lines.remove(line)


def _apply_files(proposal: Proposal, files: DraftFiles, actor: User) -> list[str]:
    """Add and remove the files; returns the fields whose files the storage could not take."""
    not_stored = []
    if files.remove_attachment_id is not None:
        remove_attachment(proposal, files.remove_attachment_id)
    if files.safeguarding:
        stored = _store(files.safeguarding, "safeguarding", proposal, actor)
        if stored is None:
            not_stored.append("safeguarding")
        else:
            proposal.safeguarding_file_id = stored.id
    if files.attachment:
        if len(proposal.attachments) >= MAX_ATTACHMENTS:
            raise FileRefused(
                "attachment",
                _(
                    "A proposal can have at most %(n)d attachments. Remove one before adding "
                    "another.",
                    n=MAX_ATTACHMENTS,
                ),
            )
        stored = _store(files.attachment, "attachment", proposal, actor)
        if stored is None:
            not_stored.append("attachment")
        else:
            proposal.attachments.append(
                ProposalAttachment(file_id=stored.id, description=files.attachment_description)
            )
    return not_stored


def _store(upload: FileStorage, field: str, proposal: Proposal, actor: User):
    """The stored file; None when the storage could not take it (the text is saved anyway)."""
    try:
        return storage.store(
            upload, organisation_id=proposal.organisation_id, uploaded_by_id=actor.id
        )
    except storage.UploadError as error:
        raise FileRefused(field, str(error)) from None
    except storage.StorageUnavailable:
        return None


def remove_attachment(proposal: Proposal, attachment_id: int) -> None:
    """Detach a file from the draft. The stored file stays: a submitted version may list it."""
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise FileRefused("attachment", _("That attachment is no longer part of the proposal."))
    proposal.attachments.remove(attachment)
