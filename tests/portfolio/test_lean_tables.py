"""The portfolio's money tables share one sum per currency for every footer, and each
currency's chart lists every value (issue 14): the page's tables read what was worked out by
hand in conftest.py."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale

from fund.portfolio import groupings, summary
from fund.portfolio.queries import Filters

D = Decimal


def test_every_footer_reads_each_currencys_sums(small_portfolio):
    totals = groupings.figures(Filters()).currency_totals
    assert totals == {"USD": (D(40000), D(4000)), "EUR": (D(7000), D(1500))}
    made = summary.portfolio(Filters()).money
    footers = [table.footer for table in made if table.footer]
    assert len(footers) == len(made) - 1  # strategies: no total
    assert all(f[2:] == [D(40000), D(4000), D(7000), D(1500)] for f in footers)


def test_each_currencys_chart_lists_every_value_zero_where_it_has_none(small_portfolio):
    """As the table's rows do: Call B gave no USD grant and Call A no EUR one."""
    calls = summary.portfolio(Filters()).table("call")
    assert {
        code: [(label, amount) for label, amount, _ in bars] for code, bars in calls.bars.items()
    } == {
        "USD": [("Call A", D(40000)), ("Call B", D(0))],
        "EUR": [("Call A", D(0)), ("Call B", D(7000))],
    }


def test_the_tables_texts_follow_the_readers_language(app, small_portfolio):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        with force_locale("fr"):
            calls = summary.portfolio(Filters()).table("call")
    assert calls.caption == "Subventions par appel"
    assert calls.bars["USD"][0][2] == "<5 subventions"
