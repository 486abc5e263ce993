"""The reviewer's queue read in two queries: the sections counted in one, a page of each in
one more, each section in its own order."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from fund.reviews import queue_queries
from tests.conftest import count_queries, login, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call, submit_directly


def _every_kind(reviewer):
    """Assignments of every kind: two to start (one overdue), one in progress, two submitted,
    and the ones no section shows (removed, conflicted, and one whose proposal left review)."""
    call = make_rubric_call(reviewers=3)
    assign(make_in_review(call, title="Start later"), reviewer, answered=False, due_in=9)
    assign(make_in_review(call, title="Start now"), reviewer, answered=False, due_in=-1)
    assign(make_in_review(call, title="Going on"), reviewer, answered=True)
    submit_directly(assign(make_in_review(call, title="Sent first"), reviewer))
    submit_directly(assign(make_in_review(call, title="Sent last"), reviewer))
    removed = assign(make_in_review(call, title="Taken away"), reviewer)
    removed.removed_at = utcnow()
    conflicted = assign(make_in_review(call, title="Conflicted"), reviewer, answered=False)
    conflicted.conflict_declared_at = utcnow()
    assign(make_in_review(call, title="Decided meanwhile", state="reviewed"), reviewer)
    db.session.commit()


def test_each_section_counts_and_shows_only_its_own_assignments_in_its_order(client, ctx):
    reviewer = make_user(Role.REVIEWER)
    _every_kind(reviewer)
    someone_else = make_user(Role.REVIEWER)
    assign(make_in_review(make_rubric_call(), title="Not mine"), someone_else)
    queue = queue_queries.queue(reviewer)
    assert queue.counts == {"to_start": 2, "in_progress": 1, "submitted": 2}
    assert [row.title for row in queue.to_start.items] == ["Start now", "Start later"]
    assert [row.title for row in queue.in_progress.items] == ["Going on"]
    assert [row.title for row in queue.submitted.items] == ["Sent last", "Sent first"]
    login(client, reviewer)
    page = client.get("/reviews/").get_data(as_text=True)
    assert "To start: 2. In progress: 1. Submitted: 2." in page
    order = ["Start now", "Start later", "Going on", "Sent last", "Sent first"]
    assert [page.index(title) for title in order] == sorted(page.index(t) for t in order)
    for hidden in ("Taken away", "Conflicted", "Decided meanwhile", "Not mine"):
        assert hidden not in page


def test_a_page_of_a_section_holds_the_next_rows_in_its_order(ctx):
    """Same due dates are ordered by assignment: page 2 continues page 1 exactly."""
    reviewer = make_user(Role.REVIEWER)
    call = make_rubric_call(reviewers=3)
    reviews = [
        assign(make_in_review(call, title=f"Open {i:02d}"), reviewer, answered=False, due_in=i % 3)
        for i in range(23)
    ]
    expected = [r.id for r in sorted(reviews, key=lambda r: (r.due_on, r.id))]
    first = queue_queries.queue(reviewer, to_start_page=1).to_start
    second = queue_queries.queue(reviewer, to_start_page=2).to_start
    assert [row.review_id for row in first.items + second.items] == expected
    assert (first.page, second.page, second.total) == (1, 2, 23)


def test_the_queue_reads_its_sections_in_two_queries(client, ctx):
    """Counting the sections and reading a page of each: two queries of the reviews, where
    there were five (two counts and a page for each section)."""
    reviewer = make_user(Role.REVIEWER)
    _every_kind(reviewer)
    login(client, reviewer)
    client.get("/reviews/")
    with count_queries() as statements:
        assert client.get("/reviews/").status_code == 200
    assert len([s for s in statements if "FROM reviews" in s]) == 2


def test_a_reviewer_with_nothing_yet_gets_the_empty_sections_in_one_query(client, ctx):
    reviewer = make_user(Role.REVIEWER)
    login(client, reviewer)
    client.get("/reviews/")
    with count_queries() as statements:
        page = client.get("/reviews/").get_data(as_text=True)
    assert "To start: 0. In progress: 0. Submitted: 0." in page
    assert "Nothing to start." in page and "No review submitted yet." in page
    assert len([s for s in statements if "FROM reviews" in s]) == 1


def test_the_overdue_mark_is_on_open_assignments_past_their_date_only(client, ctx):
    reviewer = make_user(Role.REVIEWER)
    call = make_rubric_call(reviewers=3)
    assign(make_in_review(call, title="Late one"), reviewer, answered=False, due_in=-3)
    late_but_sent = assign(make_in_review(call, title="Sent late"), reviewer, due_in=-3)
    submit_directly(late_but_sent)
    late_but_sent.due_on = utcnow().date() - timedelta(days=3)
    db.session.commit()
    login(client, reviewer)
    page = client.get("/reviews/").get_data(as_text=True)
    late_row = page[page.index("Late one") : page.index("</tr>", page.index("Late one"))]
    sent_row = page[page.index("Sent late") : page.index("</tr>", page.index("Sent late"))]
    assert "overdue" in late_row and "overdue" not in sent_row


def test_the_rows_name_each_country_and_day_once_in_the_readers_language(client, ctx):
    """Six assignments of one country due the same day: the country's name and the day are
    worked out once for the page, in the reviewer's language."""
    from babel.dates import format_date

    from fund import countries, dates
    from fund.i18n import current_locale

    reviewer = make_user(Role.REVIEWER, locale="fr")
    call = make_rubric_call(reviewers=3)
    for i in range(6):
        assign(make_in_review(call, title=f"Plan {i}"), reviewer, answered=bool(i % 2), due_in=5)
    login(client, reviewer)
    client.get("/reviews/")
    with (
        mock.patch.object(countries, "current_locale", wraps=current_locale) as for_countries,
        mock.patch.object(dates, "current_locale", wraps=current_locale) as for_days,
    ):
        page = client.get("/reviews/").get_data(as_text=True)
    assert page.count('<td data-label="Pays">Ouganda</td>') == 6
    due = format_date(utcnow().date() + timedelta(days=5), "medium", locale="fr")
    assert page.count(due) == 6
    assert for_countries.call_count == 1 and for_days.call_count == 1


def test_the_statements_are_built_once_and_bind_each_reviewer(ctx):
    """Building the queue's statements each request took longer than running them: they are
    built once per set of sections shown, and each run binds its own reviewer and pages."""
    reviewer, other = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    _every_kind(reviewer)
    call = make_rubric_call(reviewers=3)
    assign(make_in_review(call, title="Other's"), other, answered=False)
    first = queue_queries.queue(reviewer), queue_queries.queue(other)
    with mock.patch.object(queue_queries, "select", wraps=queue_queries.select) as built:
        mine, theirs = queue_queries.queue(reviewer), queue_queries.queue(other)
    assert built.call_count == 0
    assert [r.title for r in mine.to_start.items] == [r.title for r in first[0].to_start.items]
    assert [r.title for r in theirs.to_start.items] == ["Other's"]
    assert theirs.counts == {"to_start": 1, "in_progress": 0, "submitted": 0}
