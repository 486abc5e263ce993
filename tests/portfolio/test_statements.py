"""The portfolio's statements are built once for each set of filters used, their values bound
when they run (issue 14): one statement serves every call and every period, each with its own
grants."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import Session

from fund.portfolio import queries
from fund.portfolio.queries import Filters


def run(read, filters: Filters) -> tuple[object, list]:
    """What `read(filters)` returns, and the statements it ran."""
    ran: list = []

    def record(state) -> None:
        ran.append(state.statement)

    event.listen(Session, "do_orm_execute", record)
    try:
        return read(filters), ran
    finally:
        event.remove(Session, "do_orm_execute", record)


def amounts(rows: list[queries.GrantRow]) -> list[int]:
    return sorted(int(row.amount) for row in rows)


def test_one_statement_serves_every_call_with_its_own_grants(small_portfolio):
    call_a, call_b = small_portfolio.call_a, small_portfolio.call_b
    rows_a, ran_a = run(queries.grant_rows, Filters(call_a.id))
    rows_b, ran_b = run(queries.grant_rows, Filters(call_b.id))
    assert amounts(rows_a) == [2000, 3000, 5000, 10000, 20000]
    assert amounts(rows_b) == [7000]  # the cancelled grant of call B is left out
    assert len(ran_a) == 1 and ran_a[0] is ran_b[0]


def test_one_statement_serves_every_period_with_its_own_grants(small_portfolio):
    early, ran_early = run(queries.grant_rows, Filters(None, date(2025, 1, 1), date(2025, 12, 31)))
    late, ran_late = run(queries.grant_rows, Filters(None, date(2026, 3, 1), date(2026, 3, 1)))
    assert amounts(early) == [7000]
    assert amounts(late) == [2000, 3000, 5000, 10000, 20000]
    assert ran_early[0] is ran_late[0]
    everything, ran_all = run(queries.grant_rows, Filters())
    assert len(everything) == 6 and ran_all[0] is not ran_early[0]


def test_the_results_of_reports_follow_the_call_with_the_same_statements(small_portfolio):
    call_a, call_b = small_portfolio.call_a, small_portfolio.call_b
    reach_a, ran_a = run(queries.reach, Filters(call_a.id))
    reach_b, ran_b = run(queries.reach, Filters(call_b.id))
    assert sum(reach_a.values()) == 32 and reach_b == {}
    assert ran_a[0] is ran_b[0]
    indicators_a, ran_a = run(queries.indicators, Filters(call_a.id))
    indicators_b, ran_b = run(queries.indicators, Filters(call_b.id))
    assert {i.question_id: i.total for i in indicators_a}["q_1a5e0101"] == 7
    assert indicators_b == [] and ran_a[0] is ran_b[0]


def test_each_combination_of_strategies_is_decoded_once(small_portfolio, monkeypatch):
    decoded: list[str] = []
    real = queries.json.loads
    monkeypatch.setattr(queries.json, "loads", lambda text: decoded.append(text) or real(text))
    queries._strategies.cache_clear()
    rows = queries.grant_rows(Filters())
    assert sorted(row.strategies for row in rows) == sorted(
        [("laws", "norms"), ("laws",)] + [("norms",)] * 4
    )
    assert len(decoded) == 3  # laws+norms, laws, norms: six grants
    queries.grant_rows(Filters())
    assert len(decoded) == 3
