"""A call in English and French in a real browser, with CSRF on: the secretariat fills in the
French text still missing from the call's page; a French-speaking applicant reads the call and
fills in the form in French, answers the follow-up only after saying yes, and submits; the
secretariat sees the proposal's language."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Role
from tests.calls.bilingual import ASKED_FR, FIT_FR, SAFELY_FR, TITLE_FR, bilingual_call
from tests.conftest import PASSWORD, make_organisation, make_user
from tests.proposals.submitting import complete_proposal, load_income_groups

ADMIN = "sam.languages@example.org"
MEMBER = "awa.languages@example.org"
ANSWER = "Deux adultes formés à chaque séance ; les parents donnent leur accord par écrit."


def _log_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/account/login" not in url)


def _world(app) -> dict:
    with app.app_context():
        load_income_groups()
        make_user(Role.ADMIN, email=ADMIN)
        member = make_user(email=MEMBER, locale="fr")
        call, asked, safely = bilingual_call()
        call.published_at = call.opens_at
        proposal = complete_proposal(make_organisation(member), call=call)
        proposal.language = "fr"
        db.session.commit()
        ids = {"call": call.id, "proposal": proposal.id, "asked": asked, "safely": safely}
        db.session.remove()
    return ids


def test_a_french_applicant_on_a_bilingual_call(page: Page, live_server: str, app):
    ids = _world(app)

    # The secretariat sees what French still lacks and fills it in.
    _log_in(page, ADMIN)
    page.goto(f"/calls/{ids['call']}")
    missing = page.locator("section[aria-labelledby=incomplete-translations]")
    expect(missing).to_contain_text("Criterion 2: name: Feasibility")
    missing.get_by_role("link", name="Fill in the Français translations").click()
    page.get_by_label("Criterion 2: name").fill("Faisabilité")
    page.get_by_role("button", name="Save translations").click()
    expect(
        page.get_by_role("status").filter(has_text="The translations are saved.")
    ).to_be_visible()
    page.goto(f"/calls/{ids['call']}")
    expect(page.locator("#incomplete-translations")).to_have_count(0)
    page.context.clear_cookies()

    # The French-speaking applicant reads the call in French, without a note.
    _log_in(page, MEMBER)
    page.goto(f"/calls/{ids['call']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_FR)
    expect(page.get_by_text(FIT_FR)).to_be_visible()
    expect(page.get_by_text("Faisabilité")).to_be_visible()
    expect(page.locator("#language-note")).to_have_count(0)

    # The form is in French; the follow-up shows only after "yes" and must be answered.
    page.goto(f"/proposals/{ids['proposal']}/edit")
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)
    expect(page.locator("#language")).to_have_value("fr")
    follow_up = page.get_by_label(SAFELY_FR)
    expect(follow_up).to_be_hidden()
    page.locator(f"#{ids['asked']}-yes").check()
    expect(page.locator(f"#{ids['asked']}")).to_contain_text(ASKED_FR)
    expect(follow_up).to_be_visible()
    page.locator("button[name=save]:not([aria-hidden])").click()
    expect(page.locator(f"#{ids['asked']}-yes")).to_be_checked()  # saved, shown again
    page.locator("button[name=review]").click()  # "Save and review": the check page
    expect(page.get_by_role("link", name=SAFELY_FR, exact=True)).to_be_visible()  # in French
    page.goto(f"/proposals/{ids['proposal']}/edit")
    page.get_by_label(SAFELY_FR).fill(ANSWER)
    page.locator("button[name=review]").click()
    page.locator("input[name=declaration]").check()
    page.locator("form[action$='/submit'] button").click()
    expect(page.locator("dd strong")).to_contain_text("INS-")  # submitted: it has a reference
    page.goto(f"/proposals/{ids['proposal']}/versions/1")  # the printable version, in French
    expect(page.get_by_role("heading", level=4, name=SAFELY_FR)).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.context.clear_cookies()

    # The secretariat sees the proposal is in French.
    _log_in(page, ADMIN)
    page.goto(f"/screening/calls/{ids['call']}")
    expect(page.get_by_role("cell", name="Français", exact=True)).to_be_visible()
