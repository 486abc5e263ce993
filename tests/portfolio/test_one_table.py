"""A download builds only the table it names (`summary.table`): the same table the page shows,
from the one query that table needs."""

from __future__ import annotations

from datetime import date

import pytest

from fund.portfolio import summary
from fund.portfolio.queries import Filters
from tests.portfolio.test_statements import run

KEYS = ["call", "year", "country", "region", "income_group", "strategy", "org_type"]
KEYS += ["reach", "indicators"]


def every_filter(small_portfolio) -> list[Filters]:
    return [
        Filters(),
        Filters(small_portfolio.call_a.id),
        Filters(small_portfolio.call_b.id),
        Filters(None, date(2026, 1, 1), date(2026, 12, 31)),
    ]


def test_the_page_has_the_tables_a_download_may_name(small_portfolio):
    page = summary.portfolio(Filters())
    assert [table.key for table in page.all_tables()] == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_one_table_is_the_pages_table_from_one_query(small_portfolio, key):
    for filters in every_filter(small_portfolio):
        table, ran = run(lambda filters: summary.table(filters, key), filters)
        assert table == summary.portfolio(filters).table(key)
        assert len(ran) == 1


def test_a_table_the_page_does_not_have_reads_nothing(small_portfolio):
    table, ran = run(lambda filters: summary.table(filters, "organisations"), Filters())
    assert table is None and ran == []
