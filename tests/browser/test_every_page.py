"""Every page the demo reaches, for each demo role and for a visitor, in Chromium: no sideways
scrolling on a 360 px phone in any of the four languages, and no axe-core violation.

The pages come from the crawl of the test client (tests/crawling.py), so pages added later are
walked too. A role reaches hundreds of pages, most of them the same template over other records;
to keep the run short the browser opens, for each kind of page (the path with its ids and query
values taken out), the one with the most HTML: the longest texts and the fullest tables.
axe-core is the copy shipped by `axe-playwright-python` (requirements-dev.txt).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from fund.demo import ACCOUNTS, DEMO_PASSWORD
from fund.extensions import db
from fund.models import User
from tests import crawling
from tests.browser.steps import log_in
from tests.conftest import login

PHONE = {"width": 360, "height": 740}
LANGUAGES = ("en", "fr", "es", "pt")
# One demo account per set of roles (the demo's own list, so a new role is walked too).
EMAILS = list({roles: email for email, _, roles in reversed(ACCOUNTS)}.values())[::-1]

# The elements that stick out past the right edge of the screen, for the failure message.
OVERFLOW = """(limit) => {
  const width = document.documentElement.scrollWidth;
  if (width <= limit) return null;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {width, wide: wide.slice(0, 4)};
}"""


def page_kind(path: str) -> str:
    """The kind of page `path` is: ids (any path segment with a digit) and query values out."""
    parts = urlsplit(path)
    segments = ["N" if re.search(r"\d", s) else s for s in parts.path.split("/")]
    keys = sorted({key for key, _ in parse_qsl(parts.query)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def pages_to_open(client, start: str) -> list[str]:
    """For each kind of HTML page reached from `start`, the one with the most HTML."""
    largest: dict[str, tuple[int, str]] = {}

    def note(path: str, html: str) -> None:
        kind = page_kind(path)
        if len(html) > largest.get(kind, (-1, ""))[0]:
            largest[kind] = (len(html), path)

    crawling.crawl(client, start, limit=2000, on_page=note)
    return [path for _, path in largest.values()]


def _log_in(page: Page, email: str) -> None:
    log_in(page, email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _choose_language(page: Page, locale: str) -> None:
    """The header's language form, as a person would use it (the account keeps the choice)."""
    page.goto("/")
    page.locator("#language-choice").select_option(locale)
    page.locator("form.language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _targets(violation: dict) -> list[str]:
    """The first few elements axe-core blames for a violation (CSS selectors)."""
    return [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]


@pytest.fixture
def demo(runner, ctx) -> None:
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("email", ["anonymous", *EMAILS])
def test_every_page_fits_a_phone_in_every_language_and_passes_axe(
    page: Page, live_server, client, demo, email: str
):
    """At 360 px no page is wider than the screen, in English, French, Spanish or Portuguese;
    axe-core finds no violation on any page (run at 360 px, in English)."""
    if email == "anonymous":
        paths = pages_to_open(client, "/")
    else:
        login(client, db.session.scalar(db.select(User).where(User.email == email)))
        paths = pages_to_open(client, "/dashboard")
        _log_in(page, email)
    assert len(paths) > 3
    page.set_viewport_size(PHONE)
    axe = Axe()
    too_wide: list[str] = []
    violations: list[str] = []
    for locale in LANGUAGES:
        _choose_language(page, locale)
        for path in paths:
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status == 200, (locale, path)
            if found := page.evaluate(OVERFLOW, PHONE["width"]):
                too_wide.append(f"{locale} {path}: {found['width']} px, {found['wide']}")
            if locale == "en":
                found = axe.run(page).response["violations"]
                violations += [f"{path}: {v['id']} {_targets(v)}" for v in found]
    assert {"too wide": too_wide, "axe": violations} == {"too wide": [], "axe": []}
