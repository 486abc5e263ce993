"""Writes of the message threads and of "Ask for more information". Flush, never commit; the
proposal's state moves only through fund/workflow/; e-mail is queued in the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from fund import audit, notifications, permissions, storage, workflow
from fund.extensions import db
from fund.models import Grant, Message, MessageAttachment, Proposal, Role


class MessageError(Exception):
    """A message that cannot be sent; `message` says why, `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def thread_link(subject: Proposal | Grant) -> str:
    """The absolute link to a thread, for e-mail."""
    if isinstance(subject, Proposal):
        return notifications.public_url("proposals.detail", proposal_id=subject.id) + "#messages"
    return notifications.public_url("grants.detail", grant_id=subject.id) + "#messages"


def post_message(
    subject: Proposal | Grant,
    author: Any,
    body: str,
    files: list,
    now: datetime,
    *,
    from_secretariat: bool,
    information_request: bool = False,
) -> Message:
    """Add a message (and its files, checked by content) to the thread of `subject`, and tell
    the other side by e-mail. Raises MessageError when a file is refused or cannot be stored:
    then nothing is sent."""
    message = Message(
        proposal_id=subject.id if isinstance(subject, Proposal) else None,
        grant_id=subject.id if isinstance(subject, Grant) else None,
        author_id=author.id,
        from_secretariat=from_secretariat,
        body=body.strip(),
        is_information_request=information_request,
        created_at=now,
    )
    for upload in files:
        try:
            stored = storage.store(
                upload, organisation_id=subject.organisation_id, uploaded_by_id=author.id
            )
        except storage.UploadError as error:
            raise MessageError(str(error)) from None
        except storage.StorageUnavailable:
            raise MessageError(
                _("The file could not be stored just now, so nothing was sent. Try again later."),
                503,
            ) from None
        message.attachments.append(MessageAttachment(file_id=stored.id))
    db.session.add(message)
    db.session.flush()
    if not information_request:  # the question has its own e-mail, with the due date
        notifications.message_posted(message, thread_link(subject))
    return message


def sender_is_secretariat(user: Any) -> bool:
    """Whether `user` writes as the secretariat: an admin writes so even in its own
    organisation's thread (the secretariat's side is the one that answers questions)."""
    return permissions.has_role(user, Role.ADMIN)


def mark_read(subject: Proposal | Grant, reader: Any, now: datetime) -> int:
    """The other side's unread messages of the thread are now read (one UPDATE); returns how
    many. A chair reading the thread marks nothing: it is neither side."""
    if permissions.has_role(reader, Role.ADMIN):
        from_secretariat = False
    elif permissions.is_member(reader, subject.organisation_id):
        from_secretariat = True
    else:
        return 0
    column = Message.proposal_id if isinstance(subject, Proposal) else Message.grant_id
    result = db.session.execute(
        update(Message)
        .where(
            column == subject.id,
            Message.from_secretariat.is_(from_secretariat),
            Message.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def share_with_reviewers(message: Message, admin: Any, now: datetime) -> bool:
    """Show `message` to its proposal's reviewers; False if it already was. Audited."""
    if message.shared_at is not None:
        return False
    message.shared_at = now
    message.shared_by_id = admin.id
    audit.record(
        "proposal",
        message.proposal_id,
        "share_message",
        actor=admin,
        comment=f"message {message.id}",
    )
    db.session.flush()
    return True


def due_at(due_on: date) -> datetime:
    """The answer is due by the end of the day given (in UTC: one moment for everyone)."""
    return datetime.combine(due_on + timedelta(days=1), time(), tzinfo=UTC)


def request_information(
    proposal: Proposal, admin: Any, question: str, due_on: date, now: datetime
) -> Message:
    """Ask the applicant for more information: the proposal waits for its answer until
    `due_on`, and the question goes into the thread and to every member by e-mail."""
    deadline = due_at(due_on)
    workflow.transition(
        proposal, "request_information", admin, comment=question, now=now, due_at=deadline
    )
    proposal.information_due_at = deadline
    message = post_message(
        proposal, admin, question, [], now, from_secretariat=True, information_request=True
    )
    notifications.information_requested(proposal, question, due_on, thread_link(proposal))
    return message


def return_to_screening(proposal: Proposal, admin: Any, reason: str, now: datetime) -> None:
    """Take the proposal back to screening without the applicant's answer (usually once the
    answer is overdue); the secretariat then screens it in or out as it stands."""
    workflow.transition(proposal, "return_to_screening", admin, comment=reason, now=now)
    proposal.information_due_at = None
    db.session.flush()
