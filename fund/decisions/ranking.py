"""The ranking of a call's proposals: every statistic the chairs compare them by.

The statistics are kept at write time (fund/decisions/scores.py). For a numeric sort, the
database sorts a page of the ranking and works out its running totals over the narrow columns
(the index and the statistics), and sends only the page's 50 rows in full. Text sorts (Unicode,
case folded, the same on every database) and a conflicted viewer's own normalised scores sort in
Python over one narrow query of every listed proposal. A viewer with declared conflicts sees the
normalised score without the hidden organisations' reviews (fund/decisions/renormalised.py).
The statements are built once per kind of filters (fund/decisions/ranking_statements.py).
The tests work the same statistics out from the criterion scores themselves
(tests/decisions/live_ranking.py) and check the stored ones always equal them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from fund import permissions
from fund.decisions import ranking_statements as statements
from fund.decisions.queries import RankingCall, pending_counts, pending_counts_of
from fund.decisions.ranking_filters import Filters
from fund.decisions.renormalised import normalised_without
from fund.decisions.stats import ZERO, RankingRow, ScoredReview
from fund.models import Call, Proposal, Recommendation
from fund.paging import PER_PAGE, RowsPage, clamp_page
from fund.reads import read
from fund.rules.envelope import envelope_left, envelope_left_shown

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


def _rows(query: Any, values: dict[str, Any]) -> Any:
    """The rows of a column select run with `values` on the session's connection, in its
    transaction: for the ranking's thousands of rows, skipping the ORM's result handling (no
    entities are loaded) halves the time they take."""
    return read(query, values)


TALLY = (Recommendation.FUND, Recommendation.FUND_WITH_CHANGES, Recommendation.DO_NOT_FUND)


def _sort_value(key: str, count: int | None, raw: Any, renormalised: dict | None, pid: int) -> Any:
    """A row's value for the sort key, as the page shows it (None: no value, listed last)."""
    if key == "normalised" and renormalised is not None:
        return renormalised.get(pid)
    if key in ("reviews", "fund", "do_not_fund"):
        return (raw or 0) if count else 0
    if key in statements.STATISTICS:
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


def _order(call: Call | RankingCall, viewer: Any, filters: Filters) -> _Order:
    """Sort every listed proposal by one narrow query (id, amount, the sort key), in Python so
    text sorts the same on every database (Unicode, case folded) and the normalised scores of a
    conflicted viewer sort too; then the running totals of the amounts requested, in that order.
    Rows without a value (no reviews yet) come last; ties go by id."""
    hidden = frozenset(permissions.conflicted_organisation_ids(viewer))
    renormalised = normalised_without(call.id, hidden) if hidden else None
    key = filters.sort
    query = statements.order_statement(statements.kind_of(hidden, filters), key)
    present, missing = [], []
    # one fetch, not one per row
    for pid, amount, count, raw in _rows(query, statements.values_of(call, hidden, filters)).all():
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


def _rows_for(
    call: Call | RankingCall,
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
    values = statements.values_of(call, hidden, filters)
    if every is None:
        values["ids"] = ids
    query = statements.rows_statement(statements.kind_of(hidden, filters), every is None)
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


def _asks_for_the_first_page(page: Any) -> bool:
    """Whether `page` (from the query string) gives the first page whatever the count."""
    try:
        return int(page) <= 1
    except (TypeError, ValueError):
        return True


def _page_sorted_in_sql(
    call: Call | RankingCall, hidden: frozenset[int], filters: Filters, page: Any
) -> tuple[RowsPage, Decimal]:
    """`ranking_page` for a numeric sort the stored statistics give (any but a conflicted
    viewer's normalised score): the database sorts, works out the running totals (in cents so
    they are exact on SQLite too) and sends only the page's 50 rows. Same order as `_order`:
    rows without a value last, ties by id. The first page, the one most seen, is one statement
    that needs no window (fund/decisions/ranking_statements.py)."""
    kind = statements.kind_of(hidden, filters)
    values = statements.values_of(call, hidden, filters)
    values["limit"] = PER_PAGE
    number, total = 1, None
    if not _asks_for_the_first_page(page):
        counted, paged = statements.page_statements(kind, filters.sort, filters.descending)
        total = read(counted, values).scalar()
        number = clamp_page(page, total, PER_PAGE)
    if number == 1:
        first = statements.first_page_statement(kind, filters.sort, filters.descending)
        found = _rows(first, values).all()  # each row: its values, its cents, the count
        total = found[0][-1] if found else 0  # no row on the first page: nothing listed
        running = accumulate(found_row[-2] for found_row in found)
        found = [(*found_row[:-2], cents) for found_row, cents in zip(found, running, strict=True)]
    else:
        values["offset"] = (number - 1) * PER_PAGE
        found = _rows(paged, values).all()  # each row: its values, its running total in cents
    left = envelope_left_shown(call)
    threshold = float(call.disagreement_threshold)
    approvals = pending_counts_of([found_row[0] for found_row in found])
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


def ranking_page(
    call: Call | RankingCall, viewer: Any, filters: Filters, page: Any
) -> tuple[RowsPage, Decimal]:
    """One page of `ranking`: every listed proposal is sorted and totalled, but only the page's
    rows are read in full (sorted by the database when it can sort them as `_order` does)."""
    hidden = frozenset(permissions.conflicted_organisation_ids(viewer))
    if filters.sort in statements.SQL_SORTS and not (hidden and filters.sort == "normalised"):
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
