"""Server-side sign-ins: each session cookie names a row, and deleting the row ends the session.

The cookie holds `<user id>:<secret>`; only the secret's hash is stored. Logging out deletes the
row, so a copy of the cookie (or the remember-me cookie, which holds the same identity) opens
nothing afterwards. A password change keeps the current sign-in and ends the others; a password
reset and a deactivation end them all. A row lives SESSION_LIFETIME_HOURS, or
REMEMBER_COOKIE_DURATION (at most 30 days) when the person asked to stay logged in.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import contains_eager

from fund import policies
from fund.extensions import db
from fund.models import LoginSession, User
from fund.models.base import utcnow

MAX_REMEMBER = timedelta(days=30)


def lifetime(remember: bool) -> timedelta:
    """How long a new sign-in lasts on the server."""
    if remember:
        return min(current_app.config["REMEMBER_COOKIE_DURATION"], MAX_REMEMBER)
    return timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])


def start(
    user: User,
    *,
    remember: bool = False,
    ip_address: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> str:
    """Record a new sign-in of `user` and return its secret; `user.get_id()` then names it."""
    now = now or utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    key = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_hash=LoginSession.hash(key),
            remember=remember,
            created_at=now,
            expires_at=now + lifetime(remember),
            ip_address=(ip_address or "")[:45],
            user_agent=(user_agent or "")[:200],
        )
    )
    db.session.flush()
    user.session_key = key
    return key


@cache
def _sign_in() -> Select:
    """The query `load` runs on every request, built once: a statement reused keeps its
    compiled form and cache key, which building it anew took a third of its time to work out.

    The user's roles come with the sign-in (every page asks them: menus, permissions), and
    whether a new privacy notice waits for them (every page checks it first)."""
    return (
        select(LoginSession, policies.privacy_due(LoginSession.user_id))
        .join(LoginSession.user)
        .options(contains_eager(LoginSession.user).joinedload(User.role_rows))
        .where(LoginSession.key_hash == bindparam("key_hash"))
    )


def load(identity: str, now: datetime | None = None) -> User | None:
    """The active user whose unexpired sign-in `identity` names, with their roles and whether
    a new privacy notice waits for them, or None (one query)."""
    user_id, _, key = identity.partition(":")
    if not user_id.isdigit() or not key:
        return None
    found = db.session.execute(_sign_in(), {"key_hash": LoginSession.hash(key)})
    found = found.unique().one_or_none()
    if found is None:
        return None
    row, privacy_due = found
    if row.user_id != int(user_id) or row.expires_at <= (now or utcnow()):
        return None
    if not row.user.active:
        return None
    row.user.privacy_due = bool(privacy_due)
    row.user.session_key = key
    return row.user


def current_row_filter(user: User):
    """A WHERE clause matching the sign-in `user` was loaded for."""
    return LoginSession.key_hash == LoginSession.hash(user.session_key or "")


def end(user: User) -> None:
    """End the sign-in `user` was loaded for (logout)."""
    if user.session_key:
        db.session.execute(delete(LoginSession).where(current_row_filter(user)))
        user.session_key = None


def end_others(user: User) -> int:
    """End every sign-in of `user` but the current one; returns how many ended."""
    result = db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, ~current_row_filter(user))
    )
    return result.rowcount


def end_all(user: User) -> None:
    """End every sign-in of `user` (password reset, deactivation)."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.session_key = None


def active(user: User, now: datetime | None = None) -> list[LoginSession]:
    """The unexpired sign-ins of `user`, newest first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.expires_at > (now or utcnow()))
            .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())
        )
    )
