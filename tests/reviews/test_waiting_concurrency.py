"""Two transactions recounting one reviewer's waiting reviews at the same moment (PostgreSQL,
real threads, one connection each): the second waits for the first to commit, then counts both
changes; neither fails on the counts' key nor leaves a stale row."""

from __future__ import annotations

import threading
import time

from fund import clock
from fund.extensions import db
from fund.models import Review, Role
from fund.reviews import waiting_hook
from tests.conftest import make_user
from tests.reviews import waiting_reference as reference
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


def _remove(app, review_id, results):
    """The second transaction: its own app context, hence its own session and connection."""
    with app.app_context():
        try:
            db.session.get(Review, review_id).removed_at = clock.now()
            db.session.commit()  # recounts the reviewer: waits for the first transaction
            results["second"] = "committed"
        except Exception as error:  # reported by the test, not lost in the thread
            results["second"] = error
        finally:
            db.session.remove()


def test_two_transactions_recounting_one_reviewer_at_once_count_both(app, postgresql_only):
    with app.app_context():
        call = make_rubric_call()
        reviewer = make_user(Role.REVIEWER)
        first, second, third = (
            assign(make_in_review(call), reviewer, answered=False, due_in=5) for _ in range(3)
        )
        ids = first.id, second.id
        assert list(reference.stored_rows().values()) == [3]
        db.session.remove()
    results: dict = {}
    with app.app_context():
        db.session.get(Review, ids[0]).removed_at = clock.now()
        db.session.flush()
        # The first transaction recounts as its commit would, and holds on before committing.
        waiting_hook.REVIEWERS.before_commit(db.session)
        thread = threading.Thread(target=_remove, args=(app, ids[1], results))
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # the second one waits its turn
        db.session.commit()
        db.session.remove()
    thread.join(timeout=15)
    assert results == {"second": "committed"}
    with app.app_context():
        assert reference.stored_rows() == reference.live_rows()
        assert list(reference.stored_rows().values()) == [1]
