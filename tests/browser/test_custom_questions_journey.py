"""A call's own questions in a real browser, with CSRF on: the secretariat adds a yes/no question
and a required follow-up asked only after "yes"; an applicant answers, submits, and the printable
version shows the answer."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_user
from tests.forms_def.building import ASKED, SAFELY
from tests.proposals.submitting import complete_proposal, load_income_groups

ADMIN = "sam@example.org"
MEMBER = "amina@example.org"
ANSWER = "Two trained adults in every session; parents consent in writing."


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _world(app) -> dict:
    with app.app_context():
        load_income_groups()
        make_user(Role.ADMIN, email=ADMIN)
        member = make_user(email=MEMBER)
        from tests.conftest import make_organisation

        proposal = complete_proposal(make_organisation(member))
        ids = {"call": proposal.call_id, "proposal": proposal.id}
        db.session.remove()
    return ids


def test_secretariat_adds_a_conditional_question_and_an_applicant_answers_it(
    page: Page, live_server: str, app
):
    ids = _world(app)

    # The secretariat builds the two questions on the call's pages.
    _log_in(page, ADMIN)
    page.goto(f"/calls/{ids['call']}")
    page.get_by_role("link", name="Proposal questions").click()
    # the new section comes after the standard form's sections (the last "Section title" box)
    page.get_by_label("Section title").last.fill("Children's participation")
    page.get_by_role("button", name="Add section").click()
    _flash(page, "The section is added.")
    add = page.locator("form.builder-add").last
    add.get_by_label("Type of answer").select_option("yes_no")
    add.get_by_label("Question", exact=True).fill(ASKED)
    add.get_by_role("button", name="Add question").click()
    _flash(page, "The question is added.")
    page.get_by_role("link", name=re.compile("Proposal questions of")).click()
    add = page.locator("form.builder-add").last
    add.get_by_label("Type of answer").select_option("long_text")
    add.get_by_label("Question", exact=True).fill(SAFELY)
    add.get_by_role("button", name="Add question").click()
    page.get_by_label("An answer is required to submit").check()
    page.get_by_label("Longest answer").fill("1500")
    page.get_by_label("... the answer is “Yes”").check()
    page.get_by_role("button", name="Save question").click()
    _flash(page, "The question is saved.")
    expect(page.get_by_text(f"Answer only if “{ASKED}” is Yes.")).to_be_visible()
    _log_out(page)

    # The applicant sees the follow-up only after saying yes, and must answer it to submit.
    _log_in(page, MEMBER)
    page.goto(f"/proposals/{ids['proposal']}/edit")
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)
    follow_up = page.get_by_label(SAFELY)
    expect(follow_up).to_be_hidden()
    page.get_by_role("group", name=ASKED).get_by_label("Yes").check()
    expect(follow_up).to_be_visible()
    expect(page.get_by_text("Up to 1500 characters.").first).to_be_visible()
    page.get_by_role("button", name="Save and review").click()
    _flash(page, "Draft saved")
    expect(page.get_by_role("link", name=SAFELY, exact=True)).to_be_visible()  # a problem
    page.goto(f"/proposals/{ids['proposal']}/edit")
    page.get_by_label(SAFELY).fill(ANSWER)
    page.get_by_role("button", name="Save and review").click()
    _flash(page, "Draft saved")
    page.get_by_label("I have read the declaration above").check()
    page.get_by_role("button", name="Submit proposal").click()
    _flash(page, "Your proposal has been submitted")

    page.goto(f"/proposals/{ids['proposal']}/versions/1")
    expect(page.get_by_role("heading", name=SAFELY)).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
