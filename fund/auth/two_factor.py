"""Two-factor sign-in with time-based codes (TOTP, RFC 6238) and single-use recovery codes.

The shared secret is kept encrypted (Fernet, with a key derived from SECRET_KEY), so a copy of
the database alone does not give anyone the codes; changing SECRET_KEY therefore means every
user enrols again. A code is accepted for its own 30-second step and the one on either side
(phones' clocks drift), and never twice: each user keeps the last step accepted, raised by an
atomic UPDATE, so two requests racing with the same code cannot both pass. Recovery codes are
80 random bits each, stored as hashes, and stamped used by an UPDATE that only one request can
win. Services flush; the view commits.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from fund import audit
from fund.auth import passkeys, sessions
from fund.extensions import db
from fund.models import RecoveryCode, Role, User
from fund.notifications import queue_email

STEP_SECONDS = 30
DRIFT_STEPS = 1  # the step before and the step after are accepted too
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
RECOVERY_LENGTH = 16  # 16 of 32 symbols: 80 bits


def required_roles() -> frozenset[Role]:
    """The roles that must sign in with a second factor (TWO_FACTOR_REQUIRED_ROLES)."""
    names = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or ""
    if isinstance(names, str):
        names = names.split(",")
    return frozenset(Role(name.strip()) for name in names if name.strip())


def enrolled(user: User) -> bool:
    """Whether `user` signs in with a code after the password."""
    return user.totp_enabled_at is not None


def required(user: User) -> bool:
    """Whether one of `user`'s roles requires a second factor."""
    return bool(user.roles & required_roles())


def has_second_factor(user: User) -> bool:
    """Whether `user` has any second factor: codes from an app, or a passkey."""
    return enrolled(user) or passkeys.has_passkey(user)


def must_enrol(user: User) -> bool:
    """Whether `user` is held at enrolment: required to use a second factor, without one."""
    return required(user) and not has_second_factor(user)


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"fund two-factor secret"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(user: User) -> str | None:
    """`user`'s shared secret in base32, or None (none set, or SECRET_KEY has changed)."""
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        return None


def enrolment_secret(user: User) -> str:
    """The secret `user` is enrolling with: the one already offered, or a new one (flushed)."""
    if enrolled(user):
        raise ValueError("already enrolled")
    secret = _secret(user)
    if secret is None:
        secret = pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends
        user.totp_secret = _fernet().encrypt(secret.encode()).decode()
        db.session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The QR code of `uri` as inline SVG (drawn here: no image request, no script)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, svgclass="qr-code"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str | None:
    code = re.sub(r"[\s-]", "", code or "")
    return code if re.fullmatch(r"[0-9]{6}", code) else None  # ASCII digits only


def _accept_code(user: User, secret: str, code: str, now: datetime) -> bool:
    """Whether `code` is right for a step near `now` not used before; claims that step."""
    digits = _digits(code)
    if digits is None:
        return False
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            claimed = db.session.execute(
                update(User)
                .where(
                    User.id == user.id,
                    or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                )
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                user.totp_last_step = step
                return True
            return False  # that code, or a later one, was used already
    return False


def enable(user: User, code: str, now: datetime) -> list[str] | None:
    """Finish enrolment if `code` comes from the secret offered; returns the recovery codes to
    show once, or None if the code is wrong."""
    secret = _secret(user)
    if secret is None or enrolled(user) or not _accept_code(user, secret, code, now):
        return None
    user.totp_enabled_at = now
    audit.record("user", user.id, "two_factor_enabled", actor=user)
    return new_recovery_codes(user, now)


def new_recovery_codes(user: User, now: datetime) -> list[str]:
    """Replace `user`'s recovery codes by ten new ones; returns them (only their hashes stay)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=RecoveryCode.hash(code), created_at=now)
        for code in codes
    )
    db.session.flush()
    return [format_recovery(code) for code in codes]


def format_recovery(code: str) -> str:
    """A recovery code as shown: four groups of four."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _recovery_normalised(code: str) -> str | None:
    code = re.sub(r"[\s-]", "", code or "").upper()
    if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return None
    return code


def recovery_codes_left(user: User) -> int:
    """How many of `user`'s recovery codes are unused."""
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def check(user: User, code: str, now: datetime) -> str | None:
    """Check a code typed at sign-in: "totp" or "recovery" for the kind accepted, else None.

    A wrong code is written in the audit log, like a wrong password."""
    if not enrolled(user):
        return None
    secret = _secret(user)
    if secret is not None and _accept_code(user, secret, code, now):
        return "totp"
    normalised = _recovery_normalised(code)
    if normalised is not None:
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == RecoveryCode.hash(normalised),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if used.rowcount == 1:
            audit.record("user", user.id, "recovery_code_used", actor=user)
            return "recovery"
    audit.record("user", user.id, "login_refused", comment="wrong two-factor code")
    return None


def confirm_code(user: User, code: str, now: datetime) -> bool:
    """Whether `code` (from the app, or a recovery code) confirms an account change."""
    return check(user, code, now) is not None


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def disable(user: User) -> None:
    """Turn `user`'s second factor off (the view has checked the password and a code)."""
    _clear(user)
    audit.record("user", user.id, "two_factor_disabled", actor=user)


def reset_by_admin(user: User, admin: User) -> None:
    """An admin removes `user`'s second factors (a lost phone and lost recovery codes, lost
    passkeys): every session of `user` ends, the change is audited and `user` is told by e-mail."""
    _clear(user)
    passkeys.remove_all(user)
    sessions.end_all(user)
    audit.record("user", user.id, "two_factor_reset", actor=admin)
    queue_email(user, "two_factor_reset", admin=admin)
