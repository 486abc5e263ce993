"""A two-stage call end to end in a real browser with CSRF on: the applicant's concept note, the
chair's shortlisting, the invited full proposal (which starts with the concept note), its review
and the award, with every letter in the outbox."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund import workflow
from fund.extensions import db
from fund.models import Proposal, ProposalState, Role, User
from fund.models.base import utcnow
from tests.browser.steps import log_in
from tests.concepts.helpers import CONCEPT_FORM, load_income_groups
from tests.conftest import make_organisation, make_user, outbox
from tests.proposals.submitting import fill_in, policy_file
from tests.reviews.conftest import assign, make_rubric_call

NEED = "Harsh discipline is common in Lira's homes and schools."


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
        applicant = make_user(Role.APPLICANT, email="ana@example.org")
        organisation = make_organisation(applicant, name="Lira Families")
        organisation.safeguarding_policy_file_id = policy_file(organisation.id).id
        call = make_rubric_call(reviewers=1, title="Community voices")
        call.two_stage = True
        call.concept_closes_at = utcnow() + timedelta(days=5)  # the call closes in ten
        call.concept_form = CONCEPT_FORM
        db.session.commit()
        ids = {
            "call": call.id,
            "applicant": applicant.email,
            "admin": make_user(Role.ADMIN, email="amina@example.org").email,
            "chair": make_user(Role.CHAIR, email="carla@example.org").email,
            "reviewer": make_user(Role.REVIEWER, email="ruth@example.org").email,
        }
        db.session.remove()
        return ids


def _screen_in_and_assign(app, ids: dict) -> int:
    """The secretariat's screening and assignment (their own journey is tested elsewhere)."""
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        admin = db.session.scalar(select(User).where(User.email == ids["admin"]))
        reviewer = db.session.scalar(select(User).where(User.email == ids["reviewer"]))
        workflow.transition(proposal, "screen_in", admin)
        db.session.commit()
        assign(proposal, reviewer, answered=False)
        proposal_id = proposal.id
        db.session.remove()
        return proposal_id


def test_concept_note_shortlist_full_proposal_review_and_award(page: Page, live_server, app):
    ids = _world(app)

    # the applicant writes and submits the concept note
    _log_in(page, ids["applicant"])
    page.goto(f"/calls/{ids['call']}")
    expect(page.get_by_text("In two stages: concept notes until")).to_be_visible()
    page.get_by_role("link", name="Start a proposal").click()
    page.get_by_label("Working title of the proposal").fill("Faith leaders for children")
    page.get_by_role("button", name="Start a proposal").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/concept/edit$"))
    page.get_by_label("Summary").fill("Imams and pastors lead dialogues on positive parenting.")
    page.get_by_role("group", name="Countries of implementation").get_by_label(
        "Uganda", exact=True
    ).check()
    page.get_by_label("Parent and caregiver support").check()
    page.get_by_label("Why is this needed?").fill(NEED)
    page.get_by_role("button", name="Save draft").click()
    _flash(page, "Draft saved")
    page.get_by_role("link", name="Concept note page (to submit it)").click()
    page.get_by_role("button", name="Submit concept note").click()
    _flash(page, "Your concept note has been submitted.")
    expect(page.get_by_text("concept note received")).to_be_visible()

    # a chair shortlists it from the dashboard
    _log_in(page, ids["chair"])
    page.get_by_role("link", name="Community voices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concept notes: Community voices")
    page.get_by_role("link", name=re.compile(r"INS-\d{4}-\d{4}")).click()
    expect(page.get_by_text(NEED)).to_be_visible()
    page.get_by_label("Message to the organisation (optional)").fill("Say how girls take part.")
    page.get_by_role("button", name="Invite full proposal").click()
    _flash(page, "the organisation is invited to submit a full proposal")

    # the applicant finds the full proposal started from the concept note, and submits it
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.state == ProposalState.INVITED
        fill_in(proposal)  # the rest of the full form (typed in the applicant's own journey)
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
    _log_in(page, ids["applicant"])
    expect(page.get_by_text("invited to submit a full proposal").first).to_be_visible()
    page.goto(f"/proposals/{proposal_id}/edit")
    expect(page.get_by_label("Title")).to_have_value("Faith leaders for children")
    expect(page.get_by_text("From the concept note").first).to_be_visible()
    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("link", name="Submit proposal").click()  # the check-your-answers page
    page.get_by_label("I have read the declaration above").check()
    page.get_by_role("button", name="Submit proposal").click()
    _flash(page, "Your proposal has been submitted.")

    # review, beside the concept note
    _screen_in_and_assign(app, ids)
    _log_in(page, ids["reviewer"])
    page.goto("/reviews/")
    page.get_by_role("link", name="Faith leaders for children").click()
    page.get_by_role("button", name="No conflict").click()
    expect(page.get_by_text(NEED)).to_be_visible()
    for criterion in ("INSPIRE fit", "Design and feasibility", "Budget"):
        page.get_by_role("group", name=criterion).get_by_label("5").check()
    page.get_by_role("group", name="Recommendation").get_by_label("Fund", exact=True).check()
    page.get_by_role("button", name="Submit review").click()
    _flash(page, "Your review is submitted.")

    # the chair awards it
    _log_in(page, ids["chair"])
    page.goto(f"/decisions/proposals/{proposal_id}")
    page.get_by_label("Amount to award").fill("20000")
    page.get_by_role("button", name="Award").click()
    page.get_by_role("dialog").get_by_role("button", name="Award").click()  # confirmed
    _flash(page, "Awarded.")

    with app.app_context():
        assert db.session.get(Proposal, proposal_id).state == ProposalState.AWARDED
        for event in ("concept_submitted", "concept_invited", "proposal_submitted"):
            assert [m.recipient for m in outbox(event=event)] == [ids["applicant"]], event
        assert "Say how girls take part." in outbox(event="concept_invited")[0].body_text
        assert [m.recipient for m in outbox(event="decision_award")] == [ids["applicant"]]
        db.session.remove()
