""" "Copy from call ...": what a copy takes from its source and what it leaves, who may copy,
bad choices, and the refusal once the target call has submissions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from fund import clock
from fund.calls import copying, form_builder
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.standard import standard_proposal_form
from fund.models import AuditEvent, Call, Proposal, Role
from tests.calls.conftest import create_call, form_data
from tests.conftest import count_queries, login, make_organisation, make_proposal, make_user
from tests.forms_def.building import ASKED, SAFELY, children_questions

NOT_ADMIN = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR)
LEVELS = ["Absent", "Thin", "Adequate", "Strong", "Outstanding"]
CRITERIA = [
    {"name": "Child safety", "guidance": "Kept safe?", "weight": 60, "levels": LEVELS},
    {"name": "Cost", "guidance": "Value for money", "weight": 40, "levels": []},
]


def source_call() -> Call:
    """A call whose set-up differs from the defaults in every copied field."""
    call = create_call(
        title="Safe schools 2026",
        description="Schools where children are safe.",
        currency="EUR",
        max_duration_months=24,
        eligible_income_groups=["LIC"],
        unclassified_eligible=True,
        eligible_org_types=["ngo"],
        fiscal_year="FY2026",
        strategies=["norms", "education"],
        reviewers_per_proposal=2,
        chair_approvals_needed=2,
        criteria=CRITERIA,
        tranche_template=[
            {"percent": 50, "condition": "signature"},
            {"percent": 50, "condition": "interim_report"},
        ],
        reporting_template=[
            {"kind": "interim", "months_after_start": 4},
            {"kind": "final", "days_after_end": 30},
        ],
        disagreement_threshold=Decimal("22"),
        hide_reviewer_names=True,
        letter_templates={"award": {"subject": "Good news for {organisation}"}},
        declaration="We declare that all is true.",
    )
    call.agreement_template = "Our own terms for {organisation}."
    children_questions(call)
    extra = form_builder.add_question(
        call,
        make_user(Role.ADMIN),
        call.proposal_form["sections"][0]["id"],
        "short_text",
        "Gone?",
        [],
    )
    form_builder.remove_question(call, make_user(Role.ADMIN), extra)
    for kind, label in (("report", "Schools reached"), ("concept", "The idea in brief")):
        section = form_builder.add_section(call, make_user(Role.ADMIN), "Ours", kind=kind)
        form_builder.add_question(
            call, make_user(Role.ADMIN), section, "long_text", label, [], kind=kind
        )
    db.session.commit()
    return call


def blank_call(**values) -> Call:
    return create_call(published=False, title="Empty round", **values)


def submitted_to(call: Call) -> None:
    proposal = make_proposal(make_organisation(make_user()), call, state="submitted")
    proposal.submitted_at = proposal.created_at
    db.session.commit()


def criteria_of(call: Call) -> list[tuple]:
    return [(c.position, c.name, c.guidance, c.weight, c.levels) for c in call.criteria]


def assert_setup_copied(copy: Call, source: Call) -> None:
    """Field by field, the set-up the copy takes from its source."""
    assert copy.proposal_form == source.proposal_form
    assert copy.proposal_form["retired_ids"] == source.proposal_form["retired_ids"] != []
    assert copy.report_form == source.report_form
    assert copy.concept_form == source.concept_form
    # after the INSPIRE indicators every new call starts with
    assert [q["label"] for q in forms.questions(copy.report_form)][-1] == "Schools reached"
    assert next(forms.questions(copy.concept_form))["label"] == "The idea in brief"
    assert criteria_of(copy) == [
        (1, "Child safety", "Kept safe?", 60, LEVELS),
        (2, "Cost", "Value for money", 40, []),
    ]
    assert copy.eligible_income_groups == ["LIC"]
    assert copy.unclassified_eligible is True
    assert copy.eligible_org_types == ["ngo"]
    assert copy.fiscal_year == "FY2026"
    assert copy.strategies == ["norms", "education"]
    assert copy.reviewers_per_proposal == 2
    assert copy.chair_approvals_needed == 2
    assert copy.tranche_template == source.tranche_template
    assert copy.reporting_template == source.reporting_template
    assert copy.disagreement_threshold == Decimal("22")
    assert copy.hide_reviewer_names is True
    assert copy.letter_templates == {"award": {"subject": "Good news for {organisation}"}}
    assert copy.agreement_template == "Our own terms for {organisation}."
    assert copy.declaration == "We declare that all is true."
    audit = db.session.query(AuditEvent).filter_by(subject_id=copy.id, action="copy").one()
    assert audit.comment == f"copied from call {source.id}"


def test_copying_onto_a_call_takes_the_set_up_and_keeps_its_own_title_dates_and_amounts(ctx):
    source, target = source_call(), blank_call()
    make_proposal(make_organisation(make_user()), source)  # a draft: proposals stay behind
    opens, closes = target.opens_at, target.closes_at
    copying.copy_setup(target, source, make_user(Role.ADMIN))
    db.session.commit()
    db.session.expire_all()
    assert_setup_copied(target, source)
    assert (target.title, target.description) == ("Empty round", "What it funds.")
    assert (target.opens_at, target.closes_at, target.published_at) == (opens, closes, None)
    assert (target.currency, target.max_duration_months) == ("USD", 18)
    assert Proposal.query.filter_by(call_id=target.id).count() == 0
    # the source's criteria rows stay its own
    assert {c.call_id for c in source.criteria} == {source.id}


def test_a_copy_shares_no_list_with_its_source(ctx):
    source, target = source_call(), blank_call()
    copying.copy_setup(target, source, make_user(Role.ADMIN))
    target.proposal_form["sections"][-1]["title"] = "Changed on the copy"
    assert source.proposal_form["sections"][-1]["title"] == "Children"


def test_the_admin_copies_onto_a_call_from_its_edit_page(client, admin):
    source, target = source_call(), blank_call()
    page = client.get(f"/calls/{target.id}/edit").get_data(as_text=True)
    assert 'name="source"' in page and "Safe schools 2026" in page
    response = client.post(f"/calls/{target.id}/copy", data={"source": source.id})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{target.id}/edit"
    db.session.expire_all()
    assert_setup_copied(target, source)


def test_the_new_call_form_arrives_pre_filled_and_nothing_is_saved_until_the_admin_saves(
    client, admin
):
    source = source_call()
    page = client.get(f"/calls/new?copy_from={source.id}").get_data(as_text=True)
    assert 'value="Copy of Safe schools 2026"' in page
    assert 'value="Child safety"' in page and "Outstanding" in page
    assert ASKED in page and SAFELY in page
    assert f'name="copy_from" value="{source.id}"' in page
    assert Call.query.count() == 1
    data = form_data(title="Safe schools 2027", copy_from=str(source.id))
    for name in list(data):
        if name.startswith("criteria-"):
            del data[name]
    for i, c in enumerate(CRITERIA):
        data |= {f"criteria-{i}-name": c["name"], f"criteria-{i}-guidance": c["guidance"]}
        data[f"criteria-{i}-weight"] = str(c["weight"])
        for n, level in enumerate(c["levels"]):
            data[f"criterion_guidance-{i}-levels-{n}"] = level
    response = client.post("/calls/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    copy = Call.query.filter_by(title="Safe schools 2027").one()
    assert copy.published_at is None
    assert copy.proposal_form == source.proposal_form
    assert copy.agreement_template == source.agreement_template
    assert copy.criteria[0].name == "Child safety"
    audit = db.session.query(AuditEvent).filter_by(subject_id=copy.id, action="copy").one()
    assert audit.comment == f"copied from call {source.id}"


def test_the_pre_filled_form_leaves_the_dates_and_description_to_set(client, admin):
    source = source_call()
    page = client.get(f"/calls/new?copy_from={source.id}").get_data(as_text=True)
    assert "2026" not in page.split('name="opens_at"')[1].split(">")[0]
    assert "Schools where children are safe." not in page


def test_copying_onto_a_call_with_a_submission_is_refused(client, admin):
    source, target = source_call(), blank_call()
    submitted_to(target)
    before = criteria_of(target)
    response = client.post(f"/calls/{target.id}/copy", data={"source": source.id})
    assert response.status_code == 400
    assert "already been submitted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert criteria_of(target) == before and target.proposal_form == standard_proposal_form()
    assert 'name="source"' not in client.get(f"/calls/{target.id}/edit").get_data(as_text=True)


@pytest.mark.parametrize(
    "choice, status, message",
    [
        ("", 400, "Choose a call to copy from."),
        ("99999", 404, "There is no such call to copy from."),
        ("99999999999999999999", 404, "There is no such call to copy from."),
        ("abc", 404, "There is no such call to copy from."),
        ("self", 400, "this is the call itself"),
    ],
)
def test_a_bad_choice_of_call_is_a_clear_4xx(client, admin, choice, status, message):
    target = blank_call()
    choice = str(target.id) if choice == "self" else choice
    response = client.post(f"/calls/{target.id}/copy", data={"source": choice})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("choice", ["99999", "99999999999999999999", "-1", "x"])
def test_a_bad_choice_on_the_new_call_form_is_a_clear_404(client, admin, choice):
    response = client.get(f"/calls/new?copy_from={choice}")
    assert response.status_code == 404
    assert "There is no such call to copy from." in response.get_data(as_text=True)


def test_copying_onto_an_unknown_call_is_a_404(client, admin):
    source = source_call()
    assert client.post("/calls/2147483647/copy", data={"source": source.id}).status_code == 404
    assert client.post("/calls/99999999999/copy", data={"source": source.id}).status_code == 404


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_other_roles_cannot_copy(client, role):
    source, target = source_call(), blank_call()
    login(client, make_user(role))
    assert client.post(f"/calls/{target.id}/copy", data={"source": source.id}).status_code == 403
    assert client.get(f"/calls/new?copy_from={source.id}").status_code == 403
    db.session.expire_all()
    assert target.proposal_form == standard_proposal_form()


def test_anonymous_visitors_are_sent_to_log_in(client):
    source, target = source_call(), blank_call()
    response = client.post(f"/calls/{target.id}/copy", data={"source": source.id})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    response = client.get(f"/calls/new?copy_from={source.id}")
    assert response.headers["Location"].startswith("/account/login?next=")
    db.session.expire_all()
    assert target.proposal_form == standard_proposal_form()


def test_the_choice_of_calls_costs_the_same_queries_however_many_calls(client, admin):
    create_call(published=False, title="First")
    client.get("/calls/new")
    with count_queries() as few:
        client.get("/calls/new")
    for n in range(6):
        create_call(published=False, title=f"Round {n}", opens_at=clock.now() + timedelta(days=n))
    with count_queries() as many:
        page = client.get("/calls/new").get_data(as_text=True)
    assert "Round 5" in page
    assert len(many) == len(few)
