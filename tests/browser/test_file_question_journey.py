"""A file question in a real browser: the applicant chooses a PDF on the proposal form, saves
the draft, sees it listed with its download link, replaces it with a file of the wrong kind
(refused beside the field, the typing kept), and removes it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from fund.extensions import db
from tests.browser.test_custom_questions_journey import MEMBER, _flash, _log_in
from tests.conftest import make_organisation, make_user
from tests.proposals.drafting import PDF, PNG
from tests.proposals.file_questions import LETTER, NOTE, letter_call
from tests.proposals.submitting import complete_proposal, load_income_groups


def _world(app) -> int:
    with app.app_context():
        load_income_groups()
        member = make_user(email=MEMBER)
        call, _letter, _note = letter_call()
        proposal = complete_proposal(make_organisation(member), call=call)
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _file(name: str, content: bytes, kind: str) -> dict:
    return {"name": name, "mimeType": kind, "buffer": content}


def test_an_applicant_uploads_a_file_and_sees_it_listed(page: Page, live_server: str, app):
    proposal_id = _world(app)
    _log_in(page, MEMBER)
    page.goto(f"/proposals/{proposal_id}/edit")
    expect(page.get_by_text("One file of at most 1 MB: PDF, Image (PNG, JPG).")).to_be_visible()

    page.get_by_label(LETTER).set_input_files(_file("letter.pdf", PDF, "application/pdf"))
    page.get_by_role("button", name=f"Upload {LETTER}").click()
    _flash(page, "Draft saved")
    link = page.get_by_role("link", name="letter.pdf")
    expect(link).to_be_visible()
    expect(page.get_by_text("Current file:")).to_be_visible()

    page.get_by_label(NOTE).fill("Typed before the refusal")
    fake = _file("scan.png", PDF, "image/png")  # a PDF named .png: refused by its content
    page.get_by_label(LETTER).set_input_files(fake)
    page.get_by_role("button", name=f"Replace {LETTER}").click()
    expect(page.locator(".error-summary")).to_contain_text("not a real .png file")
    expect(page.get_by_label(NOTE)).to_have_value("Typed before the refusal")
    expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()  # still the saved one

    page.get_by_label(LETTER).set_input_files(_file("scan.png", PNG, "image/png"))
    page.get_by_role("button", name=f"Replace {LETTER}").click()
    _flash(page, "Draft saved")
    expect(page.get_by_role("link", name="scan.png")).to_be_visible()
    expect(page.get_by_label(NOTE)).to_have_value("Typed before the refusal")

    page.get_by_role("button", name="Remove scan.png").click()
    _flash(page, "Draft saved")
    expect(page.get_by_text("Current file:")).to_have_count(0)
