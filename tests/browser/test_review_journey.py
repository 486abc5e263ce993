"""The review journey in a real browser with CSRF on: screening and automatic assignment by the
secretariat, one reviewer's review from conflict question to submission, and a reviewer who
declares a conflict and then cannot open the proposal."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Proposal, Review, ReviewStatus, Role
from fund.models.base import utcnow
from tests.browser.steps import log_in
from tests.conftest import make_user, outbox
from tests.reviews.conftest import make_in_review, make_rubric_call


def _log_in(page: Page, email: str) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_screen_in_assign_review_and_conflict(page: Page, live_server: str, app):
    with app.app_context():
        admin = make_user(Role.ADMIN, email="admin@example.org")
        ruth = make_user(Role.REVIEWER, email="ruth@example.org", name="Ruth Reviewer")
        rahul = make_user(Role.REVIEWER, email="rahul@example.org", name="Rahul Reviewer")
        call = make_rubric_call(reviewers=2)
        proposal = make_in_review(call, state="submitted", title="Safe schools in Gulu")
        proposal.summary = "Teachers and parents against corporal punishment."
        db.session.commit()
        proposal_id = proposal.id
        emails = (admin.email, ruth.email, rahul.email)
        db.session.remove()
    due = (utcnow() + timedelta(days=14)).date().isoformat()

    # the secretariat screens in and assigns automatically
    _log_in(page, emails[0])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screening").click()
    page.get_by_role("link", name="Call 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening: Call 2027")
    page.get_by_role("button", name="Screen in Safe schools in Gulu").click()
    page.get_by_role("dialog").get_by_role("button", name="Screen in").click()
    _flash(page, "Safe schools in Gulu is screened in")
    expect(page).to_have_url(f"{live_server}/screening/proposals/{proposal_id}/assignments")
    page.get_by_label("Due date").first.fill(due)
    page.get_by_role("button", name="Assign reviewers").click()
    _flash(page, "Reviewers assigned automatically.")
    expect(page.get_by_role("cell", name="Ruth Reviewer", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Rahul Reviewer", exact=True)).to_be_visible()

    with app.app_context():
        reviews = {r.reviewer.email: r.id for r in db.session.scalars(select(Review))}
        assert sorted(reviews) == sorted(emails[1:])
        assert len(outbox(event="review_assigned")) == 2

    # Ruth: no conflict, a draft, then the submission
    _log_in(page, emails[1])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    page.get_by_role("link", name="Safe schools in Gulu").click()
    expect(page.get_by_text("Teachers and parents against corporal punishment.")).to_have_count(0)
    page.get_by_role("button", name="No conflict").click()
    _flash(page, "The proposal is now shown below.")
    expect(page.get_by_text("Teachers and parents against corporal punishment.")).to_be_visible()
    page.get_by_role("group", name="INSPIRE fit").get_by_label("4").check()
    page.get_by_label("Comments for the applicant").fill("A clear, local plan.")
    page.get_by_role("button", name="Save review").click()
    _flash(page, "Your review is saved as a draft.")
    expect(page.get_by_role("group", name="INSPIRE fit").get_by_label("4")).to_be_checked()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("alert").filter(has_text="To submit, give every score")).to_be_visible()
    page.get_by_role("group", name="Design and feasibility").get_by_label("3").check()
    page.get_by_role("group", name="Budget").get_by_label("5").check()
    page.get_by_role("group", name="Recommendation").get_by_label("Fund with changes").check()
    page.get_by_role("button", name="Submit review").click()
    _flash(page, "Your review is submitted.")
    expect(page.get_by_role("button", name="Submit review")).to_have_count(0)

    # Rahul: declares a conflict, and the proposal is gone for him
    _log_in(page, emails[2])
    page.goto("/reviews/")
    page.get_by_role("link", name="Safe schools in Gulu").click()
    page.get_by_label("Reason for the conflict of interest").fill("I sit on their board.")
    page.get_by_role("button", name="Declare conflict").click()
    _flash(page, "Your conflict of interest is recorded")
    expect(page.get_by_role("link", name="Safe schools in Gulu")).to_have_count(0)
    for url in (f"/reviews/{reviews[emails[2]]}", f"/proposals/{proposal_id}"):
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("not found"))

    with app.app_context():
        rows = {r.reviewer.email: r for r in db.session.scalars(select(Review))}
        assert rows[emails[1]].status is ReviewStatus.SUBMITTED
        assert [s.score for s in sorted(rows[emails[1]].scores, key=lambda s: s.criterion_id)] == [
            4,
            3,
            5,
        ]
        assert rows[emails[2]].status is ReviewStatus.CONFLICTED
        assert [m.recipient for m in outbox(event="conflict_declared")] == [emails[0]]
        # Ruth's was the last required review once Rahul's ended: still in review until the
        # secretariat replaces or removes him
        assert db.session.get(Proposal, proposal_id).state == "in_review"
        db.session.remove()
