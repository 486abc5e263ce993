"""The chair's ranking in Chromium: the compact default fits a 1280 px screen without sideways
scrolling, and ticking two proposals and pressing "Compare" shows them side by side (stacked
on a phone), with JavaScript and without."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from fund.extensions import db
from fund.models import Role
from tests.browser.steps import log_in
from tests.conftest import make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# Long titles, long country names and six-figure sums: the widths the real ranking meets.
PROPOSALS = [
    ("Community-based child protection committees in refugee settlements", "CD", "150000"),
    ("Parenting without violence: home visits and group sessions for caregivers", "CF", "98500"),
    ("Safe schools programme with teacher training and reporting mechanisms", "BO", "120000"),
    ("Radio drama for social norms change on violence against children", "PG", "45000"),
]


def _world(app) -> dict:
    with app.app_context():
        chair = make_user(Role.CHAIR, email="carla.ranking@example.org")
        call = make_rubric_call(envelope="250000", title="Round 2028")
        reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
        references = []
        for i, (title, country, amount) in enumerate(PROPOSALS):
            organisation = make_organisation(make_user(), country_code=country)
            proposal = make_reviewed(call, organisation, title=title, amount=amount)
            for j, reviewer in enumerate(reviewers):  # spread scores: some disagreement
                review(proposal, reviewer, (1 + (i + 2 * j) % 5, 1 + (i + j) % 5))
            references.append(proposal.reference)
        ids = {"call": call.id, "chair": chair.email, "references": references}
        db.session.remove()
        return ids


def _log_in(page: Page, email: str) -> None:
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def _widths(page: Page, selector: str) -> tuple[int, int]:
    return tuple(page.eval_on_selector(selector, "e => [e.scrollWidth, e.clientWidth]"))


def test_the_compact_ranking_fits_1280_px_without_sideways_scrolling(page: Page, app):
    ids = _world(app)
    page.set_viewport_size(DESKTOP)
    _log_in(page, ids["chair"])
    page.goto(f"/decisions/calls/{ids['call']}?state=all")
    expect(page.locator("table.ranking tbody tr")).to_have_count(len(PROPOSALS))
    scroll, client = _widths(page, ".table-wrap")
    assert scroll <= client, f"the table is {scroll} px wide in a {client} px box"
    document = page.evaluate("document.documentElement.scrollWidth")
    assert document <= DESKTOP["width"]
    for name in ("Requested", "Running total", "Status"):  # the columns once off screen
        box = page.get_by_role("columnheader", name=name).bounding_box()
        assert box is not None and box["x"] + box["width"] <= DESKTOP["width"], name


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_chair_ticks_two_proposals_and_compares_them(
    browser: Browser, app, live_server, javascript
):
    ids = _world(app)
    context = browser.new_context(
        base_url=live_server, viewport=DESKTOP, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        _log_in(page, ids["chair"])
        page.goto(f"/decisions/calls/{ids['call']}?state=all")
        first, third = ids["references"][0], ids["references"][2]
        page.get_by_label(f"Compare {first}").check()
        page.get_by_label(f"Compare {third}").check()
        page.get_by_role("button", name="Compare", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Compare proposals of Round 2028")
        columns = page.locator("article.compared")
        expect(columns).to_have_count(2)
        # in the ranking's order, the order the ticks are sent in
        expect(columns.filter(has_text=PROPOSALS[0][0])).to_have_count(1)
        expect(columns.filter(has_text=PROPOSALS[2][0])).to_have_count(1)
        expect(columns.nth(0).get_by_role("table").first).to_contain_text("Criterion 1")
        left, right = (columns.nth(i).bounding_box() for i in range(2))
        assert left["y"] == right["y"] and left["x"] + left["width"] <= right["x"]  # side by side
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

        page.set_viewport_size(PHONE)  # on a phone: one under the other, no sideways scrolling
        left, right = (columns.nth(i).bounding_box() for i in range(2))
        assert right["y"] >= left["y"] + left["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_ticking_one_proposal_only_says_how_many_to_tick(page: Page, app):
    ids = _world(app)
    _log_in(page, ids["chair"])
    page.goto(f"/decisions/calls/{ids['call']}?state=all")
    page.get_by_label(f"Compare {ids['references'][1]}").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(
        page.get_by_text("Tick from 2 to 4 proposals to compare them; 1 ticked.")
    ).to_be_visible()
