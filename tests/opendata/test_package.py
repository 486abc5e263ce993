"""The 360Giving data package: valid against the shipped 1.4.3 schema (demo data and edge
cases), made only of published, non-cancelled grants, with the figures the grants hold."""

from __future__ import annotations

import json
from datetime import date

from fund.clock import utcnow
from fund.demo import seed
from fund.extensions import db
from fund.models import Grant, GrantState
from fund.opendata import package, schema
from tests.opendata.conftest import awarded, pay


def built() -> dict:
    return package.package(package.published_grants(), package.Publisher.from_config(), utcnow())


def by_title(data: dict) -> dict[str, dict]:
    return {grant["title"]: grant for grant in data["grants"]}


def test_the_demo_data_makes_a_valid_package_of_every_grant_not_cancelled(ctx):
    seed()
    db.session.commit()
    data = built()
    assert schema.errors(data) == []
    running = db.session.scalar(
        db.select(db.func.count()).where(Grant.state != GrantState.CANCELLED.value)
    )
    assert len(data["grants"]) == running > 0
    assert data["version"] == "1.4" and data["license"].endswith("/by/4.0/")


def test_the_schema_check_finds_what_is_missing(ctx):
    awarded()
    data = built()
    del data["grants"][0]["awardDate"]
    data["grants"][0]["amountAwarded"] = "ten thousand"
    problems = schema.errors(data)
    assert problems and all(p.startswith("grants/0") for p in problems), problems
    assert schema.errors(built()) == []


def test_edge_cases_stay_valid_and_keep_their_figures(ctx):
    awarded(name="Ñandutí — Niñez Segura 🌱", title="Escuelas seguras", country="PY")
    awarded(title="Registered", registration=("GB-CHC", "1234567"))
    awarded(title="Several countries", countries=("KE", "UG", "TZ"), amount="12345.67")
    paid = awarded(title="Paid in part", amount="20000.50")
    pay(paid, "10000.25", date(2027, 3, 15))
    awarded(title="Cancelled", state=GrantState.CANCELLED.value)
    hidden = awarded(title="Not named")
    hidden.published, hidden.unpublished_reason = False, "Staff would be at risk."
    db.session.commit()

    data = built()
    assert schema.errors(data) == []
    grants = by_title(data)
    assert set(grants) == {"Escuelas seguras", "Registered", "Several countries", "Paid in part"}
    spanish = grants["Escuelas seguras"]["recipientOrganization"][0]
    assert spanish["name"] == "Ñandutí — Niñez Segura 🌱"
    assert spanish["id"].startswith("360G-inspirefund-ORG-")  # no registration: the prefix
    assert spanish["addressCountry"] == "Paraguay" and "streetAddress" not in spanish
    registered = grants["Registered"]["recipientOrganization"][0]
    assert registered["id"] == "GB-CHC-1234567" and registered["charityNumber"] == "1234567"
    several = grants["Several countries"]
    assert [p["countryCode"] for p in several["beneficiaryLocation"]] == ["KE", "UG", "TZ"]
    assert several["amountAwarded"] == 12345.67
    part = grants["Paid in part"]
    assert part["amountDisbursed"] == 10000.25
    assert part["disbursementTransaction"][0]["transactionDate"] == "2027-03-15"
    assert part["plannedDates"] == [
        {"startDate": "2027-03-01", "endDate": "2028-02-29", "duration": 12}
    ]
    assert part["classifications"][0] == {
        "vocabulary": "INSPIRE strategies (WHO, 2016)",
        "code": "norms",
        "title": "Norms and values",
    }
    assert json.dumps(data, ensure_ascii=False)  # plain JSON: no Decimal, no date objects


def test_the_texts_are_in_english_whatever_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        db.create_all()
        awarded(country="SN", strategies=("norms",))
        grant = built()["grants"][0]
    assert grant["classifications"][0]["title"] == "Norms and values"
    assert grant["recipientOrganization"][0]["addressCountry"] == "Senegal"
