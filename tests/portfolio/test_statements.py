"""The portfolio's statements are built once for each set of filters used, their values bound
when they run (issue 14): one statement serves every call and every period, each with its own
grants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import event, text

from fund.extensions import db
from fund.portfolio import groupings, queries
from fund.portfolio.queries import Filters


def run(read, filters: Filters) -> tuple[object, list]:
    """What `read(filters)` returns, and the statements it ran (through the ORM session or,
    as the money figures are read, straight on its connection)."""
    ran: list = []

    def record(connection, statement, *args) -> None:
        ran.append(statement)

    event.listen(db.engine, "before_execute", record)
    try:
        return read(filters), ran
    finally:
        event.remove(db.engine, "before_execute", record)


def money(figures: groupings.Figures) -> tuple[int, dict[str, Decimal]]:
    """The number of grants and the amount awarded in each currency."""
    return figures.grants, {code: both[0] for code, both in figures.currency_totals.items()}


def test_one_statement_serves_every_call_with_its_own_grants(small_portfolio):
    call_a, call_b = small_portfolio.call_a, small_portfolio.call_b
    figures_a, ran_a = run(groupings.figures, Filters(call_a.id))
    figures_b, ran_b = run(groupings.figures, Filters(call_b.id))
    assert money(figures_a) == (5, {"USD": 40000})
    assert money(figures_b) == (1, {"EUR": 7000})  # the cancelled grant of call B is left out
    assert len(ran_a) == 1 and ran_a[0] is ran_b[0]


def test_one_statement_serves_every_period_with_its_own_grants(small_portfolio):
    early, ran_early = run(groupings.figures, Filters(None, date(2025, 1, 1), date(2025, 12, 31)))
    late, ran_late = run(groupings.figures, Filters(None, date(2026, 3, 1), date(2026, 3, 1)))
    assert money(early) == (1, {"EUR": 7000})
    assert money(late) == (5, {"USD": 40000})
    assert ran_early[0] is ran_late[0]
    everything, ran_all = run(groupings.figures, Filters())
    assert everything.grants == 6 and ran_all[0] is not ran_early[0]


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
    queries.strategies_of.cache_clear()
    figures = groupings.figures(Filters())
    assert figures.groups["strategy"].count == {"laws": 2, "norms": 5}
    assert len(decoded) == 3  # laws+norms, laws, norms: six grants
    groupings.figures(Filters())
    assert len(decoded) == 3


def test_sqlite_sums_the_people_reached_from_the_index_without_sorting(
    small_portfolio, sqlite_only
):
    """The counts come in (sex, age band) order from ix_report_reach_sex_age_band, so the
    grouping sorts nothing, with a call filter as without one."""
    for filters in (Filters(), Filters(small_portfolio.call_a.id)):
        statement = queries._reach_statement(queries.shape_of(filters))
        statement = statement.params(queries.bound_values(filters))
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "COVERING INDEX ix_report_reach_sex_age_band" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
