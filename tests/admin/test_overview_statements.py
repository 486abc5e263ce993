"""The overview's statements are built once per process, their dates bound when they run
(issue 14): the same statement objects serve every view, and each day still gets its own
figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from fund.admin import late_reviews, overview
from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from tests.admin.overview_data import make_grant_with_tranches, make_review, proposal_in
from tests.conftest import login, make_call, make_user
from tests.decisions.test_chair_dashboard_plans import plans_of


@contextmanager
def statements_run() -> Iterator[list]:
    """The statement objects run inside the block, in order, through the session or on its
    connection (fund/reads.py)."""
    ran: list = []

    def record(conn, statement, multiparams, params, execution_options) -> None:
        ran.append(statement)

    event.listen(db.engine, "before_execute", record)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_execute", record)


def overview_figures(now):
    """What the dashboard's overview reads for the moment `now`."""
    return (
        {figures.call.title for figures in overview.calls(now)},
        {row.name: (row.overdue, row.week) for row in late_reviews.reviews_by_reviewer(now.date())},
        overview.grants(now.date()),
    )


def test_the_same_statements_give_each_day_its_own_figures(ctx):
    now = utcnow()
    later = now + timedelta(days=12)
    make_call(title="Open now")
    upcoming = make_call(title="Opens in five days")
    upcoming.opens_at = now + timedelta(days=5)
    db.session.commit()
    call = make_call(title="Reviewed call")
    reviewer = make_user(Role.REVIEWER, name="Rita")
    make_review(proposal_in(call), reviewer, due_in_days=-2)  # overdue on both days
    make_review(proposal_in(call), reviewer, due_in_days=10)  # overdue twelve days later
    make_review(proposal_in(call), reviewer, due_in_days=15)  # due that week
    grant = make_grant_with_tranches(call)
    grant.tranches[0].due_on = (now + timedelta(days=5)).date()  # the other is due at once
    db.session.commit()

    with statements_run() as first:
        calls_now, reviewers_now, grants_now = overview_figures(now)
    with statements_run() as second:
        calls_later, reviewers_later, grants_later = overview_figures(later)

    assert "Opens in five days" not in calls_now and "Opens in five days" in calls_later
    assert reviewers_now == {"Rita": (1, 0)}
    assert reviewers_later == {"Rita": (2, 1)}
    assert grants_now["tranches_due"] == 1 and grants_later["tranches_due"] == 2
    # one statement object per query, reused: SQLAlchemy keeps its cache key between views
    assert len(first) == len(second) >= 6
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_the_late_reviews_list_uses_the_same_statements_for_each_reviewer_and_day(ctx):
    call = make_call()
    rita, sam = make_user(Role.REVIEWER, name="Rita"), make_user(Role.REVIEWER, name="Sam")
    make_review(proposal_in(call), rita, due_in_days=-2)
    make_review(proposal_in(call), sam, due_in_days=3)
    today = utcnow().date()

    with statements_run() as first:
        rita_overdue = late_reviews.review_rows("overdue", today, rita.id, 1)
    with statements_run() as second:
        sam_overdue_later = late_reviews.review_rows(
            "overdue", today + timedelta(days=5), sam.id, 1
        )
    everyone_this_week = late_reviews.review_rows("week", today, None, 1)

    assert [row.reviewer for row in rita_overdue.items] == ["Rita"] and rita_overdue.total == 1
    assert [row.reviewer for row in sam_overdue_later.items] == ["Sam"]
    assert [row.reviewer for row in everyone_this_week.items] == ["Sam"]
    assert all(a is b for a, b in zip(first, second, strict=True)) and len(first) == 2


def test_late_reviews_due_the_same_day_are_listed_by_reviewer(client):
    """The list follows the index of waiting assignments: by due date, then reviewer."""
    call = make_call()
    first, second = make_user(Role.REVIEWER, name="Zed"), make_user(Role.REVIEWER, name="Amy")
    for reviewer in (second, first, second):  # assigned in this order, all due the same day
        make_review(proposal_in(call), reviewer, due_in_days=-2)
    make_review(proposal_in(call), second, due_in_days=-5)  # the longest overdue
    page = late_reviews.review_rows("overdue", utcnow().date(), None, 1)
    assert [row.reviewer for row in page.items] == ["Amy", "Zed", "Amy", "Amy"]
    login(client, make_user(Role.ADMIN))
    html = client.get("/admin/overview/reviews?when=overdue").text
    assert re.findall(r'<tr id="review-(\d+)">', html) == [str(row.id) for row in page.items]


def test_a_page_of_late_reviews_is_read_off_the_index_without_sorting(ctx):
    call = make_call()
    for reviewer in (make_user(Role.REVIEWER), make_user(Role.REVIEWER)):
        make_review(proposal_in(call), reviewer, due_in_days=-2)
    page, plans = plans_of(lambda: late_reviews.review_rows("overdue", utcnow().date(), None, 1))
    assert page.total == 2 and len(page.items) == 2
    if db.engine.dialect.name == "sqlite":  # PostgreSQL plans by its statistics
        assert "ix_reviews_waiting_due" in plans[1]
        assert "TEMP B-TREE" not in plans[1]


def test_the_payments_due_use_the_same_statements_each_day(ctx):
    call = make_call()
    grant = make_grant_with_tranches(call)
    grant.tranches[0].due_on = (utcnow() + timedelta(days=5)).date()
    db.session.commit()
    today = utcnow().date()
    with statements_run() as first:
        now = overview.tranche_rows(today, 1)
    with statements_run() as second:
        later = overview.tranche_rows(today + timedelta(days=6), 1)
    assert [row.position for row in now.items] == [2] and now.total == 1
    assert sorted(row.position for row in later.items) == [1, 2] and later.total == 2
    assert len(first) == 2 and all(a is b for a, b in zip(first, second, strict=True))
