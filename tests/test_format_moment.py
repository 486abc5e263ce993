"""`dates.format_moment` writes a moment as the `datetime` filter (Flask-Babel's
format_datetime, "medium") does, in the reader's language and time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import session
from flask_babel import force_locale, format_datetime

from fund import dates

MOMENTS = [datetime(2026, 12, 31, 23, 30), datetime(2026, 6, 1, 8, 5, tzinfo=UTC)]


@pytest.mark.parametrize("zone", ["UTC", "Africa/Nairobi", "America/Sao_Paulo"])
@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_a_moment_reads_as_the_datetime_filter_writes_it(app, zone, language):
    with app.test_request_context("/"):
        session["timezone"] = zone  # the visitor's chosen zone (fund/i18n.py select_timezone)
        with force_locale(language):
            for moment in MOMENTS:
                assert dates.format_moment(moment) == format_datetime(moment, "medium")
            assert dates.format_moment(None) == ""


def test_each_reader_gets_the_moment_in_their_own_zone(app):
    late = datetime(2026, 12, 31, 23, 30)
    seen = []
    for zone in ("UTC", "Africa/Nairobi"):
        with app.test_request_context("/"):
            session["timezone"] = zone
            with force_locale("en"):
                seen.append(dates.format_moment(late))
    assert "Dec 31, 2026" in seen[0] and "Jan 1, 2027" in seen[1]
