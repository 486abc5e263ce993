"""Applicants answer a call's own questions: saved with the draft, checked at submission, frozen
with their definition, and shown on the pages and in the export that read proposals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Role
from fund.proposals import submission
from tests.conftest import count_queries, login, make_user
from tests.forms_def.building import ASKED, SAFELY, children_questions, many_questions
from tests.proposals.drafting import form_data, own_answers
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

ANSWER = "Two trained adults in every session; parents consent in writing."


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def draft_with_questions():
    call, asked, safely = children_questions()
    proposal = complete_proposal(call=call)
    return proposal, asked, safely


def save(client, proposal, **answers):
    return client.post(f"/proposals/{proposal.id}/edit", data=form_data(proposal, **answers))


def test_the_edit_page_shows_the_questions_with_limits_and_conditions(client):
    proposal, asked, safely = draft_with_questions()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert ASKED in page and SAFELY in page
    assert "Up to 1500 characters." in page
    assert f"Answer only if “{ASKED}” is Yes." in page
    assert f'aria-describedby="{safely}-limit {safely}-condition"' in page


def test_a_draft_saves_answers_and_a_partial_form_is_never_refused(client):
    proposal, asked, safely = draft_with_questions()
    login(client, a_member(proposal))
    assert save(client, proposal, **{asked: "yes"}).status_code == 302  # required one left out
    assert own_answers(proposal) == {asked: "yes"}
    assert save(client, proposal, **{asked: "yes", safely: ANSWER}).status_code == 302
    assert own_answers(proposal) == {asked: "yes", safely: ANSWER}


HIDDEN = f"You answered this, but it applies only if “{ASKED}” is Yes: clear it or change"


def test_an_answer_whose_condition_is_not_met_is_refused_and_every_answer_kept(client):
    """Posted without the page's script (or by hand): 400, the message by the question and in
    the summary, and every answer typed shown again; nothing is saved."""
    proposal, asked, safely = draft_with_questions()
    login(client, a_member(proposal))
    response = save(
        client, proposal, summary="Typed but not saved", **{asked: "no", safely: ANSWER}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{safely}-error">{HIDDEN}' in page  # by the question
    assert f'<a href="#{safely}">{SAFELY}: {HIDDEN}' in page  # and in the summary
    assert ANSWER in page and "Typed but not saved" in page
    assert f'id="{asked}-no" name="{asked}" value="no" checked' in page
    assert own_answers(proposal) == {}


def test_autosave_refuses_a_hidden_questions_answer_in_json_not_with_a_500(client):
    proposal, asked, safely = draft_with_questions()
    login(client, a_member(proposal))
    url = f"/proposals/{proposal.id}/autosave"
    response = client.post(url, data=form_data(proposal, **{asked: "no", safely: ANSWER}))
    assert response.status_code == 400
    body = response.get_json()
    assert body["saved"] is False and body["message"].startswith("Not saved")
    assert body["errors"][safely].startswith(HIDDEN)
    assert own_answers(proposal) == {}


@pytest.mark.parametrize(
    "which, value, message",
    [
        ("safely", "x" * 1501, "Use at most 1500 characters (this has 1501)."),
        ("asked", "perhaps", "Answer yes or no."),
    ],
)
def test_a_hostile_answer_gets_a_400_with_the_field_message_and_keeps_the_typing(
    client, which, value, message
):
    proposal, asked, safely = draft_with_questions()
    ids = {"asked": asked, "safely": safely}
    answers = {asked: "yes", safely: ANSWER, ids[which]: value}
    login(client, a_member(proposal))
    response = save(client, proposal, summary="Typed but not saved", **answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and f'href="#{ids[which]}"' in page  # in the summary, linked
    assert f'id="{ids[which]}-error"' in page
    assert "Typed but not saved" in page
    # the typing is kept: the over-long text too, for the applicant to shorten
    assert (value if which == "safely" else ANSWER) in page
    assert own_answers(proposal) == {}


def test_autosave_stores_answers_and_refuses_a_hostile_one_in_json(client):
    proposal, asked, safely = draft_with_questions()
    login(client, a_member(proposal))
    url = f"/proposals/{proposal.id}/autosave"
    ok = client.post(url, data=form_data(proposal, **{asked: "yes", safely: ANSWER}))
    assert ok.status_code == 200 and proposal.answers[safely] == ANSWER
    bad = client.post(url, data=form_data(proposal, **{asked: "maybe"}))
    assert bad.status_code == 400 and bad.get_json()["errors"][asked] == "Answer yes or no."


def test_the_required_answer_is_checked_at_submission_only_after_yes(client):
    proposal, asked, safely = draft_with_questions()
    member = a_member(proposal)
    now = proposal.call.closes_at - timedelta(days=1)
    proposal.answers = {**proposal.answers, asked: "yes"}
    db.session.commit()
    problems = submission.submission_problems(proposal, member, now)
    assert [(p.field, p.label, p.message) for p in problems] == [
        (safely, SAFELY, "Answer this question.")
    ]
    proposal.answers = {**proposal.answers, asked: "no"}
    assert submission.submission_problems(proposal, member, now) == []


def test_the_submit_page_lists_the_missing_answer(client):
    proposal, asked, safely = draft_with_questions()
    proposal.answers = {**proposal.answers, asked: "yes"}
    db.session.commit()
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    assert response.status_code == 400
    assert f"{SAFELY}</a>: Answer this question." in response.get_data(as_text=True)


def submitted_with_answers():
    proposal, asked, safely = draft_with_questions()
    proposal.answers = {**proposal.answers, asked: "yes", safely: ANSWER}
    db.session.commit()
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    return proposal, asked, safely


def test_the_frozen_version_keeps_the_questions_it_answered(client):
    """A later correction of a label changes neither the version nor what readers see."""
    proposal, asked, safely = submitted_with_answers()
    frozen = dict(proposal.versions[0].content)
    form_builder.update_question(
        proposal.call, make_user(Role.ADMIN), safely, {"label": "Relabelled afterwards"}
    )
    db.session.commit()
    assert proposal.versions[0].content == frozen
    login(client, make_user(Role.ADMIN))
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1"):
        page = client.get(url).get_data(as_text=True)
        assert SAFELY in page and ANSWER in page and "Relabelled afterwards" not in page


def test_the_call_page_lists_the_questions_with_their_limits(client):
    call, asked, safely = children_questions()
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"{SAFELY} (required)" in page and "Up to 1500 characters." in page


def test_the_screening_export_has_a_column_per_question(client):
    proposal, asked, safely = submitted_with_answers()
    login(client, make_user(Role.ADMIN))
    sheet = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv")
    text = sheet.get_data(as_text=True)
    assert sheet.status_code == 200
    assert ASKED in text.splitlines()[0] and SAFELY in text.splitlines()[0]
    assert '"Yes"' in text and ANSWER in text


def test_a_formula_in_an_answer_is_not_run_by_a_spreadsheet(client):
    proposal, asked, safely = draft_with_questions()
    proposal.answers = {**proposal.answers, asked: "yes", safely: "=HYPERLINK(1)"}
    db.session.commit()
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    text = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def queries_for(client, count: int, url_of) -> int:
    proposal = complete_proposal()
    own = {qid: "An answer" for qid in many_questions(proposal.call, count)}
    proposal.answers = {**proposal.answers, **own}
    db.session.commit()
    login(client, a_member(proposal))
    client.get(url_of(proposal))  # warm caches
    with count_queries() as statements:
        assert client.get(url_of(proposal)).status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "url_of",
    [lambda p: f"/proposals/{p.id}/edit", lambda p: f"/proposals/{p.id}"],
    ids=["edit page", "proposal page"],
)
def test_the_pages_query_count_does_not_grow_with_the_questions(client, url_of):
    assert queries_for(client, 3, url_of) == queries_for(client, 30, url_of)


def test_answers_typed_when_the_session_had_ended_are_kept(client):
    """A post after the login expired is kept, answers included, and put back after login."""
    proposal, asked, safely = draft_with_questions()
    assert save(client, proposal, **{asked: "yes", safely: ANSWER}).status_code == 302
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert ANSWER in page and 'value="yes" checked' in page


def test_a_question_limited_in_words_shows_its_counter(client):
    """A long text counted in words renders its limit and the counter's wording (the template
    string keeps its placeholders for the script instead of failing to fill them)."""
    call, _asked, safely = children_questions()
    admin = make_user(Role.ADMIN)
    form_builder.update_question(call, admin, safely, {"limits": {"max": 300, "unit": "words"}})
    db.session.commit()
    proposal = complete_proposal(call=call)
    login(client, a_member(proposal))
    response = client.get(f"/proposals/{proposal.id}/edit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Up to 300 words." in page
    assert 'data-template="%(used)s of %(limit)s words"' in page
