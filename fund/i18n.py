"""Language and time-zone choice for each request, and lazily translated text."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape


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


class LazyText(LazyString):
    """A string translated when it is used, which is text, not HTML.

    Flask-Babel's lazy strings declare themselves safe HTML (`__html__` returns them as they
    are), so a value put into one (`_l("Spent on %(line)s", line=...)` with a budget line an
    applicant typed) would reach the page as markup wherever it is shown: a form label, an error,
    a template. These escape like any other text; the catalogues hold no markup.
    """

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyText:
    """`_l`: like Flask-Babel's lazy_gettext, but escaped when it is put into HTML."""
    return LazyText(_translate, string, **variables)


def lazy_pgettext(context: str, string: str) -> LazyText:
    """`_lp`: a lazy label whose translation depends on what it describes: "accepted" said of
    an invitation is feminine in French and Spanish ("acceptée", "aceptada"), of a report not."""
    return LazyText(_translate_in_context, context, string)


def _translate_in_context(context: str, string: str) -> str:
    return request_translations().upgettext(context, string)


def _translate(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext through `request_translations`: a list page turns a lazy label
    into text once per row (states, roles, strategies), each a catalogue lookup otherwise."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def current_locale() -> Any:
    """Flask-Babel's `get_locale()` (the locale in force, `force_locale` included; None outside
    an app context), with one look through Flask's `g` proxy instead of three: money, country
    names and dates ask it for every cell of a list page."""
    try:
        found = g._get_current_object()
    except RuntimeError:  # no app context
        return None
    ctx = getattr(found, "_flask_babel", None)
    locale = getattr(ctx, "babel_locale", None)
    return locale if locale is not None else get_locale()


def request_translations() -> Any:
    """The translations of the locale in force, found once per locale per request.

    Flask-Babel looks them up again on each call (its context, the locale, a cache keyed by
    the locale's name): a list page's hundred `_()` calls spent more time there than in
    rendering. The memo is kept next to Flask-Babel's own locale and used only while that very
    locale object is in force, so `force_locale` (e-mail in the recipient's language) is
    followed exactly.
    """
    try:
        found = g._get_current_object()
    except RuntimeError:  # no app context: Flask-Babel's untranslated texts
        return get_translations()
    ctx = getattr(found, "_flask_babel", None)
    locale = getattr(ctx, "babel_locale", None)
    memo = getattr(ctx, "fund_translations", None)
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    ctx = found._flask_babel
    ctx.fund_translations = (getattr(ctx, "babel_locale", None), translations)
    return translations


def install_template_gettext(app: Any) -> None:
    """Templates' `_()` and `ngettext()` through `request_translations` (same texts)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
