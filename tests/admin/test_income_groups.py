"""fund/income_groups.py: loading the World Bank classification and answering for a country.

The shipped list has 218 economies. One of them, the Channel Islands (CHI), has no ISO 3166-1
alpha-2 code (Jersey and Guernsey are coded separately), so it cannot match an organisation's
country and is skipped: 217 rows are stored. Kosovo has no ISO code either but is kept, under
the World Bank's XK.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fund import income_groups
from fund.extensions import db
from fund.income_groups import IncomeListError
from fund.models import AuditEvent, IncomeGroup, IncomeGroupEntry, IncomeGroupList, Role
from tests.admin.conftest import class_csv, shipped_rows
from tests.conftest import make_user

SHIPPED_ECONOMIES = 218
STORED = SHIPPED_ECONOMIES - 1  # without the Channel Islands


@pytest.fixture
def admin(ctx):
    return make_user(Role.ADMIN)


def group(code: str, fiscal_year: str | None = None) -> IncomeGroup:
    return income_groups.income_group_for(code, fiscal_year).income_group


def test_shipped_file_has_218_economies(ctx):
    """The data file itself lists 218 economies, one of them without an alpha-2 code."""
    rows = shipped_rows()
    assert len(rows) == SHIPPED_ECONOMIES
    assert [r["iso3"] for r in rows if not r["iso2"]] == ["CHI"]


def test_shipped_list_loads_every_economy_with_an_iso_code(ctx):
    """217 entries: the 218 economies less the Channel Islands; Kosovo is kept as XK."""
    loaded = income_groups.load_shipped()
    db.session.commit()

    codes = set(
        db.session.scalars(
            select(IncomeGroupEntry.country_code).where(IncomeGroupEntry.list_id == loaded.id)
        )
    )
    assert len(codes) == STORED
    assert "XK" in codes
    assert loaded.fiscal_year == "FY2027"
    assert loaded.source == income_groups.SHIPPED_SOURCE
    assert income_groups.current_list() == loaded


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("VN", IncomeGroup.UPPER_MIDDLE),
        ("TG", IncomeGroup.LOWER_MIDDLE),
        ("ET", IncomeGroup.UNCLASSIFIED),
        ("VE", IncomeGroup.UNCLASSIFIED),
        ("UG", IncomeGroup.LOW),
        ("PH", IncomeGroup.UPPER_MIDDLE),
        ("DE", IncomeGroup.HIGH),
    ],
)
def test_fy2027_groups(ctx, code, expected):
    """FY2027 applies the World Bank's moves of 1 July 2026 (Viet Nam to UMC, Togo to LMC)."""
    income_groups.load_shipped()
    answer = income_groups.income_group_for(code)
    assert answer.income_group == expected
    assert (answer.fiscal_year, answer.overridden) == ("FY2027", False)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("VN", IncomeGroup.LOWER_MIDDLE), ("TG", IncomeGroup.LOW), ("ET", IncomeGroup.UNCLASSIFIED)],
)
def test_fy2026_groups(ctx, code, expected):
    """The same file read for FY2026 gives the earlier groups."""
    income_groups.load_shipped("FY2026")
    assert group(code, "FY2026") == expected
    assert income_groups.income_group_for(code) is None  # nothing loaded for FY2027


def test_lmic_count_in_fy2027(ctx):
    """129 economies are low- or middle-income in FY2027, as the data README says."""
    income_groups.load_shipped()
    answers = income_groups.income_groups()
    assert len(answers) == STORED
    assert sum(a.income_group in {"LIC", "LMC", "UMC"} for a in answers.values()) == 129


def test_unknown_country_has_no_answer(ctx):
    """A code no list knows gives None rather than a guess."""
    income_groups.load_shipped()
    assert income_groups.income_group_for("ZZ") is None


def test_newest_list_for_the_year_is_current(ctx, admin):
    """Loading a newer list makes it the one answers come from."""
    income_groups.load_shipped()
    newer = income_groups.load(
        class_csv(changes={"UGA": "Lower middle income"}),
        source="World Bank CLASS",
        fiscal_year="FY2027",
        loaded_by=admin,
    )
    assert income_groups.current_list() == newer
    assert group("UG") == IncomeGroup.LOWER_MIDDLE
    assert newer.loaded_by_id == admin.id


def test_class_format_loads(ctx):
    """The CLASS list (Economy, Code, Region, Income group) loads; aggregates are skipped."""
    loaded = income_groups.load(class_csv(), source="CLASS.xlsx", fiscal_year="FY2027")

    codes = {entry.country_code for entry in loaded.entries}
    assert len(codes) == STORED
    assert group("VN") == IncomeGroup.UPPER_MIDDLE
    assert group("ET") == IncomeGroup.UNCLASSIFIED  # an empty group in CLASS
    assert group("XK") == IncomeGroup.UPPER_MIDDLE  # XKX
    assert group("AW") == IncomeGroup.HIGH


def test_class_format_with_byte_order_mark_and_hyphens(ctx):
    """Excel's UTF-8 mark and the hyphenated spelling of the groups are understood."""
    changes = {"VNM": "Upper-middle income", "TGO": "Lower-middle income"}
    text = "\ufeff" + class_csv(changes=changes)
    income_groups.load(text, source="CLASS", fiscal_year="FY2027")
    assert group("VN") == IncomeGroup.UPPER_MIDDLE
    assert group("TG") == IncomeGroup.LOWER_MIDDLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file needs a country code column (iso3 or Code) and an income group column"),
        ("Economy,Region\nUganda,Africa\n", "The file needs a country code column"),
        ("Economy,Code,Region\nUganda,UGA,Africa\n", "The file needs a country code column"),
        (class_csv().replace("Income group", "Group"), "The file needs a country code column"),
        (class_csv(changes={"UGA": "Middle income"}), "Unknown income group 'Middle income'."),
        (class_csv(changes={"UGA": "LICC"}), "Unknown income group 'LICC'."),
        # the first 50 rows include the Channel Islands, which have no alpha-2 code
        (
            class_csv(rows=shipped_rows()[:50]),
            "Only 49 countries were found; a World Bank list has over 200.",
        ),
        ("\x89PNG\r\n\x1a\n\x00\x00", "The file needs a country code column"),
        ("Code,Income group\nUGA," + "x" * 200_000 + "\n", "Line 2 cannot be read as CSV"),
        ('Code,Income group\nUGA,"Low income\n' + "x" * 200_000, "cannot be read as CSV"),
    ],
)
def test_bad_lists_are_refused(ctx, text, message):
    """A file missing the columns, with an unknown group or too few countries is refused."""
    with pytest.raises(IncomeListError) as refused:
        income_groups.load(text, source="upload", fiscal_year="FY2027")
    assert message in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(IncomeGroupList)) == 0


def test_unknown_group_message_names_the_line(ctx):
    """The message says which line to fix."""
    rows = shipped_rows()
    uganda_line = 2 + next(i for i, r in enumerate(rows) if r["iso3"] == "UGA")
    with pytest.raises(IncomeListError, match=f"Line {uganda_line}: Unknown income group"):
        income_groups.parse(class_csv(changes={"UGA": "Middle income"}), "FY2027")


def test_shipped_format_needs_the_fiscal_year_column(ctx):
    """The shipped file has FY2026 and FY2027 columns; another year is refused clearly."""
    with pytest.raises(IncomeListError, match="income_group_fy2028"):
        income_groups.load_shipped("FY2028")


@pytest.mark.parametrize("fiscal_year", ["2027", "fy2027", "FY27", "FY2027 ", "FY20277", ""])
def test_badly_written_fiscal_year_is_refused(ctx, fiscal_year):
    """The fiscal year is written FY2027; anything else is refused before it is stored."""
    with pytest.raises(IncomeListError, match="FY followed by the year"):
        income_groups.load(class_csv(), source="CLASS", fiscal_year=fiscal_year)


def test_override_replaces_the_lists_answer_and_is_audited(ctx, admin):
    """An override wins over the list, says it is one, and both setting and removing are audited."""
    income_groups.load_shipped()

    override = income_groups.set_override(
        "VN",
        IncomeGroup.LOWER_MIDDLE,
        reason="Call launched before the July update",
        fiscal_year="FY2027",
        actor=admin,
    )

    answer = income_groups.income_group_for("VN")
    assert (answer.income_group, answer.overridden) == (IncomeGroup.LOWER_MIDDLE, True)
    assert answer.source == "Call launched before the July update"
    assert income_groups.income_groups()["VN"].income_group == IncomeGroup.LOWER_MIDDLE
    assert income_groups.income_groups()["TG"].overridden is False

    income_groups.remove_override(override, admin)

    assert group("VN") == IncomeGroup.UPPER_MIDDLE
    audit = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(a.subject_type, a.action, a.actor_id) for a in audit] == [
        ("income_group_override", "set_override", admin.id),
        ("income_group_override", "remove_override", admin.id),
    ]
    assert "VN FY2027: LMC" in audit[0].comment


def test_setting_an_override_twice_replaces_it(ctx, admin):
    """One override per country and year: the second replaces the first, and both are audited."""
    income_groups.load_shipped()
    first = income_groups.set_override(
        "ET", IncomeGroup.LOW, reason="Last known group", fiscal_year="FY2027", actor=admin
    )
    second = income_groups.set_override(
        "ET", IncomeGroup.LOWER_MIDDLE, reason="Corrected", fiscal_year="FY2027", actor=admin
    )
    db.session.commit()

    assert first.id == second.id
    assert group("ET") == IncomeGroup.LOWER_MIDDLE
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_override_applies_without_a_list(ctx, admin):
    """An override answers even for a year no list is loaded for."""
    income_groups.set_override(
        "SS", IncomeGroup.LOW, reason="Pending classification", fiscal_year="FY2028", actor=admin
    )
    answer = income_groups.income_group_for("SS", "FY2028")
    assert (answer.income_group, answer.overridden, answer.list_id) == (IncomeGroup.LOW, True, None)
    assert income_groups.income_group_for("SS") is None  # other years are untouched


def test_a_list_counts_as_current_only_for_its_own_fiscal_year(app, ctx, admin):
    """`has_current_list` (the dashboard's warning) agrees with `current_list`: no list, a list
    of another year, then one of the year in use."""
    assert not income_groups.has_current_list() and income_groups.current_list() is None
    income_groups.load(
        class_csv(), source="World Bank CLASS", fiscal_year="FY2026", loaded_by=admin
    )
    db.session.commit()
    assert not income_groups.has_current_list() and income_groups.current_list() is None
    income_groups.load(
        class_csv(), source="World Bank CLASS", fiscal_year="FY2027", loaded_by=admin
    )
    db.session.commit()
    assert income_groups.has_current_list() and income_groups.current_list() is not None
