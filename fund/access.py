"""The view decorator that applies a permission predicate of fund/permissions/."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def require(predicate: Callable[[Any], bool]) -> Callable:
    """Refuse with 403 unless `predicate(current_user)` holds (after login)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
