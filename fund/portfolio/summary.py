"""The whole portfolio for a set of filters: what the page and its downloads show."""

from __future__ import annotations

from dataclasses import dataclass

from fund.portfolio import charts, queries, tables
from fund.portfolio.queries import Filters


@dataclass
class Portfolio:
    """The headline figures, the tables (each with its bars) and the map."""

    headline: dict[str, object]
    currencies: list[str]
    money: list[tables.Table]
    reach: tables.Table
    indicators: tables.Table
    map: charts.MapChart | None

    def table(self, key: str) -> tables.Table | None:
        """The table a download names, or None."""
        return next((t for t in self.all_tables() if t.key == key), None)

    def all_tables(self) -> list[tables.Table]:
        """Every table of the page, in its order."""
        return [*self.money, self.reach, self.indicators]


def portfolio(filters: Filters) -> Portfolio:
    """Read and tabulate the portfolio: three queries, whatever the number of grants."""
    grants = queries.grant_rows(filters)
    codes = tables.currencies(grants)
    return Portfolio(
        headline=tables.headline(grants),
        currencies=codes,
        money=tables.money_tables(grants),
        reach=tables.reach_table(queries.reach(filters)),
        indicators=tables.indicator_table(queries.indicators(filters)),
        map=charts.country_map(grants, codes[0]) if codes else None,
    )
