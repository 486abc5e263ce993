"""Money, country and strategies questions in a real browser: the applicant types an amount,
narrows the long list of countries with the filter box (its count read out politely), ticks
countries and a strategy, saves, and the proposal page shows the answers."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from tests.browser.test_custom_questions_journey import MEMBER, _flash, _log_in
from tests.conftest import make_organisation, make_user
from tests.forms_def.building import BUDGET, HOW, WHERE, typed_questions
from tests.proposals.submitting import complete_proposal, load_income_groups


def _world(app) -> int:
    with app.app_context():
        load_income_groups()
        member = make_user(email=MEMBER)
        call, _money, _where, _how = typed_questions()
        proposal = complete_proposal(make_organisation(member), call=call)
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def test_an_applicant_answers_money_country_and_strategies(page: Page, live_server: str, app):
    proposal_id = _world(app)
    _log_in(page, MEMBER)
    page.goto(f"/proposals/{proposal_id}/edit")
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)

    page.get_by_label(BUDGET).fill("NaN")
    page.get_by_role("button", name="Save draft").last.click()
    expect(page.get_by_text("Write an amount with digits").first).to_be_visible()
    page.get_by_label(BUDGET).fill("12500.5")

    where = page.get_by_role("group", name=WHERE)
    where.get_by_label("Filter the countries").fill("ugan")
    expect(where.get_by_text("1 countries shown")).to_be_visible()
    expect(where.get_by_label("Kenya")).to_be_hidden()
    where.get_by_label("Uganda").check()
    where.get_by_label("Filter the countries").fill("")
    where.get_by_label("Kenya").check()
    page.get_by_role("group", name=HOW).get_by_label("Education and life skills").check()
    page.get_by_role("button", name="Save draft").last.click()
    _flash(page, "Draft saved")

    page.goto(f"/proposals/{proposal_id}")
    expect(page.get_by_text("€12,500.50")).to_be_visible()
    expect(page.get_by_text("Kenya; Uganda")).to_be_visible()
    expect(page.get_by_text("Education and life skills").last).to_be_visible()
