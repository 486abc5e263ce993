"""The ranking of a call's proposals: every statistic the chairs compare them by.

The statistics are kept at write time (fund/decisions/scores.py). For a numeric sort, the
database sorts a page of the ranking and works out its running totals over the narrow columns
(the index and the statistics), and sends only the page's 50 rows in full. Text sorts (Unicode,
case folded, the same on every database) and a conflicted viewer's own normalised scores sort in
Python over one narrow query of every listed proposal. A viewer with declared conflicts sees the
normalised score without the hidden organisations' reviews (fund/decisions/renormalised.py).
The tests work the same statistics out from the criterion scores themselves
(tests/decisions/live_ranking.py) and check the stored ones always equal them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
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
    literal_column,
    select,
)

from fund import like, permissions
from fund.decisions.queries import pending_counts
from fund.decisions.renormalised import normalised_without
from fund.decisions.stats import ZERO, RankingRow, ScoredReview
from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    Call,
    Organisation,
    Proposal,
    ProposalScore,
    ProposalState,
    Recommendation,
    Strategy,
)
from fund.paging import PER_PAGE, RowsPage, clamp_page
from fund.rules.envelope import envelope_left

__all__ = [
    "RankingRow",
    "ScoredReview",
    "ZERO",
    "Filters",
    "ranked_ids",
    "ranking",
    "ranking_page",
    "ranking_row",
    "rows_of",
]

SORT_KEYS = (
    "mean",
    "median",
    "std_dev",
    "spread",
    "normalised",
    "reviews",
    "amount_requested",
    "reference",
    "title",
    "organisation",
    "country",
    "fund",
    "do_not_fund",
)


def _rows(query: Any, values: dict[str, Any]) -> Any:
    """The rows of a column select run with `values` on the session's connection, in its
    transaction: for the ranking's thousands of rows, skipping the ORM's result handling (no
    entities are loaded) halves the time they take."""
    return db.session.connection().execute(query, values)


@dataclass
class Filters:
    """What the ranking shows and in which order; built from the query string."""

    state: str = ProposalState.REVIEWED.value  # "all" for every submitted state
    country: str = ""
    strategy: str = ""
    disagreement_only: bool = False
    sort: str = "mean"
    descending: bool = True

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        state = args.get("state", ProposalState.REVIEWED.value)
        if state != "all" and state not in {s.value for s in ProposalState}:
            state = ProposalState.REVIEWED.value
        sort = args.get("sort", "mean")
        country = args.get("country", "").strip().upper()
        strategy = args.get("strategy", "")
        return cls(
            state=state,
            country=country
            if len(country) == 2 and country.isascii() and country.isalpha()
            else "",
            strategy=strategy if strategy in {s.value for s in Strategy} else "",
            disagreement_only=args.get("disagreement") == "1",
            sort=sort if sort in SORT_KEYS else "mean",
            descending=args.get("order", "desc") != "asc",
        )

    def as_args(self) -> dict[str, str]:
        """The query string that gives these filters back (empty filters left out), for links."""
        args = {
            "state": self.state,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
        }
        if self.country:
            args["country"] = self.country
        if self.strategy:
            args["strategy"] = self.strategy
        if self.disagreement_only:
            args["disagreement"] = "1"
        return args


TALLY = (Recommendation.FUND, Recommendation.FUND_WITH_CHANGES, Recommendation.DO_NOT_FUND)
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
class _Kind:
    """What shapes the ranking's statements: which filters are in use, not their values. Each
    statement is built once per process for each kind (and sort), and run with `_values`:
    building them anew on each view, and SQLAlchemy working out their cache keys again, took
    longer than running them."""

    hiding: bool
    one_state: bool
    country: bool
    strategy: bool
    disagreement: bool


def _kind(hidden: frozenset[int], filters: Filters) -> _Kind:
    return _Kind(
        bool(hidden),
        filters.state != "all",
        bool(filters.country),
        bool(filters.strategy),
        filters.disagreement_only,
    )


def _values(call: Call, hidden: frozenset[int], filters: Filters) -> dict[str, Any]:
    """The values `_listed` binds for the call, the viewer's conflicts and the filters."""
    values: dict[str, Any] = {"call_id": call.id}
    if hidden:
        values["hidden"] = sorted(hidden)
    if filters.state != "all":
        values["state"] = filters.state
    if filters.country:
        values["country"] = filters.country
    if filters.strategy:  # the JSON list as text holds the quoted code (as on the screening)
        values["strategy"] = like.containing(f'"{filters.strategy}"')
    if filters.disagreement_only:
        values["threshold"] = float(call.disagreement_threshold)
    return values


def _listed(kind: _Kind, *columns: Any, organisations: bool = True, scores: bool = True) -> Any:
    """A select of `columns` over the proposals the ranking lists with filters of `kind`
    (their organisations and stored statistics joined), the values bound (`_values`).
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
        Proposal.state.not_in(CONCEPT_STAGE_STATES),  # concept notes are not ranked
    )
    if kind.hiding:
        query = query.where(Proposal.organisation_id.not_in(bindparam("hidden", expanding=True)))
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


def _sort_value(key: str, count: int | None, raw: Any, renormalised: dict | None, pid: int) -> Any:
    """A row's value for the sort key, as the page shows it (None: no value, listed last)."""
    if key == "normalised" and renormalised is not None:
        return renormalised.get(pid)
    if key in ("reviews", "fund", "do_not_fund"):
        return (raw or 0) if count else 0
    if key in STATISTICS:
        return raw if count else None
    if key == "amount_requested":
        return Decimal(raw or 0)
    if key == "reference":
        raw = raw or ""
    return raw.lower() if isinstance(raw, str) else raw


@dataclass
class _Order:
    """The ranking's order: the proposals' ids, sorted, with the running totals."""

    ids: list[int]
    totals: dict[int, Decimal]
    left: Decimal
    renormalised: dict[int, float | None] | None


@cache
def _order_statement(kind: _Kind, key: str) -> Any:
    """The narrow columns `_order` sorts by key `key` (built once per kind and key)."""
    return _listed(
        kind, Proposal.id, Proposal.amount_requested, ProposalScore.reviews, SORT_COLUMNS[key]
    )


def _order(call: Call, viewer: Any, filters: Filters) -> _Order:
    """Sort every listed proposal by one narrow query (id, amount, the sort key), in Python so
    text sorts the same on every database (Unicode, case folded) and the normalised scores of a
    conflicted viewer sort too; then the running totals of the amounts requested, in that order.
    Rows without a value (no reviews yet) come last; ties go by id."""
    hidden = frozenset(permissions.conflicted_organisation_ids(viewer))
    renormalised = normalised_without(call.id, hidden) if hidden else None
    key = filters.sort
    query = _order_statement(_kind(hidden, filters), key)
    present, missing = [], []
    # one fetch, not one per row
    for pid, amount, count, raw in _rows(query, _values(call, hidden, filters)).all():
        value = _sort_value(key, count, raw, renormalised, pid)
        (missing if value is None else present).append((value, pid, Decimal(amount or 0)))
    present.sort(
        key=lambda r: (r[0], -r[1] if filters.descending else r[1]), reverse=filters.descending
    )
    missing.sort(key=lambda r: r[1])
    ordered = present + missing
    left = envelope_left(call)
    totals, total = {}, ZERO
    for _value, pid, amount in ordered:
        total += amount
        totals[pid] = total
    return _Order([pid for _v, pid, _a in ordered], totals, left, renormalised)


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


def _row(values: Any, threshold: float, renormalised: dict | None) -> RankingRow:
    """A ranking row from the values of ROW_COLUMNS (the running total is set by the caller)."""
    pid, ref, title, state, strategies, amount, org, country, *stats = values
    row = RankingRow(
        pid, ref or "", title, state, org, country, tuple(strategies or ()), Decimal(amount or 0)
    )
    count, mean, median, std_dev, spread, norm, *tally = stats
    if count:
        row.reviews, row.mean, row.median, row.std_dev = count, mean, median, std_dev
        row.spread, row.normalised = spread, norm
        row.disagreement = std_dev > threshold
        row.tally = {key: n for key, n in zip(TALLY, tally, strict=True) if n}
    if renormalised is not None:
        row.normalised = renormalised.get(pid)
    return row


@cache
def _rows_statement(kind: _Kind, by_ids: bool) -> Any:
    """The ranking rows listed with filters of `kind`, or only those with the ids bound as
    `ids` (built once per kind)."""
    query = _listed(kind, *ROW_COLUMNS)
    if by_ids:
        query = query.where(Proposal.id.in_(bindparam("ids", expanding=True)))
    return query


def _rows_for(
    call: Call,
    viewer: Any,
    ids: list[int],
    order: _Order | None,
    every: Filters | None = None,
) -> list[RankingRow]:
    """The ranking rows of proposals `ids` (in that order, those listed only): the proposal,
    its organisation and its stored statistics in one query; the running totals of `order`.
    With `every` (the filters `ids` were listed with), `ids` are all the rows those filters
    give, and the query says so instead of naming thousands of ids."""
    if not ids:
        return []
    hidden = frozenset(permissions.conflicted_organisation_ids(viewer))
    filters = every or Filters(state="all")
    values = _values(call, hidden, filters)
    if every is None:
        values["ids"] = ids
    query = _rows_statement(_kind(hidden, filters), every is None)
    renormalised = (
        order.renormalised
        if order is not None
        else normalised_without(call.id, hidden)
        if hidden
        else None
    )
    threshold = float(call.disagreement_threshold)
    approvals = pending_counts(call.id)
    rows = {}
    for found in _rows(query, values):
        row = _row(found, threshold, renormalised)
        row.approvals = approvals.get(row.proposal_id, 0)
        if order is not None:
            row.running_total = order.totals[row.proposal_id]
            row.over_envelope = row.running_total > order.left
        rows[row.proposal_id] = row
    return [rows[pid] for pid in ids if pid in rows]


# The sort keys the database can order by exactly as `_order` does: numbers. Text keys sort in
# Python (Unicode, case folded, the same on every database).
SQL_SORTS = frozenset(SORT_KEYS) - {"reference", "title", "organisation", "country"}


def _sql_sort_value(key: str) -> Any:
    """The SQL expression of `_sort_value` for a numeric key, without renormalised scores.

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


@cache
def _sql_page_statements(kind: _Kind, key: str, descending: bool) -> tuple[Any, Any]:
    """The count and the page of `_page_sorted_in_sql` for filters of `kind` sorted by `key`
    (built once per kind, key and direction; `limit` and `offset` bound with the filters).

    The order is worked out over the narrow columns alone (the index and the statistics), then
    the page's rows read in full (a window over every whole row would read the long texts
    too); the position and the running total share one window, so SQLite sorts once. The count
    is a statement of its own: a count over the whole window made SQLite go through it again."""
    value = _sql_sort_value(key)
    order_by = (value.is_(None), value.desc() if descending else value.asc(), Proposal.id)
    cents = cast(func.round(func.coalesce(Proposal.amount_requested, 0) * 100), BigInteger)
    ordered = (
        _listed(
            kind,
            Proposal.id.label("id"),
            func.row_number().over(order_by=order_by, rows=(None, 0)).label("position"),
            func.sum(cents).over(order_by=order_by, rows=(None, 0)).label("running"),
            organisations=False,
            scores=key != "amount_requested",  # the only sort not on the statistics
        )
        .order_by(*order_by)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("ordered")
    )
    page = (
        select(*ROW_COLUMNS, ordered.c.running)
        .select_from(ordered)
        .join(Proposal, Proposal.id == ordered.c.id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .outerjoin(ProposalScore, ProposalScore.proposal_id == Proposal.id)
        .order_by(ordered.c.position)
    )
    return _listed(kind, func.count(), organisations=False, scores=False), page


def _page_sorted_in_sql(
    call: Call, hidden: frozenset[int], filters: Filters, page: Any
) -> tuple[RowsPage, Decimal]:
    """`ranking_page` for a numeric sort the stored statistics give (any but a conflicted
    viewer's normalised score): the database sorts, works out the running totals (a window
    sum, in cents so it is exact on SQLite too) and sends only the page's 50 rows. Same order as
    `_order`: rows without a value last, ties by id."""
    counted, paged = _sql_page_statements(_kind(hidden, filters), filters.sort, filters.descending)
    values = _values(call, hidden, filters)
    total = db.session.scalar(counted, values)
    number = clamp_page(page, total, PER_PAGE)
    values.update(limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    found = _rows(paged, values).all()
    left = envelope_left(call)
    threshold = float(call.disagreement_threshold)
    approvals = pending_counts(call.id)
    renormalised = normalised_without(call.id, hidden) if hidden else None
    rows = []
    for *row_values, running_cents in found:
        row = _row(row_values, threshold, renormalised)
        row.approvals = approvals.get(row.proposal_id, 0)
        row.running_total = Decimal(running_cents) / 100
        row.over_envelope = row.running_total > left
        rows.append(row)
    return RowsPage(rows, number, PER_PAGE, total), left


def ranking(
    call: Call, viewer: Any, filters: Filters | None = None
) -> tuple[list[RankingRow], Decimal]:
    """The call's proposals as ranking rows, filtered and sorted, with the running total of the
    amounts requested; and the envelope left. A viewer's conflicted organisations are left out
    of the rows and of every statistic (their reviews do not count in anyone's z-scores)."""
    filters = filters or Filters()
    order = _order(call, viewer, filters)
    return _rows_for(call, viewer, order.ids, order, every=filters), order.left


def ranking_page(call: Call, viewer: Any, filters: Filters, page: Any) -> tuple[RowsPage, Decimal]:
    """One page of `ranking`: every listed proposal is sorted and totalled, but only the page's
    rows are read in full (sorted by the database when it can sort them as `_order` does)."""
    hidden = frozenset(permissions.conflicted_organisation_ids(viewer))
    if filters.sort in SQL_SORTS and not (hidden and filters.sort == "normalised"):
        return _page_sorted_in_sql(call, hidden, filters, page)
    order = _order(call, viewer, filters)
    number = clamp_page(page, len(order.ids), PER_PAGE)
    start = (number - 1) * PER_PAGE
    rows = _rows_for(call, viewer, order.ids[start : start + PER_PAGE], order)
    return RowsPage(rows, number, PER_PAGE, len(order.ids)), order.left


def ranked_ids(call: Call, viewer: Any, filters: Filters) -> list[int]:
    """The ids of the ranking's rows with `filters`, in its order (for bulk actions)."""
    return _order(call, viewer, filters).ids


def rows_of(call: Call, viewer: Any, ids: list[int]) -> dict[int, RankingRow]:
    """The ranking rows of proposals `ids` that the viewer's ranking lists (in any state), with
    every statistic but no running total (that needs the whole order): for the comparison and
    the decision page."""
    return {row.proposal_id: row for row in _rows_for(call, viewer, ids, None)}


def ranking_row(proposal: Proposal, viewer: Any) -> RankingRow | None:
    """The proposal's own row of the ranking, without its running total (None if the viewer's
    ranking does not list it)."""
    return rows_of(proposal.call, viewer, [proposal.id]).get(proposal.id)
