"""The shipped "INSPIRE indicators" report template: a valid form definition with the
awareness-raising and engagement indicators; new calls start with it; an emptied report form
can start from it again (the secretariat only, audited, not once reports are in)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from fund.clock import utcnow
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.report_template import SHIPPED, indicators_template
from fund.forms_def.schema import SCHEMA
from fund.models import AuditEvent, Call, Role
from tests.calls.conftest import form_data
from tests.conftest import (
    login,
    make_call,
    make_grant,
    make_organisation,
    make_proposal,
    make_report,
    make_user,
)

INDICATORS = ["Events held", "Materials produced", "Partners engaged", "Media reach"]


def test_the_template_follows_the_form_schema_and_the_rules():
    template = indicators_template()
    assert list(Draft202012Validator(SCHEMA).iter_errors(template)) == []
    forms.check(template)  # ids unique, limits consistent, conditions on earlier questions
    assert SHIPPED.name == "inspire_indicators.json"


def test_the_template_asks_the_indicators_as_required_whole_counts_with_narratives():
    template = indicators_template()
    numbers = [q for q in forms.questions(template) if q["type"] == "number"]
    assert [q["label"] for q in numbers] == INDICATORS
    for question in numbers:  # aggregate counts only: whole numbers, never negative
        assert question["required"] is True
        assert question["limits"] == {"min": "0", "max": None, "decimals": 0}
    texts = [q for q in forms.questions(template) if q["type"] == "long_text"]
    assert len(texts) == 4 and not any(q["required"] for q in texts)
    # people reached and spending are fixed parts of every report, not asked again
    labels = " ".join(q["label"].lower() for q in forms.questions(template))
    assert "spending" not in labels and "people reached" not in labels


def test_each_copy_of_the_template_is_its_own():
    first = indicators_template()
    first["sections"].clear()
    assert indicators_template()["sections"]


def test_a_new_call_starts_with_the_indicators_report_form(client):
    login(client, make_user(Role.ADMIN))
    assert client.post("/calls/new", data=form_data()).status_code == 302
    call = db.session.scalars(db.select(Call)).one()
    assert [q["label"] for q in forms.questions(call.report_form)][:4] == INDICATORS
    assert call.proposal_form == {}  # the proposal form is not this template's business


def start_url(call: Call) -> str:
    return f"/calls/{call.id}/forms/report/template"


def test_the_secretariat_starts_an_empty_report_form_from_the_template(client):
    call = make_call()
    admin = make_user(Role.ADMIN)
    login(client, admin)
    page = client.get(f"/calls/{call.id}/forms/report").get_data(as_text=True)
    assert "Start from the INSPIRE indicators template" in page
    response = client.post(start_url(call))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/calls/{call.id}/forms/report")
    db.session.refresh(call)
    assert call.report_form == indicators_template()
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "form_change")
    ).one()
    assert (event.subject_id, event.actor_id) == (call.id, admin.id)
    assert "INSPIRE indicators template" in event.comment
    page = client.get(f"/calls/{call.id}/forms/report").get_data(as_text=True)
    assert "Start from the INSPIRE indicators template" not in page  # no longer empty


def test_a_report_form_with_sections_is_not_replaced(client):
    call = make_call()
    call.report_form = indicators_template()
    call.report_form["sections"] = call.report_form["sections"][:1]
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    response = client.post(start_url(call))
    assert response.status_code == 400
    assert "already has sections" in response.get_data(as_text=True)
    db.session.refresh(call)
    assert len(call.report_form["sections"]) == 1


def test_once_a_report_is_in_the_template_is_refused(client):
    call = make_call()
    member = make_user(Role.APPLICANT)
    grant = make_grant(make_proposal(make_organisation(member), call, state="awarded"))
    report = make_report(grant, state="submitted")
    report.submitted_at = utcnow()
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}/forms/report").get_data(as_text=True)
    assert "Start from the INSPIRE indicators template" not in page
    response = client.post(start_url(call))
    assert response.status_code == 400
    assert "already submitted reports" in response.get_data(as_text=True)
    db.session.refresh(call)
    assert call.report_form == {}


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_the_secretariat_may_start_from_the_template(client, role):
    call = make_call()
    login(client, make_user(role))
    assert client.post(start_url(call)).status_code == 403
    db.session.refresh(call)
    assert call.report_form == {}


def test_the_grantee_of_the_call_may_not_either(client):
    call = make_call()
    member = make_user(Role.APPLICANT)
    make_grant(make_proposal(make_organisation(member), call, state="awarded"))
    login(client, member)
    assert client.post(start_url(call)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    call = make_call()
    response = client.post(start_url(call))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_an_unknown_call_is_404(client):
    login(client, make_user(Role.ADMIN))
    assert client.post("/calls/99999/forms/report/template").status_code == 404


def test_without_the_csrf_token_nothing_changes(client, csrf):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    assert client.post(start_url(call)).status_code == 400
    db.session.refresh(call)
    assert call.report_form == {}
