"""The page's money tables come from one pass over narrow rows (fund/portfolio/groupings.py,
issue 14): on random grants, in several currencies, with small counts, cancelled grants, zero
and unpaid amounts and each filter, they read exactly what the straightforward computation from
one row per grant reads (tests/portfolio/reference.py), down to the text each download writes;
and the page's query count does not grow with the grants."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.models import Tranche
from fund.portfolio import summary, tables
from fund.portfolio.queries import Filters
from tests.conftest import count_queries, login, make_call, make_organisation
from tests.portfolio import reference as by_row
from tests.portfolio.conftest import grant, observer

COUNTRIES = ["UG", "KE", "IN", "FR", "BR", "AQ"]  # AQ: in no region of the shipped list
KINDS = ["ngo", "community_based", "academic", "government"]
STRATEGIES = ["laws", "norms", "income", "education"]
INCOME = ["LIC", "LMC", "UMC", None]
CURRENCIES = ["USD", "USD", "USD", "EUR", "JPY"]
# New Year in UTC: the year of award is UTC's, whatever the database session's time zone.
DAYS = [
    datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
    datetime(2025, 1, 1, 0, 30, tzinfo=UTC),
    datetime(2025, 6, 1, 12, tzinfo=UTC),
    datetime(2026, 3, 1, 9, tzinfo=UTC),
]


def random_grants(seed: int, how_many: int) -> list:
    """Grants on three calls (two of them with the same title), with what the page groups by
    drawn at random; some cancelled, some partly paid, some for nothing."""
    draw = random.Random(seed)
    calls = [make_call(title="Call A"), make_call(title="Call B"), make_call(title="Call A")]
    organisations = [
        make_organisation(country_code=draw.choice(COUNTRIES), org_type=draw.choice(KINDS))
        for _ in range(8)
    ]
    made = []
    for _ in range(how_many):
        amount = draw.choice(["0", "1234.56", "5000", "10000.10", "250000"])
        one = grant(
            draw.choice(organisations),
            draw.choice(calls),
            amount,
            currency=draw.choice(CURRENCIES),
            strategies=draw.sample(STRATEGIES, draw.randint(0, 3)),
            awarded=draw.choice(DAYS),
            state=draw.choice(["active"] * 5 + ["cancelled", "closed"]),
            income_group=draw.choice(INCOME),
        )
        for position in range(draw.randint(0, 2)):
            paid = draw.choice([None, "0.01", "400", "999.99"])
            one.tranches.append(
                Tranche(
                    position=position + 1,
                    percent=10,
                    amount=Decimal("1000"),
                    condition="signature",
                    paid_on=date(2026, 4, 1) if paid else None,
                    paid_amount=Decimal(paid) if paid else None,
                )
            )
        made.append(one)
    db.session.commit()
    return made


def as_written(table: tables.Table) -> list:
    """A table as the page and the downloads write it: every cell as text, so that a Decimal
    summed to another exponent ("0" for "0.00") shows, and the bars and notes."""
    return [
        table.key,
        table.caption,
        [(c.heading, c.kind) for c in table.columns],
        [[str(cell) for cell in row] for row in table.download_rows()],
        {code: [(label, str(v), note) for label, v, note in b] for code, b in table.bars.items()},
        table.note,
    ]


def reference(filters: Filters) -> tuple:
    """The figures worked out the straightforward way: a row per grant, grouped per table."""
    rows = by_row.grant_rows(filters)
    codes = by_row.currencies(rows)
    drawn = by_row.country_map(rows, codes[0]) if codes else None
    return (
        by_row.headline(rows),
        codes,
        [as_written(table) for table in by_row.money_tables(rows)],
        drawn,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_one_pass_reads_what_a_row_per_grant_reads(app, ctx, seed):
    made = random_grants(seed, 40)
    call = made[0].proposal.call_id
    for filters in [
        Filters(),
        Filters(call),
        Filters(None, date(2025, 1, 1), date(2025, 12, 31)),
        Filters(call, date(2024, 12, 31), None),
        Filters(None, date(2030, 1, 1), None),  # no grant at all
    ]:
        with app.test_request_context("/"):
            page = summary.portfolio(filters)
            expected = reference(filters)
        assert (
            page.headline,
            page.currencies,
            [as_written(table) for table in page.money],
            page.map,
        ) == expected, filters


def test_the_years_of_award_are_those_of_utc(app, ctx):
    organisation = make_organisation()
    call = make_call()
    for day in DAYS[:2]:
        grant(organisation, call, "100", awarded=day)
    with app.test_request_context("/"):
        years = summary.portfolio(Filters()).table("year")
    assert [row[0] for row in years.rows] == ["2024", "2025"]


def test_the_page_reads_the_same_number_of_statements_for_more_grants(client, ctx):
    login(client, observer())
    random_grants(4, 3)
    with count_queries() as few:
        assert client.get("/portfolio").status_code == 200
    random_grants(5, 30)
    with count_queries() as many:
        page = client.get("/portfolio")
    assert page.status_code == 200 and len(many) == len(few)


def test_an_observer_reads_the_same_figures_in_a_download(client, ctx):
    random_grants(6, 20)
    login(client, observer())
    with client.application.test_request_context("/"):
        expected = reference(Filters())[2][0][3]
    download = list(csv.reader(io.StringIO(client.get("/portfolio/call.csv").text)))
    assert download[1:] == expected
