"""Reads of the message threads: one thread as its reader may see it, and the secretariat's
list of threads waiting for an answer, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from fund import permissions
from fund.extensions import db
from fund.models import Grant, Message, MessageAttachment, Proposal

PAGE_SIZE = 50


def thread(subject: Proposal | Grant, user: Any) -> list[Message]:
    """The messages of `subject` that `user` may read, oldest first (reviewers: those shared)."""
    column = Message.proposal_id if isinstance(subject, Proposal) else Message.grant_id
    query = (
        select(Message)
        .where(column == subject.id)
        .options(
            joinedload(Message.author),
            selectinload(Message.attachments).joinedload(MessageAttachment.file),
        )
        .order_by(Message.created_at, Message.id)
    )
    if not permissions.can_read_thread(user, subject):
        query = query.where(Message.shared_at.is_not(None))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class WaitingThread:
    """A thread whose last message is the organisation's: the secretariat owes an answer."""

    message: Message  # the last one
    unread: int

    @property
    def subject(self) -> Proposal | Grant:
        return self.message.subject


def waiting_threads(page: int = 1):
    """Threads whose last message came from the organisation, the longest waiting first, with
    how many of their messages no admin has opened yet. Three queries whatever the numbers."""
    per_thread = (
        select(
            func.max(Message.id).label("last_id"),
            func.count()
            .filter(and_(Message.read_at.is_(None), Message.from_secretariat.is_(False)))
            .label("unread"),
        )
        .group_by(Message.proposal_id, Message.grant_id)
        .subquery()
    )
    query = (
        select(Message, per_thread.c.unread)
        .join(per_thread, per_thread.c.last_id == Message.id)
        .where(Message.from_secretariat.is_(False))
        .options(
            joinedload(Message.proposal).joinedload(Proposal.organisation),
            joinedload(Message.grant).joinedload(Grant.organisation),
        )
        .order_by(Message.created_at, Message.id)
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).all()
    return [WaitingThread(message, unread) for message, unread in rows], total


def is_overdue(proposal: Proposal, now: datetime) -> bool:
    """An answer the secretariat asked for, not sent back by its due time."""
    due = proposal.information_due_at
    return due is not None and proposal.state == "information_requested" and due <= now
