"""Passkeys (WebAuthn, the `webauthn` package): a second factor after the password, or a sign-in
on their own with a discoverable credential (no e-mail typed).

The relying party (RP ID and origin) comes from WEBAUTHN_RP_ID / WEBAUTHN_ORIGIN, derived from
PUBLIC_URL when empty. A challenge is made here, kept by the view in the session and handed back
at verification; it is then claimed in `used_form_tokens` (its hash), so the same challenge
cannot be used twice even by someone who kept a copy of the session cookie. The authenticator's
counter must go up on every use (when it counts at all): a counter going back means a cloned
authenticator, which is refused and written in the audit log. Services flush; the view commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from fund import audit
from fund.extensions import db
from fund.models import Passkey, UsedFormToken, User

NAME_MAX = 80
KNOWN_TRANSPORTS = frozenset(transport.value for transport in AuthenticatorTransport)


class PasskeyError(Exception):
    """A passkey step refused: `message` is for the person, `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def rp_id() -> str:
    """The site passkeys belong to: WEBAUTHN_RP_ID, or the host name of PUBLIC_URL."""
    configured = current_app.config.get("WEBAUTHN_RP_ID")
    return configured or urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"


def origin() -> str:
    """The address the browser must be on: WEBAUTHN_ORIGIN, or PUBLIC_URL's scheme://host:port."""
    configured = current_app.config.get("WEBAUTHN_ORIGIN")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    return f"{parts.scheme}://{parts.netloc}"


def user_handle(user: User) -> bytes:
    """The id the authenticator keeps with a discoverable credential (the account number)."""
    return str(user.id).encode()


def passkeys_of(user: User) -> list[Passkey]:
    """`user`'s passkeys, oldest first."""
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )


def has_passkey(user: User) -> bool:
    """Whether `user` has at least one passkey (it counts as a second factor)."""
    return bool(db.session.scalar(select(func.count(Passkey.id)).where(Passkey.user_id == user.id)))


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in passkey.transports.split(",") if t]
    return PublicKeyCredentialDescriptor(id=passkey.credential_id, transports=transports or None)


def registration_options(user: User) -> tuple[str, bytes]:
    """The options for navigator.credentials.create() (JSON) and their challenge.

    A discoverable credential is required, so the passkey can later sign in without an e-mail
    address; user verification (a PIN, a fingerprint) is asked for where the device can."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=current_app.config["TWO_FACTOR_ISSUER"],
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(passkey) for passkey in passkeys_of(user)],
    )
    return options_to_json(options), options.challenge


def authentication_options(user: User | None) -> tuple[str, bytes]:
    """The options for navigator.credentials.get() (JSON) and their challenge: `user`'s passkeys
    after a password, or any passkey of this site (discoverable) when signing in without one."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        allow_credentials=[_descriptor(p) for p in passkeys_of(user)] if user else [],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def _claim_challenge(challenge: bytes, user_id: int | None) -> None:
    """Record `challenge` as used (its hash) in this transaction; refuse one used before."""
    token = hashlib.sha256(challenge).hexdigest()
    if db.session.scalar(select(UsedFormToken.id).where(UsedFormToken.token == token)):
        raise PasskeyError(_("This passkey request was used already. Try again."), 409)
    try:
        with db.session.begin_nested():  # a twin request may commit the same token meanwhile
            db.session.add(UsedFormToken(token=token, user_id=user_id))
    except IntegrityError:
        raise PasskeyError(_("This passkey request was used already. Try again."), 409) from None


def _invalid() -> PasskeyError:
    return PasskeyError(_("The passkey's answer could not be checked. Try again."), 400)


def register(user: User, name: str, credential: dict, challenge: bytes, now: datetime) -> Passkey:
    """Check the authenticator's answer to `challenge` and keep the new passkey as `name`."""
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise PasskeyError(_("Give the passkey a name of at most %(max)d letters.", max=NAME_MAX))
    _claim_challenge(challenge, user.id)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        raise _invalid() from None
    known = select(Passkey.id).where(Passkey.credential_id == verified.credential_id)
    if db.session.scalar(known):
        raise PasskeyError(_("This passkey is registered already."), 409)
    response = credential.get("response") or {}
    transports = [t for t in response.get("transports") or [] if t in KNOWN_TRANSPORTS]
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(transports),
        name=name,
        created_at=now,
    )
    db.session.add(passkey)
    db.session.flush()
    audit.record("user", user.id, "passkey_added", actor=user, comment=name)
    return passkey


def authenticate(
    credential: dict,
    challenge: bytes,
    now: datetime,
    *,
    user: User | None = None,
    require_user_verification: bool = False,
) -> Passkey:
    """Check an assertion answering `challenge`; returns the passkey used, its counter and use
    date updated. `user` (after a password) limits it to that user's passkeys."""
    try:
        credential_id = base64url_to_bytes(credential["rawId"])
    except (ValueError, TypeError, KeyError, AttributeError):
        raise _invalid() from None
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        raise PasskeyError(_("This passkey is not known here. Sign in another way."), 400)
    _claim_challenge(challenge, passkey.user_id)
    handle = (credential.get("response") or {}).get("userHandle")
    try:
        if handle and base64url_to_bytes(handle) != user_handle(passkey.user):
            raise _invalid()
        # The counter is checked below, so that a counter going back can be audited as such.
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=0,
            require_user_verification=require_user_verification,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError):
        raise _invalid() from None
    counted = verified.new_sign_count
    # Authenticators that do not count always say 0; the others must go up. The UPDATE claims
    # the new count, so two requests racing with the same count cannot both pass.
    goes_up = Passkey.sign_count == 0 if counted == 0 else Passkey.sign_count < counted
    claimed = db.session.execute(
        update(Passkey)
        .where(Passkey.id == passkey.id, goes_up)
        .values(sign_count=counted, last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        audit.record(
            "user",
            passkey.user_id,
            "passkey_refused",
            comment=f"counter went back on passkey {passkey.id} ({passkey.name}): cloned?",
        )
        raise PasskeyError(
            _("This passkey was refused: it may have been copied. Use another way to sign in."),
            403,
        )
    db.session.refresh(passkey)
    return passkey


def remove(user: User, passkey: Passkey) -> None:
    """Remove one of `user`'s passkeys (the view has checked the password and a factor)."""
    name = passkey.name
    db.session.delete(passkey)
    db.session.flush()
    audit.record("user", user.id, "passkey_removed", actor=user, comment=name)


def remove_all(user: User) -> int:
    """Remove every passkey of `user` (an admin's reset, an erasure); returns how many."""
    removed = db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    db.session.flush()
    return removed.rowcount
