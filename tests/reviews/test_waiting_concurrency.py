"""Two transactions recounting one reviewer's waiting reviews at the same moment (PostgreSQL,
real threads, one connection each): the second waits for the first to commit, then counts both
changes; neither fails on the counts' key nor leaves a stale row."""

from __future__ import annotations

from fund import clock
from fund.extensions import db
from fund.models import Review, Role
from fund.reviews import waiting_hook
from tests.conftest import make_user
from tests.recount_turns import second_waits_for_first
from tests.reviews import waiting_reference as reference
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


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

    def remove(review_id: int):
        return lambda: setattr(db.session.get(Review, review_id), "removed_at", clock.now())

    outcome = second_waits_for_first(app, waiting_hook.REVIEWERS, remove(ids[0]), remove(ids[1]))
    assert outcome == "committed"
    with app.app_context():
        assert reference.stored_rows() == reference.live_rows()
        assert list(reference.stored_rows().values()) == [1]
