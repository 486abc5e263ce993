"""The whole portfolio for a set of filters: what the page and its downloads show."""

from __future__ import annotations

from dataclasses import dataclass

from fund.portfolio import charts, groupings, queries, tables
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


def _currencies(figures: groupings.Figures) -> list[str]:
    """The currencies of the grants, the one with the most grants first."""
    counts = figures.currency_counts
    return sorted(counts, key=lambda code: (-counts[code], code))


def portfolio(filters: Filters) -> Portfolio:
    """Read and tabulate the portfolio: three queries, whatever the number of grants. The money
    tables come from one pass over the grants (fund/portfolio/groupings.py)."""
    figures = groupings.figures(filters)
    codes = _currencies(figures)
    return Portfolio(
        headline=tables.headline_of(figures.grants, figures.organisations),
        currencies=codes,
        money=tables.grouped_tables(
            {key: (found.count, found.sums) for key, found in figures.groups.items()},
            figures.grants,
            codes,
            figures.currency_totals,
        ),
        reach=tables.reach_table(queries.reach(filters)),
        indicators=tables.indicator_table(queries.indicators(filters)),
        map=charts.amounts_map(figures.country_amounts(codes[0]), codes[0]) if codes else None,
    )


def table(filters: Filters, key: str) -> tables.Table | None:
    """The one table a download names, as `portfolio(filters).table(key)` gives it, from the
    one query it needs (none for a table the page does not have), or None."""
    if key == tables.REACH:
        return tables.reach_table(queries.reach(filters))
    if key == tables.INDICATORS:
        return tables.indicator_table(queries.indicators(filters))
    dimension = tables.dimension(key)
    if dimension is None:
        return None
    figures = groupings.figures(filters)
    found = figures.groups[key]
    return tables.grouped_table(
        dimension,
        found.count,
        found.sums,
        figures.grants,
        _currencies(figures),
        figures.currency_totals,
    )
