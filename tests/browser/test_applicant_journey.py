"""The applicant's journey in a real browser, with CSRF protection on: from an open call on the
home page to a submitted proposal, over two sittings, with the receipt in the outbox."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import Organisation, Proposal, ProposalState, ProposalVersion, User
from tests.calls.conftest import create_call
from tests.conftest import PASSWORD, outbox
from tests.proposals.drafting import PDF, load_income_groups

START = date.today() + timedelta(days=270)  # a start date the submission rules accept

EMAIL = "grace@example.org"
PUBLIC_URL = "http://127.0.0.1:5000"
CALL_TITLE = "Safe homes 2027"
WORKING_TITLE = "Parents as partners"


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _open_call(app) -> dict:
    """A published call, open now, with the default rubric, limits and scope."""
    with app.app_context():
        load_income_groups()
        call = create_call(title=CALL_TITLE, description="Parenting programmes in East Africa.")
        facts = {
            "id": call.id,
            "year": call.year,
            "min": call.min_award,
            "max": call.max_award,
            "max_months": call.max_duration_months,
        }
        db.session.remove()
    assert facts["min"] < Decimal("18000") < facts["max"]
    assert facts["max_months"] >= 12
    return facts


def _link_in(app, live_server: str, event: str) -> str:
    with app.app_context():
        messages = outbox(event=event, recipient=EMAIL)
        assert len(messages) == 1
        match = re.search(r"https?://\S+/account/verify/\S+", messages[0].body_text)
        db.session.remove()
    assert match, messages[0].body_text
    return live_server + match.group(0).removeprefix(PUBLIC_URL)


def _register_and_verify(page: Page, app, live_server: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Create account", exact=True).click()
    page.get_by_label("Full name").fill("Grace Atim")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_server}/account/login")
    _flash(page, f"We sent a message to {EMAIL}")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/dashboard")

    page.goto(_link_in(app, live_server, "verify_email"))
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
    _flash(page, "your e-mail address is confirmed")
    expect(page.get_by_text("Your e-mail address is not confirmed yet")).to_have_count(0)


def _register_organisation(page: Page) -> None:
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Name of the organisation").fill("Gulu Families Together")
    page.get_by_label("Country where it is registered").select_option("UG")
    page.get_by_label("Type of organisation").select_option(label="Non-governmental organisation")
    page.get_by_label("Annual budget").select_option(label="USD 50,000 to 250,000")
    page.get_by_label("Child-safeguarding policy").set_input_files(
        {"name": "safeguarding.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gulu Families Together")
    _flash(page, "Gulu Families Together is registered.")


def _log_in(page: Page, live_server: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
    _flash(page, "You are logged in.")


def _budget_row(page: Page, number: int):
    return page.locator("[data-budget-line]").nth(number - 1)


def _fill_row(page: Page, number: int, category: str, description: str, amount: str) -> None:
    row = _budget_row(page, number)
    row.get_by_label("Category").select_option(label=category)
    row.get_by_label("Description").fill(description)
    row.get_by_label("Amount").fill(amount)


def test_an_applicant_finds_a_call_drafts_over_two_sittings_and_submits(
    page: Page, live_server: str, app
):
    """A new applicant registers, opens a call, saves a draft, comes back, completes and submits
    it, and sees its reference, which the receipt in the outbox repeats."""
    call = _open_call(app)
    reference = f"INS-{call['year']}-0001"

    # First sitting: an account, the organisation, the call, a first draft.
    _register_and_verify(page, app, live_server)
    _register_organisation(page)

    page.get_by_role("link", name="INSPIRE Fund", exact=True).click()
    expect(page).to_have_url(f"{live_server}/")
    open_calls = page.locator("article.call-card")
    expect(open_calls).to_have_count(1)
    expect(open_calls.get_by_text("Open", exact=True)).to_be_visible()
    open_calls.get_by_role("link", name=CALL_TITLE).click()

    expect(page).to_have_url(f"{live_server}/calls/{call['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(CALL_TITLE)
    expect(page.get_by_text("Parenting programmes in East Africa.")).to_be_visible()
    page.get_by_role("link", name="Start a proposal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Start a proposal to {CALL_TITLE}")
    expect(page.get_by_text("Applying as Gulu Families Together.")).to_be_visible()
    page.get_by_label("Working title of the proposal").fill(WORKING_TITLE)
    page.get_by_role("button", name="Start a proposal").click()

    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/proposals/\d+/edit$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(WORKING_TITLE)
    _flash(page, "Your draft is started.")
    expect(page.get_by_label("Title")).to_have_value(WORKING_TITLE)
    expect(
        page.get_by_text("Your organisation's policy on file goes with this proposal")
    ).to_be_visible()
    page.get_by_label("Summary").fill("Parents in Gulu learn positive discipline together.")
    page.get_by_label("Parent and caregiver support").check()
    _fill_row(page, 1, "Personnel", "Two facilitators", "12000")
    page.get_by_role("button", name="Save draft").click()

    edit_url = page.url
    _flash(page, "Draft saved at")
    expect(page.get_by_label("Summary")).to_have_value(
        "Parents in Gulu learn positive discipline together."
    )
    expect(page.get_by_label("Parent and caregiver support")).to_be_checked()
    expect(_budget_row(page, 1).get_by_label("Amount")).to_have_value("12000.00")

    with app.app_context():
        draft = db.session.scalars(select(Proposal)).one()
        assert (draft.state, draft.title, draft.strategies) == (
            ProposalState.DRAFT,
            WORKING_TITLE,
            ["parent_support"],
        )
        assert draft.reference is None
        assert draft.summary == "Parents in Gulu learn positive discipline together."
        assert [(line.description, line.amount) for line in draft.budget_lines] == [
            ("Two facilitators", Decimal("12000.00"))
        ]
        proposal_id = draft.id
        db.session.remove()
    assert edit_url.startswith(f"{live_server}/proposals/{proposal_id}/edit")

    page.get_by_role("button", name="Log out").click()
    _flash(page, "You are logged out.")
    page.goto(edit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    # Second sitting: back through the dashboard, the rest of the form, and the submission.
    _log_in(page, live_server)
    expect(page.get_by_role("heading", name="Your proposals")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=WORKING_TITLE)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("draft")
    expect(row).to_contain_text(CALL_TITLE)
    row.get_by_role("link", name=WORKING_TITLE).click()

    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(WORKING_TITLE)
    expect(page.locator("dl.facts dd").first).to_have_text("given when the proposal is submitted")
    page.get_by_role("link", name="Edit proposal").click()

    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}/edit")
    expect(page.get_by_label("Summary")).to_have_value(
        "Parents in Gulu learn positive discipline together."
    )
    page.get_by_label("Education and life skills").check()
    countries = page.get_by_role("group", name="Countries of implementation")
    countries.get_by_label("Uganda", exact=True).check()
    countries.get_by_label("Kenya", exact=True).check()
    page.get_by_label("Target groups").fill("300 parents of children aged 3 to 12.")
    page.get_by_label("Activities").fill("Twelve group sessions in six parishes.")
    page.get_by_label("Timeline").fill("Months 1-2 training; months 3-12 sessions.")
    page.get_by_label("Expected results").fill("Less harsh discipline at home.")
    page.get_by_label("How results will be measured").fill(
        "A parenting questionnaire before and after."
    )
    page.get_by_label("Start date").fill(START.isoformat())
    page.get_by_label("Duration (months)").fill("12")
    page.get_by_role("button", name="Add budget line").click()
    expect(page.locator("[data-budget-line]")).to_have_count(2)
    _fill_row(page, 2, "Activities and events", "Venues and refreshments", "6000")
    expect(page.locator("#budget-total")).to_have_text("$18,000.00")
    page.get_by_role("button", name="Save draft").click()

    _flash(page, "Draft saved at")
    expect(page.locator("#budget-total")).to_have_text("$18,000.00")
    expect(page.get_by_label("Duration (months)")).to_have_value("12")
    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("link", name="Submit proposal").click()  # the check-your-answers page
    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}/review")
    page.get_by_label("I have read the declaration above").check()
    page.get_by_role("button", name="Submit proposal").click()

    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}")
    _flash(page, f"Its reference is {reference}")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("dl.facts dd").first).to_have_text(reference)
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
    expect(page.get_by_role("link", name="Submit proposal")).to_have_count(0)

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        user = db.session.scalars(select(User).where(User.email == EMAIL)).one()
        organisation = db.session.scalars(select(Organisation)).one()
        assert proposal.organisation_id == organisation.id
        assert (proposal.state, proposal.reference) == (ProposalState.SUBMITTED, reference)
        assert proposal.submitted_at is not None
        assert sorted(proposal.strategies) == ["education", "parent_support"]
        assert sorted(proposal.countries) == ["KE", "UG"]
        assert (proposal.start_date, proposal.duration_months) == (START, 12)
        assert proposal.amount_requested == Decimal("18000.00")
        assert [(line.category, line.amount) for line in proposal.budget_lines] == [
            ("personnel", Decimal("12000.00")),
            ("activities", Decimal("6000.00")),
        ]
        versions = list(
            db.session.scalars(
                select(ProposalVersion).where(ProposalVersion.proposal_id == proposal_id)
            )
        )
        assert [(v.number, v.created_by_id) for v in versions] == [(1, user.id)]
        receipts = outbox(event="proposal_submitted", recipient=EMAIL)
        assert len(receipts) == 1
        assert reference in receipts[0].subject
        assert reference in receipts[0].body_text
        assert outbox(event="proposal_submitted") == receipts
        db.session.remove()
