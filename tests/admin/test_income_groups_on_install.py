"""A fresh install has the shipped income groups from its first `flask db upgrade`, and the
secretariat's dashboard warns while no list is loaded for the fiscal year in use."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from fund import create_app, income_groups
from fund.extensions import db
from fund.models import IncomeGroup, IncomeGroupList, Role
from tests.conftest import login, make_user
from tests.conftest import test_settings as settings_for
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

BEFORE = "5b1d0e7c2a91"  # the revision before the one that loads the list


@pytest.fixture
def install(empty_database_url, tmp_path):  # noqa: F811
    """Make an app on an empty database, with extra settings."""
    made = []

    def make(**settings):
        app = create_app(
            settings_for(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url, **settings)
        )
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def lists() -> list[IncomeGroupList]:
    return list(db.session.scalars(select(IncomeGroupList)))


def test_upgrading_an_empty_database_loads_the_shipped_list(install):
    app = install()
    with app.app_context():
        upgrade()
        (loaded,) = lists()
        assert loaded.fiscal_year == app.config["INCOME_GROUP_FISCAL_YEAR"]
        assert loaded.source == income_groups.SHIPPED_SOURCE
        assert len(loaded.entries) > 200
        assert income_groups.income_group_for("UG").income_group == IncomeGroup.LOW
        assert income_groups.income_group_for("SN").income_group == IncomeGroup.LOWER_MIDDLE


def test_a_database_that_has_a_list_keeps_it_alone(install):
    app = install()
    with app.app_context():
        upgrade(revision=BEFORE)
        income_groups.load_shipped("FY2026")
        db.session.commit()
        upgrade()
        assert [item.fiscal_year for item in lists()] == ["FY2026"]


def test_a_fiscal_year_the_shipped_file_lacks_loads_nothing_and_does_not_fail(install):
    app = install(INCOME_GROUP_FISCAL_YEAR="FY2031")
    with app.app_context():
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(IncomeGroupList)) == 0


WARNING = "No World Bank income group list is loaded for "


def test_the_secretariat_is_warned_while_no_list_is_loaded(app, client):
    login(client, make_user(Role.ADMIN))
    page = client.get("/dashboard").get_data(as_text=True)
    warning = page.split(WARNING, 1)[1].split("</p>", 1)[0]
    assert warning.startswith(app.config["INCOME_GROUP_FISCAL_YEAR"])
    assert 'href="/admin/income-groups"' in warning


def test_the_warning_goes_once_a_list_is_loaded(client):
    income_groups.load_shipped()
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    assert WARNING not in client.get("/dashboard").get_data(as_text=True)


def test_only_the_secretariat_is_warned(client):
    login(client, make_user(Role.APPLICANT, Role.REVIEWER, Role.CHAIR))
    assert WARNING not in client.get("/dashboard").get_data(as_text=True)
