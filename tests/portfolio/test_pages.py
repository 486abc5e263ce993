"""The portfolio page and its downloads: who may open them, bad filters, the figures as the
reader gets them, the audit of downloads, and a query count that does not grow."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from fund.extensions import db
from fund.models import AuditEvent, Role
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.portfolio.conftest import grant

STAFF = [Role.ADMIN, Role.CHAIR, Role.OBSERVER]
OTHERS = [Role.APPLICANT, Role.REVIEWER]
PAGES = ["/portfolio", "/portfolio/call.csv", "/portfolio/country.xlsx"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", STAFF, ids=lambda r: r.value)
def test_admins_chairs_and_observers_open_the_portfolio(client, small_portfolio, role, path):
    login(client, make_user(role))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", OTHERS, ids=lambda r: r.value)
def test_applicants_and_reviewers_are_refused(client, small_portfolio, role, path):
    login(client, make_user(role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("call=999999", "Call: Not a valid choice"),
        ("call=abc", "Call: Not a valid choice"),
        ("start=2026-02-30", "Awarded from: Not a valid date value"),
        ("end=yesterday", "Awarded until: Not a valid date value"),
        ("start=1066-10-14", "Awarded from: Give a date between"),
        ("start=2026-05-01&end=2026-01-01", "The end of the period comes before its start."),
    ],
)
@pytest.mark.parametrize("path", ["/portfolio", "/portfolio/call.csv"])
def test_bad_filters_get_a_400_that_says_what_is_wrong(
    client, small_portfolio, path, query, message
):
    login(client, make_user(Role.OBSERVER))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_table_the_portfolio_does_not_have_is_not_found(client, small_portfolio):
    login(client, make_user(Role.OBSERVER))
    assert client.get("/portfolio/organisations.csv").status_code == 404
    assert client.get("/portfolio/call.pdf").status_code == 404


def test_the_page_names_no_organisation_and_hides_small_counts(client, small_portfolio):
    """The unpublished grant counts in the totals; no organisation is named anywhere."""
    login(client, make_user(Role.OBSERVER))
    page = client.get("/portfolio").get_data(as_text=True)
    assert "Org " not in page
    assert '<td class="num">&lt;5</td>' in page
    assert "<dt>Grants</dt><dd>6</dd>" in page
    assert 'role="img"' in page and ">Grants by country of the organisation</caption>" in page
    # The map colours Uganda and Kenya, each with its amount in its tooltip.
    assert "<title>Uganda: $35,000.00</title>" in page and "<title>Kenya: $5,000.00</title>" in page


def test_the_csv_has_the_tables_figures_and_the_download_is_audited(client, small_portfolio):
    observer = make_user(Role.OBSERVER)
    login(client, observer)
    response = client.get("/portfolio/country.csv?start=2026-01-01")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="portfolio-country.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Country", "Grants", "Awarded (USD)", "Paid (USD)"],
        ["Kenya", "<5", "5000.00", "0"],
        ["Uganda", "<5", "35000.00", "4000.00"],
        ["Total", "5", "40000.00", "4000.00"],
    ]
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.actor_id == observer.id
    assert event.comment == "portfolio country (CSV, 3 rows): start=2026-01-01"


def test_the_xlsx_has_the_same_cells(client, small_portfolio):
    login(client, make_user(Role.CHAIR))
    response = client.get("/portfolio/reach.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[3] == ["10-14", "<5", "<5", 0, "<5"]
    assert values[-1] == ["Total", "<5", "<5", 0, 32]


def test_the_query_count_does_not_grow_with_the_grants(client, small_portfolio):
    login(client, make_user(Role.OBSERVER))
    client.get("/portfolio")
    with count_queries() as small:
        assert client.get("/portfolio").status_code == 200
    for n in range(15):
        organisation = make_organisation(country_code=["SN", "BR", "IN"][n % 3])
        grant(organisation, small_portfolio.call_a, "1000", strategies=("education", "income"))
    with count_queries() as large:
        assert client.get("/portfolio").status_code == 200
    assert len(large) == len(small)


def test_the_dashboard_links_an_observer_to_the_portfolio(client):
    login(client, make_user(Role.OBSERVER))
    assert 'href="/portfolio"' in client.get("/dashboard").get_data(as_text=True)


def test_the_dashboard_has_no_portfolio_link_for_an_applicant(client):
    login(client, make_user(Role.APPLICANT))
    assert 'href="/portfolio"' not in client.get("/dashboard").get_data(as_text=True)


def test_an_admin_makes_someone_an_observer(client):
    admin, user = make_user(Role.ADMIN), make_user(Role.APPLICANT)
    login(client, admin)
    assert "observer (portfolio, read-only)" in client.get(f"/admin/users/{user.id}").get_data(
        as_text=True
    )
    response = client.post(f"/admin/users/{user.id}", data={"roles": ["observer"]})
    assert response.status_code == 302
    assert user.roles == {Role.OBSERVER}
