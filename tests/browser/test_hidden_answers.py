"""A follow-up question asked only after "yes", in a real browser with CSRF on. With JavaScript
an applicant who types the follow-up and then changes "yes" to "no" saves without an error (the
hidden question's input is not sent) and finds the typing again on "yes"; without JavaScript
the same save is refused with a 400 page that says why and keeps every answer typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from fund.extensions import db
from fund.models import Proposal
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user
from tests.forms_def.building import ASKED, SAFELY, children_questions
from tests.proposals.drafting import own_answers
from tests.proposals.submitting import complete_proposal, load_income_groups

MEMBER = "amina@example.org"
ANSWER = "Two trained adults in every session; parents consent in writing."


@pytest.fixture
def no_js_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a browser context with JavaScript switched off."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _world(app) -> dict:
    with app.app_context():
        load_income_groups()
        call, asked, safely = children_questions()
        proposal = complete_proposal(make_organisation(make_user(email=MEMBER)), call=call)
        ids = {"proposal": proposal.id, "asked": asked, "safely": safely}
        db.session.remove()
    return ids


def _answers(app, proposal_id: int) -> dict:
    with app.app_context():
        answers = own_answers(db.session.get(Proposal, proposal_id))
        db.session.remove()
    return answers


def _log_in(page: Page) -> None:
    log_in(page, MEMBER)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_with_javascript_a_follow_up_hidden_again_is_not_sent(page: Page, live_server: str, app):
    ids = _world(app)
    _log_in(page)
    page.goto(f"/proposals/{ids['proposal']}/edit")
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)
    asked = page.get_by_role("group", name=ASKED)
    follow_up = page.get_by_label(SAFELY)
    asked.get_by_label("Yes").check()
    follow_up.fill(ANSWER)
    asked.get_by_label("No").check()
    expect(follow_up).to_be_hidden()
    expect(follow_up).to_be_disabled()  # not sent by a save or an autosave
    # What was typed stays in the page while hidden: "yes" again brings it back.
    asked.get_by_label("Yes").check()
    expect(follow_up).to_be_enabled()
    expect(follow_up).to_have_value(ANSWER)
    asked.get_by_label("No").check()
    page.get_by_role("button", name="Save draft").last.click()
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)
    assert _answers(app, ids["proposal"]) == {ids["asked"]: "no"}


def test_without_javascript_the_hidden_answer_is_refused_and_every_answer_kept(
    no_js_page: Page, app
):
    page = no_js_page
    ids = _world(app)
    _log_in(page)
    page.goto(f"/proposals/{ids['proposal']}/edit")
    expect(page.get_by_text(f"Answer only if “{ASKED}” is Yes.")).to_be_visible()
    page.get_by_label("Title").fill("Typed, not yet saved")
    page.get_by_role("group", name=ASKED).get_by_label("No").check()
    page.get_by_label(SAFELY).fill(ANSWER)
    with page.expect_response(re.compile(r"/edit$")) as saved:
        page.get_by_role("button", name="Save draft").last.click()
    assert saved.value.status == 400
    message = f"You answered this, but it applies only if “{ASKED}” is Yes"
    expect(
        page.locator(".error-summary").get_by_role("link", name=re.compile(re.escape(message)))
    ).to_be_visible()
    expect(page.locator(f"#{ids['safely']}-error")).to_contain_text(message)
    expect(page.get_by_label(SAFELY)).to_have_value(ANSWER)
    expect(page.get_by_label("Title")).to_have_value("Typed, not yet saved")
    expect(page.get_by_role("group", name=ASKED).get_by_label("No")).to_be_checked()
    assert _answers(app, ids["proposal"]) == {}
