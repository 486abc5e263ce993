"""The organisation page shows its country's World Bank income group for the fiscal year."""

from __future__ import annotations

import pytest

from fund import income_groups
from fund.extensions import db
from fund.models import IncomeGroup, Role
from tests.conftest import login, make_organisation, make_user


@pytest.fixture
def member(ctx):
    return make_user(Role.APPLICANT)


def income_text(client, organisation) -> str:
    page = client.get(f"/organisations/{organisation.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    start = text.index("World Bank income group")
    return " ".join(text[start : text.index("<dt>", start)].split())


def test_unknown_until_a_list_is_loaded(client, member):
    """Before the secretariat loads a list, the page says the group is not known."""
    organisation = make_organisation(member, country_code="UG")
    login(client, member)
    assert "Not known: the secretariat has not loaded" in income_text(client, organisation)


@pytest.mark.parametrize(
    ("country", "label"),
    [
        ("UG", "Low income"),
        ("TG", "Lower-middle income"),
        ("VN", "Upper-middle income"),
        ("GB", "High income"),
        ("ET", "Not classified"),
        ("XK", "Upper-middle income"),
    ],
)
def test_group_of_the_configured_fiscal_year(client, member, country, label):
    """With the shipped list loaded, the page names the group and the fiscal year FY2027."""
    income_groups.load_shipped()
    db.session.commit()
    organisation = make_organisation(member, country_code=country)
    login(client, member)

    text = income_text(client, organisation)

    assert label in text
    assert "fiscal year FY2027" in text
    assert "set by the secretariat" not in text


def test_another_fiscal_year_setting(client, app, member, monkeypatch):
    """With INCOME_GROUP_FISCAL_YEAR = FY2026, Viet Nam shows as lower-middle income."""
    monkeypatch.setitem(app.config, "INCOME_GROUP_FISCAL_YEAR", "FY2026")
    income_groups.load_shipped()
    db.session.commit()
    organisation = make_organisation(member, country_code="VN")
    login(client, member)

    text = income_text(client, organisation)

    assert "Lower-middle income" in text and "fiscal year FY2026" in text


def test_override_is_shown_as_set_by_the_secretariat(client, member):
    """A secretariat override replaces the list's answer and says so."""
    income_groups.load_shipped()
    admin = make_user(Role.ADMIN)
    income_groups.set_override(
        "UG",
        IncomeGroup.LOWER_MIDDLE,
        reason="Reclassified mid-year",
        fiscal_year="FY2027",
        actor=admin,
    )
    db.session.commit()
    organisation = make_organisation(member, country_code="UG")
    login(client, member)

    text = income_text(client, organisation)

    assert "Lower-middle income" in text
    assert "Low income" not in text
    assert "set by the secretariat" in text


def test_the_country_list_shows_each_income_group_before_saving(client, ctx):
    """An applicant sees whether its country is low or middle income while choosing it."""
    from fund.extensions import db
    from fund.income_groups import load_shipped
    from fund.models import Role
    from tests.conftest import login, make_user

    load_shipped()
    db.session.commit()
    login(client, make_user(Role.APPLICANT))
    page = client.get("/organisations/new").text
    assert ">Uganda (Low income)</option>" in page
    assert ">Chile (High income)</option>" in page
