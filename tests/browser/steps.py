"""Steps several browser journeys take the same way."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.conftest import PASSWORD


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Open the login page and log in as a person would; the caller checks where it leads."""
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
