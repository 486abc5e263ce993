"""A new visitor's first visit, end to end in a real browser, with CSRF protection on."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import BudgetBand, Membership, Organisation, OrganisationType, User
from tests.conftest import PASSWORD, outbox

EMAIL = "amina@example.org"
PUBLIC_URL = "http://127.0.0.1:5000"
TINY_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _verification_link(app, live_server: str) -> str:
    with app.app_context():
        messages = outbox(event="verify_email", recipient=EMAIL)
        assert len(messages) == 1
        match = re.search(r"https?://\S+/account/verify/\S+", messages[0].body_text)
    assert match, messages[0].body_text
    assert match.group(0).startswith(PUBLIC_URL + "/")
    return live_server + match.group(0).removeprefix(PUBLIC_URL)


def test_visitor_creates_account_confirms_address_and_registers_organisation(
    page: Page, live_server: str, app
):
    """A visitor registers, logs in, confirms the e-mail link, logs out and in, and registers
    an NGO."""
    page.goto("/")
    page.get_by_role("link", name="Create account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Full name").fill("Amina Nakato")
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
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_text("Your e-mail address is not confirmed yet")).to_be_visible()

    page.goto(_verification_link(app, live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
    _flash(page, "your e-mail address is confirmed")
    expect(page.get_by_text("Your e-mail address is not confirmed yet")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    _flash(page, "You are logged out.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/dashboard")
    _flash(page, "You are logged in.")

    page.get_by_role("link", name="Register an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register an organisation")
    page.get_by_label("Name of the organisation").fill("Kampala Children First")
    page.get_by_label("Country where it is registered").select_option("UG")
    page.get_by_label("Type of organisation").select_option(label="Community-based organisation")
    page.get_by_label("Annual budget").select_option(label="USD 50,000 to 250,000")
    page.get_by_label("Child-safeguarding policy").set_input_files(
        {"name": "safeguarding-policy.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    page.get_by_role("button", name="Save organisation").click()

    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/organisations/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kampala Children First")
    _flash(page, "Kampala Children First is registered.")
    expect(page.locator("dl.facts dd").first).to_have_text("Uganda")
    expect(page.get_by_role("link", name="safeguarding-policy.pdf")).to_be_visible()

    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == EMAIL)).one()
        assert user.name == "Amina Nakato"
        assert user.email_verified_at is not None
        organisation = db.session.scalars(select(Organisation)).one()
        assert (
            organisation.name,
            organisation.country_code,
            organisation.org_type,
            organisation.budget_band,
        ) == (
            "Kampala Children First",
            "UG",
            OrganisationType.COMMUNITY_BASED,
            BudgetBand.FROM_50K_TO_250K,
        )
        assert organisation.safeguarding_policy_file.original_name == "safeguarding-policy.pdf"
        assert organisation.safeguarding_policy_file.size == len(TINY_PDF)
        assert [m.user_id for m in db.session.scalars(select(Membership))] == [user.id]
