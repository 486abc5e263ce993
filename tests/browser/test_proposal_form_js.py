"""The proposal form's JavaScript in a real browser: budget rows and the running total, the
character counters, autosave after a minute, and a conflicting autosave refused."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import Proposal, User
from fund.models.base import utcnow
from fund.rules.limits import FIELD_LIMITS
from tests.conftest import PASSWORD, make_call, make_organisation, make_proposal, make_user

MEMBER = "amina@example.org"
TITLE = "Safe schools"
SUMMARY_LIMIT = FIELD_LIMITS["summary"]


@pytest.fixture
def draft(app) -> dict:
    """A draft of Amina's organisation with a short summary and no budget yet; Joseph is her
    colleague."""
    with app.app_context():
        member = make_user(email=MEMBER, name="Amina Okello")
        colleague = make_user(name="Joseph Mugisha")
        organisation = make_organisation(member, colleague, name="Safe Childhoods Uganda")
        proposal = make_proposal(organisation, make_call(), title=TITLE)
        proposal.summary = "First words."
        db.session.commit()
        ids = {
            "proposal": proposal.id,
            "colleague": colleague.id,
            "lock_version": proposal.lock_version,
        }
        db.session.remove()
    return ids


def _log_in_and_edit(page: Page, live_server: str, proposal_id: int) -> None:
    page.goto(f"/proposals/{proposal_id}/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("E-mail address").fill(MEMBER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/proposals/{proposal_id}/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # Typing before proposal.js has attached its handlers would go unnoticed by it.
    expect(page.locator("#proposal-form[data-enhanced]")).to_have_count(1)


def _saved(app, proposal_id: int) -> Proposal:
    """The draft as the database has it now (detached, with its budget lines loaded)."""
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        _ = list(proposal.budget_lines)
        db.session.expunge(proposal)
        db.session.remove()
    return proposal


# Counts the autosaves the form's script sends (by fetch or beacon) in `window.autosaves`, and
# sends none once `window.autosavesOff` is set: a page left dirty at the end of a test would
# otherwise save itself as it closes, into the next test's tables.
AUTOSAVE_GUARD = """
(() => {
  window.autosaves = 0;
  const isAutosave = (url) => String(url).includes("/autosave");
  const fetch = window.fetch.bind(window);
  window.fetch = (url, options) => {
    if (!isAutosave(url)) { return fetch(url, options); }
    if (window.autosavesOff) { return new Promise(() => {}); }
    window.autosaves += 1;
    return fetch(url, options);
  };
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => {
    if (!isAutosave(url)) { return beacon(url, data); }
    if (window.autosavesOff) { return true; }
    window.autosaves += 1;
    return beacon(url, data);
  };
})();
"""


@pytest.fixture(autouse=True)
def _no_autosave_after_the_test(page: Page):
    page.add_init_script(AUTOSAVE_GUARD)
    yield
    page.evaluate("window.autosavesOff = true")
    page.goto("about:blank")


def _rows(page: Page):
    return page.locator("[data-budget-line]")


def _documents_loaded(page: Page) -> list[str]:
    """Collects the URL of every page (not fetch or asset) the browser loads from now on."""
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if r.resource_type == "document" else None)
    return loaded


def test_the_running_total_is_written_the_readers_way(page: Page, live_server: str, app, draft):
    """For a French reader the total reads as the server writes money, before and after an
    amount is typed (the amount itself is typed as before: digits and a point)."""
    with app.app_context():
        db.session.scalar(select(User).where(User.email == MEMBER)).locale = "fr"
        db.session.commit()
        db.session.remove()
    _log_in_and_edit(page, live_server, draft["proposal"])
    total = page.locator("#budget-total")
    expect(total).to_have_text("0,00\u00a0$US")
    page.locator("[data-amount]").first.fill("1200.5")
    expect(total).to_have_text("1\u202f200,50\u00a0$US")


def test_budget_rows_are_added_and_removed_in_the_page_and_the_total_follows(
    page: Page, live_server: str, app, draft
):
    """With JavaScript, "Add budget line" adds a numbered row and "Remove" takes one out without
    loading a page; the total follows each amount as it is typed."""
    _log_in_and_edit(page, live_server, draft["proposal"])
    expect(_rows(page)).to_have_count(1)
    expect(page.locator("#budget-total")).to_have_text("$0.00")
    loaded = _documents_loaded(page)
    page.evaluate("window.sameDocument = true")

    _rows(page).nth(0).get_by_label("Amount").fill("1200")
    expect(page.locator("#budget-total")).to_have_text("$1,200.00")
    page.get_by_role("button", name="Add budget line").click()
    page.get_by_role("button", name="Add budget line").click()
    expect(_rows(page)).to_have_count(3)
    expect(_rows(page).nth(2).locator("[data-line-number]")).to_have_text("3")
    third = _rows(page).nth(2)
    expect(third.get_by_label("Amount")).to_have_attribute("name", "budget_lines-2-amount")
    expect(third.get_by_label("Amount")).to_be_empty()

    amount = _rows(page).nth(1).get_by_label("Amount")
    amount.press_sequentially("30")
    expect(page.locator("#budget-total")).to_have_text("$1,230.00")
    amount.press_sequentially("0.5")
    expect(page.locator("#budget-total")).to_have_text("$1,500.50")
    third.get_by_label("Amount").fill("99.25")
    expect(page.locator("#budget-total")).to_have_text("$1,599.75")

    _rows(page).nth(1).get_by_role("button", name="Remove").click()
    expect(_rows(page)).to_have_count(2)
    expect(page.locator("#budget-total")).to_have_text("$1,299.25")
    expect(_rows(page).nth(1).locator("[data-line-number]")).to_have_text("2")
    expect(_rows(page).nth(1).get_by_label("Amount")).to_have_value("99.25")

    assert page.evaluate("window.sameDocument") is True
    assert loaded == []
    assert _saved(app, draft["proposal"]).budget_lines == []  # nothing saved yet

    _rows(page).nth(1).get_by_label("Description").fill("Printing")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Draft saved at")).to_be_visible()
    saved = _saved(app, draft["proposal"])
    assert [(line.category, line.amount) for line in saved.budget_lines] == [
        ("personnel", Decimal("1200.00")),
        ("personnel", Decimal("99.25")),
    ]
    assert saved.amount_requested == Decimal("1299.25")


def test_the_summary_counter_follows_the_typing_and_warns_past_the_limit(
    page: Page, live_server: str, app, draft
):
    """The summary's counter says how many characters are used as they are typed, and turns
    to the error style once the text is over the limit (nothing typed is cut)."""
    _log_in_and_edit(page, live_server, draft["proposal"])
    summary = page.get_by_label("Summary", exact=True)
    counter = page.locator('[data-counter-for="summary"]')
    expect(counter).to_have_text(f"12 of {SUMMARY_LIMIT} characters used")
    expect(counter).not_to_have_class(re.compile(r"\berror\b"))
    normal_colour = counter.evaluate("el => getComputedStyle(el).color")

    summary.press_sequentially(" More")
    expect(counter).to_have_text(f"17 of {SUMMARY_LIMIT} characters used")

    summary.fill("x" * SUMMARY_LIMIT)
    expect(counter).to_have_text(f"{SUMMARY_LIMIT} of {SUMMARY_LIMIT} characters used")
    expect(counter).not_to_have_class(re.compile(r"\berror\b"))
    summary.press_sequentially("yz")
    expect(counter).to_have_text(f"{SUMMARY_LIMIT + 2} of {SUMMARY_LIMIT} characters used")
    expect(counter).to_have_class(re.compile(r"\berror\b"))
    assert counter.evaluate("el => getComputedStyle(el).color") != normal_colour
    expect(summary).to_have_value("x" * SUMMARY_LIMIT + "yz")

    summary.press("Backspace")
    summary.press("Backspace")
    expect(counter).not_to_have_class(re.compile(r"\berror\b"))


def test_autosave_saves_a_changed_draft_after_a_minute(page: Page, live_server: str, app, draft):
    """A minute after a change the script saves the draft: the page says when, the database
    has the new text and the next version, and the form carries that version for the next save."""
    page.clock.install()
    _log_in_and_edit(page, live_server, draft["proposal"])
    status = page.locator("#autosave-status")
    expect(status).to_have_text("")

    page.clock.fast_forward("01:05")  # nothing changed yet: nothing to save
    expect(status).to_have_text("")
    assert _saved(app, draft["proposal"]).lock_version == draft["lock_version"]

    page.get_by_label("Summary", exact=True).fill("Parents and teachers learn together.")
    page.get_by_label("Target groups").fill("Parents of children aged 3-12.")
    page.clock.fast_forward("01:05")
    expect(status).to_have_text(re.compile(r"^Saved at \d{1,2}:\d{2}"))
    expect(status).not_to_have_class(re.compile(r"\berror\b"))

    saved = _saved(app, draft["proposal"])
    assert saved.summary == "Parents and teachers learn together."
    assert saved.answers[STANDARD_TEXT_IDS["target_groups"]] == "Parents of children aged 3-12."
    assert saved.lock_version == draft["lock_version"] + 1
    expect(page.locator("input[name=lock_version]")).to_have_value(str(saved.lock_version))

    # The next change saves over the version it just got, with no conflict.
    page.get_by_label("Summary", exact=True).fill("Parents, teachers and children together.")
    page.clock.fast_forward("01:05")
    expect(page.locator("input[name=lock_version]")).to_have_value(str(draft["lock_version"] + 2))
    saved = _saved(app, draft["proposal"])
    assert saved.summary == "Parents, teachers and children together."
    assert saved.lock_version == draft["lock_version"] + 2
    expect(status).to_have_text(re.compile(r"^Saved at "))


def test_autosave_over_a_newer_version_shows_the_conflict_and_keeps_the_saved_draft(
    page: Page, live_server: str, app, draft
):
    """When a colleague has saved the draft since the page was loaded, the autosave is refused:
    the page names who saved it and how to merge, and the colleague's version stays as it was."""
    page.clock.install()
    _log_in_and_edit(page, live_server, draft["proposal"])

    with app.app_context():
        proposal = db.session.get(Proposal, draft["proposal"])
        proposal.summary = "Joseph's summary."
        proposal.lock_version += 1
        proposal.updated_by_id = draft["colleague"]
        proposal.updated_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()

    page.get_by_label("Summary", exact=True).fill("Amina's summary.")
    page.clock.fast_forward("01:05")
    status = page.locator("#autosave-status")
    expect(status).to_have_text(
        re.compile(
            r"^Not saved: Joseph Mugisha saved this draft at .+\. Press Save draft to see both "
            r"versions and merge them\."
        )
    )
    expect(status).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator("input[name=lock_version]")).to_have_value(str(draft["lock_version"]))
    assert page.evaluate("window.autosaves") == 1

    saved = _saved(app, draft["proposal"])
    assert saved.summary == "Joseph's summary."
    assert saved.lock_version == draft["lock_version"] + 1
    assert saved.updated_by_id == draft["colleague"]

    # The script stops trying; what Amina typed is still in the form for her to merge.
    page.get_by_label("Target groups").fill("Teachers.")
    page.clock.fast_forward("01:05")
    expect(status).to_contain_text("Joseph Mugisha saved this draft")
    expect(page.get_by_label("Summary", exact=True)).to_have_value("Amina's summary.")
    assert page.evaluate("window.autosaves") == 1
    saved = _saved(app, draft["proposal"])
    target_groups = saved.answers.get(STANDARD_TEXT_IDS["target_groups"], "")
    assert (saved.summary, target_groups, saved.lock_version) == (
        "Joseph's summary.",
        "",
        draft["lock_version"] + 1,
    )
