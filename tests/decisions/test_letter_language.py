"""Letters and the grant agreement in the proposal's language, on a call given in several."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from fund.decisions.letters import default_letter
from fund.extensions import db
from fund.models import Decision, Role
from tests.conftest import login, make_organisation, make_user
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call
from tests.grants.conftest import build_grant

AWARD = {"subject": "Grant for {reference}", "body": "Dear {organisation}, well done."}
AWARD_FR = {
    "letter:award.subject": "Subvention pour {reference}",
    "letter:award.body": "Chers collègues de {organisation}, bravo.",
}


def bilingual_reviewed(language: str, letters: dict | None = None):
    """A reviewed proposal in `language` to a call in English and French, whose only member
    reads English."""
    call = make_rubric_call()
    call.languages, call.main_language = ["en", "fr"], "en"
    call.letter_templates = letters or {}
    call.translations = {"fr": dict(AWARD_FR)}
    organisation = make_organisation(make_user(Role.APPLICANT, locale="en"), name="Écoles")
    proposal = make_reviewed(call, organisation, reference="INS-2027-0007")
    proposal.language = language
    db.session.commit()
    return proposal


def award(client, proposal) -> Decision:
    login(client, make_user(Role.CHAIR))
    assert decide(client, proposal.id, "award", amount="12000", reasons="Fine.").status_code == 302
    return db.session.scalar(select(Decision))


def test_the_calls_own_letter_goes_in_the_proposals_language(client, ctx):
    decision = award(client, bilingual_reviewed("fr", {"award": AWARD}))
    assert decision.letter_subject == "Subvention pour INS-2027-0007"
    assert decision.letter_text == "Chers collègues de Écoles, bravo."


def test_a_proposal_in_the_main_language_gets_the_main_letter(client, ctx):
    decision = award(client, bilingual_reviewed("en", {"award": AWARD}))
    assert decision.letter_subject == "Grant for INS-2027-0007"


def test_an_untranslated_part_of_the_letter_is_in_the_main_language(client, ctx):
    proposal = bilingual_reviewed("fr", {"award": AWARD})
    proposal.call.translations = {"fr": {"letter:award.subject": AWARD_FR["letter:award.subject"]}}
    db.session.commit()
    decision = award(client, proposal)
    assert decision.letter_subject == "Subvention pour INS-2027-0007"
    assert decision.letter_text == "Dear Écoles, well done."


def test_the_built_in_letter_is_in_the_proposals_language_not_the_members(client, ctx):
    decision = award(client, bilingual_reviewed("fr"))
    with force_locale("fr"):
        subject, _body = default_letter("award")
    assert decision.letter_subject == subject.replace("{reference}", "INS-2027-0007")
    assert "has been awarded" not in decision.letter_subject  # not the English one


@pytest.mark.parametrize(("language", "terms"), [("fr", "Conditions pour"), ("en", "Terms for")])
def test_the_agreement_terms_are_in_the_proposals_language(client, ctx, language, terms):
    world = build_grant("pending_agreement")
    call = world.grant.proposal.call
    call.languages, call.agreement_template = ["en", "fr"], "Terms for {organisation}."
    call.translations = {"fr": {"agreement": "Conditions pour {organisation}."}}
    world.grant.proposal.language = language
    db.session.commit()
    login(client, world.member)
    page = client.get(f"/grants/{world.grant.id}/agreement").get_data(as_text=True)
    assert f"{terms} Safe Homes." in page
