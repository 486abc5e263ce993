"""World Bank income groups: loading a classification and saying which group a country is in.

The project ships the list in fund/data/world_bank_income_groups.csv. An administrator can load a
newer one (the World Bank's CLASS file saved as CSV, or a file in the shipped format) and
override single countries; each answer says which list, fiscal year and override it came from.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from fund.countries import alpha2_from_alpha3, country_choices, is_country
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import (
    AuditEvent,
    IncomeGroup,
    IncomeGroupEntry,
    IncomeGroupList,
    IncomeGroupOverride,
    User,
)
from fund.reads import read

INCOME_GROUP_LABELS = {
    IncomeGroup.LOW: _l("Low income"),
    IncomeGroup.LOWER_MIDDLE: _l("Lower-middle income"),
    IncomeGroup.UPPER_MIDDLE: _l("Upper-middle income"),
    IncomeGroup.HIGH: _l("High income"),
    IncomeGroup.UNCLASSIFIED: _l("Not classified"),
}


SHIPPED = Path(__file__).parent / "data" / "world_bank_income_groups.csv"
SHIPPED_SOURCE = "World Bank income classification shipped with the application"
FISCAL_YEAR = re.compile(r"FY20\d\d")

# How the World Bank's CLASS file spells the groups.
WORLD_BANK_NAMES = {
    "low income": IncomeGroup.LOW,
    "lower middle income": IncomeGroup.LOWER_MIDDLE,
    "lower-middle income": IncomeGroup.LOWER_MIDDLE,
    "upper middle income": IncomeGroup.UPPER_MIDDLE,
    "upper-middle income": IncomeGroup.UPPER_MIDDLE,
    "high income": IncomeGroup.HIGH,
    "": IncomeGroup.UNCLASSIFIED,
}


class IncomeListError(Exception):
    """A list that cannot be loaded; the message says which row and why."""


@dataclass(frozen=True)
class CountryIncome:
    """A country's income group and where the answer came from."""

    country_code: str
    income_group: IncomeGroup
    fiscal_year: str
    list_id: int | None
    source: str
    overridden: bool


def current_fiscal_year() -> str:
    return current_app.config["INCOME_GROUP_FISCAL_YEAR"]


def _group(value: str) -> IncomeGroup:
    value = value.strip()
    if value in IncomeGroup._value2member_map_:
        return IncomeGroup(value)
    if value.lower() in WORLD_BANK_NAMES:
        return WORLD_BANK_NAMES[value.lower()]
    raise IncomeListError(_("Unknown income group %(value)r.", value=value))


def check_fiscal_year(fiscal_year: str) -> str:
    """`fiscal_year` if it is written like FY2027; IncomeListError otherwise."""
    if not isinstance(fiscal_year, str) or not FISCAL_YEAR.fullmatch(fiscal_year):
        raise IncomeListError(
            _(
                "Write the fiscal year as FY followed by the year, e.g. FY2027 (not %(value)r).",
                value=fiscal_year,
            )
        )
    return fiscal_year


def parse(text: str, fiscal_year: str) -> dict[str, IncomeGroup]:
    """Country code -> group from a CSV in the shipped format or the World Bank's CLASS format."""
    check_fiscal_year(fiscal_year)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _parse_rows(reader, fiscal_year)
    except csv.Error as error:  # e.g. a binary file or a runaway quoted field
        raise IncomeListError(
            _(
                "Line %(line)d cannot be read as CSV (%(error)s). Save the list as CSV and try "
                "again.",
                line=reader.line_num + 1,
                error=error,
            )
        ) from None


def _parse_rows(reader: csv.DictReader, fiscal_year: str) -> dict[str, IncomeGroup]:
    fields = {name.strip().lower(): name for name in reader.fieldnames or []}
    group_column = fields.get(f"income_group_{fiscal_year.lower()}") or fields.get("income group")
    code_column = fields.get("iso3") or fields.get("code")
    if not group_column or not code_column:
        raise IncomeListError(
            _(
                "The file needs a country code column (iso3 or Code) and an income group column "
                "(income_group_%(fy)s or Income group).",
                fy=fiscal_year.lower(),
            )
        )
    groups: dict[str, IncomeGroup] = {}
    for row in reader:
        alpha3 = (row.get(code_column) or "").strip().upper()
        if not alpha3:
            continue
        alpha2 = (row.get(fields.get("iso2", ""), "") or "").strip().upper() or alpha2_from_alpha3(
            alpha3
        )
        if not alpha2 or not is_country(alpha2):
            continue  # aggregates (e.g. "World") and economies with no ISO code
        try:
            groups[alpha2] = _group(row.get(group_column) or "")
        except IncomeListError as error:
            raise IncomeListError(
                _("Line %(line)d: %(error)s", line=reader.line_num, error=error)
            ) from None
    if len(groups) < 100:
        raise IncomeListError(
            _(
                "Only %(count)d countries were found; a World Bank list has over 200.",
                count=len(groups),
            )
        )
    return groups


def load(
    text: str,
    *,
    source: str,
    fiscal_year: str,
    loaded_by: User | None = None,
    now: datetime | None = None,
) -> IncomeGroupList:
    """Store a new list for `fiscal_year`; it becomes the current one for that year."""
    groups = parse(text, fiscal_year)
    income_list = IncomeGroupList(
        fiscal_year=fiscal_year,
        source=source[:200],
        loaded_by_id=loaded_by.id if loaded_by else None,
        entries=[
            IncomeGroupEntry(country_code=code, income_group=group.value)
            for code, group in sorted(groups.items())
        ],
    )
    if now is not None:
        income_list.loaded_at = now
    db.session.add(income_list)
    db.session.flush()
    return income_list


def load_shipped(fiscal_year: str | None = None) -> IncomeGroupList:
    """Load the list the project ships, for `fiscal_year` (the configured one by default)."""
    return load(
        SHIPPED.read_text(encoding="utf-8"),
        source=SHIPPED_SOURCE,
        fiscal_year=fiscal_year or current_fiscal_year(),
    )


# built once (the admin's dashboard asks on each view); the fiscal year is bound when it runs
_CURRENT_LIST = (
    select(IncomeGroupList)
    .where(IncomeGroupList.fiscal_year == bindparam("fiscal_year"))
    .order_by(IncomeGroupList.loaded_at.desc(), IncomeGroupList.id.desc())
    .limit(1)
)


def current_list(fiscal_year: str | None = None) -> IncomeGroupList | None:
    """The newest list loaded for the fiscal year."""
    return db.session.scalar(_CURRENT_LIST, {"fiscal_year": fiscal_year or current_fiscal_year()})


_ANY_LIST = (
    select(IncomeGroupList.id)
    .where(IncomeGroupList.fiscal_year == bindparam("fiscal_year"))
    .limit(1)
)


def has_current_list() -> bool:
    """Whether any list is loaded for the current fiscal year (the admin's dashboard warns when
    none is): its id alone, read without loading the list through the ORM."""
    found = read(_ANY_LIST, {"fiscal_year": current_fiscal_year()}).first()
    return found is not None


def income_groups(fiscal_year: str | None = None) -> dict[str, CountryIncome]:
    """Every country's income group for the fiscal year, overrides applied (two queries)."""
    fiscal_year = fiscal_year or current_fiscal_year()
    income_list = current_list(fiscal_year)
    answer: dict[str, CountryIncome] = {}
    if income_list is not None:
        rows = db.session.execute(
            select(IncomeGroupEntry.country_code, IncomeGroupEntry.income_group).where(
                IncomeGroupEntry.list_id == income_list.id
            )
        )
        for code, group in rows:
            answer[code] = CountryIncome(
                code, IncomeGroup(group), fiscal_year, income_list.id, income_list.source, False
            )
    for override in db.session.scalars(
        select(IncomeGroupOverride).where(IncomeGroupOverride.fiscal_year == fiscal_year)
    ):
        answer[override.country_code] = CountryIncome(
            override.country_code,
            IncomeGroup(override.income_group),
            fiscal_year,
            income_list.id if income_list else None,
            override.reason,
            True,
        )
    return answer


def income_group_for(country_code: str, fiscal_year: str | None = None) -> CountryIncome | None:
    """One country's income group for the fiscal year, or None if no list knows it."""
    fiscal_year = fiscal_year or current_fiscal_year()
    override = db.session.scalar(
        select(IncomeGroupOverride).where(
            IncomeGroupOverride.fiscal_year == fiscal_year,
            IncomeGroupOverride.country_code == country_code,
        )
    )
    income_list = current_list(fiscal_year)
    if override is not None:
        return CountryIncome(
            country_code,
            IncomeGroup(override.income_group),
            fiscal_year,
            income_list.id if income_list else None,
            override.reason,
            True,
        )
    if income_list is None:
        return None
    group = db.session.scalar(
        select(IncomeGroupEntry.income_group).where(
            IncomeGroupEntry.list_id == income_list.id,
            IncomeGroupEntry.country_code == country_code,
        )
    )
    if group is None:
        return None
    return CountryIncome(
        country_code, IncomeGroup(group), fiscal_year, income_list.id, income_list.source, False
    )


def set_override(
    country_code: str, income_group: IncomeGroup, *, reason: str, fiscal_year: str, actor: User
) -> IncomeGroupOverride:
    """Override one country's group for a fiscal year (replacing an earlier override)."""
    check_fiscal_year(fiscal_year)
    override = db.session.scalar(
        select(IncomeGroupOverride).where(
            IncomeGroupOverride.fiscal_year == fiscal_year,
            IncomeGroupOverride.country_code == country_code,
        )
    ) or IncomeGroupOverride(fiscal_year=fiscal_year, country_code=country_code)
    override.income_group = income_group.value
    override.reason = reason.strip()
    override.set_by_id = actor.id
    db.session.add(override)
    db.session.flush()
    _audit(
        override,
        "set_override",
        actor,
        f"{country_code} {fiscal_year}: {income_group.value} ({override.reason})",
    )
    return override


def remove_override(override: IncomeGroupOverride, actor: User) -> None:
    """Drop an override; the loaded list applies to that country again."""
    _audit(override, "remove_override", actor, f"{override.country_code} {override.fiscal_year}")
    db.session.delete(override)
    db.session.flush()


def _audit(override: IncomeGroupOverride, action: str, actor: User, comment: str) -> None:
    db.session.add(
        AuditEvent(
            subject_type="income_group_override",
            subject_id=override.id,
            action=action,
            actor_id=actor.id,
            comment=comment,
        )
    )


def country_choices_with_groups(fiscal_year: str | None = None) -> list[tuple[str, str]]:
    """Every country for a select list, each with its income group, e.g. "Uganda (Low income)"."""
    known = income_groups(fiscal_year)
    return [
        (
            code,
            f"{name} ({INCOME_GROUP_LABELS[known[code].income_group]})" if code in known else name,
        )
        for code, name in country_choices()
    ]
