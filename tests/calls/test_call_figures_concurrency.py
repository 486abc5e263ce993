"""Two transactions recounting one call's figures at the same moment (PostgreSQL, real threads,
one connection each): the second waits for the first to commit, then counts both changes;
neither fails on the figures' key nor leaves a stale row."""

from __future__ import annotations

from fund.calls import figures_hook
from fund.extensions import db
from fund.models import Proposal
from tests.admin.overview_data import proposal_in
from tests.calls.test_call_figures import live, stored
from tests.conftest import make_call
from tests.recount_turns import second_waits_for_first


def test_two_transactions_recounting_one_call_at_once_count_both(app, postgresql_only):
    with app.app_context():
        call = make_call(title="Round")
        ids = [proposal_in(call, "submitted").id for _ in range(3)]
        call_id = call.id
        assert stored()[0] == {(call_id, "submitted"): 3}
        db.session.remove()

    def change(proposal_id: int, state: str):
        return lambda: setattr(db.session.get(Proposal, proposal_id), "state", state)

    outcome = second_waits_for_first(
        app, figures_hook.CALLS, change(ids[0], "in_review"), change(ids[1], "withdrawn")
    )
    assert outcome == "committed"
    with app.app_context():
        assert stored() == live()
        assert stored()[0] == {
            (call_id, "submitted"): 1,
            (call_id, "in_review"): 1,
            (call_id, "withdrawn"): 1,
        }
