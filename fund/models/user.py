"""Accounts, their roles, and the one-time links sent to them by e-mail."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow


class Role(StrEnum):
    """What a user may do; a user may hold several."""

    APPLICANT = "applicant"
    REVIEWER = "reviewer"
    CHAIR = "chair"
    ADMIN = "admin"
    # Receives the confidential safeguarding concerns; nobody else, admins included, sees them.
    SAFEGUARDING_LEAD = "safeguarding_lead"
    # Funders' representatives and the INSPIRE Working Group: the portfolio's aggregates and
    # the published grants, read-only, never personal data.
    OBSERVER = "observer"


class User(UserMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    email_verified_at: Mapped[datetime | None] = timestamp()
    active: Mapped[bool] = mapped_column(default=True)
    # Wrong passwords in the current window; too many lock password logins for a while.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    failed_logins_since: Mapped[datetime | None] = timestamp()
    login_locked_until: Mapped[datetime | None] = timestamp()
    # Two-factor sign-in (fund/auth/two_factor.py): the shared secret, encrypted; set but not
    # enabled while the user is enrolling. The last 30-second step whose code was accepted, so
    # no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = timestamp()
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = timestamp(default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds."""
        return frozenset(Role(row.role) for row in self.role_rows)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    # The secret of the sign-in this object was loaded for (see LoginSession); not a column.
    session_key = None  # str while signed in
    # Whether a privacy notice published since this person last accepted one waits for them:
    # read by the sign-in query (fund/auth/sessions.py) for its request; None when not read.
    privacy_due = None  # bool once read

    def get_id(self) -> str:
        """The session identity: the user and the secret of its server-side sign-in."""
        if not self.session_key:
            raise RuntimeError("a user is signed in only through fund.auth.sessions.start()")
        return f"{self.id}:{self.session_key}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(db.Model):
    """One sign-in of a user on one browser: the session cookie names it, and deleting the row
    ends that session everywhere a copy of the cookie (or the remember-me cookie) lives."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    expires_at: Mapped[datetime] = timestamp(index=True)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class RecoveryCode(db.Model):
    """One of the single-use codes that sign a user in when the authenticator is lost; only the
    hash is kept, and using it stamps `used_at`."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    used_at: Mapped[datetime | None] = timestamp()

    @staticmethod
    def hash(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()


class UserRole(db.Model):
    """One role held by one user."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"), enum_check("role", Role))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = enum_column(Role)
    granted_at: Mapped[datetime] = timestamp(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LinkPurpose(StrEnum):
    """What a link sent by e-mail lets its holder do."""

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    INVITATION = "invitation"


class LinkToken(db.Model):
    """A one-time link: only the hash is stored, and using it stamps `used_at`."""

    __tablename__ = "link_tokens"
    __table_args__ = (enum_check("purpose", LinkPurpose),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = enum_column(LinkPurpose)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = timestamp(default=utcnow)
    expires_at: Mapped[datetime] = timestamp()
    used_at: Mapped[datetime | None] = timestamp()

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation = relationship("Organisation")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
