"""A reviewer scores in a real browser with the meaning of each score in view: at 1280 px the
proposal and the form side by side, at 360 px one above the other, and the weighted total and
the number of criteria scored following each click."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import BudgetLine, Role
from tests.browser.test_review_journey import _flash, _log_in
from tests.conftest import answer_standard, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LEVELS = ["Missing", "Thin", "Adequate", "Strong", "Outstanding"]


def _setting(app) -> tuple[str, int]:
    """A proposal in review with a budget and a rubric with meanings; an answered assignment."""
    with app.app_context():
        call = make_rubric_call(reviewers=2)  # weights 40, 35, 25
        for criterion in call.criteria:
            criterion.levels = [f"{criterion.name}: {text}" for text in LEVELS]
        proposal = make_in_review(call, title="Parents as partners")
        answer_standard(proposal, measurement="Pupils surveyed before and after.")
        proposal.budget_lines = [
            BudgetLine(position=0, category="activities", description="Parent clubs", amount=9000)
        ]
        reviewer = make_user(Role.REVIEWER, email="rosa@example.org")
        review = assign(proposal, reviewer)
        assign(proposal, make_user(Role.REVIEWER))
        db.session.commit()
        result = (reviewer.email, review.id)
        db.session.remove()
    return result


def _boxes(page: Page):
    return (
        page.locator(".review-proposal").bounding_box(),
        page.locator(".review-scoring").bounding_box(),
    )


def test_a_reviewer_scores_with_the_meanings_beside_the_proposal(page: Page, live_server, app):
    email, review_id = _setting(app)
    page.set_viewport_size(WIDE)
    _log_in(page, email)
    page.goto(f"/reviews/{review_id}")

    # side by side at 1280 px, the proposal's budget and measurement visible without a link
    proposal, scoring = _boxes(page)
    assert proposal["x"] + proposal["width"] <= scoring["x"]
    assert abs(proposal["y"] - scoring["y"]) < 5
    column = page.locator(".review-proposal")
    expect(column.get_by_text("Parent clubs")).to_be_visible()
    expect(column.get_by_text("Pupils surveyed before and after.")).to_be_visible()
    expect(page.get_by_role("link", name="Full proposal")).to_be_visible()

    # the meanings are visible beside their radios; choosing shows the chosen one
    fit = page.get_by_role("group", name="INSPIRE fit")
    expect(fit.get_by_text("INSPIRE fit: Strong")).to_be_visible()
    expect(page.locator("#review-completeness")).to_have_text("0 of 3 criteria scored")
    fit.get_by_label("4 INSPIRE fit: Strong").check()
    expect(fit.locator(".chosen-meaning")).to_have_text("Your score: 4 – INSPIRE fit: Strong")
    expect(page.locator("#review-total")).to_have_text("30 of 100 points")
    page.get_by_role("group", name="Budget").get_by_text("Budget: Thin").click()
    expect(page.locator("#review-total")).to_have_text("36.25 of 100 points")
    expect(page.locator("#review-completeness")).to_have_text("2 of 3 criteria scored")

    # saved, the server shows the same
    page.get_by_role("button", name="Save review").click()
    _flash(page, "Your review is saved as a draft.")
    expect(page.locator("#review-total")).to_have_text("36.25 of 100 points")
    expect(fit.locator(".chosen-meaning")).to_have_text("Your score: 4 – INSPIRE fit: Strong")

    # on a phone: the proposal above the form, nothing wider than the screen
    page.set_viewport_size(PHONE)
    proposal, scoring = _boxes(page)
    assert proposal["y"] + proposal["height"] <= scoring["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(fit.get_by_text("INSPIRE fit: Missing")).to_be_visible()
