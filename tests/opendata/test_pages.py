"""The public list of grants awarded and its downloads, the secretariat's choice to leave a grant
unnamed, and the operator's export command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from fund.extensions import db
from fund.models import AuditEvent, GrantState, Role
from fund.opendata import schema
from fund.spreadsheets import FORMULA_STARTS
from tests.conftest import count_queries, login, make_call, make_user
from tests.opendata.conftest import awarded

LIST = "/grants/awarded"


def test_anyone_sees_the_published_grants_but_not_the_unnamed_or_cancelled(client):
    awarded(title="Safe homes", name="Safe Homes")
    awarded(title="Gone", state=GrantState.CANCELLED.value)
    hidden = awarded(title="Not named", name="Hidden Org")
    hidden.published, hidden.unpublished_reason = False, "Staff at risk."
    db.session.commit()
    page = client.get(LIST).get_data(as_text=True)
    assert "Safe homes" in page and "Safe Homes" in page and "10,000.00" in page
    for secret in ("Not named", "Hidden Org", "Staff at risk", "Gone"):
        assert secret not in page


def test_the_filters_narrow_the_list_and_bad_ones_get_a_400(client):
    first, second = make_call(title="Round one"), make_call(title="Round two")
    awarded(title="Kenyan work", country="KE", call=first)
    awarded(title="Ugandan work", country="UG", call=second)
    page = client.get(f"{LIST}?country=KE").get_data(as_text=True)
    assert "Kenyan work" in page and "Ugandan work" not in page
    page = client.get(f"{LIST}?call={second.id}").get_data(as_text=True)
    assert "Ugandan work" in page and "Kenyan work" not in page
    for query in ("call=abc", "country=ZZ", "page=0", f"call={second.id + 99}"):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 400
        assert "Choose a call and a country from the lists." in response.get_data(as_text=True)


def test_the_list_costs_the_same_queries_however_many_grants(client):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get(LIST).status_code == 200
        return len(statements)

    awarded()
    few = queries()
    for n in range(12):
        awarded(title=f"Grant {n}", country=("KE", "TZ", "SN")[n % 3])
    assert queries() == few


def test_anyone_downloads_the_package_and_it_is_valid(client):
    awarded(title="Safe homes")
    response = client.get(f"{LIST}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert schema.errors(data) == [] and data["grants"][0]["title"] == "Safe homes"


def test_the_flat_downloads_carry_the_standards_titles_and_no_formula(client):
    awarded(title='=HYPERLINK("http://evil.example")', name="+Org; =1+2")
    text = client.get(f"{LIST}.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=False))
    assert header[:2] == ["Identifier", "Title"] and "Recipient Org:Name" in header
    assert first["Amount Awarded"] == "10000" and first["Beneficiary Location:Country Code"] == "UG"
    for cell in rows[1]:
        for part in cell.replace(",", ";").split(";"):
            assert part.lstrip(" ")[:1] not in FORMULA_STARTS, cell

    workbook = load_workbook(io.BytesIO(client.get(f"{LIST}.xlsx").data))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert '=HYPERLINK("http://evil.example")' in [c.value for c in cells]


def test_with_no_published_grant_the_downloads_say_so(client):
    response = client.get(f"{LIST}.json")
    assert response.status_code == 404
    assert "No grant has been published yet." in response.get_data(as_text=True)


# --- the secretariat's choice ----------------------------------------------------------------


def test_the_secretariat_stops_naming_a_grant_with_a_reason_and_names_it_again(client):
    grant = awarded(title="Safe homes")
    admin = make_user(Role.ADMIN)
    login(client, admin)
    assert 'id="open-data"' in client.get(f"/grants/{grant.id}").get_data(as_text=True)
    response = client.post(f"/grants/{grant.id}/publishing", data={"reason": "Staff at risk."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#open-data")
    db.session.refresh(grant)
    assert (grant.published, grant.unpublished_reason) == (False, "Staff at risk.")
    assert "Safe homes" not in client.get(LIST).get_data(as_text=True)

    client.post(f"/grants/{grant.id}/publishing", data={"published": "y", "reason": "x"})
    db.session.refresh(grant)
    assert (grant.published, grant.unpublished_reason) == (True, "")
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.subject_id == grant.id)
    ).all()
    assert actions == ["unpublish", "publish"]


def test_leaving_a_grant_unnamed_needs_a_reason(client):
    grant = awarded()
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/grants/{grant.id}/publishing", data={"reason": "  "})
    assert response.status_code == 400
    assert "Say why the grant is not named in open data." in response.get_data(as_text=True)
    db.session.refresh(grant)
    assert grant.published is True


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_the_secretariat_chooses(client, role):
    grant = awarded()
    login(client, make_user(role))
    response = client.post(f"/grants/{grant.id}/publishing", data={"reason": "x"})
    assert response.status_code == 403
    db.session.refresh(grant)
    assert grant.published is True


def test_anonymous_visitors_are_sent_to_log_in_to_choose(client):
    grant = awarded()
    response = client.post(f"/grants/{grant.id}/publishing", data={"reason": "x"})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_choosing_for_a_grant_that_does_not_exist_is_a_404(client):
    login(client, make_user(Role.ADMIN))
    assert client.post("/grants/999999/publishing", data={"reason": "x"}).status_code == 404


# --- the command -----------------------------------------------------------------------------


def test_the_command_writes_a_valid_package_of_the_grants_since_a_date(app, ctx, tmp_path):
    old, new = awarded(title="Old one"), awarded(title="New one")
    old.created_at = old.created_at.replace(year=2020)
    db.session.commit()
    output = tmp_path / "grants.json"
    result = app.test_cli_runner().invoke(
        args=["fund", "export-360giving", "--output", str(output), "--since", "2024-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 1 grant(s)" in result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert schema.errors(data) == []
    assert [g["title"] for g in data["grants"]] == [new.proposal.title]


@pytest.mark.parametrize("args", [["--since", "yesterday"], ["--since", "2024-01-01"]])
def test_the_command_refuses_a_bad_date_or_an_empty_export(app, ctx, args):
    result = app.test_cli_runner().invoke(args=["fund", "export-360giving", *args])
    assert result.exit_code != 0
    assert "Invalid value" in result.output or "No published grant" in result.output
