"""The builder works for each form of a call: the report form and the concept-note form keep
their own questions, under their own addresses, with the same access rules and the same lock."""

from __future__ import annotations

import pytest

from fund.calls import form_builder
from fund.clock import utcnow
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import AuditEvent, Role
from tests.conftest import (
    login,
    make_call,
    make_grant,
    make_organisation,
    make_proposal,
    make_report,
    make_user,
)

NOT_ADMIN = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR)
KINDS = ("report", "concept")


def column(call, kind: str) -> dict:
    return call.report_form if kind == "report" else call.concept_form


@pytest.mark.parametrize("kind", KINDS)
def test_the_secretariat_builds_a_form_of_each_kind_apart_from_the_proposal_form(client, kind):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}/forms/{kind}")
    heading = "Report questions of" if kind == "report" else "Concept-note questions of"
    assert page.status_code == 200 and heading in page.get_data(as_text=True)

    client.post(f"/calls/{call.id}/forms/{kind}/sections", data={"title": "Reach"})
    db.session.refresh(call)
    section = column(call, kind)["sections"][0]["id"]
    response = client.post(
        f"/calls/{call.id}/forms/{kind}/sections/{section}/questions",
        data={"type": "number", "label": "Schools reached"},
    )
    db.session.refresh(call)
    question = column(call, kind)["sections"][0]["questions"][0]
    assert response.headers["Location"].endswith(f"/forms/{kind}/questions/{question['id']}")
    assert question["label"] == "Schools reached" and question["type"] == "number"
    assert call.proposal_form == {}
    edit = client.get(f"/calls/{call.id}/forms/{kind}/questions/{question['id']}")
    assert edit.status_code == 200 and f'/forms/{kind}"' in edit.get_data(as_text=True)
    comments = db.session.scalars(
        db.select(AuditEvent.comment).where(AuditEvent.action == "form_change")
    ).all()
    assert any(c.startswith(heading.split(" of")[0]) and "Schools reached" in c for c in comments)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", NOT_ADMIN)
def test_other_roles_cannot_see_or_change_another_form(client, kind, role):
    call = make_call()
    login(client, make_user(role))
    assert client.get(f"/calls/{call.id}/forms/{kind}").status_code == 403
    response = client.post(f"/calls/{call.id}/forms/{kind}/sections", data={"title": "X"})
    assert response.status_code == 403
    db.session.refresh(call)
    assert column(call, kind) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_visitors_are_sent_to_log_in(client, kind):
    call = make_call()
    response = client.get(f"/calls/{call.id}/forms/{kind}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_form_kind_the_call_does_not_have_is_not_found(client):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    assert client.get(f"/calls/{call.id}/forms/budget").status_code == 404
    assert client.get(f"/calls/{call.id}/forms/proposal").status_code == 404


def test_bad_input_to_the_report_form_gets_a_clear_400(client):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/calls/{call.id}/forms/report/sections", data={"title": ""})
    assert response.status_code == 400
    assert "Give the section a title." in response.get_data(as_text=True)
    response = client.post(f"/calls/{call.id}/forms/report/questions/q_ffffffff/remove")
    assert response.status_code == 400 and "no longer part" in response.get_data(as_text=True)


def report_question(call, admin) -> str:
    section = form_builder.add_section(call, admin, "Reach", kind="report")
    return form_builder.add_question(
        call, admin, section, "number", "Schools reached", [], kind="report"
    )


def test_the_report_form_locks_once_a_grantee_has_submitted_a_report(client):
    admin = make_user(Role.ADMIN)
    call = make_call()
    question = report_question(call, admin)
    db.session.commit()
    proposal = make_proposal(make_organisation(), call, state="awarded")
    report = make_report(make_grant(proposal, state="active"), state="submitted")
    assert not form_builder.is_locked(call, "report")

    report.submitted_at = utcnow()
    db.session.commit()
    assert form_builder.is_locked(call, "report")
    assert not form_builder.is_locked(call, "proposal")  # no proposal was ever submitted
    login(client, admin)
    response = client.post(f"/calls/{call.id}/forms/report/questions/{question}/remove")
    assert response.status_code == 400
    assert "already answered this form" in response.get_data(as_text=True)
    db.session.refresh(call)
    assert forms.find_question(call.report_form, question) is not None
