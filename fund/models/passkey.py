"""Passkeys (WebAuthn credentials): a second factor, or a sign-in on their own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.base import timestamp, utcnow
from fund.models.user import User


class Passkey(db.Model):
    """One authenticator's key pair registered to a user: the public key and the counter it
    reports, so a cloned authenticator (its counter going back) is noticed."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The authenticator's id for the key: at most 1023 bytes (WebAuthn level 3).
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # COSE-encoded
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)  # a 32-bit unsigned counter
    transports: Mapped[str] = mapped_column(String(200), default="")  # comma-separated hints
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    last_used_at: Mapped[datetime | None] = timestamp()

    user: Mapped[User] = relationship()
