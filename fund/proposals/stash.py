"""Nothing typed is lost when a session or its CSRF token expires.

A POST to the proposal form from a user who is no longer logged in, or with a bad CSRF token, is
kept in a FormStash under a random key held in the (new) session; the user logs in again and the
edit page puts the values back into the form, unsaved, for the user to check and save.

The views this guards are exempt from the global CSRF check: `guard_post` checks CSRF itself,
before anything else, so it can keep the data instead of answering a bare 400.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import same_origin, validate_csrf
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from wtforms import ValidationError

from fund import clock
from fund.extensions import db
from fund.models import FormStash, Proposal
from fund.outbox import commit
from fund.permissions import can_edit_proposal, is_signed_in
from fund.proposals.forms import TEXT_FIELDS

SESSION_KEY = "form_stash"
MAX_AGE = timedelta(days=1)
MAX_VALUE_LENGTH = 20_000  # far above every field's limit: over-long text is kept, then refused
MAX_VALUES = 300  # e.g. countries chosen
KEPT_FIELDS = {
    "lock_version",
    "language",
    "strategies",
    "countries",
    "start_date",
    "duration_months",
    "attachment_description",
    *TEXT_FIELDS,
}
BUDGET_FIELD = re.compile(r"budget_lines-(\d{1,3})-(category|description|amount)")
ANSWER_FIELD = re.compile(r"q_[0-9a-f]{8}(-other)?")  # the call's own questions


# --- the records ------------------------------------------------------------------------------


def keep(path: str, data: MultiDict, now: datetime | None = None) -> str:
    """Store the proposal form's fields from `data`; returns the stash's random key."""
    now = now or clock.now()
    db.session.execute(delete(FormStash).where(FormStash.created_at < now - MAX_AGE))
    kept: dict[str, list[str]] = {}
    for name, values in data.lists():
        if name in KEPT_FIELDS or BUDGET_FIELD.fullmatch(name) or ANSWER_FIELD.fullmatch(name):
            kept[name] = [str(v)[:MAX_VALUE_LENGTH] for v in values[:MAX_VALUES]]
    key = secrets.token_urlsafe(32)
    db.session.add(FormStash(key=key, path=path[:300], data=kept, created_at=now))
    db.session.flush()
    return key


def take(key: str | None, path: str, now: datetime | None = None) -> MultiDict | None:
    """The values stashed under `key` for `path`, removed from the database; None if none."""
    if not key:
        return None
    now = now or clock.now()
    stash = db.session.scalar(select(FormStash).where(FormStash.key == key))
    if stash is None or stash.path != path:
        return None
    db.session.delete(stash)
    db.session.flush()
    if stash.created_at < now - MAX_AGE:
        return None
    return MultiDict([(name, value) for name, values in stash.data.items() for value in values])


# --- the request side -------------------------------------------------------------------------


def csrf_is_valid() -> bool:
    """The check CSRFProtect would have made (token, and the referrer on HTTPS)."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return True
    if request.is_secure and config.get("WTF_CSRF_SSL_STRICT", True):
        if not request.referrer or not same_origin(request.referrer, f"https://{request.host}/"):
            return False
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    g.csrf_valid = True  # the form's own CSRF check need not repeat it
    return True


def restore(path: str) -> MultiDict | None:
    """The values kept for `path` in this session, if any (call after the permission check)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != path:
        return None
    session.pop(SESSION_KEY, None)
    data = take(kept.get("key"), path)
    commit()  # the stash is used up (or was stale): it is never given out twice
    if data is not None:
        flash(_("We kept what you typed: check it and press Save draft."), "warning")
    return data


def guard_post(edit_endpoint: str, *, json: bool = False) -> Callable:
    """Wrap a proposal view: keep a POST's data when the login or the CSRF token has expired.

    GET requests from anonymous users go to the login page as with `login_required`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(proposal_id: int, **kwargs):
            signed_in = is_signed_in(current_user)
            if request.method != "POST":
                if not signed_in:
                    return current_app.login_manager.unauthorized()
                return view(proposal_id, **kwargs)
            if signed_in and csrf_is_valid():
                return view(proposal_id, **kwargs)
            return _keep_and_send_back(proposal_id, edit_endpoint, signed_in, json)

        return wrapper

    return decorator


def from_this_site() -> bool:
    """False when the browser says the form was sent from another site.

    Browsers send an Origin header with every cross-site POST (Referer as a fallback), so a page
    elsewhere cannot plant text in someone's form through the keeping mechanism.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        return same_origin(origin, request.host_url)
    if request.referrer:
        return same_origin(request.referrer, request.host_url)
    return True


def _keep_and_send_back(proposal_id: int, edit_endpoint: str, signed_in: bool, json: bool):
    if not from_this_site():
        abort(400, description=_("This form was sent from another site, so it was not used."))
    edit_path = url_for(edit_endpoint, proposal_id=proposal_id)
    proposal = db.session.get(Proposal, proposal_id)
    if signed_in and (proposal is None or not can_edit_proposal(current_user, proposal)):
        abort(404)  # nothing to keep for someone who could not save it anyway
    if proposal is not None:
        session[SESSION_KEY] = {"key": keep(edit_path, request.form), "path": edit_path}
        commit()
    if signed_in:  # the token expired, not the login: back to the form, values restored
        message = _("The form had expired. We kept what you typed: check it and press Save draft.")
        target = edit_path
    else:
        message = _("Your session has ended. Log in again: we kept what you typed.")
        target = url_for("auth.login", next=edit_path)
    if json:
        return jsonify(saved=False, expired=True, message=message, url=target), (
            400 if signed_in else 401
        )
    if not signed_in:
        flash(message, "warning")
    return redirect(target)
