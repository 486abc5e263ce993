"""Two transactions recounting one call's figures at the same moment (PostgreSQL, real threads,
one connection each): the second waits for the first to commit, then counts both changes;
neither fails on the figures' key nor leaves a stale row."""

from __future__ import annotations

import threading
import time

from fund.calls import figures_hook
from fund.extensions import db
from fund.models import Proposal
from tests.admin.overview_data import proposal_in
from tests.calls.test_call_figures import live, stored
from tests.conftest import make_call


def _withdraw(app, proposal_id, results):
    """The second transaction: its own app context, hence its own session and connection."""
    with app.app_context():
        try:
            db.session.get(Proposal, proposal_id).state = "withdrawn"
            db.session.commit()  # recounts the call: waits for the first transaction
            results["second"] = "committed"
        except Exception as error:  # reported by the test, not lost in the thread
            results["second"] = error
        finally:
            db.session.remove()


def test_two_transactions_recounting_one_call_at_once_count_both(app, postgresql_only):
    with app.app_context():
        call = make_call(title="Round")
        ids = [proposal_in(call, "submitted").id for _ in range(3)]
        call_id = call.id
        assert stored()[0] == {(call_id, "submitted"): 3}
        db.session.remove()
    results: dict = {}
    with app.app_context():
        db.session.get(Proposal, ids[0]).state = "in_review"
        db.session.flush()
        # The first transaction recounts as its commit would, and holds on before committing.
        figures_hook.CALLS.before_commit(db.session)
        thread = threading.Thread(target=_withdraw, args=(app, ids[1], results))
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # the second one waits its turn
        db.session.commit()
        db.session.remove()
    thread.join(timeout=15)
    assert results == {"second": "committed"}
    with app.app_context():
        assert stored() == live()
        assert stored()[0] == {
            (call_id, "submitted"): 1,
            (call_id, "in_review"): 1,
            (call_id, "withdrawn"): 1,
        }
