"""Passkey endpoints: JSON for fund/static/passkeys.js (options, then the authenticator's
answer), and the form that removes a passkey. Each ceremony's challenge is kept in the session
for five minutes and taken out (used up) by the request that answers it."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from fund import clock, permissions
from fund.auth import passkeys, sessions, two_factor
from fund.auth.forms import RemovePasskeyForm
from fund.auth.passkeys import PasskeyError
from fund.auth.two_factor_views import (
    PENDING,
    account_key,
    code_limit,
    pending_sign_in,
    security_page,
)
from fund.extensions import db, limiter
from fund.models import Passkey
from fund.outbox import commit
from fund.security import safe_next

bp = Blueprint("passkeys", __name__, url_prefix="/account/passkeys")

CHALLENGE = "passkey_challenge"  # the session key of the ceremony under way
CHALLENGE_SECONDS = 300
REGISTER, SIGN_IN, SECOND_FACTOR, CONFIRM = "register", "sign-in", "second-factor", "confirm"


def _refuse(message: str, status: int = 400):
    return jsonify({"error": message}), status


def _options(purpose: str, options_json: str, challenge: bytes):
    """Keep `challenge` for `purpose` and send the options to the browser."""
    session[CHALLENGE] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": clock.now().timestamp(),
    }
    # options_to_json wrote them in WebAuthn's JSON form (binary values in base64url).
    response = jsonify(json.loads(options_json))
    response.headers["Cache-Control"] = "no-store"
    return response


def _take_challenge(purpose: str) -> bytes:
    """The challenge kept for `purpose`, removed from the session; refused if none or old."""
    kept = session.pop(CHALLENGE, None) or {}
    started = kept.get("at")
    if (
        kept.get("purpose") != purpose
        or started is None
        or clock.now().timestamp() - float(started) > CHALLENGE_SECONDS
    ):
        raise PasskeyError(_("The passkey request has run out or was used. Try again."), 400)
    return base64url_to_bytes(kept["challenge"])


def _body() -> dict:
    """The JSON object posted, with the credential as an object; refused otherwise."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        raise PasskeyError(_("The request was not understood. Reload the page and try again."))
    return body


@bp.post("/register/options")
@login_required
def register_options():
    """Options to create a passkey for the signed-in user."""
    return _options(REGISTER, *passkeys.registration_options(current_user))


@bp.post("/register")
@login_required
@limiter.limit(code_limit, key_func=account_key)
def register():
    """Keep the passkey the authenticator made, under the name the user gave it."""
    try:
        body = _body()
        challenge = _take_challenge(REGISTER)
        passkey = passkeys.register(
            current_user, str(body.get("name") or ""), body["credential"], challenge, clock.now()
        )
    except PasskeyError as error:
        commit()  # the used challenge stays used
        return _refuse(error.message, error.status)
    commit()
    flash(_("Passkey “%(name)s” added.", name=passkey.name), "success")
    return jsonify({"redirect": url_for("two_factor.setup")}), 201


@bp.post("/login/options")
def login_options():
    """Options to sign in with a passkey: any of this site's (no e-mail typed), or, after the
    password ({"after_password": true}), one of that user's."""
    if current_user.is_authenticated:
        return _refuse(_("You are logged in already."), 409)
    body = request.get_json(silent=True)
    if isinstance(body, dict) and body.get("after_password"):
        user, _pending = pending_sign_in()
        if user is None or not passkeys.has_passkey(user):
            return _refuse(_("Log in again: the time to confirm has run out."), 400)
        return _options(SECOND_FACTOR, *passkeys.authentication_options(user))
    return _options(SIGN_IN, *passkeys.authentication_options(None))


@bp.post("/login")
@limiter.limit(code_limit, key_func=account_key)
def login():
    """Sign in with a passkey: completely on its own (it needs user verification, which makes
    it two factors), or as the second factor after the password."""
    if current_user.is_authenticated:
        return _refuse(_("You are logged in already."), 409)
    pending_user, pending = pending_sign_in()
    after_password = (session.get(CHALLENGE) or {}).get("purpose") == SECOND_FACTOR
    purpose = SECOND_FACTOR if after_password else SIGN_IN
    try:
        body = _body()
        challenge = _take_challenge(purpose)
        if purpose == SECOND_FACTOR and pending_user is None:
            raise PasskeyError(_("Log in again: the time to confirm has run out."), 400)
        passkey = passkeys.authenticate(
            body["credential"],
            challenge,
            clock.now(),
            user=pending_user if purpose == SECOND_FACTOR else None,
            require_user_verification=purpose == SIGN_IN,
        )
        if not passkey.user.active:
            raise PasskeyError(
                _("This account has been deactivated. Contact the fund's secretariat."), 403
            )
    except PasskeyError as error:
        commit()  # the used challenge, and the audit row of a refused passkey
        return _refuse(error.message, error.status)
    remember = bool(pending.get("remember")) if purpose == SECOND_FACTOR else False
    session.pop(PENDING, None)
    sessions.start(
        passkey.user,
        remember=remember,
        ip_address=request.remote_addr or "",
        user_agent=request.user_agent.string,
    )
    login_user(passkey.user, remember=remember)
    commit()
    flash(_("You are logged in."), "success")
    next_url = pending.get("next") if purpose == SECOND_FACTOR else request.args.get("next")
    return jsonify({"redirect": safe_next(next_url, url_for("main.dashboard"))})


@bp.post("/confirm/options")
@login_required
def confirm_options():
    """Options to confirm an account change (removing a passkey) with one of the user's own."""
    if not passkeys.has_passkey(current_user):
        return _refuse(_("You have no passkey to confirm with."), 400)
    return _options(CONFIRM, *passkeys.authentication_options(current_user))


def _confirmed(form: RemovePasskeyForm) -> bool:
    """Whether the second factor given with `form` is right: a code, or a passkey's answer."""
    if form.code.data:
        return two_factor.confirm_code(current_user, form.code.data, clock.now())
    try:
        credential = json.loads(form.assertion.data or "null")
        if not isinstance(credential, dict):
            return False
        passkeys.authenticate(credential, _take_challenge(CONFIRM), clock.now(), user=current_user)
    except (PasskeyError, ValueError):
        return False
    return True


@bp.post("/remove")
@login_required
@limiter.limit(code_limit, key_func=account_key)
def remove():
    """Remove a passkey, with the password and a code or another passkey."""
    form = RemovePasskeyForm(prefix="passkey")
    form.passkey.choices = [(key.id, key.name) for key in passkeys.passkeys_of(current_user)]
    if form.validate_on_submit():
        passkey = db.get_or_404(Passkey, form.passkey.data)
        if not permissions.can_remove_passkey(current_user, passkey):
            abort(404)
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("The password is not correct."))
        elif not _confirmed(form):
            commit()  # the refused code's or passkey's audit row, the used challenge
            form.code.errors.append(
                _("Type a code from your app, or confirm with one of your passkeys.")
            )
        else:
            passkeys.remove(current_user, passkey)
            commit()
            flash(_("Passkey “%(name)s” removed.", name=passkey.name), "success")
            return redirect(url_for("two_factor.setup"))
    return security_page(remove_form=form, status=400)
