"""The portfolio sums each currency once for every table's footer (issue 14): the footers read
what was worked out by hand in conftest.py, with or without the sums given."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale

from fund.portfolio import queries, tables
from fund.portfolio.queries import Filters

D = Decimal


def test_each_currency_is_summed_once_for_every_footer(small_portfolio):
    grants = queries.grant_rows(Filters())
    totals = tables.currency_totals(grants)
    assert totals == {"USD": (D(40000), D(4000)), "EUR": (D(7000), D(1500))}
    made = tables.money_tables(grants)
    footers = [table.footer for table in made if table.footer]
    assert len(footers) == len(made) - 1  # strategies: no total
    assert all(f[2:] == [D(40000), D(4000), D(7000), D(1500)] for f in footers)


def test_a_table_reads_the_same_with_or_without_the_sums_given(small_portfolio):
    grants = queries.grant_rows(Filters())
    codes = tables.currencies(grants)
    given = tables.currency_totals(grants)
    for dimension in tables._dimensions():
        alone = tables.money_table(dimension, grants, codes)
        shared = tables.money_table(dimension, grants, codes, given)
        assert (alone.rows, alone.footer, alone.bars) == (shared.rows, shared.footer, shared.bars)


def test_each_currencys_chart_lists_every_value_zero_where_it_has_none(small_portfolio):
    """As the table's rows do: Call B gave no USD grant and Call A no EUR one."""
    calls = tables.money_tables(queries.grant_rows(Filters()))[0]
    assert {
        code: [(label, amount) for label, amount, _ in bars] for code, bars in calls.bars.items()
    } == {
        "USD": [("Call A", D(40000)), ("Call B", D(0))],
        "EUR": [("Call A", D(0)), ("Call B", D(7000))],
    }


def test_the_tables_texts_follow_the_readers_language(app, small_portfolio):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        with force_locale("fr"):
            calls = tables.money_tables(queries.grant_rows(Filters()))[0]
    assert calls.caption == "Subventions par appel"
    assert calls.bars["USD"][0][2] == "<5 subventions"
