"""Asking for more information in a real browser with CSRF on: the secretariat asks a question
while screening, the applicant reads it, changes the proposal, replies and sends it back, and
the proposal goes on to review with a reviewer assigned."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Message, Proposal, ProposalVersion, Review, Role
from fund.models.base import utcnow
from fund.rules.proposal_content import snapshot
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user, outbox
from tests.proposals.submitting import complete_proposal, load_income_groups
from tests.reviews.conftest import make_rubric_call

QUESTION = "Which schools will take part?"


def _log_in(page: Page, email: str) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _world(app) -> dict:
    with app.app_context():
        load_income_groups()
        admin = make_user(Role.ADMIN, email="amina@example.org")
        applicant = make_user(Role.APPLICANT, email="ana@example.org", name="Ana Applicant")
        make_user(Role.REVIEWER, email="ruth@example.org", name="Ruth Reviewer")
        organisation = make_organisation(applicant, name="Safe Schools Gulu")
        proposal = complete_proposal(organisation, make_rubric_call(reviewers=1))
        proposal.title = "Safe schools in Gulu"
        proposal.state = "submitted"
        proposal.reference = "INS-2027-0101"
        proposal.submitted_at = utcnow()
        proposal.versions.append(ProposalVersion(number=1, content=snapshot(proposal)))
        db.session.commit()
        world = {"admin": admin.email, "applicant": applicant.email, "proposal": proposal.id}
        db.session.remove()
        return world


def test_the_secretariat_asks_the_applicant_answers_and_the_proposal_goes_to_review(
    page: Page, live_server: str, app
):
    world = _world(app)
    proposal_id = world["proposal"]
    due = (utcnow() + timedelta(days=10)).date().isoformat()

    # the secretariat asks, from the proposal page it reaches from the screening list
    _log_in(page, world["admin"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screening").click()
    page.get_by_role("link", name="Call 2027").click()
    page.get_by_role("link", name="Safe schools in Gulu", exact=True).click()
    page.get_by_role("link", name="Ask for more information").click()
    page.get_by_label("Your question to the applicant").fill(QUESTION)
    page.get_by_label("Answer due by").fill(due)
    page.get_by_role("button", name="Ask for more information").click()
    _flash(page, "The question is sent to Safe Schools Gulu")
    expect(page.locator("#messages")).to_contain_text(QUESTION)
    with app.app_context():
        assert len(outbox("information_requested", "ana@example.org")) == 1

    # the applicant reads the question, changes the proposal, replies and sends it back
    _log_in(page, world["applicant"])
    page.get_by_role("link", name="Safe schools in Gulu", exact=True).first.click()
    expect(page.locator("dl.facts")).to_contain_text("more information requested")
    expect(page.locator("#messages")).to_contain_text(QUESTION)
    page.get_by_role("link", name="Edit proposal").click()
    page.get_by_label("Summary").fill("Teachers in 12 schools of Gulu learn positive discipline.")
    page.get_by_role("button", name="Save draft").click()
    _flash(page, "Draft saved at")
    page.goto(f"/proposals/{proposal_id}")
    page.get_by_label("Your message").fill("Twelve primary schools in Gulu; the summary says so.")
    page.get_by_role("button", name="Send message").click()
    _flash(page, "Your message is sent.")
    page.get_by_role("link", name="Send to the secretariat").click()
    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}/review")
    page.get_by_label("I have read the declaration above").check()
    page.get_by_role("button", name="Send to the secretariat").click()
    _flash(page, "Version 2 of your proposal is with the secretariat again.")
    expect(page.locator("dl.facts")).to_contain_text("received")

    # the secretariat sees the answer waiting, screens the proposal in and assigns a reviewer
    _log_in(page, world["admin"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(page.locator("table")).to_contain_text("Twelve primary schools")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screening").click()
    page.get_by_role("link", name="Call 2027").click()
    page.get_by_role("button", name="Screen in Safe schools in Gulu").click()
    page.get_by_role("dialog").get_by_role("button", name="Screen in").click()
    _flash(page, "Safe schools in Gulu is screened in")
    page.get_by_label("Due date").first.fill(due)
    page.get_by_role("button", name="Assign reviewers").click()
    _flash(page, "Reviewers assigned automatically.")
    expect(page.get_by_role("cell", name="Ruth Reviewer", exact=True)).to_be_visible()

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.state == "in_review"
        assert [v.number for v in proposal.versions] == [1, 2]
        assert "12 schools" in proposal.versions[-1].content["summary"]
        bodies = db.session.scalars(select(Message.body).order_by(Message.id)).all()
        assert bodies == [QUESTION, "Twelve primary schools in Gulu; the summary says so."]
        assert db.session.scalar(select(Review.proposal_id)) == proposal_id
        db.session.remove()
