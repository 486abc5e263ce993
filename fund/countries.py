"""Countries (ISO 3166-1 from pycountry, plus Kosovo, which the World Bank lists as XK)."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale
from flask_babel import get_locale

from fund.i18n import current_locale

EXTRA = {"XK": ("XKX", "Kosovo")}


@cache
def _codes() -> dict[str, tuple[str, str]]:
    codes = {
        c.alpha_2: (c.alpha_3, getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    }
    codes.update(EXTRA)
    return codes


def is_country(code: str | None) -> bool:
    return bool(code) and code.upper() in _codes()


def alpha2_from_alpha3(alpha3: str) -> str | None:
    """The alpha-2 code for an alpha-3 one (World Bank lists use alpha-3)."""
    alpha3 = alpha3.strip().upper()
    return next((a2 for a2, (a3, _) in _codes().items() if a3 == alpha3), None)


def country_name(code: str | None) -> str:
    """The country's name in the current language (English if Babel has none)."""
    if not code:
        return ""
    code = code.upper()
    try:
        locale = current_locale() or Locale("en")
        name = locale.territories.get(code)
    except RuntimeError:  # outside a request
        name = None
    return name or _codes().get(code, (None, code))[1]


def country_choices() -> list[tuple[str, str]]:
    """Every country as (alpha-2, name), sorted by name in the current language."""
    try:
        locale = str(get_locale() or "en")
    except RuntimeError:  # outside a request
        locale = "en"
    return list(_choices_in(locale))


@cache
def _choices_in(locale: str) -> tuple[tuple[str, str], ...]:
    """The sorted list for one language, worked out once: filter forms show it on every
    request, and names and order only change with the language."""
    names = Locale.parse(locale).territories
    return tuple(
        sorted(
            ((code, names.get(code) or _codes()[code][1]) for code in _codes()),
            key=lambda c: c[1],
        )
    )
