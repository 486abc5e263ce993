"""The header's language selector, used with the keyboard in Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_arrow_keys_only_choose_a_language_and_the_button_applies_it(page: Page, live_server):
    """Arrowing through the languages does not reload the page; the visible "Change language"
    button, reached with Tab and pressed with Enter, switches to the language chosen."""
    page.goto("/")
    page.evaluate("() => { window.sameDocument = true; }")
    choice = page.get_by_label("Language", exact=True)
    choice.focus()
    page.keyboard.press("ArrowDown")
    expect(choice).to_have_value("fr")
    # A navigation would start at once (the old script submitted on "change"); give it a moment.
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.sameDocument === true"), "the arrow key reloaded the page"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.keyboard.press("ArrowDown")
    expect(choice).to_have_value("es")

    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Change language")
    expect(button).to_be_visible()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Idioma", exact=True)).to_have_value("es")
