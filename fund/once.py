"""Forms that create something act once, however often they are sent.

On a slow connection a person presses "Save" again, or the browser resends the form: without
this, a second organisation or a second draft would appear. Each creating form carries a random
token; the first request that acts on it records the token in its own transaction, and any
other request with the same token (even one running at the same moment) is sent to where the
result can be seen instead of acting again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fund.extensions import db
from fund.models import UsedFormToken

FIELD = "once_token"
TOKEN_MAX = 64


def new_token() -> str:
    """A fresh token for a form (templates call it as `once_token()`)."""
    return secrets.token_urlsafe(24)


def once_per_form(fallback_endpoint: str) -> Callable:
    """Run a POST view at most once per form token; repeats go to `fallback_endpoint`.

    The token is recorded before the view runs, in the same transaction, so it is committed
    with what the view creates and rolled back with it when the view fails.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = request.form.get(FIELD, "") if request.method == "POST" else ""
            if token and len(token) <= TOKEN_MAX and not _claim(token):
                flash(
                    _(
                        "This form was already sent, so it was not acted on again. Here is "
                        "where its result is."
                    ),
                    "info",
                )
                return redirect(url_for(fallback_endpoint))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _claim(token: str) -> bool:
    """Record `token` as used in this transaction; False if it was used already."""
    if db.session.scalar(select(UsedFormToken.id).where(UsedFormToken.token == token)):
        return False
    db.session.add(UsedFormToken(token=token, user_id=getattr(current_user, "id", None)))
    try:
        db.session.flush()
    except IntegrityError:  # a twin request committed the same token meanwhile
        db.session.rollback()  # nothing else has happened in this request yet
        return False
    return True
