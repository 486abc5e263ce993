"""The secretariat writes a broadcast to the applicants with drafts in a call, in English and
French, previews it with the recipient count and sends it; then screens out two proposals at
once from the screening list."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fund.extensions import db
from fund.models import OutgoingMessage, Proposal, Role
from tests.browser.steps import log_in
from tests.conftest import make_call, make_organisation, make_proposal, make_user
from tests.reviews.conftest import make_in_review

ADMIN = "sam@example.org"


def _world(app) -> dict:
    with app.app_context():
        make_user(Role.ADMIN, email=ADMIN)
        call = make_call(title="Round 2027")
        french = make_user(Role.APPLICANT, email="fatou@example.org")
        french.locale = "fr"
        make_proposal(make_organisation(french), call)
        make_proposal(make_organisation(make_user(Role.APPLICANT, email="ann@example.org")), call)
        ids = {"call": call.id}
        for title in ("Parents first", "Radio talks"):
            ids[title] = make_in_review(call, state="submitted", title=title).id
        db.session.commit()
        db.session.remove()
        return ids


def test_a_broadcast_then_a_bulk_screen_out(page: Page, live_server, app):
    ids = _world(app)
    log_in(page, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screening").click()
    page.get_by_role("link", name="Broadcasts").click()
    page.get_by_role("link", name="New broadcast").click()
    page.get_by_label("Who receives it").select_option("drafts")
    page.get_by_label("Call", exact=True).select_option(str(ids["call"]))
    page.get_by_label("Subject (English)").fill("The call closes soon")
    page.get_by_label("Message (English)").fill("Please submit your draft.")
    page.get_by_label("Subject (Français)").fill("L'appel ferme bientôt")
    page.get_by_label("Message (Français)").fill("Merci de soumettre votre brouillon.")
    page.get_by_role("button", name="Preview the broadcast").click()
    expect(page.locator(".recipient-count")).to_have_text("2 people will receive it.")
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_role("status").filter(has_text="sent to 2 people")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("2 recipients")
    with app.app_context():
        subjects = dict(
            db.session.execute(
                select(OutgoingMessage.recipient, OutgoingMessage.subject).where(
                    OutgoingMessage.event == "broadcast"
                )
            )
            .tuples()
            .all()
        )
        db.session.remove()
    assert subjects == {
        "fatou@example.org": "L'appel ferme bientôt",
        "ann@example.org": "The call closes soon",
    }

    page.goto(f"/screening/calls/{ids['call']}")
    for title in ("Parents first", "Radio talks"):
        page.get_by_role("row").filter(has_text=title).get_by_role("checkbox").check()
    page.get_by_label("Action").select_option("screen_out")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("row").filter(has_text="will be screened out")).to_have_count(2)
    page.get_by_label("Reason").fill("The organisation is not registered.")
    page.get_by_role("button", name="Screen out 2 proposals").click()
    expect(page.locator(".bulk-summary")).to_contain_text("2 done, 0 refused.")
    with app.app_context():
        states = {db.session.get(Proposal, ids[t]).state for t in ("Parents first", "Radio talks")}
        db.session.remove()
    assert states == {"ineligible"}
