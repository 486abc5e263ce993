"""The ranking's statements: which proposals it lists, their columns and the page sorted by
the database, each built once per process for a kind of filters (which filters are in use, the
sort and its direction) and run with the call's, the viewer's and the filters' values bound
(`values_of`). Building them anew on each view, and SQLAlchemy working out their cache keys
again, took longer than running them. fund/decisions/ranking.py runs them and builds the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)

from fund import like
from fund.decisions.ranking_filters import SORT_KEYS, Filters
from fund.models import (
    CONCEPT_STAGE_STATES,
    Call,
    CallStateCount,
    Organisation,
    Proposal,
    ProposalScore,
    ProposalState,
)

# The stored statistic each sort key reads (fund/do_not_fund are the tallies).
SORT_COLUMNS = {
    "mean": ProposalScore.mean,
    "median": ProposalScore.median,
    "std_dev": ProposalScore.std_dev,
    "spread": ProposalScore.spread,
    "normalised": ProposalScore.normalised,
    "reviews": ProposalScore.reviews,
    "amount_requested": Proposal.amount_requested,
    "reference": Proposal.reference,
    "title": Proposal.title,
    "organisation": Organisation.name,
    "country": Organisation.country_code,
    "fund": ProposalScore.fund,
    "do_not_fund": ProposalScore.do_not_fund,
}
STATISTICS = {"mean", "median", "std_dev", "spread", "normalised"}


@dataclass(frozen=True)
class Kind:
    """What shapes the ranking's statements: which filters are in use, not their values. Each
    statement is built once per process for each kind (and sort), and run with `values_of`:
    building them anew on each view, and SQLAlchemy working out their cache keys again, took
    longer than running them. `hiding`: the number of organisations the viewer's conflicts
    hide, each bound on its own (`hidden_0`, ...): a list bound as one expanding parameter had
    SQLAlchemy write the statement's text out again on each view."""

    hiding: int
    one_state: bool
    country: bool
    strategy: bool
    disagreement: bool


def kind_of(hidden: frozenset[int], filters: Filters) -> Kind:
    return Kind(
        len(hidden),
        filters.state != "all",
        bool(filters.country),
        bool(filters.strategy),
        filters.disagreement_only,
    )


def values_of(call: Call, hidden: frozenset[int], filters: Filters) -> dict[str, Any]:
    """The values `listed` binds for the call, the viewer's conflicts and the filters."""
    values: dict[str, Any] = {"call_id": call.id}
    for number, organisation_id in enumerate(sorted(hidden)):
        values[f"hidden_{number}"] = organisation_id
    if filters.state != "all":
        values["state"] = filters.state
    if filters.country:
        values["country"] = filters.country
    if filters.strategy:  # the JSON list as text holds the quoted code (as on the screening)
        values["strategy"] = like.containing(f'"{filters.strategy}"')
    if filters.disagreement_only:
        values["threshold"] = float(call.disagreement_threshold)
    return values


def _each(states: Any) -> list[Any]:
    """`states` as one value bound each: a list given to `in_` is one expanding parameter, and
    SQLAlchemy wrote the statement's text out again on each view for it."""
    return [literal(str(state), String) for state in states]


def _hidden(kind: Kind) -> list[Any]:
    """The hidden organisations' ids, each bound on its own (`values_of`)."""
    return [bindparam(f"hidden_{number}", type_=Integer) for number in range(kind.hiding)]


def listed(kind: Kind, *columns: Any, organisations: bool = True, scores: bool = True) -> Any:
    """A select of `columns` over the proposals the ranking lists with filters of `kind`
    (their organisations and stored statistics joined), the values bound (`values_of`).
    `organisations=False`, `scores=False`: joined only when a filter reads them (the rows are
    the same: every proposal has one organisation and at most one row of statistics; the
    count and the order need fewer of their columns, and SQLite looks each up per row)."""
    query = select(*columns).select_from(Proposal)
    if organisations or kind.country:
        query = query.join(Organisation, Organisation.id == Proposal.organisation_id)
    if scores or kind.disagreement:
        query = query.outerjoin(ProposalScore, ProposalScore.proposal_id == Proposal.id)
    query = query.where(
        Proposal.call_id == bindparam("call_id", type_=Integer),
        Proposal.state != ProposalState.DRAFT,
        Proposal.state.not_in(_each(CONCEPT_STAGE_STATES)),  # concept notes are not ranked
    )
    if kind.hiding:
        query = query.where(Proposal.organisation_id.not_in(_hidden(kind)))
    if kind.one_state:
        query = query.where(Proposal.state == bindparam("state", type_=String))
    if kind.country:
        query = query.where(Organisation.country_code == bindparam("country", type_=String))
    if kind.strategy:
        query = query.where(
            cast(Proposal.strategies, String).like(
                bindparam("strategy", type_=String), escape=like.ESCAPE
            )
        )
    if kind.disagreement:
        query = query.where(
            ProposalScore.reviews > 0,
            ProposalScore.std_dev > bindparam("threshold", type_=Float),
        )
    return query


@cache
def order_statement(kind: Kind, key: str) -> Any:
    """The narrow columns `ranking._order` sorts by key `key` (built once per kind and key)."""
    return listed(
        kind, Proposal.id, Proposal.amount_requested, ProposalScore.reviews, SORT_COLUMNS[key]
    )


ROW_COLUMNS = (
    Proposal.id,
    Proposal.reference,
    Proposal.title,
    Proposal.state,
    Proposal.strategies,
    Proposal.amount_requested,
    Organisation.name,
    Organisation.country_code,
    ProposalScore.reviews,
    ProposalScore.mean,
    ProposalScore.median,
    ProposalScore.std_dev,
    ProposalScore.spread,
    ProposalScore.normalised,
    ProposalScore.fund,
    ProposalScore.fund_with_changes,
    ProposalScore.do_not_fund,
)


@cache
def rows_statement(kind: Kind, by_ids: bool) -> Any:
    """The ranking rows listed with filters of `kind`, or only those with the ids bound as
    `ids` (built once per kind)."""
    query = listed(kind, *ROW_COLUMNS)
    if by_ids:
        query = query.where(Proposal.id.in_(bindparam("ids", expanding=True)))
    return query


# The sort keys the database can order by exactly as `ranking._order` does: numbers. Text
# keys sort in Python (Unicode, case folded, the same on every database).
SQL_SORTS = frozenset(SORT_KEYS) - {"reference", "title", "organisation", "country"}


def sql_sort_value(key: str) -> Any:
    """The SQL expression of `ranking._sort_value` for a numeric key, without renormalised scores.

    Its zeros are written into the SQL, not bound: SQLite sorts the window and the page once
    only when their ORDER BY clauses are the same expression, and two bound parameters are
    never the same (it sorted the listed proposals three times)."""
    zero = literal_column("0")
    counted = ProposalScore.reviews > zero
    column = SORT_COLUMNS[key]
    if key in ("reviews", "fund", "do_not_fund"):
        return case((counted, func.coalesce(column, zero)), else_=zero)
    if key in STATISTICS:
        return case((counted, column))
    return func.coalesce(column, zero)  # the amount requested


def _page_order(key: str, descending: bool) -> tuple[Any, ...]:
    """The ORDER BY of `ranking._order` for a numeric key: rows without a value last, ties by
    id. NULLS LAST (SQLite 3.30 and PostgreSQL), not a first key of its own saying whether
    there is a value: one key less to work out and compare for each listed proposal."""
    value = sql_sort_value(key)
    ordered = value.desc() if descending else value.asc()
    return (ordered.nulls_last(), Proposal.id)


def _sorted_ids(kind: Kind, key: str, order_by: tuple[Any, ...], *columns: Any) -> Any:
    """The listed proposals' ids (and `columns`) in the page's order, over the narrow columns
    alone (the index and the statistics): a sort over every whole row would read the long
    texts too. `limit` bound."""
    return (
        listed(
            kind,
            Proposal.id.label("id"),
            *columns,
            organisations=False,
            scores=key != "amount_requested",  # the only sort not on the statistics
        )
        .order_by(*order_by)
        .limit(bindparam("limit", type_=Integer))
    )


def _rows_of(ordered: Any) -> Any:
    """The page's rows in full, for the ids that the subquery `ordered` gives."""
    return (
        select(*ROW_COLUMNS)
        .select_from(ordered)
        .join(Proposal, Proposal.id == ordered.c.id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .outerjoin(ProposalScore, ProposalScore.proposal_id == Proposal.id)
    )


# The states the ranking can list: every state but the drafts and the concept stage's.
RANKED_STATES = tuple(
    state.value
    for state in ProposalState
    if state != ProposalState.DRAFT and state not in CONCEPT_STAGE_STATES
)


def _counted(kind: Kind) -> Any:
    """The number of proposals listed with filters of `kind`, as a scalar subquery.

    Filtered by state alone, it is the call's counts per state as stored at write time
    (fund/calls/figures.py), less the proposals of a conflicted viewer's hidden organisations
    (a few, found on the index by call, state and organisation): counting the listed
    proposals themselves went through thousands of them on each view. A filter on the country,
    the strategies or the disagreement counts the proposals it lists."""
    if kind.country or kind.strategy or kind.disagreement:
        counted = listed(kind, func.count(), organisations=False, scores=False)
        return counted.scalar_subquery().correlate(None)  # its own proposals, not the page's
    states = [CallStateCount.state.in_(_each(RANKED_STATES))]
    if kind.one_state:
        states.append(CallStateCount.state == bindparam("state", type_=String))
    stored = (
        select(func.coalesce(func.sum(CallStateCount.proposals), 0))
        .where(CallStateCount.call_id == bindparam("call_id", type_=Integer), *states)
        .scalar_subquery()
        .correlate(None)
    )
    if not kind.hiding:
        return stored
    hidden = select(func.count()).where(
        Proposal.call_id == bindparam("call_id", type_=Integer),
        Proposal.state.in_(_each(RANKED_STATES)),
        Proposal.organisation_id.in_(_hidden(kind)),
    )
    if kind.one_state:
        hidden = hidden.where(Proposal.state == bindparam("state", type_=String))
    return stored - hidden.scalar_subquery().correlate(None)


def _cents() -> Any:
    """A proposal's amount requested in cents: exact sums on SQLite too."""
    return cast(func.round(func.coalesce(Proposal.amount_requested, 0) * 100), BigInteger)


@cache
def page_statements(kind: Kind, key: str, descending: bool) -> tuple[Any, Any]:
    """The count and a later page of `ranking._page_sorted_in_sql` for filters of `kind` sorted
    by `key` (built once per kind, key and direction; `limit` and `offset` bound with the
    filters).

    A running total on a later page counts every row before it: a window over the listed
    proposals works the positions and the running totals out; they share one window, so SQLite
    sorts once. The count is a statement of its own: a count over the whole window made SQLite
    go through it again."""
    order_by = _page_order(key, descending)
    window = {"order_by": order_by, "rows": (None, 0)}
    ordered = (
        _sorted_ids(
            kind,
            key,
            order_by,
            func.row_number().over(**window).label("position"),
            func.sum(_cents()).over(**window).label("running"),
        )
        .offset(bindparam("offset", type_=Integer))
        .subquery("ordered")
    )
    page = _rows_of(ordered).add_columns(ordered.c.running).order_by(ordered.c.position)
    return select(_counted(kind)), page


@cache
def first_page_statement(kind: Kind, key: str, descending: bool) -> Any:
    """The first page of `ranking._page_sorted_in_sql` (the first `limit` rows), each row with
    its amount in cents and the count of every listed proposal (built once per kind, key and
    direction).

    No window: the first page's running totals are its own amounts added up, and without the
    window SQLite sorts the listed proposals keeping only the first `limit` (in about half the
    time). Nor a statement for the count: the first page is always there to carry it (no row,
    nothing listed). The page's rows are sorted again by the same keys, 50 rows."""
    order_by = _page_order(key, descending)
    ordered = _sorted_ids(kind, key, order_by).subquery("ordered")
    return _rows_of(ordered).add_columns(_cents(), _counted(kind)).order_by(*order_by)
