"""The secretariat's income-group page: loading a list and overriding single countries."""

from __future__ import annotations

import html
from io import BytesIO

import pytest
from sqlalchemy import func, select

from fund import income_groups
from fund.admin import views as admin_views
from fund.extensions import db
from fund.income_groups import SHIPPED
from fund.models import AuditEvent, IncomeGroup, IncomeGroupList, IncomeGroupOverride, Role
from tests.admin.conftest import class_csv
from tests.conftest import login, make_user


@pytest.fixture
def admin(client):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    return admin


def post_list(
    client,
    data: bytes,
    filename: str = "class.csv",
    fiscal_year: str = "FY2027",
    source: str = "World Bank CLASS.xlsx of 1 July 2026",
):
    return client.post(
        "/admin/income-groups/lists",
        data={"file": (BytesIO(data), filename), "fiscal_year": fiscal_year, "source": source},
        content_type="multipart/form-data",
    )


def lists() -> int:
    return db.session.scalar(select(func.count()).select_from(IncomeGroupList))


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_page_says_when_no_list_is_loaded(client, admin):
    """The page names the fiscal year and warns that eligibility has nothing to go on."""
    page = client.get("/admin/income-groups")
    assert page.status_code == 200
    assert b"No list is loaded for this fiscal year yet." in page.data
    assert b"fiscal year FY2027" in page.data


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (class_csv().encode(), "CLASS.csv"),
        (("\ufeff" + class_csv()).encode(), "CLASS.csv"),
        (SHIPPED.read_bytes(), "world_bank_income_groups.csv"),
    ],
    ids=["class", "class-with-bom", "shipped-format"],
)
def test_admin_loads_a_list_in_either_format(client, admin, data, filename):
    """A CLASS export or a file in the shipped format becomes the current list."""
    response = post_list(client, data, filename)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/income-groups"
    current = income_groups.current_list()
    assert current.source == "World Bank CLASS.xlsx of 1 July 2026"
    assert current.loaded_by_id == admin.id
    assert income_groups.income_group_for("VN").income_group == IncomeGroup.UPPER_MIDDLE
    page = client.get("/admin/income-groups")
    assert b"Loaded 217 countries for FY2027." in page.data
    assert b"(217 countries)" in page.data


def test_list_for_another_fiscal_year(client, admin):
    """Loading for FY2026 leaves FY2027 untouched."""
    assert post_list(client, SHIPPED.read_bytes(), fiscal_year="FY2026").status_code == 302
    assert income_groups.income_group_for("VN", "FY2026").income_group == IncomeGroup.LOWER_MIDDLE
    assert income_groups.current_list() is None


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
            {},
            "The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x8c",
            {},
            "The file is not UTF-8 text.",
        ),
        (b"\x00\x01\x02\x03", {}, "The file needs a country code column (iso3 or Code)"),
        (
            b"Country,Group\nUganda,Low income\n",
            {},
            "The file needs a country code column (iso3 or Code) and an income group column "
            "(income_group_fy2027 or Income group).",
        ),
        (class_csv(changes={"UGA": "Poor"}).encode(), {}, "Unknown income group 'Poor'."),
        (
            b"Code,Income group\nUGA,Low income\nKEN,Lower middle income\n",
            {},
            "Only 2 countries were found",
        ),
        (SHIPPED.read_bytes(), {"fiscal_year": "FY2030"}, "income_group_fy2030"),
        (SHIPPED.read_bytes(), {"fiscal_year": "2027"}, "Write the fiscal year as FY"),
        (SHIPPED.read_bytes(), {"source": ""}, "This field is required."),
        (SHIPPED.read_bytes(), {"source": "CLASS\x00"}, "Remove the invisible control characters"),
        (SHIPPED.read_bytes(), {"source": "x" * 201}, "Field cannot be longer than 200"),
    ],
    ids=[
        "png",
        "xlsx",
        "nul-bytes",
        "wrong-columns",
        "unknown-group",
        "too-few",
        "no-fy-column",
        "bad-fy",
        "no-source",
        "control-source",
        "long-source",
    ],
)
def test_bad_files_are_refused_on_the_page(client, admin, data, fields, message):
    """A binary file, wrong columns or a bad field: 400, the message on the page, nothing loaded."""
    response = post_list(client, data, **fields)

    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Please correct the following" in text
    assert "<h1>World Bank income groups</h1>" in text
    assert lists() == 0


def test_a_refused_file_keeps_the_typed_fields(client, admin):
    """The fiscal year and source typed stay in the form after a refusal."""
    response = post_list(client, b"a,b\n1,2\n", fiscal_year="FY2026", source="My export")
    text = page_text(response)
    assert 'value="FY2026"' in text and 'value="My export"' in text


def test_no_file_chosen(client, admin):
    """Sending the form without a file says to choose one."""
    response = client.post(
        "/admin/income-groups/lists", data={"fiscal_year": "FY2027", "source": "CLASS"}
    )
    assert response.status_code == 400
    assert b"Choose a file." in response.data


def test_override_set_and_removed_via_the_page(client, admin):
    """An override is listed, applies at once, and its removal restores the list's answer."""
    income_groups.load_shipped()
    db.session.commit()

    response = client.post(
        "/admin/income-groups/overrides",
        data={
            "country_code": "VN",
            "income_group": "LMC",
            "fiscal_year": "FY2027",
            "reason": "Call opened before the World Bank's July update",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/income-groups"
    override = db.session.scalar(select(IncomeGroupOverride))
    assert (override.country_code, override.income_group, override.set_by_id) == (
        "VN",
        "LMC",
        admin.id,
    )
    assert income_groups.income_group_for("VN").overridden
    page = client.get("/admin/income-groups")
    assert b"Override saved." in page.data
    assert b"Call opened before the World Bank&#39;s July update" in page.data
    assert f"/admin/income-groups/overrides/{override.id}/remove".encode() in page.data

    removed = client.post(f"/admin/income-groups/overrides/{override.id}/remove")

    assert removed.status_code == 302
    assert db.session.scalar(select(IncomeGroupOverride)) is None
    assert income_groups.income_group_for("VN").income_group == IncomeGroup.UPPER_MIDDLE
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
        "set_override",
        "remove_override",
    ]
    assert b"No overrides." in client.get("/admin/income-groups").data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"country_code": "ZZ"}, "Not a valid choice."),
        ({"country_code": ""}, "This field is required."),
        ({"income_group": "MIC"}, "Not a valid choice."),
        ({"fiscal_year": "2027"}, "Write the fiscal year as FY followed by the year"),
        ({"fiscal_year": "FY2027\x00"}, "Write the fiscal year as FY followed by the year"),
        ({"reason": ""}, "This field is required."),
        ({"reason": "x" * 501}, "Field cannot be longer than 500 characters."),
        ({"reason": "bad\x07"}, "Remove the invisible control characters"),
    ],
)
def test_bad_override_is_refused_on_the_page(client, admin, fields, message):
    """A bad override form: 400, the message shown, nothing stored or audited."""
    data = {
        "country_code": "VN",
        "income_group": "LMC",
        "fiscal_year": "FY2027",
        "reason": "Reason",
    }
    data.update(fields)

    response = client.post("/admin/income-groups/overrides", data=data)

    assert response.status_code == 400
    assert message in page_text(response)
    assert db.session.scalar(select(IncomeGroupOverride)) is None
    assert db.session.scalar(select(AuditEvent)) is None


def test_removing_an_unknown_override_is_404(client, admin):
    assert client.post("/admin/income-groups/overrides/999/remove").status_code == 404


def test_a_file_over_the_limit_is_refused(client, admin, monkeypatch):
    """A huge upload is refused outright rather than read in part (limit lowered for speed)."""
    monkeypatch.setattr(admin_views, "MAX_LIST_BYTES", 7 * 1024)  # the shipped file is ~6.9 KB
    assert len(SHIPPED.read_bytes()) + 100 <= 7 * 1024 < len(SHIPPED.read_bytes()) + 200
    response = post_list(client, SHIPPED.read_bytes() + b"\n" * 200)
    assert response.status_code == 400
    assert b"The file is larger than 7 KB; a World Bank list is far smaller." in response.data
    assert lists() == 0
    assert post_list(client, SHIPPED.read_bytes() + b"\n" * 100).status_code == 302
