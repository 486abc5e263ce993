"""Messages between an organisation's members and the secretariat, on a proposal or a grant.

A thread is the messages of one proposal or one grant; reviewers read a message only once the
secretariat shares it with them (`shared_at`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import timestamp, utcnow


class Message(db.Model):
    """One message in the thread of a proposal or of a grant (exactly one of the two)."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (grant_id IS NULL)", name="one_subject"),
        # a thread in the order it was written
        Index("ix_messages_proposal_created", "proposal_id", "created_at"),
        Index("ix_messages_grant_created", "grant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Which side wrote it: the secretariat (an admin) or the organisation. Kept on the row so a
    # thread reads right after an author's roles or account change.
    from_secretariat: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    # The question of an "Ask for more information" step, shown to the applicant as such.
    is_information_request: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    # When someone of the other side first opened the thread after it was written.
    read_at: Mapped[datetime | None] = timestamp()
    shared_at: Mapped[datetime | None] = timestamp()
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])
    proposal = relationship("Proposal")
    grant = relationship("Grant")
    attachments: Mapped[list[MessageAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageAttachment.id"
    )

    @property
    def subject(self):
        """The proposal or grant the message is about."""
        return self.proposal if self.proposal_id is not None else self.grant

    @property
    def organisation_id(self) -> int:
        return self.subject.organisation_id


class MessageAttachment(db.Model):
    """A file sent with a message."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"))

    message: Mapped[Message] = relationship(back_populates="attachments")
    file = relationship("StoredFile")
