"""Writes for accounts. Services flush, never commit; the view commits once."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from fund.extensions import db
from fund.models import AuditEvent, LinkPurpose, LinkToken, Role, User, UserRole
from fund.models.base import utcnow
from fund.notifications import public_url, queue_email


class AccountError(Exception):
    """A request about an account that cannot be met; the message is shown to the user."""


NAME_MAX = 120  # the users.name column


MAX_AGE_SETTING = {
    LinkPurpose.VERIFY_EMAIL: "VERIFY_EMAIL_MAX_AGE_HOURS",
    LinkPurpose.RESET_PASSWORD: "RESET_PASSWORD_MAX_AGE_HOURS",
    LinkPurpose.INVITATION: "INVITATION_MAX_AGE_HOURS",
}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> None:
    """Raise AccountError unless `email` is one address (the same test as the forms' Email())."""
    try:
        validate_email(normalise_email(email), check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_("%(email)s is not an e-mail address.", email=email)) from None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    """The account with this address and password, or None.

    An unknown address costs a password check too, so the time taken does not tell an attacker
    which addresses have accounts.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    locale: str = "en",
    roles: tuple[Role, ...] = (Role.APPLICANT,),
    verified_at: datetime | None = None,
) -> User:
    """A new active account with `roles`; raises AccountError if the e-mail is taken.

    The address and name are checked here too, for the entry points without a form (the CLI).
    """
    check_email(email)
    if not name.strip() or len(name.strip()) > NAME_MAX or any(ord(ch) < 32 for ch in name):
        raise AccountError(
            _("Give a name of one line and at most %(max)d characters.", max=NAME_MAX)
        )
    if find_user_by_email(email):
        raise AccountError(_("An account with this e-mail address already exists."))
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        locale=locale,
        email_verified_at=verified_at,
        role_rows=[UserRole(role=role.value) for role in dict.fromkeys(roles)],
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def issue_link(
    purpose: LinkPurpose,
    email: str,
    *,
    user: User | None = None,
    organisation_id: int | None = None,
    created_by: User | None = None,
    now: datetime | None = None,
) -> str:
    """Store a one-time link and return its secret token (only its hash is kept)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    hours = current_app.config[MAX_AGE_SETTING[purpose]]
    db.session.add(
        LinkToken(
            purpose=purpose.value,
            token_hash=LinkToken.hash(token),
            email=normalise_email(email),
            user_id=user.id if user else None,
            organisation_id=organisation_id,
            created_by_id=created_by.id if created_by else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    db.session.flush()
    return token


def find_link(purpose: LinkPurpose, token: str, now: datetime | None = None) -> LinkToken:
    """The unused, unexpired link for `token`, or AccountError saying what is wrong with it.

    Looking a link up never uses it: mail scanners that open links must not consume them.
    """
    link = db.session.scalar(
        select(LinkToken).where(
            LinkToken.token_hash == LinkToken.hash(token), LinkToken.purpose == purpose.value
        )
    )
    if link is None:
        raise AccountError(_("This link is not valid. Check that you copied all of it."))
    if link.used_at is not None:
        raise AccountError(_("This link has already been used. Ask for a new one if you need it."))
    if link.expires_at <= (now or utcnow()):
        raise AccountError(_("This link has expired. Ask for a new one."))
    return link


def use_link(purpose: LinkPurpose, token: str, now: datetime | None = None) -> LinkToken:
    """Find the link and mark it used, so it works once."""
    link = find_link(purpose, token, now)
    link.used_at = now or utcnow()
    db.session.flush()
    return link


def send_verification(user: User) -> None:
    """Queue a verification e-mail for `user`."""
    token = issue_link(LinkPurpose.VERIFY_EMAIL, user.email, user=user)
    queue_email(user, "verify_email", link=public_url("auth.verify_email", token=token))


def register(
    *, email: str, name: str, password: str, locale: str, timezone: str | None = None
) -> User:
    """Create an applicant account and send its verification link."""
    user = create_user(email=email, name=name, password=password, locale=locale)
    user.timezone = timezone or "UTC"
    send_verification(user)
    return user


def verify_email(token: str, now: datetime | None = None) -> User:
    """Consume a verification link and mark the address verified."""
    link = use_link(LinkPurpose.VERIFY_EMAIL, token, now)
    user = link.user
    if user is None or user.email != link.email:
        raise AccountError(_("This link is for an address this account no longer uses."))
    user.email_verified_at = user.email_verified_at or (now or utcnow())
    return user


def request_password_reset(email: str) -> None:
    """Send a reset link if an active account has this address; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = issue_link(LinkPurpose.RESET_PASSWORD, user.email, user=user)
    queue_email(user, "reset_password", link=public_url("auth.reset_password", token=token))


def reset_password(token: str, password: str, now: datetime | None = None) -> User:
    """Consume a reset link, set the password and end every other session."""
    link = use_link(LinkPurpose.RESET_PASSWORD, token, now)
    user = link.user
    if user is None or not user.active:
        raise AccountError(_("This account cannot be used."))
    _set_password(user, password)
    # Reaching the mailbox proves the address, so a reset also verifies it.
    user.email_verified_at = user.email_verified_at or (now or utcnow())
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not user.check_password(current):
        raise AccountError(_("Your current password is not correct."))
    _set_password(user, new)


def _set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.session_version += 1
    db.session.flush()
    queue_email(user, "password_changed")


def update_profile(user: User, *, name: str, locale: str, timezone: str) -> None:
    user.name = name.strip()
    user.locale = locale
    user.timezone = timezone
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def set_roles(user: User, roles: set[Role], actor: User) -> None:
    """Make `user`'s roles exactly `roles`, auditing each grant and revocation."""
    current = user.roles
    if actor.id == user.id and Role.ADMIN in current and Role.ADMIN not in roles:
        raise AccountError(_("You cannot remove your own admin role."))
    for role in roles - current:
        user.role_rows.append(UserRole(role=role.value))
        _audit(user, "grant_role", actor, role.value)
    for row in [r for r in user.role_rows if Role(r.role) not in roles]:
        user.role_rows.remove(row)
        _audit(user, "revoke_role", actor, row.role)
    db.session.flush()


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (ending its sessions) or reactivate an account."""
    if actor.id == user.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    user.session_version += 1
    _audit(user, "activate" if active else "deactivate", actor, "")
    db.session.flush()


def _audit(user: User, action: str, actor: User, comment: str) -> None:
    db.session.add(
        AuditEvent(
            subject_type="user",
            subject_id=user.id,
            action=action,
            actor_id=actor.id,
            comment=comment,
        )
    )
