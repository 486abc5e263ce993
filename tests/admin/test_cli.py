"""Operator commands: `flask fund load-income-groups` and `flask fund seed-demo`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fund import income_groups
from fund.demo import ACCOUNTS, DEMO_PASSWORD
from fund.extensions import db
from fund.models import IncomeGroup, IncomeGroupList, Membership, Organisation, Role, User
from tests.admin.conftest import class_csv
from tests.conftest import make_user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- load-income-groups ---------------------------------------------------------------------


def test_load_the_shipped_list(runner, ctx):
    """Without a path the shipped list is loaded for the configured fiscal year."""
    result = runner.invoke(args=["fund", "load-income-groups"])

    assert result.exit_code == 0, result.output
    assert (
        "Loaded 217 countries for FY2027 from World Bank income classification shipped "
        "with the application."
    ) in result.output
    assert income_groups.income_group_for("VN").income_group == IncomeGroup.UPPER_MIDDLE


def test_load_the_shipped_list_for_another_year(runner, ctx):
    """--fiscal-year picks the year's column."""
    result = runner.invoke(args=["fund", "load-income-groups", "--fiscal-year", "FY2026"])

    assert result.exit_code == 0, result.output
    assert income_groups.income_group_for("VN", "FY2026").income_group == IncomeGroup.LOWER_MIDDLE


def test_load_a_class_csv_from_a_path(runner, ctx, tmp_path):
    """A World Bank CLASS export given by path becomes the current list; the path is its source."""
    path = tmp_path / "CLASS.csv"
    path.write_text("\ufeff" + class_csv(changes={"UGA": "Lower middle income"}), encoding="utf-8")

    result = runner.invoke(args=["fund", "load-income-groups", str(path)])

    assert result.exit_code == 0, result.output
    assert f"Loaded 217 countries for FY2027 from {path}." in result.output
    assert income_groups.income_group_for("UG").income_group == IncomeGroup.LOWER_MIDDLE


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"Country,Group\nUganda,Low income\n", [], "The file needs a country code column"),
        (class_csv(changes={"UGA": "Poor"}).encode(), [], "Unknown income group 'Poor'."),
        (b"Code,Income group\nUGA,Low income\n", [], "Only 1 countries were found"),
        (b"\x89PNG\r\n\x1a\n\xff\xfe\x00", [], "Error:"),
        (
            class_csv().encode(),
            ["--fiscal-year", "2027"],
            "Write the fiscal year as FY followed by the year",
        ),
        (
            class_csv().encode(),
            ["--fiscal-year", "FY20277"],
            "Write the fiscal year as FY followed by the year",
        ),
    ],
    ids=["wrong-columns", "unknown-group", "too-few", "binary", "bad-year", "long-year"],
)
def test_bad_file_exits_non_zero_with_a_message(runner, ctx, tmp_path, content, args, message):
    """A file that is not a usable list: exit 1, the reason printed, nothing stored."""
    path = tmp_path / "list.csv"
    path.write_bytes(content)

    result = runner.invoke(args=["fund", "load-income-groups", str(path), *args])

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert count(IncomeGroupList) == 0


def test_missing_file_exits_non_zero(runner, ctx, tmp_path):
    """A path that does not exist is refused by the argument check."""
    result = runner.invoke(args=["fund", "load-income-groups", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert count(IncomeGroupList) == 0


# --- seed-demo ------------------------------------------------------------------------------


def test_seed_demo_fills_an_empty_database(runner, ctx):
    """Every demo account is printed with its password and roles, and can log in."""
    result = runner.invoke(args=["fund", "seed-demo"])

    assert result.exit_code == 0, result.output
    assert "Demo data created." in result.output
    for email, _name, roles in ACCOUNTS:
        line = next(line for line in result.output.splitlines() if email in line.split())
        assert DEMO_PASSWORD in line
        assert all(role.value in line for role in roles)
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.roles == set(roles)
        assert user.email_verified and user.active
        assert user.check_password(DEMO_PASSWORD)
    assert count(User) == len(ACCOUNTS)
    applicant = db.session.scalar(select(User).where(User.email == "applicant@example.org"))
    assert (
        db.session.scalar(
            select(Organisation.name).join(Membership).where(Membership.user_id == applicant.id)
        )
        == "Safe Childhoods Uganda"
    )
    assert income_groups.current_list() is not None


def test_seeded_demo_accounts_log_in(runner, client):
    """The printed demo admin can log in with the printed password and reach the admin pages."""
    runner.invoke(args=["fund", "seed-demo"])

    response = client.post(
        "/account/login", data={"email": "admin@example.org", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_seed_demo_refuses_a_second_run(runner, ctx):
    """A database that has users is never seeded again."""
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0

    result = runner.invoke(args=["fund", "seed-demo"])

    assert result.exit_code == 1
    assert "The database already has users; seed-demo only fills an empty one." in result.output
    assert count(User) == len(ACCOUNTS)
    assert count(Organisation) == 2
    assert count(IncomeGroupList) == 1


def test_seed_demo_refuses_a_database_with_real_users(runner, ctx):
    """Even one existing account stops it, and nothing is added."""
    make_user(Role.ADMIN)

    result = runner.invoke(args=["fund", "seed-demo"])

    assert result.exit_code == 1
    assert count(User) == 1
    assert count(Organisation) == 0


def test_seed_demo_keeps_an_existing_income_list(runner, ctx):
    """If the secretariat already loaded a list, the demo does not load another."""
    income_groups.load_shipped()
    db.session.commit()

    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    assert count(IncomeGroupList) == 1
