"""The language of a proposal: chosen by the applicant among the call's, recorded, shown to the
secretariat and reviewers; and the proposal form read in the applicant's language."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import Role
from fund.proposals import drafts
from tests.calls.bilingual import ASKED_FR, FIT_FR, SAFELY_FR, TITLE_FR, bilingual_call
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.forms_def.building import ASKED, SAFELY
from tests.proposals.drafting import form_data
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews.conftest import assign, make_in_review


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def french_draft(locale: str = "fr"):
    """A complete draft to the bilingual call, by a member who reads `locale`."""
    call, asked, safely = bilingual_call()
    member = make_user(Role.APPLICANT, locale=locale)
    proposal = complete_proposal(make_organisation(member), call=call)
    proposal.language = "fr" if locale == "fr" else "en"
    db.session.commit()
    return proposal, asked, safely


@pytest.mark.parametrize(("locale", "language"), [("fr", "fr"), ("pt", "en"), ("en", "en")])
def test_a_new_draft_is_in_the_applicants_language_if_the_call_offers_it(locale, language):
    call, _asked, _safely = bilingual_call()
    member = make_user(Role.APPLICANT, locale=locale)
    proposal = drafts.start_proposal(call, make_organisation(member), "Écoles sûres", member)
    db.session.commit()
    assert proposal.language == language


def test_the_applicant_changes_the_proposals_language_on_the_form(client):
    proposal, _asked, _safely = french_draft()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'name="language"' in page and '<option value="en">English</option>' in page
    response = client.post(
        f"/proposals/{proposal.id}/edit", data=form_data(proposal, language="en")
    )
    assert response.status_code == 302
    assert proposal.language == "en"


def test_the_language_box_is_not_offered_on_a_call_in_one_language(client):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'name="language"' not in page


@pytest.mark.parametrize("language", ["es", "xx", ""])
def test_a_language_the_call_is_not_given_in_is_refused_with_a_400(client, language):
    proposal, _asked, _safely = french_draft()
    login(client, a_member(proposal))
    data = form_data(proposal, language=language, summary="Kept on the page")
    response = client.post(f"/proposals/{proposal.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#language"' in page and "Kept on the page" in page
    db.session.refresh(proposal)
    assert proposal.language == "fr"


def test_a_french_applicant_fills_in_the_form_in_french(client):
    proposal, asked, safely = french_draft()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert ASKED_FR in page and SAFELY_FR in page and "Enfants" in page
    assert ASKED not in page
    condition = page.split(f'id="{safely}-condition">', 1)[1].split("</p>", 1)[0]
    assert ASKED_FR in condition  # the condition names the French question too


def test_the_missing_answer_is_named_in_french_at_submission(client):
    proposal, asked, safely = french_draft()
    proposal.answers = {asked: "yes"}
    db.session.commit()
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'#{safely}">{SAFELY_FR}</a>' in page
    assert SAFELY not in page


def test_a_hostile_answer_is_reported_with_the_french_label(client):
    proposal, asked, safely = french_draft()
    login(client, a_member(proposal))
    data = form_data(proposal, **{asked: "yes", safely: "x" * 1501})
    response = client.post(f"/proposals/{proposal.id}/edit", data=data)
    assert response.status_code == 400
    assert f"{SAFELY_FR}: " in response.get_data(as_text=True)


def in_review_in_french():
    call, _asked, _safely = bilingual_call()
    proposal = make_in_review(call, title="Écoles sûres")
    proposal.language = "fr"
    db.session.commit()
    return proposal


def test_the_secretariat_sees_the_language_on_the_list_and_the_proposal(client):
    proposal = in_review_in_french()
    login(client, make_user(Role.ADMIN))
    listing = client.get(f"/screening/calls/{proposal.call_id}").get_data(as_text=True)
    assert '<td data-label="Language">Français</td>' in listing
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Language of the proposal</dt>\n    <dd>Français</dd>" in page


def test_the_reviewer_sees_the_language_in_the_queue_and_on_the_review(client):
    proposal = in_review_in_french()
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer)
    login(client, reviewer)
    queue = client.get("/reviews/").get_data(as_text=True)
    assert '<td data-label="Language">Français</td>' in queue
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Language of the proposal</dt><dd>Français</dd>" in page


def test_a_french_reviewer_scores_against_the_french_rubric(client):
    proposal = in_review_in_french()
    reviewer = make_user(Role.REVIEWER, locale="fr")
    review = assign(proposal, reviewer)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert FIT_FR in page and "Feasibility" in page  # the second is not translated
    assert "INSPIRE fit" not in page


def screening_queries(client, count: int, call) -> int:
    for n in range(count):
        make_in_review(call, title=f"Proposal {n}").language = "fr"
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    path = f"/screening/calls/{call.id}"
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_screening_list_with_languages_makes_as_many_queries_for_more_proposals(client):
    call, _asked, _safely = bilingual_call()
    assert screening_queries(client, 2, call) == screening_queries(client, 12, call)


def test_the_call_title_on_the_form_is_in_french(client):
    """The heading line of the edit page names the call in the applicant's language."""
    proposal, _asked, _safely = french_draft()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert TITLE_FR in page
