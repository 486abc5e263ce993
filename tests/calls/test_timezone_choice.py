"""The call form's time zone: a short list of the fund's regions, and "Other time zone"."""

from __future__ import annotations

import json
import re

import pytest

from fund.extensions import db
from fund.models import Call
from fund.timezones import all_zones
from tests.calls.conftest import create_call, form_data


def zone_options(page: str) -> list[str]:
    """The values of the time-zone select's options, in order."""
    select = re.search(r'<select [^>]*id="timezone" name="timezone">(.*?)</select>', page, re.S)
    assert select, "no time-zone select"
    return re.findall(r'value="([^"]+)"', select.group(1))


def test_the_new_call_form_offers_a_short_list_and_other(client, admin):
    """Dozens of zones instead of ~550, in order of their offset, with "Other time zone" last."""
    page = client.get("/calls/new").text
    options = zone_options(page)
    assert 40 <= len(options) <= 70
    assert {"UTC", "Africa/Nairobi", "Asia/Kolkata", "America/Bogota"} <= set(options)
    assert options[-1] == "other" and ">Other time zone…</option>" in page
    assert "(UTC+03:00) Nairobi, Kenya" in page
    assert options.index("America/Bogota") < options.index("UTC") < options.index("Asia/Kolkata")
    assert 'id="timezone_other" name="timezone_other" type="text" value=""' in page


def test_the_users_own_zone_is_listed_and_chosen_even_if_not_common(client, admin):
    admin.timezone = "Asia/Tokyo"
    db.session.commit()
    page = client.get("/calls/new").text
    assert '<option selected value="Asia/Tokyo">' in page


def test_a_call_in_another_zone_shows_it_chosen_when_edited(client, admin):
    call = create_call(timezone="America/Caracas")
    page = client.get(f"/calls/{call.id}/edit").text
    assert '<option selected value="America/Caracas">' in page


@pytest.mark.parametrize("typed", ["America/Caracas", " america/caracas ", "AMERICA/CARACAS"])
def test_other_saves_the_zone_typed_in_its_own_field(client, admin, typed):
    response = client.post("/calls/new", data=form_data(timezone="other", timezone_other=typed))
    assert response.status_code == 302
    assert db.session.scalars(db.select(Call.timezone)).one() == "America/Caracas"


@pytest.mark.parametrize("typed", [None, "", "Mars/Olympus_Mons", "x" * 65])
def test_other_without_a_real_zone_is_refused_next_to_its_field(client, admin, typed):
    response = client.post("/calls/new", data=form_data(timezone="other", timezone_other=typed))
    assert response.status_code == 400
    page = response.text
    assert re.search(r'<p class="error" id="timezone_other-error-1">[^<]+</p>', page)
    assert '<a href="#timezone_other">Other time zone:' in page
    assert '<option selected value="other">' in page
    assert db.session.scalars(db.select(Call)).all() == []


def test_a_zone_typed_without_other_chosen_is_left_aside(client, admin):
    """The list's choice counts; the second field is only read for "Other time zone"."""
    client.post(
        "/calls/new", data=form_data(timezone="Africa/Kampala", timezone_other="Asia/Tokyo")
    )
    assert db.session.scalars(db.select(Call.timezone)).one() == "Africa/Kampala"


def test_the_full_list_for_other_is_a_static_file_cached_for_a_year(client, admin):
    page = client.get("/calls/new").text
    url = re.search(r'data-zones="(/static/timezones\.[0-9a-f]{12}\.json)"', page).group(1)
    response = client.get(url)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert set(json.loads(response.data)) == all_zones()


def test_the_new_call_form_is_much_lighter_than_with_every_zone(client, admin):
    """It weighed 86 KB with the ~550 zones listed; the list itself is now under 5 KB, and the
    page at least 15 KB lighter than it was (the menu grows as the app does)."""
    page = client.get("/calls/new").text
    select = re.search(r'<select [^>]*id="timezone" .*?</select>', page, re.S).group(0)
    assert len(select.encode()) < 5 * 1024
    assert len(page.encode()) < (86 - 15) * 1024
