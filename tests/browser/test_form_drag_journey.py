"""Reordering the builder by drag and drop in a real browser, with CSRF on: a question dragged
into another section, a section dragged above another by its title, and a drop that would put a
condition before its question refused with the reason; each drop is one request, and the list
is redrawn from the server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from fund.models import Call, Role
from tests.browser.test_custom_questions_journey import ADMIN, _log_in
from tests.conftest import make_user
from tests.forms_def.building import ASKED, SAFELY, children_questions, many_questions

TOP = {"x": 20, "y": 3}  # the upper edge of a drop target: the item goes before it


def _world(app) -> int:
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        call, _asked, _safely = children_questions()
        many_questions(call, 2)
        call_id = call.id
        db.session.remove()
    return call_id


def _question(page: Page, label: str):
    """The builder's item of the question `label` (others may quote it in a condition)."""
    return page.locator("li[data-question]").filter(
        has=page.locator("strong").get_by_text(label, exact=True)
    )


def _drag(page: Page, source, target) -> None:
    """Press on `source`, start the drag there, and drop on the upper edge of `target` (the
    drag starts before the page scrolls to the target, as a person's would)."""
    source.hover()
    page.mouse.down()
    box = source.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10, steps=2)
    target.hover(position=TOP)
    page.mouse.up()


def _order(app, call_id: int) -> list[list[str]]:
    with app.app_context():
        form = db.session.get(Call, call_id).proposal_form
        order = [[q["label"] for q in s["questions"]] for s in form["sections"]]
        db.session.remove()
    return order


def test_the_secretariat_reorders_questions_and_sections_by_dragging(
    page: Page, live_server: str, app
):
    call_id = _world(app)
    _log_in(page, ADMIN)
    page.goto(f"/calls/{call_id}/form")
    expect(page.get_by_text("You can also drag a question")).to_be_visible()
    status = page.locator("#move-status")

    # A question of the second section dropped on top of the first section's first question.
    _drag(page, _question(page, "Question 1"), _question(page, ASKED))
    expect(status).to_have_text("The form's order is saved.")
    assert _order(app, call_id) == [["Question 1", ASKED, SAFELY], ["Question 0"]]
    first = page.locator(".builder-section").first.locator("li[data-question]").first
    expect(first).to_contain_text("Question 1")

    # The second section dragged by its title above the first.
    _drag(
        page,
        page.get_by_role("heading", level=2, name="Many"),
        page.get_by_role("heading", level=2, name="Children"),
    )
    expect(status).to_have_text("The form's order is saved.")
    assert _order(app, call_id) == [["Question 0"], ["Question 1", ASKED, SAFELY]]
    expect(page.locator(".builder-section h2").first).to_have_text("Many")

    # The follow-up cannot come before the question it depends on: refused, order kept.
    _drag(page, _question(page, SAFELY), _question(page, ASKED))
    expect(status).to_contain_text("can only depend on a question that comes before it")
    assert _order(app, call_id) == [["Question 0"], ["Question 1", ASKED, SAFELY]]

    # The buttons still work after the list was redrawn.
    page.get_by_role("button", name="Move down Question 0").click()
    expect(
        page.locator(".builder-section").last.locator("li[data-question]").first
    ).to_contain_text("Question 0")
