"""The chairs' journey in a real browser: sort the ranking, award one proposal, decline another,
ask for a revision of a third; then the applicant reads the letter on the dashboard."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Grant, Proposal, ProposalState, Role
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _world(app) -> dict:
    with app.app_context():
        applicant = make_user(Role.APPLICANT, email="ana@example.org")
        chair = make_user(Role.CHAIR, email="carla@example.org")
        organisation = make_organisation(applicant, name="Safe Childhoods Uganda")
        call = make_rubric_call(envelope="60000", title="Round 2027")
        reviewers = [make_user(Role.REVIEWER) for _ in range(2)]
        ids = {}
        for title, scores, amount in (
            ("Parents first", (5, 4), "20000"),
            ("Radio talks", (2, 2), "15000"),
            ("Teachers protect", (3, 4), "18000"),
        ):
            proposal = make_reviewed(call, organisation, title=title, amount=amount)
            for reviewer in reviewers:
                review(
                    proposal,
                    reviewer,
                    scores,
                    comments=f"Comment on {title}.",
                    confidential="Secret remark.",
                )
            ids[title] = proposal.id
        ids["call"] = call.id
        ids["chair"] = chair.email
        ids["applicant"] = applicant.email
        db.session.remove()
        return ids


def _state(app, proposal_id: int) -> str:
    with app.app_context():
        state = db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))
        db.session.remove()
        return state


def test_a_chair_ranks_and_decides_and_the_applicant_reads_the_letter(page: Page, live_server, app):
    ids = _world(app)
    _log_in(page, ids["chair"])
    main_navigation = page.get_by_role("navigation", name="Main")
    main_navigation.get_by_role("link", name="Decisions", exact=True).click()
    page.get_by_role("link", name="Ranking of Round 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking of Round 2027")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Parents first")  # highest mean first
    page.get_by_role("link", name="Mean", exact=True).click()  # sorted low to high now
    expect(rows.first).to_contain_text("Radio talks")

    rows.filter(has_text="Parents first").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decision on")
    page.get_by_label("Amount to award").fill("19500")
    page.get_by_role("button", name="Award").click()
    page.get_by_role("dialog").get_by_role("button", name="Award").click()
    _flash(page, "Awarded.")

    page.goto(f"/decisions/proposals/{ids['Radio talks']}")
    page.get_by_label("Reasons for declining").fill("Outside the call's focus.")
    page.get_by_role("button", name="Decline").click()
    page.get_by_role("dialog").get_by_role("button", name="Decline").click()
    _flash(page, "Declined.")

    page.goto(f"/decisions/proposals/{ids['Teachers protect']}")
    page.get_by_label("What must change").fill("Add a safeguarding plan.")
    page.get_by_role("button", name="Request revision").click()
    page.get_by_role("dialog").get_by_role("button", name="Request revision").click()
    _flash(page, "Revision requested.")

    assert _state(app, ids["Parents first"]) == ProposalState.AWARDED
    assert _state(app, ids["Radio talks"]) == ProposalState.DECLINED
    assert _state(app, ids["Teachers protect"]) == ProposalState.REVISION_REQUESTED
    with app.app_context():
        grant = db.session.scalar(select(Grant))
        assert str(grant.amount) == "19500.00"
        db.session.remove()

    page.get_by_role("button", name="Log out").click()
    _log_in(page, ids["applicant"])
    page.get_by_role("link", name="Decision on your proposal").click()
    expect(page.get_by_text("Outside the call's focus.")).to_be_visible()
    expect(page.get_by_text("Comment on Radio talks.")).to_be_visible()
    expect(page.get_by_text("Secret remark.")).to_have_count(0)
