"""The grantee's report asks the call's own report questions: shown with their limits, checked
on the server (400 with the message by the field, nothing typed lost), kept with the draft,
required at submission, and frozen with the submitted report."""

from __future__ import annotations

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.models import ReportState
from tests.conftest import login
from tests.grants.conftest import complete_form
from tests.grants.report_questions import (
    MEDIA,
    REACH,
    SCHOOLS,
    STORY,
    grant_with_report_questions,
)


def test_the_report_form_asks_the_calls_questions_with_their_limits(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    page = client.get(asked.url).get_data(as_text=True)
    assert f'<label for="{asked.schools}">{SCHOOLS}</label>' in page
    assert "From 0 to 500." in page and "Up to 300 characters." in page
    assert "Answer only if “Did you work with the media?” is Yes." in page


def test_a_draft_keeps_the_answers(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    response = client.post(
        asked.url, data={"action": "save", asked.schools: "12", asked.media: "no"}
    )
    assert response.status_code == 302
    assert asked.report().answers == {asked.schools: "12", asked.media: "no"}
    page = client.get(asked.url).get_data(as_text=True)
    assert f'id="{asked.schools}" name="{asked.schools}" value="12"' in page


def test_a_hidden_questions_answer_is_refused_by_the_field_and_every_answer_kept(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    response = client.post(
        asked.url,
        data={
            "action": "save",
            "narrative": "Kept as typed.",
            asked.schools: "12",
            asked.media: "no",
            asked.reach: "900",
        },
    )
    page = response.get_data(as_text=True)
    message = f"You answered this, but it applies only if “{MEDIA}” is Yes: clear it or change"
    assert response.status_code == 400
    assert f'<p class="error" id="{asked.reach}-error">{message}' in page
    assert f'<a href="#{asked.reach}">' in page  # in the summary at the top
    assert f'name="{asked.reach}" value="900"' in page and "Kept as typed." in page
    assert f'name="{asked.schools}" value="12"' in page
    saved = asked.report()
    assert saved.answers == {} and saved.updated_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schools", "twelve", "Write a number with digits"),
        ("schools", "12.5", "Give a whole number."),
        ("schools", "501", "Give a number of at most 500."),
        ("schools", "-1", "Give a number of at least 0."),
        ("media", "maybe", "Answer yes or no."),
        ("story", "x" * 301, "Use at most 300 characters (this has 301)."),
        ("story", "bell\x07", "Remove the invisible control characters"),
    ],
)
def test_bad_and_hostile_answers_are_refused_by_the_field_and_nothing_typed_is_lost(
    client, field, value, message
):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    qid = getattr(asked, field)
    response = client.post(
        asked.url, data={"action": "save", "narrative": "Kept as typed.", qid: value}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{qid}-error">{message}' in page  # next to the field
    assert f'<a href="#{qid}">' in page  # and in the summary at the top
    assert "Kept as typed." in page
    saved = asked.report()
    assert saved.answers == {} and saved.narrative == "" and saved.updated_at is None


def test_a_required_report_question_is_asked_for_at_submission_and_the_draft_kept(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    response = client.post(asked.url, data=complete_form(**{asked.story: "More girls stay."}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{asked.schools}-error">Answer this question.' in page
    saved = asked.report()
    assert saved.state == ReportState.UPCOMING
    assert saved.answers == {asked.story: "More girls stay."}


def test_a_submitted_report_keeps_the_form_it_answered_whatever_the_call_does_later(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    response = client.post(
        asked.url,
        data=complete_form(**{asked.schools: "12", asked.media: "yes", asked.reach: "4000"}),
    )
    assert response.status_code == 302
    saved = asked.report()
    assert saved.state == ReportState.SUBMITTED
    assert [q["label"] for s in saved.form["sections"] for q in s["questions"]] == [
        SCHOOLS,
        "Did you work with the media?",
        REACH,
        STORY,
    ]
    # The secretariat then relabels a question and adds one: the report reads as submitted.
    call, admin = asked.call, asked.world.admin
    form_builder.update_question(call, admin, asked.schools, {"label": "Schools"}, kind="report")
    section = call.report_form["sections"][0]["id"]
    form_builder.add_question(call, admin, section, "number", "Clubs started", [], kind="report")
    db.session.commit()
    login(client, admin)
    page = client.get(asked.url).get_data(as_text=True)
    assert f"<dt>{SCHOOLS}</dt>" in page and f'<dd id="answer-{asked.schools}"><p>12</p>' in page
    assert f'<dd id="answer-{asked.reach}"><p>4000</p>' in page
    assert "Clubs started" not in page and "<dt>Schools</dt>" not in page


def test_the_secretariat_reads_the_answers_and_accepts_the_report(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    client.post(asked.url, data=complete_form(**{asked.schools: "7", asked.media: "no"}))
    login(client, asked.world.admin)
    page = client.get(asked.url).get_data(as_text=True)
    assert f'<dd id="answer-{asked.schools}"><p>7</p>' in page
    assert f'<dd id="answer-{asked.media}"><p>No</p>' in page
    assert REACH not in page  # asked only after "yes"
    response = client.post(f"{asked.url}/review", data={"action": "accept", "comment": ""})
    assert response.status_code == 302
    assert asked.report().state == ReportState.ACCEPTED


def test_the_grant_pages_report_history_shows_the_indicators_reported(client):
    asked = grant_with_report_questions()
    login(client, asked.world.member)
    client.post(asked.url, data=complete_form(**{asked.schools: "7", asked.media: "yes"}))
    page = client.get(f"/grants/{asked.world.grant.id}").get_data(as_text=True)
    assert "Indicators reported" in page
    assert f'<th scope="col">{SCHOOLS}</th>' in page and "<td>7</td>" in page
    assert f'<th scope="col">{STORY}</th>' not in page  # long answers stay on the report page


def test_a_report_on_a_call_without_report_questions_is_as_before(client):
    asked = grant_with_report_questions()
    asked.call.report_form = {}
    db.session.commit()
    login(client, asked.world.member)
    assert client.post(asked.url, data=complete_form()).status_code == 302
    saved = asked.report()
    assert saved.state == ReportState.SUBMITTED and saved.answers == {}
    assert saved.form["sections"] == []
