"""Language and time-zone choice for each request."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and cron jobs; e-mail forces its own locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def select_timezone() -> str:
    """The signed-in user's time zone, else the one the visitor chose, else UTC."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if getattr(current_user, "is_authenticated", False) and current_user.timezone:
        return current_user.timezone
    return session.get("timezone") or browser_timezone() or "UTC"


def browser_timezone() -> str | None:
    """The time zone the visitor's browser reported (app.js sets the `tz` cookie), if valid."""
    zone = request.cookies.get("tz", "")
    return zone if zone in _zones() else None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, for a select list."""
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]
