"""The chairs' dashboard reads what waits for them without walking every reviewed proposal
(issue 14): each call's count is read as stored at write time (fund/calls/figures.py), less
the chair's conflicted organisations' own found on the index, and the awards waiting for
approval start from the few pending approvals. On SQLite the query plans
show it; on both databases the rows stay those the panels show."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import event

from fund.decisions import waiting
from fund.extensions import db
from fund.models import Conflict, DecisionApproval, Role
from tests.admin.overview_data import proposal_in
from tests.conftest import login, make_call, make_user


def plans_of(run) -> tuple[object, list[str]]:
    """What `run()` returns, and on SQLite the query plan of each statement it ran."""
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    if db.engine.dialect.name != "sqlite":
        return result, []
    connection = db.session.connection().connection.driver_connection
    plans = []
    for statement, parameters in ran:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
        plans.append(" | ".join(row[-1] for row in rows))
    return result, plans


def test_reviewed_proposals_are_read_from_the_stored_counts(ctx):
    """A chair without conflicts reads each call's count as stored at write time: no proposal
    is read at all."""
    first, second = make_call(title="First"), make_call(title="Second")
    for _ in range(3):
        proposal_in(first, "reviewed")
    proposal_in(first, "in_review")
    proposal_in(second, "in_review")
    chair = make_user(Role.CHAIR)
    db.session.commit()
    calls, plans = plans_of(lambda: waiting.reviewed_per_call(chair))
    assert [(call.id, call.title, n) for call, n in calls] == [(first.id, "First", 3)]
    if plans:  # SQLite
        counting = next(plan for plan in plans if "call_state_counts" in plan)
        assert "proposals" not in counting
        # each call's count read once: a WHERE on it, flattened by SQLite, read it again
        assert counting.count("SEARCH call_state_counts") == 1


def test_a_conflicted_chairs_hidden_proposals_are_found_on_the_index(ctx):
    """The proposals of the organisations a chair has a conflict with are taken off the stored
    counts; they are found on the index by call, state and organisation, not by walking the
    call's reviewed proposals."""
    call = make_call(title="Round")
    hidden = proposal_in(call, "reviewed")
    for _ in range(3):
        proposal_in(call, "reviewed")
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=hidden.organisation_id, reason="Board member")
    )
    db.session.commit()
    calls, plans = plans_of(lambda: waiting.reviewed_per_call(chair))
    assert [(row.title, n) for row, n in calls] == [("Round", 3)]
    if plans:  # SQLite
        counting = next(plan for plan in plans if "call_state_counts" in plan)
        assert "COVERING INDEX ix_proposals_call_ranking (call_id=? AND state=? AND" in counting
        assert counting.count("SEARCH proposals") == 1


def test_awards_awaiting_approval_start_from_the_pending_approvals(ctx):
    call = make_call(title="Round")
    call.chair_approvals_needed = 3
    waiting_award = proposal_in(call, "reviewed")
    for _ in range(4):
        proposal_in(call, "reviewed")
    chair, other, third = make_user(Role.CHAIR), make_user(Role.CHAIR), make_user(Role.CHAIR)
    for approver in (other, third):
        db.session.add(
            DecisionApproval(proposal_id=waiting_award.id, chair_id=approver.id, amount=Decimal(9))
        )
    db.session.commit()
    rows, plans = plans_of(lambda: waiting.awaiting_approval(chair))
    assert [(row.id, row.call_title, row.approvals, row.needed) for row in rows] == [
        (waiting_award.id, "Round", 2, 3)
    ]
    if plans:  # SQLite: each pending approval's proposal found by its key
        reading = next(plan for plan in plans if "decision_approvals" in plan)
        assert "SEARCH proposals USING INTEGER PRIMARY KEY" in reading
        assert "ix_proposals_state" not in reading


def test_the_panels_build_their_links_once_not_per_row(app, client, monkeypatch):
    real = app.jinja_env.globals["url_for"]
    built: list[str] = []
    monkeypatch.setitem(
        app.jinja_env.globals, "url_for", lambda *a, **k: built.append(a[0]) or real(*a, **k)
    )
    chair, other = make_user(Role.CHAIR), make_user(Role.CHAIR)
    login(client, chair)

    def links_with_another_award() -> int:
        call = make_call()
        call.chair_approvals_needed = 2
        proposal = proposal_in(call, "reviewed")
        db.session.add(
            DecisionApproval(proposal_id=proposal.id, chair_id=other.id, amount=Decimal(9))
        )
        db.session.commit()
        built.clear()
        html = client.get("/dashboard").text
        assert f'href="/decisions/proposals/{proposal.id}"' in html
        assert f'href="/decisions/calls/{call.id}"' in html
        return len(built)

    links_with_another_award()  # the main menu is built once per kind of reader: warm it
    first = links_with_another_award()
    assert [links_with_another_award() for _ in range(3)] == [first] * 3
