"""A chair declines three proposals at once from the ranking; one moves on between the
confirmation page and the confirmation: the result page says 2 declined and 1 refused, and why."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from fund.extensions import db
from fund.models import Proposal, Role
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call


def _world(app) -> dict:
    with app.app_context():
        chair = make_user(Role.CHAIR, email="carla@example.org")
        call = make_rubric_call(title="Round 2027")
        ids = {"call": call.id, "chair": chair.email}
        for title in ("Parents first", "Radio talks", "Teachers protect"):
            organisation = make_organisation(make_user(Role.APPLICANT), name=f"Org of {title}")
            ids[title] = make_reviewed(call, organisation, title=title).id
        db.session.remove()
        return ids


def _states(app, ids: dict) -> dict:
    with app.app_context():
        states = dict(db.session.execute(select(Proposal.title, Proposal.state)).tuples().all())
        db.session.remove()
        return states


def test_a_bulk_decline_reports_two_done_and_one_refused(page: Page, live_server, app):
    ids = _world(app)
    log_in(page, ids["chair"])
    page.goto(f"/decisions/calls/{ids['call']}")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(3)
    for title in ("Parents first", "Radio talks", "Teachers protect"):
        rows.filter(has_text=title).get_by_role("checkbox").check()
    page.get_by_label("Action").select_option("decline")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Decline: check the proposals")
    expect(page.get_by_role("row").filter(has_text="will be declined")).to_have_count(3)
    # meanwhile another chair sends one of them back for review
    with app.app_context():
        db.session.execute(
            update(Proposal).where(Proposal.id == ids["Radio talks"]).values(state="in_review")
        )
        db.session.commit()
        db.session.remove()
    page.get_by_label("Reason").fill("The call's budget is spent on stronger proposals.")
    page.get_by_role("button", name="Decline 3 proposals").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Decline: the result")
    expect(page.locator(".bulk-summary")).to_contain_text("2 done, 1 refused.")
    refused = page.get_by_role("table", name="Proposals left as they were, and why")
    expect(refused.get_by_role("row").filter(has_text="Radio talks")).to_contain_text(
        "This cannot be done while the item is in review."
    )
    done = page.get_by_role("table", name="Proposals changed")
    expect(done.get_by_role("row").filter(has_text="declined")).to_have_count(2)
    assert _states(app, ids) == {
        "Parents first": "declined",
        "Radio talks": "in_review",
        "Teachers protect": "declined",
    }
