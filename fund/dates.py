"""Calendar arithmetic on dates people entered, and the range such dates must stay in.

A date is bounded where it is entered (fund/forms.py `DateWithin`, the submission rules), so
that every computation made from it later (a grant's funded period, its report and tranche due
dates, reminders) stays far inside the calendar: year 9999 plus a month is not a date, and an
award made from it would fail.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import flask_babel
from babel import Locale
from babel import dates as babel_dates

from fund.i18n import current_locale

# Every date the app computes a schedule from lies in here; later dates derived from it (a
# project of 60 months, a final report a year after) stay far from the calendar's end.
EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, clamped to the last day of a shorter month
    (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """`day` plus `years` years (29 February becomes 28 February in a common year)."""
    return add_months(day, 12 * years)


def is_plausible(day: date) -> bool:
    """True for a date a schedule can be computed from (EARLIEST to LATEST)."""
    return EARLIEST <= day <= LATEST


def schedule_fits(start: date, months: int) -> bool:
    """True if a period of `months` from `start` lies within EARLIEST..LATEST."""
    if not is_plausible(start) or not 0 <= months <= 12 * 100:
        return False
    return add_months(start, months) <= LATEST


def format_day(value: date | datetime | None) -> str:
    """The `format_date` filter: a day in the reader's locale, "medium" ("5 Dec 2026").

    A plain date is formatted once per value and locale (a list repeats its due dates, and
    Babel takes about 0.05 ms each); a datetime is first moved to the reader's time zone, so
    it goes through Flask-Babel each time.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        return flask_babel.format_date(value, "medium")
    return _medium_day(value, current_locale() or Locale.parse("en"))


@lru_cache(maxsize=4096)
def _medium_day(value: date, locale: Locale) -> str:
    return babel_dates.format_date(value, "medium", locale=locale)


def format_moment(value: datetime | None) -> str:
    """The `datetime` filter's text ("medium", in the reader's time zone) for a page that
    writes its own markup, formatted once per moment, locale and zone: Babel takes longer over
    each moment than the overview over a call's whole table."""
    if not value:
        return ""
    locale = current_locale() or Locale.parse("en")
    return _medium_moment(value, locale, flask_babel.get_timezone())


@lru_cache(maxsize=4096)
def _medium_moment(value: datetime, locale: Locale, zone: Any) -> str:
    # what flask_babel.format_datetime(value, "medium") does with the same locale and zone
    return babel_dates.format_datetime(value, "medium", locale=locale, tzinfo=zone)
