"""The secretariat's overview in a real browser: an admin follows a reviewer's overdue-review
count from the dashboard to the reviewer's row and presses "Remind now"; the reminder is in the
outbox and the page says it was sent, then that a second one would not be."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import OutgoingMessage, Role
from tests.admin.overview_data import make_review, proposal_in
from tests.browser.steps import log_in
from tests.conftest import make_call, make_user

ADMIN = "olu@example.org"
REVIEWER = "larry@example.org"


def test_admin_reminds_a_late_reviewer_from_the_overview(page: Page, live_server: str, app):
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        larry = make_user(Role.REVIEWER, name="Late Larry", email=REVIEWER)
        call = make_call(title="Round 2027")
        review = make_review(proposal_in(call), larry, due_in_days=-3)
        make_review(proposal_in(call), due_in_days=-1)  # another reviewer's, left alone
        review_id, reference = review.id, review.proposal.reference
        db.session.remove()

    log_in(page, ADMIN)
    page.goto("/dashboard")
    reviews = page.locator("#overview-reviews")
    expect(reviews.get_by_role("heading", level=2)).to_have_text(
        "Reviews overdue and due this week"
    )
    reviews.get_by_role("row", name="Late Larry").get_by_role("link", name="1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews overdue: Late Larry")
    row = page.locator(f"#review-{review_id}")
    expect(row).to_contain_text(reference)
    expect(page.locator("tbody tr")).to_have_count(1)
    row.get_by_role("button", name="Remind now").click()

    expect(page.get_by_text("Reminder sent to Late Larry.")).to_be_visible()
    expect(page.locator(f"#review-{review_id}")).not_to_contain_text("Not reminded by hand")
    with app.app_context():
        sent = db.session.scalars(
            db.select(OutgoingMessage).where(OutgoingMessage.recipient == REVIEWER)
        ).all()
        assert [m.event for m in sent] == ["review_overdue"]
        assert reference in sent[0].subject

    page.locator(f"#review-{review_id}").get_by_role("button", name="Remind now").click()
    expect(page.get_by_text("Late Larry was already reminded today")).to_be_visible()
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(OutgoingMessage.id)).where(
                    OutgoingMessage.recipient == REVIEWER
                )
            )
            == 1
        )
