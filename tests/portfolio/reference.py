"""The straightforward row-by-row computation of the portfolio's money figures, which the page's
one-pass groupings (fund/portfolio/groupings.py) are checked against (tests/portfolio/
test_groupings.py): one row object per grant, read with its amounts as Decimals and its year
worked out in Python, then grouped again for each table.

The grouping here is its own; only the table building (fund/portfolio/tables.py `grouped_table`,
the labels, the "<5" cells), the map's drawing (charts.py `amounts_map`) and the filters' SQL
(queries.py `counted_grants`) are shared with the page.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, Text, cast, func, select

from fund.extensions import db
from fund.models import Call, Grant, Organisation, Proposal, Tranche
from fund.portfolio.charts import MapChart, amounts_map
from fund.portfolio.queries import Filters, bound_values, counted_grants, regions, shape_of
from fund.portfolio.tables import Dimension, Table, _dimensions, grouped_table, headline_of


class GrantRow(NamedTuple):
    """What the portfolio needs of one grant."""

    grant_id: int
    organisation_id: int
    call_id: int
    call_title: str
    year: int
    country: str
    region: str
    org_type: str
    income_group: str
    strategies: tuple[str, ...]
    currency: str
    amount: Decimal
    paid: Decimal


@cache
def _grant_rows_statement(shape: Filters) -> Select:
    paid = (
        select(Tranche.grant_id, func.sum(Tranche.paid_amount).label("paid"))
        .where(Tranche.paid_on.is_not(None))
        .group_by(Tranche.grant_id)
        .subquery()
    )
    return counted_grants(
        select(
            Grant.id,
            Grant.organisation_id,
            Call.id,
            Call.title,
            Grant.created_at,
            Organisation.country_code,
            Organisation.org_type,
            Proposal.income_group,
            cast(Proposal.strategies, Text),  # as text, as the page reads them
            Grant.currency,
            Grant.amount,
            paid.c.paid,
        )
        .join(Grant.proposal)
        .join(Proposal.call)
        .join(Grant.organisation)
        .outerjoin(paid, paid.c.grant_id == Grant.id),
        shape,
    ).order_by(Grant.id)


def grant_rows(filters: Filters) -> list[GrantRow]:
    """Each counted grant with its amount and what was paid of it (one query)."""
    region_of = regions()
    zero = Decimal("0")
    return [
        GrantRow(
            grant_id,
            organisation_id,
            call_id,
            call_title,
            created_at.year,
            country,
            region_of.get(country, ""),
            org_type,
            income_group or "",
            tuple(json.loads(strategies) or ()) if strategies else (),
            currency,
            amount or zero,
            paid or zero,
        )
        for (
            grant_id,
            organisation_id,
            call_id,
            call_title,
            created_at,
            country,
            org_type,
            income_group,
            strategies,
            currency,
            amount,
            paid,
        ) in db.session.execute(_grant_rows_statement(shape_of(filters)), bound_values(filters))
    ]


# What each table groups a grant under, by dimension key (a grant may serve several strategies).
VALUES: dict[str, Callable[[GrantRow], Iterable[object]]] = {
    "call": lambda g: [(g.call_title, g.call_id)],
    "year": lambda g: [g.year],
    "country": lambda g: [g.country],
    "region": lambda g: [g.region],
    "income_group": lambda g: [g.income_group],
    "strategy": lambda g: sorted(set(g.strategies)),
    "org_type": lambda g: [g.org_type],
}


def currencies(grants: list[GrantRow]) -> list[str]:
    """The currencies of the grants, the one with most grants first (then by code)."""
    counts: dict[str, int] = defaultdict(int)
    for grant in grants:
        counts[grant.currency] += 1
    return sorted(counts, key=lambda code: (-counts[code], code))


def currency_totals(grants: list[GrantRow]) -> dict[str, tuple[Decimal, Decimal]]:
    """Awarded and paid per currency over all `grants`."""
    awarded: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for grant in grants:
        awarded[grant.currency] += grant.amount
        paid[grant.currency] += grant.paid
    return {code: (awarded[code], paid[code]) for code in awarded}


def money_table(dimension: Dimension, grants: list[GrantRow], codes: list[str]) -> Table:
    """Grants, awarded and paid per value of `dimension`, each currency in its own columns."""
    count: dict[object, int] = defaultdict(int)
    sums: dict[tuple[object, str], list[Decimal]] = {}  # (value, currency) -> [awarded, paid]
    for grant in grants:
        for value in VALUES[dimension.key](grant):
            count[value] += 1
            both = sums.get((value, grant.currency))
            if both is None:  # the first amount as read, so that sums keep its exponent
                sums[value, grant.currency] = [grant.amount, grant.paid]
            else:
                both[0] += grant.amount
                both[1] += grant.paid
    totals = currency_totals(grants) if dimension.additive else {}
    return grouped_table(dimension, count, sums, len(grants), codes, totals)


def money_tables(grants: list[GrantRow]) -> list[Table]:
    """The table of each dimension, in the order the page shows them."""
    codes = currencies(grants)
    return [money_table(dimension, grants, codes) for dimension in _dimensions()]


def headline(grants: list[GrantRow]) -> dict[str, object]:
    """The number of grants and of organisations, "<5" when small."""
    return headline_of(len(grants), len({g.organisation_id for g in grants}))


def country_map(grants: list[GrantRow], currency: str) -> MapChart:
    """The amounts awarded in `currency` per country of the organisation, as a choropleth."""
    totals: dict[str, Decimal] = {}
    for grant in grants:
        if grant.currency == currency:
            totals[grant.country] = totals.get(grant.country, Decimal("0")) + grant.amount
    return amounts_map(totals, currency)
