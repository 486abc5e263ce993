"""Writes for accounts. Services flush, never commit; the view commits once."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from fund import audit, policies
from fund.auth import sessions
from fund.extensions import db
from fund.models import LinkPurpose, LinkToken, PolicyKind, Role, User, UserRole
from fund.models.base import UTCDateTime, utcnow
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


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """The account with this address and password, or None.

    An unknown address costs a password check too, so the time taken does not tell an attacker
    which addresses have accounts. Wrong passwords are counted per account: after
    LOGIN_FAILURE_LIMIT of them within LOGIN_FAILURE_WINDOW_MINUTES, the account refuses
    password logins for LOGIN_LOCK_MINUTES (with the same answer as a wrong password) and its
    owner is e-mailed a reset link.
    """
    now = now or utcnow()
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    locked = user.login_locked_until is not None and user.login_locked_until > now
    if user.check_password(password) and not locked:
        if user.failed_logins or user.login_locked_until:
            user.failed_logins, user.failed_logins_since, user.login_locked_until = 0, None, None
            db.session.flush()
        return user
    if not locked:
        audit.record("user", user.id, "login_refused", comment="wrong password")
        _count_failed_login(user, now)
    return None


def refuse_login(user: User, reason: str) -> None:
    """Record a login refused for a reason other than the password (e.g. a deactivated
    account) in the audit log."""
    audit.record("user", user.id, "login_refused", comment=reason)


def _count_failed_login(user: User, now: datetime) -> None:
    """Add one wrong password to `user`'s window, atomically (logins run in parallel)."""
    config = current_app.config
    window_start = now - timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    stale = or_(User.failed_logins_since.is_(None), User.failed_logins_since < window_start)
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_logins=case((stale, 1), else_=User.failed_logins + 1),
            failed_logins_since=case(
                (stale, literal(now, UTCDateTime())), else_=User.failed_logins_since
            ),
        )
        .execution_options(synchronize_session=False)
    )
    # Only the request whose failure reaches the limit locks the account and sends the e-mail.
    locked = db.session.execute(
        update(User)
        .where(User.id == user.id, User.failed_logins >= config["LOGIN_FAILURE_LIMIT"])
        .values(
            failed_logins=0,
            failed_logins_since=None,
            login_locked_until=now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["failed_logins", "failed_logins_since", "login_locked_until"])
    if locked.rowcount == 1:
        audit.record(
            "user",
            user.id,
            "login_locked",
            comment=f"{config['LOGIN_FAILURE_LIMIT']} wrong passwords; paused for "
            f"{config['LOGIN_LOCK_MINUTES']} minutes",
        )
        token = issue_link(LinkPurpose.RESET_PASSWORD, user.email, user=user, now=now)
        queue_email(
            user,
            "login_locked",
            link=public_url("auth.reset_password", token=token),
            minutes=config["LOGIN_LOCK_MINUTES"],
            failures=config["LOGIN_FAILURE_LIMIT"],
        )


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
) -> User | None:
    """Create an applicant account and send its verification link.

    If the address already has an account, nothing is created: its owner is told by e-mail that
    someone tried to register it (with the way to log in or reset the password), and the caller
    answers exactly as for a new account, so the page does not tell who has an account. The
    password is hashed either way, so both take about the same time. Returns the new user, or
    None when the address was taken.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        generate_password_hash(password)  # the same work as creating the account
        queue_email(
            existing,
            "register_existing",
            login=public_url("auth.login"),
            forgot=public_url("auth.forgot_password"),
        )
        return None
    user = create_user(email=email, name=name, password=password, locale=locale)
    user.timezone = timezone or "UTC"
    # The registration page says that creating the account accepts the notice in force.
    notice = policies.current_number(PolicyKind.PRIVACY)
    policies.accept(user, PolicyKind.PRIVACY, notice, utcnow())
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
    """Send a reset link if an active account has this address; say nothing either way.

    The view runs this after its response (fund.tasks), so the request takes the same time
    whether or not the account exists.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = issue_link(LinkPurpose.RESET_PASSWORD, user.email, user=user)
    queue_email(user, "reset_password", link=public_url("auth.reset_password", token=token))


def reset_password(token: str, password: str, now: datetime | None = None) -> User:
    """Consume a reset link, set the password and end every session of the account.

    The caller signs the person in afresh. A login lock is lifted: reaching the mailbox proves
    the owner, which also verifies the address.
    """
    now = now or utcnow()
    link = use_link(LinkPurpose.RESET_PASSWORD, token, now)
    user = link.user
    if user is None or not user.active:
        raise AccountError(_("This account cannot be used."))
    sessions.end_all(user)
    _set_password(user, password, now)
    user.email_verified_at = user.email_verified_at or now
    user.failed_logins, user.failed_logins_since, user.login_locked_until = 0, None, None
    return user


def change_password(user: User, current: str, new: str, now: datetime | None = None) -> None:
    """Change a password after checking the current one; the user's other sessions end."""
    if not user.check_password(current):
        raise AccountError(_("Your current password is not correct."))
    sessions.end_others(user)
    _set_password(user, new, now or utcnow())


def _set_password(user: User, password: str, now: datetime) -> None:
    """Set the password and void every other reset or verification link still out there."""
    user.set_password(password)
    db.session.execute(
        update(LinkToken)
        .where(
            LinkToken.user_id == user.id,
            LinkToken.purpose.in_([LinkPurpose.RESET_PASSWORD, LinkPurpose.VERIFY_EMAIL]),
            LinkToken.used_at.is_(None),
            LinkToken.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    queue_email(user, "password_changed")


def end_other_sessions(user: User) -> int:
    """Log `user` out everywhere but here (the profile's button); returns how many ended."""
    ended = sessions.end_others(user)
    db.session.flush()
    return ended


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
    if not active:
        sessions.end_all(user)
    _audit(user, "activate" if active else "deactivate", actor, "")
    db.session.flush()


def _audit(user: User, action: str, actor: User, comment: str) -> None:
    audit.record("user", user.id, action, actor=actor, comment=comment)
