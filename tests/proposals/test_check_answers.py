"""The proposal form's last step: "Save and review" leads to the check-your-answers page
(problems first, every answer with its "Change" link), which holds the declaration and
"Submit proposal"."""

from __future__ import annotations

import re

import pytest

from fund.extensions import db
from fund.forms_def.definition import questions
from fund.models import ProposalState, ProposalVersion, Role
from fund.proposals.declaration import DEFAULT_DECLARATION
from fund.rules.proposal_content import snapshot
from tests.conftest import login, make_organisation, make_proposal, make_user, outbox
from tests.forms_def.building import ASKED, SAFELY, children_questions
from tests.proposals.drafting import form_data
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

TICKED = {"declaration": "y"}


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def review_url(proposal) -> str:
    return f"/proposals/{proposal.id}/review"


def page_of(client, proposal) -> str:
    response = client.get(review_url(proposal))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_edit_page_leads_to_submission_through_save_and_review(client):
    """The form's "Save and review" saves the draft and goes on to the check-your-answers
    page, which holds "Submit proposal"."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    edit = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'name="review"' in edit and "Save and review" in edit
    data = form_data(proposal, title="Safe schools, revised", review="1")
    response = client.post(f"/proposals/{proposal.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == review_url(proposal)
    assert proposal.title == "Safe schools, revised"  # saved on the way
    page = page_of(client, proposal)
    assert "Safe schools, revised" in page
    assert f'action="/proposals/{proposal.id}/submit"' in page
    assert "Submit proposal" in page


def test_a_bad_answer_on_save_and_review_stays_on_the_form_with_its_error(client):
    """Save and review checks the form like Save draft: a 400 on the form, nothing saved."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    data = form_data(proposal, duration_months="twelve", review="1")
    response = client.post(f"/proposals/{proposal.id}/edit", data=data)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert proposal.duration_months == 12


def test_the_page_lists_the_problems_first_then_every_answer_in_the_forms_order(client):
    """An incomplete draft: what stops its submission comes before the answers; every
    question of the form follows, in order, with its answer."""
    proposal = complete_proposal()
    proposal.summary = ""
    proposal.countries = []
    db.session.commit()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    summary = page.index('id="error-summary"')
    assert "The proposal cannot be submitted yet" in page
    assert "Write a summary of the proposal." in page
    assert "Choose at least one country of implementation." in page
    labels = [q["label"] for q in questions(proposal.call.proposal_form)]
    places = [page.index(f"<dt>{label}</dt>") for label in labels]
    assert summary < places[0]
    assert places == sorted(places)
    assert "Parents of children aged 3-12." in page  # an answer to one of the call's questions
    assert "Facilitators" in page  # a budget line


def test_a_complete_draft_says_nothing_stops_it(client):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    assert 'id="error-summary"' not in page
    assert "Nothing stops this proposal being submitted" in page


def test_a_question_its_condition_hides_is_left_out_and_shown_once_asked(client):
    call, asked, safely = children_questions()
    proposal = complete_proposal(call=call)
    proposal.answers = {**proposal.answers, asked: "no", safely: "Left from before."}
    db.session.commit()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    assert f"<dt>{ASKED}</dt>" in page
    assert SAFELY not in page and "Left from before." not in page
    proposal.answers = {**proposal.answers, asked: "yes"}
    db.session.commit()
    page = page_of(client, proposal)
    assert f"<dt>{SAFELY}</dt>" in page and "Left from before." in page


def test_every_change_link_lands_on_a_field_of_the_edit_page(client):
    """Each "Change" (and each problem's link) points at an id the edit page has, the call's
    own questions' included."""
    call, asked, _safely = children_questions()
    proposal = complete_proposal(call=call)
    proposal.answers = {**proposal.answers, asked: "yes"}
    proposal.start_date = None
    db.session.commit()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    anchors = re.findall(rf'href="/proposals/{proposal.id}/edit#([^"]+)"', page)
    assert len(anchors) >= len(list(questions(proposal.call.proposal_form)))
    assert "start_date" in anchors and asked in anchors
    edit = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    ids = set(re.findall(r'\sid="([^"]+)"', edit))
    assert [a for a in anchors if a not in ids] == []


def test_submitting_without_the_tick_is_a_400_with_the_error_by_the_box_and_in_the_summary(
    client,
):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    assert 'href="#declaration"' in summary
    assert "Tick the declaration to submit the proposal." in summary
    box = page[page.index('id="declaration-box"') :]
    assert 'id="declaration-error-1"' in box
    assert proposal.state == ProposalState.DRAFT
    assert proposal.versions == []
    assert outbox() == []


def test_the_declaration_as_ticked_is_kept_with_the_version_and_printed(client):
    """The call's own declaration is shown, kept in version 1 and on its printable page."""
    proposal = complete_proposal()
    proposal.call.declaration = "We tell the truth.\nOur policy is in force."
    db.session.commit()
    member = a_member(proposal)
    login(client, member)
    page = page_of(client, proposal)
    assert "We tell the truth." in page and "Our policy is in force." in page
    response = client.post(f"/proposals/{proposal.id}/submit", data=TICKED)
    assert response.status_code == 302
    assert proposal.state == ProposalState.SUBMITTED
    [version] = proposal.versions
    assert version.content["declaration"] == "We tell the truth.\nOur policy is in force."
    printable = client.get(f"/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    assert "We tell the truth." in printable
    assert member.name in printable


def test_a_call_without_its_own_declaration_shows_the_built_in_one(client):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    assert "the information in this proposal is true" in str(DEFAULT_DECLARATION)
    assert "the information in this proposal is true" in page
    assert "child-safeguarding policy is in force" in page


def test_the_declaration_is_read_in_the_applicants_language_when_translated(client):
    proposal = complete_proposal()
    call = proposal.call
    call.languages, call.declaration = ["en", "fr"], "We tell the truth."
    call.translations = {"fr": {"declaration": "Nous disons la vérité."}}
    member = a_member(proposal)
    member.locale = "fr"
    db.session.commit()
    login(client, member)
    page = page_of(client, proposal)
    assert "Nous disons la vérité." in page and "We tell the truth." not in page
    assert client.post(f"/proposals/{proposal.id}/submit", data=TICKED).status_code == 302
    assert proposal.versions[0].content["declaration"] == "Nous disons la vérité."


def test_problems_found_on_submitting_are_listed_on_the_page_with_a_400(client):
    proposal = complete_proposal()
    proposal.summary = ""
    db.session.commit()
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data=TICKED)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write a summary of the proposal." in page
    assert page.index('id="error-summary"') < page.index("<dt>")
    assert proposal.state == ProposalState.DRAFT


def test_the_proposal_page_sends_a_draft_to_the_check_page(client):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="{review_url(proposal)}"' in page
    assert f'action="/proposals/{proposal.id}/submit"' not in page


def test_a_revision_is_resubmitted_from_the_check_page(client):
    """Under revision the page ends with "Resubmit proposal", posting to resubmit."""
    proposal = complete_proposal()
    proposal.state = "revision_requested"
    proposal.reference = "INS-2027-0007"
    proposal.versions.append(ProposalVersion(number=1, content=snapshot(proposal)))
    db.session.commit()
    login(client, a_member(proposal))
    page = page_of(client, proposal)
    assert f'action="/proposals/{proposal.id}/resubmit"' in page
    assert "Resubmit proposal" in page
    unticked = client.post(f"/proposals/{proposal.id}/resubmit", data={})
    assert unticked.status_code == 400
    assert "Tick the declaration" in unticked.get_data(as_text=True)
    assert client.post(f"/proposals/{proposal.id}/resubmit", data=TICKED).status_code == 302
    assert proposal.versions[-1].content["declaration"]


# --- who may open the page --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "reviewer", "admin", "chair"])
def test_only_a_member_sees_the_check_page(client, who):
    """Like the edit page: 404 to everyone outside the organisation, staff included."""
    proposal = complete_proposal()
    roles = {
        "outsider": Role.APPLICANT,
        "reviewer": Role.REVIEWER,
        "admin": Role.ADMIN,
        "chair": Role.CHAIR,
    }
    user = make_user(roles[who])
    if who == "outsider":
        make_organisation(user)
    login(client, user)
    assert client.get(review_url(proposal)).status_code == 404
    assert client.post(f"/proposals/{proposal.id}/submit", data={}).status_code == 404
    assert proposal.state == ProposalState.DRAFT


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    proposal = complete_proposal()
    response = client.get(review_url(proposal))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_missing_or_submitted_proposal_has_no_check_page(client):
    proposal = complete_proposal()
    login(client, a_member(proposal))
    assert client.get("/proposals/999999/review").status_code == 404
    assert client.get("/proposals/abc/review").status_code == 404
    assert client.post(f"/proposals/{proposal.id}/submit", data=TICKED).status_code == 302
    assert client.get(review_url(proposal)).status_code == 404
    again = client.post(f"/proposals/{proposal.id}/submit", data={})
    assert again.status_code == 409  # said before any tick box: it is already submitted
    assert "already been submitted" in again.get_data(as_text=True)


def test_a_concept_draft_has_no_check_page(client):
    """A two-stage call's concept note is sent from its own page (not this one)."""
    member = make_user()
    proposal = make_proposal(make_organisation(member), state="concept_draft")
    login(client, member)
    assert client.get(review_url(proposal)).status_code == 404
