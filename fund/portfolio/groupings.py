"""The portfolio's money figures in one pass: each counted grant read as a narrow tuple (its
year worked out and its amounts turned into cents by the database), then every grouping the
page shows filled at once, instead of a row object per grant grouped seven times over.

What comes out is what the straightforward computation from one row per grant works out
(`money_tables`, `currency_totals` and `country_map` over `grant_rows` in tests/portfolio/
reference.py; tests/portfolio/test_groupings.py checks it on random grants): the same values in
the same first-seen order (table rows tie-break on it), and the same Decimals, down to their
exponent, so that the CSV downloads write the same text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sqlalchemy import BigInteger, Integer, Select, Text, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from fund.models import Call, Grant, Organisation, Proposal, Tranche
from fund.portfolio.queries import (
    Filters,
    bound_values,
    counted_grants,
    regions,
    shape_of,
    strategies_of,
)
from fund.reads import read

ZERO = Decimal("0")


class utc_year(FunctionElement):  # noqa: N801 (a SQL function, named like one)
    """The UTC calendar year of a timestamp column, as an integer."""

    type = Integer()
    inherit_cache = True


@compiles(utc_year)
def _utc_year_postgresql(element, compiler, **kw):
    # AT TIME ZONE 'UTC': the session's time zone must not move a grant made near New Year.
    column = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE 'UTC')) AS INTEGER)"


@compiles(utc_year, "sqlite")
def _utc_year_sqlite(element, compiler, **kw):
    # SQLite keeps UTC timestamps as text (fund/models/base.py UTCDateTime) that starts with
    # the year's four digits ("2026-03-01 09:00:00.000000"): cut out, not parsed by STRFTIME.
    column = compiler.process(element.clauses, **kw)
    return f"CAST(SUBSTR({column}, 1, 4) AS INTEGER)"


def _cents(amount):
    """An amount (NUMERIC(14, 2)) as a whole number of cents, summed exactly as an integer."""
    return cast(func.round(amount * 100), BigInteger)


def money(cents: int) -> Decimal:
    """Cents back to the Decimal the row-by-row sums give: two places, or a bare 0 when nothing
    above zero went into it (tests/portfolio/reference.py `grant_rows` reads a missing or zero
    amount as Decimal("0"))."""
    return Decimal(cents).scaleb(-2) if cents else ZERO


@cache
def _statement(shape: Filters) -> Select:
    # What was paid on each grant, looked up by the grant on the tranches' index: SQLite would
    # otherwise sum every grant's tranches first and build itself an index of the sums.
    paid = (
        select(func.sum(_cents(Tranche.paid_amount)))
        .where(Tranche.grant_id == Grant.id, Tranche.paid_on.is_not(None))
        .scalar_subquery()
    )
    return counted_grants(
        select(
            Grant.organisation_id,
            Call.id,
            Call.title,
            utc_year(Grant.created_at),
            Organisation.country_code,
            Organisation.org_type,
            Proposal.income_group,
            cast(Proposal.strategies, Text),
            Grant.currency,
            _cents(Grant.amount),
            paid,
        )
        .join(Grant.proposal)
        .join(Proposal.call)
        .join(Grant.organisation),
        shape,
    ).order_by(Grant.id)  # first-seen order, as tests/portfolio/reference.py reads them


# The single-valued groupings, in the order of a row's values (strategies and regions are
# worked out afterwards from the groupings by strategies' text and by country).
SIMPLE = ("call", "year", "country", "income_group", "org_type")


@dataclass
class Groups:
    """One grouping: per value, the grants; per (value, currency), [awarded, paid] in Decimals."""

    count: dict[Hashable, int]
    sums: dict[tuple[Hashable, str], list[Decimal]]


@dataclass
class Figures:
    """All the money figures of the page for one set of filters."""

    grants: int
    organisations: int
    groups: dict[str, Groups]  # by dimension key (fund/portfolio/tables.py `_dimensions`)
    currency_counts: dict[str, int]
    currency_totals: dict[str, tuple[Decimal, Decimal]]

    def country_amounts(self, currency: str) -> dict[str, Decimal]:
        """Awarded per country in `currency` (what the map draws)."""
        return {
            country: both[0]
            for (country, code), both in self.groups["country"].sums.items()
            if code == currency
        }


def _folded(cells: dict, value_of) -> dict:
    """Cells keyed (value, currency) -> [count, awarded cents, paid cents], regrouped by
    `value_of(value)` (an iterable of new values), in first-seen order."""
    folded: dict = {}
    for (value, code), (n, awarded, paid) in cells.items():
        for new in value_of(value):
            both = folded.get((new, code))
            if both is None:
                folded[new, code] = [n, awarded, paid]
            else:
                both[0] += n
                both[1] += awarded
                both[2] += paid
    return folded


def _groups(cells: dict) -> Groups:
    count: dict[Hashable, int] = {}
    sums: dict[tuple[Hashable, str], list[Decimal]] = {}
    for key, (n, awarded, paid) in cells.items():
        count[key[0]] = count.get(key[0], 0) + n
        sums[key] = [money(awarded), money(paid)]
    return Groups(count, sums)


def _add(cells: dict, key: tuple, n: int, awarded: int, paid: int) -> None:
    """Add a count and two sums of cents to the cell of `key`."""
    both = cells.get(key)
    if both is None:
        cells[key] = [n, awarded, paid]
    else:
        both[0] += n
        both[1] += awarded
        both[2] += paid


def tabulate(rows: Iterable[tuple]) -> Figures:
    """Every grouping of the page from the rows of `_statement`, in one pass."""
    # Three groupings per grant instead of six, each keyed by what one thing decides: its
    # award (call and year), its organisation (country and type) and its proposal (income group
    # and strategies). They fold into the page's six afterwards, a few dozen keys each, in the
    # same first-seen order (the first key to fold into a value is the first grant with it).
    by_award: dict = {}
    by_organisation: dict = {}
    by_proposal: dict = {}
    grants = 0
    for row in rows:
        org, call_id, title, year, country, org_type, income, strategies, code, amount, paid = row
        grants += 1
        paid = paid or 0
        # written out, not through `_add` nor a loop: the hottest lines of the page
        both = by_award.get(key := (call_id, title, year, code))
        if both is None:
            by_award[key] = [1, amount, paid]
        else:
            both[0] += 1
            both[1] += amount
            both[2] += paid
        both = by_organisation.get(key := (org, country, org_type, code))
        if both is None:
            by_organisation[key] = [1, amount, paid]
        else:
            both[0] += 1
            both[1] += amount
            both[2] += paid
        both = by_proposal.get(key := (income, strategies, code))
        if both is None:
            by_proposal[key] = [1, amount, paid]
        else:
            both[0] += 1
            both[1] += amount
            both[2] += paid
    cells: tuple[dict, ...] = tuple({} for _ in SIMPLE)
    by_call, by_year, by_country, by_income, by_type = cells
    by_strategies: dict = {}
    for (call_id, title, year, code), (n, amount, paid) in by_award.items():
        _add(by_call, ((title, call_id), code), n, amount, paid)
        _add(by_year, (year, code), n, amount, paid)
    for (_org, country, org_type, code), (n, amount, paid) in by_organisation.items():
        _add(by_country, (country, code), n, amount, paid)
        _add(by_type, (org_type, code), n, amount, paid)
    for (income, strategies, code), (n, amount, paid) in by_proposal.items():
        _add(by_income, (income or "", code), n, amount, paid)
        _add(by_strategies, (strategies, code), n, amount, paid)
    organisations = {key[0] for key in by_organisation}
    region_of = regions()
    made = dict(zip(SIMPLE, cells, strict=True))
    made["region"] = _folded(made["country"], lambda c: (region_of.get(c, ""),))
    made["strategy"] = _folded(by_strategies, lambda text: sorted(set(strategies_of(text))))
    counts: dict[str, int] = {}
    totals: dict[str, list[int]] = {}
    for (_call, code), (n, awarded, paid) in made["call"].items():  # each grant has one call
        counts[code] = counts.get(code, 0) + n
        both = totals.setdefault(code, [0, 0])
        both[0] += awarded
        both[1] += paid
    return Figures(
        grants,
        len(organisations),
        {key: _groups(found) for key, found in made.items()},
        counts,
        {code: (money(a), money(p)) for code, (a, p) in totals.items()},
    )


def figures(filters: Filters) -> Figures:
    """The money figures of the grants counted under `filters` (one query)."""
    # fund/reads.py (the statement selects columns only, no entity); the rows fetched at once
    # (`all`), which costs less than handing them over one by one.
    return tabulate(read(_statement(shape_of(filters)), bound_values(filters)).all())
