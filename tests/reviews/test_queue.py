"""The reviewer's queue and new review rounds after a resubmission."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fund.extensions import db
from fund.models import Review, ReviewStatus, Role
from fund.models.base import utcnow
from fund.reviews import services
from tests.conftest import count_queries, login, make_user, outbox
from tests.reviews.conftest import (
    assign,
    make_in_review,
    make_rubric_call,
    review_form,
    submit_directly,
)


def test_the_queue_groups_counts_and_puts_overdue_first(client, ctx):
    call = make_rubric_call(reviewers=2)
    reviewer = make_user(Role.REVIEWER)
    later = assign(make_in_review(call, title="Due later"), reviewer, answered=False, due_in=20)
    overdue = assign(make_in_review(call, title="Overdue one"), reviewer, answered=False, due_in=-2)
    assign(make_in_review(call, title="Started"), reviewer, answered=True)
    done = make_in_review(call, title="Finished one")
    submit_directly(assign(done, reviewer))
    removed = assign(make_in_review(call, title="Removed one"), reviewer)
    removed.removed_at = utcnow()
    db.session.commit()
    login(client, reviewer)
    page = client.get("/reviews/").get_data(as_text=True)
    assert "To start: 2. In progress: 1. Submitted: 1." in page
    assert page.index("Overdue one") < page.index("Due later") < page.index("Started")
    assert page.index("Started") < page.index("Finished one")
    assert "overdue" in page and "Removed one" not in page
    assert later.status is ReviewStatus.TO_START and overdue.status is ReviewStatus.TO_START


def test_the_dashboard_shows_the_reviewer_panel(client, ctx):
    reviewer = make_user(Role.REVIEWER)
    assign(make_in_review(make_rubric_call()), reviewer, answered=False, due_in=-1)
    login(client, reviewer)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Your reviews" in page and "To start: 1. In progress: 0. Overdue: 1." in page


def _fill(reviewer, n):
    call = make_rubric_call(reviewers=3)
    for i in range(n):
        proposal = make_in_review(call, title=f"P{i}")
        review = assign(proposal, reviewer, answered=bool(i % 3))
        if i % 3 == 2:
            submit_directly(review)


def test_the_queue_makes_the_same_number_of_queries_for_more_data(client, ctx):
    reviewer = make_user(Role.REVIEWER)
    _fill(reviewer, 3)
    login(client, reviewer)
    client.get("/reviews/")
    with count_queries() as small:
        assert client.get("/reviews/").status_code == 200
    _fill(reviewer, 40)
    with count_queries() as large:
        assert client.get("/reviews/").status_code == 200
    assert len(large) == len(small)
    with count_queries() as dashboard_small:
        client.get("/dashboard")
    _fill(reviewer, 10)
    with count_queries() as dashboard_large:
        client.get("/dashboard")
    assert len(dashboard_large) == len(dashboard_small)


def test_a_new_round_asks_the_same_unconflicted_reviewers_and_keeps_history(client, ctx):
    """start_new_round: round 2 for each active reviewer of round 1; round 1 shown as history."""
    call = make_rubric_call(reviewers=3)
    proposal = make_in_review(call)
    keeps, removed, conflicted = (make_user(Role.REVIEWER) for _ in range(3))
    first = assign(proposal, keeps)
    gone = assign(proposal, removed)
    gone.removed_at = utcnow()
    ended = assign(proposal, conflicted)
    ended.conflict_declared_at = utcnow()
    db.session.commit()
    submit_directly(first, scores=(2, 3, 4))
    assert proposal.state == "reviewed"
    proposal.state = "in_review"  # as the resubmit transition leaves it
    db.session.commit()
    new = services.start_new_round(proposal, None)
    db.session.commit()
    assert [(r.reviewer_id, r.round) for r in new] == [(keeps.id, 2)]
    assert [m.recipient for m in outbox(event="review_new_round")] == [keeps.email]
    round_two = new[0]
    assert round_two.due_on > utcnow().date()
    login(client, keeps)
    page = client.get(f"/reviews/{round_two.id}").get_data(as_text=True)
    assert "Your earlier rounds" in page and "Round 1" in page
    assert client.get(f"/reviews/{first.id}").status_code == 200  # round 1, read-only
    response = client.post(f"/reviews/{first.id}", data=review_form(call))
    assert response.status_code == 409
    client.post(f"/reviews/{round_two.id}", data=review_form(call, action="submit"))
    assert proposal.state == "reviewed"
    assert db.session.scalar(select(Review.round).where(Review.id == round_two.id)) == 2


def test_the_due_date_of_a_new_round_can_be_given(ctx):
    proposal = make_in_review(make_rubric_call(reviewers=1))
    assign(proposal, make_user(Role.REVIEWER))
    due = (utcnow() + timedelta(days=5)).date()
    [review] = services.start_new_round(proposal, None, due)
    assert review.due_on == due


def test_each_section_shows_20_a_page_and_keeps_the_other_sections_pages(client, ctx):
    """A reviewer with 25 assignments to start: 20 on the first page, due first, then 5; the
    other sections keep their own page; an odd page number shows the nearest page."""
    call = make_rubric_call(reviewers=3)
    reviewer = make_user(Role.REVIEWER)
    for i in range(25):
        assign(make_in_review(call, title=f"Open {i:02d}"), reviewer, answered=False, due_in=i)
    assign(make_in_review(call, title="Begun"), reviewer, answered=True)
    for i in range(22):
        submit_directly(assign(make_in_review(call, title=f"Done {i:02d}"), reviewer))
    login(client, reviewer)
    first = client.get("/reviews/?progress_page=1").get_data(as_text=True)
    assert "To start: 25. In progress: 1. Submitted: 22." in first
    assert "Open 19" in first and "Open 20" not in first and "Begun" in first
    assert first.count("Done ") == 20
    assert 'aria-label="Pages: To start"' in first and 'aria-label="Pages: Submitted"' in first
    assert "start_page=2" in first and "progress_page=1" in first and "submitted_page=2" in first
    second = client.get("/reviews/?start_page=2").get_data(as_text=True)
    assert "Open 20" in second and "Open 24" in second and "Open 19" not in second
    assert "Begun" in second and second.count("Done ") == 20  # the others stay on page 1
    older = client.get("/reviews/?submitted_page=2").get_data(as_text=True)
    assert older.count("Done ") == 2 and "Open 00" in older
    for odd in ("abc", "-3", "99"):
        assert client.get(f"/reviews/?start_page={odd}").status_code == 200
    assert "Open 20" in client.get("/reviews/?start_page=99").get_data(as_text=True)
    assert "Open 00" in client.get("/reviews/?start_page=abc").get_data(as_text=True)
