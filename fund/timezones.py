"""A short list of time zones for the call form: those of the fund's regions, with "Other".

The full IANA list (about 550 names) weighed 31 KB on every call form, over slow connections,
for a choice nearly always among a few dozen zones: those of the low- and middle-income
countries the fund works in, and of the secretariat. The full list is still reachable: "Other
time zone" and a name typed in its own field (with a searchable list loaded on demand by
app.js from the static file `timezones.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.core import get_global
from babel.dates import get_timezone_location
from flask_babel import get_locale

from fund.countries import country_name

OTHER = "other"

# One or a few zones per region the fund works in, by the city people know them by; every UTC
# offset where LMICs are is covered. Geneva and New York for the Working Group's co-chairs.
COMMON_ZONES = (
    "UTC",
    "America/Mexico_City",
    "America/Guatemala",
    "America/Bogota",
    "America/Lima",
    "America/Guayaquil",
    "America/Port-au-Prince",
    "America/New_York",
    "America/La_Paz",
    "America/Santo_Domingo",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Asuncion",
    "Atlantic/Cape_Verde",
    "Europe/London",
    "Africa/Abidjan",
    "Africa/Accra",
    "Africa/Dakar",
    "Africa/Bamako",
    "Africa/Lagos",
    "Africa/Kinshasa",
    "Africa/Douala",
    "Europe/Zurich",
    "Africa/Johannesburg",
    "Africa/Maputo",
    "Africa/Lusaka",
    "Africa/Harare",
    "Africa/Lubumbashi",
    "Africa/Cairo",
    "Africa/Khartoum",
    "Europe/Kyiv",
    "Africa/Nairobi",
    "Africa/Addis_Ababa",
    "Africa/Kampala",
    "Africa/Dar_es_Salaam",
    "Africa/Mogadishu",
    "Asia/Amman",
    "Asia/Beirut",
    "Asia/Baghdad",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Tashkent",
    "Asia/Kolkata",
    "Asia/Colombo",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Jakarta",
    "Asia/Manila",
    "Pacific/Port_Moresby",
    "Pacific/Fiji",
)

# Older names of listed zones, which browsers still report (Chromium says "Asia/Calcutta").
ALIASES = {
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Dacca": "Asia/Dhaka",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Europe/Kiev": "Europe/Kyiv",
}


@cache
def all_zones() -> frozenset[str]:
    """Every zone a call may use: the IANA regions and UTC (not the legacy aliases)."""
    return frozenset(name for name in available_timezones() if "/" in name or name == "UTC")


@cache
def _by_lower_case() -> dict[str, str]:
    return {zone.lower(): zone for zone in all_zones()}


def zone_named(typed: str | None) -> str | None:
    """The zone a person typed (any letter case, spaces for underscores), if there is one."""
    name = (typed or "").strip().replace(" ", "_").lower()
    return _by_lower_case().get(name)


def canonical(zone: str | None) -> str | None:
    """The listed name of a zone given by an older name; any other zone as it is."""
    return ALIASES.get(zone, zone) if zone else zone


def short_choices(extra: Iterable[str | None] = ()) -> list[tuple[str, str]]:
    """The common zones, plus any of `extra` (the call's own, the user's) that are real zones,
    in order of their UTC offset today, labelled in the user's language."""
    zones = set(COMMON_ZONES) | {canonical(zone) for zone in extra if zone in all_zones()}
    now = datetime.now(UTC)
    ordered = sorted(zones, key=lambda zone: (now.astimezone(ZoneInfo(zone)).utcoffset(), zone))
    return [(zone, zone_label(zone, now)) for zone in ordered]


def zone_label(zone: str, now: datetime) -> str:
    """E.g. "(UTC+03:00) Nairobi, Kenya": the offset today, the city and country by Babel."""
    offset = now.astimezone(ZoneInfo(zone)).strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    if zone == "UTC":
        return f"({offset}) UTC"
    locale = get_locale() or "en"
    # Babel falls back to the zone's own name ("Argentina/Buenos Aires") for some aliases.
    city = get_timezone_location(zone, locale=locale, return_city=True).rpartition("/")[2]
    territory = get_global("zone_territories").get(zone)
    country = country_name(territory) if territory and territory != "001" else city
    place = city if country == city else f"{city}, {country}"
    return f"({offset}) {place}"


def all_zones_json() -> bytes:
    """The full list, for the searchable "other" field (served as a static file)."""
    return json.dumps(sorted(all_zones())).encode()
