"""The reviewer pool journey in a real browser with CSRF on: the secretariat invites a reviewer
to a call's pool, the reviewer accepts by the link in its e-mail, and the secretariat previews
the automatic assignment (with its reasons) and applies it."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import PoolMember, Review, ReviewerProfile, Role
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


def test_invite_accept_by_link_preview_and_apply(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
        fatou = make_user(Role.REVIEWER, email="fatou@example.org", name="Fatou Reviewer")
        rahul = make_user(Role.REVIEWER, email="rahul@example.org", name="Rahul Reviewer")
        db.session.add(
            ReviewerProfile(user_id=fatou.id, languages=["fr", "en"], strategies=["laws"])
        )
        db.session.add(ReviewerProfile(user_id=rahul.id, languages=["en"]))
        call = make_rubric_call(reviewers=1)
        db.session.add(PoolMember(call_id=call.id, user_id=rahul.id, state="accepted"))
        proposal = make_in_review(call, title="Écoles sûres à Thiès")
        proposal.language = "fr"
        db.session.commit()
        call_id, fatou_id, proposal_id = call.id, fatou.id, proposal.id
        db.session.remove()
    due = (utcnow() + timedelta(days=14)).date().isoformat()

    # the secretariat invites Fatou to the call's pool
    _log_in(page, "admin@example.org")
    page.goto(f"/screening/calls/{call_id}")
    page.get_by_role("link", name="Reviewer pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviewer pool of Call 2027")
    page.get_by_label("Reviewer").select_option(label="Fatou Reviewer")
    page.get_by_role("button", name="Invite").click()
    _flash(page, "Fatou Reviewer is invited to the pool.")
    expect(page.get_by_role("cell", name="invited, no answer yet")).to_be_visible()

    # Fatou accepts with the link from her e-mail
    with app.app_context():
        [mail] = outbox(event="pool_invitation", recipient="fatou@example.org")
        path = "/pool/answer/" + mail.body_text.split("/pool/answer/")[1].split()[0]
    _log_in(page, "fatou@example.org")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation to review for Call 2027")
    page.get_by_role("button", name="Accept").click()
    _flash(page, "you are in the reviewer pool of this call")

    # the secretariat previews: the French proposal goes to Fatou, never to Rahul
    _log_in(page, "admin@example.org")
    page.goto(f"/screening/calls/{call_id}/pool")
    expect(page.get_by_role("cell", name="accepted").first).to_be_visible()
    page.get_by_label("Due date").fill(due)
    page.get_by_role("button", name="Preview the assignment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Automatic assignment for Call 2027")
    pick = page.get_by_role("listitem").filter(has_text="Fatou Reviewer")
    expect(pick).to_contain_text("reads Français; knows “Implementation and enforcement of laws”")
    expect(page.get_by_text("Rahul Reviewer")).to_have_count(0)
    page.get_by_role("button", name="Assign these reviewers").click()
    _flash(page, "1 assignment(s) made.")

    with app.app_context():
        [review] = db.session.scalars(select(Review)).all()
        assert (review.proposal_id, review.reviewer_id) == (proposal_id, fatou_id)
        assert outbox(event="review_assigned", recipient="fatou@example.org")
