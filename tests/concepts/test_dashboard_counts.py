"""The dashboard's concept-note counts (issue 14): one statement per process for the readers
who see every organisation and one for those with conflicts, the conflicts bound when it runs,
so each reader still gets their own counts."""

from __future__ import annotations

from sqlalchemy import event

from fund.extensions import db
from fund.models import Conflict, Role
from fund.reviews import concepts
from tests.admin.overview_data import proposal_in
from tests.conftest import make_call, make_user


def counts_and_statement(user) -> tuple[dict[str, int], object]:
    """Waiting notes per call title as `user` sees them, and the statement that counted them."""
    ran: list = []

    def record(conn, statement, multiparams, params, execution_options) -> None:
        ran.append(statement)

    event.listen(db.engine, "before_execute", record)
    try:
        rows = concepts.calls_with_concepts(user)
    finally:
        event.remove(db.engine, "before_execute", record)
    return {call.title: n for call, n in rows}, ran[-1]


def conflicted_chair(organisation_id: int):
    chair = make_user(Role.CHAIR)
    db.session.add(Conflict(user_id=chair.id, organisation_id=organisation_id, reason="x"))
    db.session.commit()
    return chair


def test_each_reader_counts_the_notes_they_may_see_with_the_same_statements(ctx):
    call = make_call(title="Two stages", two_stage=True)
    first, second, _third = (proposal_in(call, "concept_submitted") for _ in range(3))
    counts_one, statement_one = counts_and_statement(conflicted_chair(first.organisation_id))
    counts_two, statement_two = counts_and_statement(conflicted_chair(second.organisation_id))
    counts_all, statement_all = counts_and_statement(make_user(Role.ADMIN, Role.CHAIR))
    counts_free, statement_free = counts_and_statement(make_user(Role.CHAIR))
    assert counts_one == counts_two == {"Two stages": 2}
    assert counts_all == counts_free == {"Two stages": 3}
    assert statement_one is statement_two and statement_all is statement_free
    assert statement_one is not statement_all
