"""From the proposal form to a submitted proposal through the check-your-answers page, with
and without JavaScript, never through the dashboard: "Save and review" lists what is missing
first, "Change" leads back to the field, the declaration must be ticked, then "Submit
proposal"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from fund.extensions import db
from fund.models import Proposal, ProposalState
from tests.calls.conftest import create_call
from tests.conftest import PASSWORD, make_organisation, make_user
from tests.proposals.submitting import load_income_groups, policy_file

EMAIL = "rose@example.org"
DECLARATION = "We declare that this proposal is true and our policy is in force."
START = date.today() + timedelta(days=270)


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def page(request, browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a fresh context, with JavaScript on or off."""
    context = browser.new_context(java_script_enabled=request.param, base_url=live_server)
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def world(app) -> int:
    """A new, verified applicant whose organisation has its safeguarding policy on file, and
    an open call with its own declaration; the call's id."""
    with app.app_context():
        load_income_groups()
        call = create_call(title="Safe homes 2027", description="Parenting in East Africa.")
        call.declaration = DECLARATION
        member = make_user(email=EMAIL, name="Rose Nakato")
        organisation = make_organisation(member, name="Kampala Parents")
        organisation.safeguarding_policy_file_id = policy_file(organisation.id).id
        db.session.commit()
        call_id = call.id
        db.session.remove()
    return call_id


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _proposal(app) -> Proposal:
    with app.app_context():
        proposal = db.session.scalars(db.select(Proposal)).one()
        db.session.expunge(proposal)
        db.session.remove()
    return proposal


def test_a_new_applicant_submits_from_the_form_through_check_your_answers(
    page: Page, live_server: str, app, world: int
):
    # Logging in from the call's start page comes back to it.
    page.goto(f"/proposals/new?call_id={world}")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/proposals/new?call_id={world}")
    page.get_by_label("Working title of the proposal").fill("Parents together")
    page.get_by_role("button", name="Start a proposal").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/edit$"))
    edit_url = page.url

    # The form, all but the countries.
    page.get_by_label("Summary").fill("Parents in Kampala learn positive discipline.")
    page.get_by_label("Parent and caregiver support").check()
    for label, text in (
        ("Target groups", "200 parents."),
        ("Activities", "Ten group sessions."),
        ("Timeline", "Months 1-12."),
        ("Expected results", "Less harsh discipline."),
        ("How results will be measured", "A questionnaire before and after."),
    ):
        page.get_by_label(label).fill(text)
    page.get_by_label("Start date").fill(START.isoformat())
    page.get_by_label("Duration (months)").fill("12")
    row = page.locator("[data-budget-line]").first
    row.get_by_label("Category").select_option(label="Personnel")
    row.get_by_label("Description").fill("Facilitators")
    row.get_by_label("Amount").fill("15000")
    page.get_by_role("button", name="Save and review").click()

    # Problems first, then every answer, each with "Change".
    expect(page).to_have_url(re.compile(r"/proposals/\d+/review$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Choose at least one country of implementation.")
    expect(page.get_by_text("Parents in Kampala learn positive discipline.")).to_be_visible()
    expect(page.get_by_text(DECLARATION)).to_be_visible()
    page.get_by_role("link", name="Change Countries of implementation").click()

    expect(page).to_have_url(f"{edit_url}#countries")
    countries = page.get_by_role("group", name="Countries of implementation")
    countries.get_by_label("Uganda", exact=True).check()
    page.get_by_role("button", name="Save and review").click()

    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.get_by_text("Nothing stops this proposal being submitted")).to_be_visible()
    expect(page.get_by_text("Uganda")).to_be_visible()

    # Not ticked: the page again, the error by the box and in the summary.
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.locator("#error-summary")).to_contain_text("Tick the declaration")
    expect(page.locator("#declaration-box .error")).to_have_text(
        "Tick the declaration to submit the proposal."
    )
    assert _proposal(app).state == ProposalState.DRAFT

    page.get_by_label("I have read the declaration above").check()
    page.get_by_role("button", name="Submit proposal").click()
    _flash(page, "Your proposal has been submitted.")
    proposal = _proposal(app)
    expect(page).to_have_url(f"{live_server}/proposals/{proposal.id}")
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.reference is not None
    page.get_by_role("link", name="Version 1").click()
    expect(page.locator("#declaration")).to_contain_text(DECLARATION)
    expect(page.locator("#declaration")).to_contain_text("Rose Nakato")
