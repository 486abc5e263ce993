"""Layout and accessibility budgets of DESIGN.md section 5, checked in Chromium.

Pages fit a 320 px wide phone without sideways scrolling, weigh under 100 KB of HTML, CSS and
JavaScript, start with a skip link, and label every form control.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from fund.models import Role
from tests.conftest import PASSWORD, make_organisation, make_user

PHONE = {"width": 320, "height": 640}
PAGE_BUDGET_BYTES = 100 * 1024
# For people to look at after a run (test-results/ is ignored by git).
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-results" / "org-form-320.png"

# (path, needs a signed-in applicant)
PAGES = [("/", False), ("/account/login", False), ("/dashboard", True)]
FORMS = [("/account/register", False), ("/organisations/new", True)]


@pytest.fixture
def applicant_email(app) -> str:
    """An applicant with a verified address and an organisation (the dashboard lists it)."""
    with app.app_context():
        user = make_user(Role.APPLICANT, name="Amina Nakato")
        make_organisation(user, name="Kampala Children First")
        return user.email


def _open(page: Page, path: str, signed_in: bool, email: str) -> None:
    """Open `path`, after logging in through the login form when the page needs it."""
    if signed_in:
        page.goto("/account/login")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(re.compile(r"/dashboard$"))
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


@pytest.mark.parametrize(("path", "signed_in"), PAGES + FORMS)
def test_page_fits_a_320px_screen_without_sideways_scrolling(
    page: Page, applicant_email: str, path: str, signed_in: bool
):
    """At 320 px wide the page is no wider than the screen (no horizontal scrollbar)."""
    page.set_viewport_size(PHONE)
    _open(page, path, signed_in, applicant_email)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= PHONE["width"], f"{path} is {widths[0]} px wide at {PHONE['width']} px"


@pytest.mark.parametrize(("path", "signed_in"), PAGES + FORMS)
def test_page_weighs_under_100_kb(page: Page, applicant_email: str, path: str, signed_in: bool):
    """The HTML, CSS and JavaScript a page loads add up to less than 100 KB."""
    page.route("**/*", lambda route: route.continue_())  # routing turns the HTTP cache off
    if signed_in:
        _open(page, "/dashboard", True, applicant_email)
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    _open(page, path, False, applicant_email)
    page.wait_for_load_state("load")

    assert all(r.status == 200 for r in responses), [(r.url, r.status) for r in responses]
    loaded = {r.request.resource_type for r in responses}
    assert {"document", "stylesheet", "script"} <= loaded, loaded
    total = sum(len(r.body()) for r in responses)
    assert total < PAGE_BUDGET_BYTES, f"{path} loads {total} bytes: {[r.url for r in responses]}"


@pytest.mark.parametrize(("path", "signed_in"), PAGES)
def test_skip_link_is_the_first_focusable_element(
    page: Page, applicant_email: str, path: str, signed_in: bool
):
    """The first Tab focuses "Skip to main content", and following it moves focus to <main>."""
    _open(page, path, signed_in, applicant_email)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


UNLABELLED_CONTROLS = """() => {
  const controls = [...document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea")];
  const missing = controls.filter((el) => {
    const label = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    return !label || !label.textContent.trim() || !label.checkVisibility();
  }).map((el) => el.name || el.outerHTML);
  return {count: controls.length, missing};
}"""


@pytest.mark.parametrize(("path", "signed_in"), FORMS)
def test_every_form_control_has_a_visible_label(
    page: Page, applicant_email: str, path: str, signed_in: bool
):
    """Each input, select and textarea of the form has a visible <label for=...>."""
    _open(page, path, signed_in, applicant_email)
    result = page.evaluate(UNLABELLED_CONTROLS)
    assert result["count"] >= 5
    assert result["missing"] == []


def test_organisation_form_controls_fit_a_320px_screen(page: Page, applicant_email: str):
    """On a 320 px screen every control of the organisation form lies inside the screen.

    A full-page screenshot goes to test-results/org-form-320.png for people to look at.
    """
    page.set_viewport_size(PHONE)
    _open(page, "/organisations/new", True, applicant_email)
    rights = page.evaluate("""() => [...document.querySelectorAll(
        "main input:not([type=hidden]), main select, main textarea, main button, main label")]
        .map((el) => [el.name || el.textContent.trim(), el.getBoundingClientRect().right])""")
    assert len(rights) >= 10
    assert [name for name, right in rights if right > PHONE["width"]] == []
    page.screenshot(path=SCREENSHOT, full_page=True)
