"""A table question in a real browser: the applicant adds rows with "Add row" (up to the
limit), removes one, is told beside the cell when an amount is not one, corrects it, saves, and
the proposal page shows a real table with its totals."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Proposal
from tests.browser.test_custom_questions_journey import MEMBER, _flash, _log_in
from tests.conftest import make_organisation, make_user
from tests.forms_def.building import LINES, table_question
from tests.proposals.submitting import complete_proposal, load_income_groups


def _world(app) -> tuple[int, str]:
    with app.app_context():
        load_income_groups()
        member = make_user(email=MEMBER)
        call, qid, _columns = table_question(max_rows=5)
        proposal = complete_proposal(make_organisation(member), call=call)
        ids = proposal.id, qid
        db.session.remove()
    return ids


def test_an_applicant_fills_a_table_adding_and_removing_rows(page: Page, live_server: str, app):
    proposal_id, qid = _world(app)
    _log_in(page, MEMBER)
    page.goto(f"/proposals/{proposal_id}/edit")
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)
    table = page.get_by_role("group", name=LINES)
    expect(table.get_by_role("button", name="More rows")).to_be_hidden()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)

    add = table.get_by_role("button", name="Add row")
    add.click()
    add.click()
    expect(rows).to_have_count(5)
    expect(add).to_be_disabled()  # five rows at most
    table.get_by_role("button", name="Remove row 4").click()
    expect(rows).to_have_count(4)
    expect(add).to_be_enabled()

    # Each cell is named by its column and row headers.
    for row, (item, amount) in enumerate([("Books", "1500.5"), ("Hall", "lots")], start=1):
        table.get_by_role("textbox", name=f"Item (required) {row}").fill(item)
        table.get_by_role("textbox", name=f"Amount {row}").fill(amount)
    table.get_by_role("textbox", name="Item (required) 4").fill("Transport")
    table.get_by_role("textbox", name="People 4").fill("7")
    page.get_by_role("button", name="Save draft").last.click()
    expect(table.get_by_text("Write an amount with digits").first).to_be_visible()
    expect(table.locator("input[aria-invalid=true]")).to_have_value("lots")

    table.locator("input[aria-invalid=true]").fill("20")
    page.get_by_role("button", name="Save draft").last.click()
    _flash(page, "Draft saved")
    with app.app_context():
        answers = db.session.get(Proposal, proposal_id).answers[qid]
        db.session.remove()
    assert [sorted(row.values()) for row in answers] == [
        ["1500.50", "Books"],
        ["20.00", "Hall"],
        ["7", "Transport"],
    ]

    page.goto(f"/proposals/{proposal_id}")
    answer = page.locator("table.answer-table")
    expect(answer.get_by_role("columnheader", name="Amount")).to_be_visible()
    expect(answer.get_by_role("row", name="Total")).to_contain_text("€1,520.50")
