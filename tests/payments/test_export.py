"""The bank file: only approved payments, within the dates asked, in CSV or XLSX, formula-safe,
each download in the audit log; the payments page keeps a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, BankDetails, Payment, Role
from fund.models.base import utcnow
from fund.payments import services
from tests.conftest import count_queries, login, make_user
from tests.grants.conftest import TODAY
from tests.payments.conftest import payable_world, record, second_admin


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def approved(world, approver, **kwargs):
    payment = record(world, **kwargs)
    services.approve_payment(payment, approver, utcnow())
    db.session.commit()
    return payment


@pytest.fixture
def payments(ctx):
    """Three grants: one payment approved 10 days ago, one approved today, one still waiting."""
    approver = second_admin()
    old_world, new_world, waiting_world = payable_world(), payable_world(), payable_world()
    approved(old_world, approver, paid_on=TODAY - timedelta(days=10), reference="OLD-1")
    approved(new_world, approver, reference="NEW-1")
    record(waiting_world, reference="WAIT-1")
    return old_world, new_world, waiting_world


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_only_approved_payments(client, payments, fmt):
    login(client, payments[0].admin)
    response = client.get(f"/payments/export.{fmt}")
    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    references = [row[6] for row in rows[1:]]
    assert references == ["OLD-1", "NEW-1"]
    assert "WAIT-1" not in str(rows)
    assert rows[1][9] == "GB82WEST12345698765432"  # the bank needs the full account


def test_the_date_range_filters_by_payment_date(client, payments):
    login(client, payments[0].admin)
    since = (TODAY - timedelta(days=2)).isoformat()
    rows = csv_rows(client.get(f"/payments/export.csv?start={since}"))
    assert [row[6] for row in rows[1:]] == ["NEW-1"]
    until = (TODAY - timedelta(days=5)).isoformat()
    rows = csv_rows(client.get(f"/payments/export.csv?end={until}"))
    assert [row[6] for row in rows[1:]] == ["OLD-1"]


def test_each_download_is_audited_with_who_and_which_dates(client, payments):
    admin = payments[0].admin
    login(client, admin)
    client.get(f"/payments/export.xlsx?start={TODAY.isoformat()}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.actor_id == admin.id
    assert event.comment == f"approved payments (XLSX, 1 rows): paid_from={TODAY.isoformat()}"


def test_text_that_looks_like_a_formula_is_never_one(client, payments):
    paid = db.session.scalar(select(Payment).where(Payment.reference == "OLD-1"))
    paid.paid_to_holder = '=HYPERLINK("http://evil")'
    db.session.commit()
    login(client, payments[0].admin)
    text = client.get("/payments/export.csv").data.decode("utf-8-sig")
    assert "\"'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get("/payments/export.xlsx").data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    "query",
    ["start=yesterday", "end=2024-13-01", "start=9999-01-01", "start=2026-02-01&end=2026-01-01"],
)
def test_bad_dates_are_a_400_with_a_message(client, payments, query):
    login(client, payments[0].admin)
    response = client.get(f"/payments/export.csv?{query}")
    assert response.status_code == 400
    assert "Check the dates" in response.text


def test_an_unknown_format_is_404(client, payments):
    login(client, payments[0].admin)
    assert client.get("/payments/export.pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.CHAIR, Role.APPLICANT, Role.REVIEWER])
def test_only_admins_download_the_bank_file(client, payments, role, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAYMENT_APPROVER_ROLES", "admin,chair")
    login(client, make_user(role))
    assert client.get("/payments/export.csv").status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/payments/export.csv")
    assert response.status_code == 302 and "/login" in response.location


def test_the_payments_page_makes_as_many_queries_for_many_rows_as_for_one(client, ctx):
    approver = second_admin()
    record(payable_world())
    login(client, approver)
    client.get("/payments/")  # warm up: compiled templates, cached settings
    with count_queries() as few:
        assert client.get("/payments/").status_code == 200
    for _ in range(4):
        record(payable_world())
    world = payable_world()
    world_details = db.session.scalar(
        select(BankDetails).where(BankDetails.organisation_id == world.grant.organisation_id)
    )
    world_details.state = "awaiting_approval"
    db.session.commit()
    with count_queries() as many:
        page = client.get("/payments/")
    assert page.status_code == 200 and page.text.count("Approve payment</button>") == 5
    assert "Approve bank details</button>" in page.text
    assert len(many) == len(few)


def test_the_bank_file_shows_the_account_paid_not_the_one_changed_to_since(client, payments):
    """The organisation of OLD-1 moves to another bank after being paid: the file still shows
    the account the money went to; a payment approved after the change shows the new one."""
    old_world = payments[0]
    bank = db.session.scalar(
        select(BankDetails).where(BankDetails.organisation_id == old_world.grant.organisation_id)
    )
    services.save_bank_details(
        old_world.grant.organisation,
        old_world.member,
        {
            "account_holder": "Safe Homes Trust",
            "bank_name": "Second Bank",
            "account_number": "DE89370400440532013000",
            "swift_bic": "",
            "bank_country": "DE",
        },
        utcnow(),
    )
    services.approve_bank_details(bank, second_admin(), utcnow())
    db.session.commit()
    login(client, old_world.admin)
    rows = {row[6]: row for row in csv_rows(client.get("/payments/export.csv"))[1:]}
    assert rows["OLD-1"][9] == "GB82WEST12345698765432" and rows["OLD-1"][8] != "Second Bank"
    assert rows["NEW-1"][9] == "GB82WEST12345698765432"
