"""Every number people type (amounts, counts, weights, versions, ids in select lists) is refused
with a field error and a 400 when it is not a plain figure that fits its column: NaN, sNaN and
the infinities make comparisons raise, exponents make absurd values, and digits beyond the
column make the database refuse. Nothing is saved, and nothing answers 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import (
    BudgetLine,
    Call,
    Conflict,
    Decision,
    Proposal,
    Review,
    Role,
    Tranche,
)
from tests.calls.conftest import form_data as call_form
from tests.conftest import login, make_organisation, make_proposal, make_user
from tests.decisions.conftest import make_reviewed
from tests.decisions.conftest import make_rubric_call as make_decision_call
from tests.grants.conftest import TODAY, build_grant, complete_form
from tests.proposals.drafting import form_data as proposal_form
from tests.reviews.conftest import assign, make_in_review, make_rubric_call, review_form

PAYLOADS = ["NaN", "sNaN", "Infinity", "-Infinity", "1e23", "1e400", "9" * 30, "²"]
AMOUNT = re.escape("Give an amount in figures, e.g. 1250.50.")
WHOLE = re.escape("Give a whole number, e.g. 12.")
CALL_AMOUNT = "Enter an amount in figures|Amounts cannot be negative"


@dataclass
class Case:
    url: str
    data: Callable[[str], dict]  # the form with the field set to a payload
    saved: Callable[[], object]  # what a save would change: must stay as it was
    message: str | None  # a pattern of the field's error on the page (None: a choice list's own)


def proposal_draft(client, field: str, message: str) -> Case:
    member = make_user()
    draft = make_proposal(make_organisation(member))
    login(client, member)
    lines = [("personnel", "Staff", "100")]
    return Case(
        f"/proposals/{draft.id}/edit",
        lambda value: proposal_form(draft, lines, **{field: value}),
        lambda: (
            db.session.get(Proposal, draft.id).lock_version,
            db.session.scalar(select(func.count(BudgetLine.id))),
        ),
        message,
    )


def award(client, field: str, message: str) -> Case:
    proposal = make_reviewed(make_decision_call(), amount="20000")
    login(client, make_user(Role.CHAIR))
    return Case(
        f"/decisions/proposals/{proposal.id}/award",
        lambda value: {"award-amount": value, "award-reasons": ""},
        lambda: db.session.scalar(select(func.count(Decision.id))),
        message,
    )


def payment(client, field: str, message: str) -> Case:
    world = build_grant()
    world.final.state = "accepted"
    db.session.commit()
    tranche = world.grant.tranches[1]
    login(client, world.admin)
    form = {"paid_on": TODAY.isoformat(), "amount": "2000", "payment_reference": "TX-2"}
    return Case(
        f"/grants/{world.grant.id}/tranches/{tranche.id}/payment",
        lambda value: {f"tranche{tranche.id}-{k}": v for k, v in {**form, field: value}.items()},
        lambda: db.session.get(Tranche, tranche.id).paid_on,
        message,
    )


def report(client, field: str, message: str) -> Case:
    world = build_grant()
    login(client, world.member)
    return Case(
        f"/reports/{world.interim.id}",
        lambda value: complete_form(action="save", **{field: value}),
        lambda: db.session.get(type(world.interim), world.interim.id).narrative,
        message,
    )


def new_call(client, field: str, message: str) -> Case:
    login(client, make_user(Role.ADMIN))
    return Case(
        "/calls/new",
        lambda value: call_form(**{field: value}),
        lambda: db.session.scalar(select(func.count(Call.id))),
        message,
    )


def screening(client, field: str, message: str) -> Case:
    proposal = make_in_review(make_rubric_call())
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, make_user(Role.REVIEWER))
    login(client, make_user(Role.ADMIN))
    due = (TODAY.replace(year=TODAY.year + 1)).isoformat()
    urls = {
        "reviewer_id": f"/screening/proposals/{proposal.id}/assignments",
        "reassign": f"/screening/assignments/{review.id}/reassign",
        "user_id": f"/screening/proposals/{proposal.id}/conflicts",
    }
    name = "reviewer_id" if field == "reassign" else field
    return Case(
        urls[field],
        lambda value: {name: value, "due_on": due, "reason": "Former employer"},
        lambda: (
            db.session.scalar(select(func.count(Review.id))),
            db.session.scalar(select(func.count(Conflict.id))),
            reviewer.id,
        ),
        message,
    )


def review_score(client, field: str, message: str) -> Case:
    call = make_rubric_call()
    reviewer = make_user(Role.REVIEWER)
    review = assign(make_in_review(call), reviewer)
    login(client, reviewer)
    first = call.criteria[0].id
    return Case(
        f"/reviews/{review.id}",
        lambda value: review_form(call, **{f"score_{first}": value}),
        lambda: db.session.get(Review, review.id).updated_at,
        message,
    )


FIELDS = {
    "proposal budget line amount": (proposal_draft, "budget_lines-0-amount", "digits and a point"),
    "proposal duration": (proposal_draft, "duration_months", WHOLE),
    "proposal lock_version": (proposal_draft, "lock_version", "lost its version number"),
    "award amount": (award, "amount", AMOUNT),
    "payment amount": (payment, "amount", AMOUNT),
    "report spending": (report, "spent_1", AMOUNT),
    "report people reached": (report, "reach_female_0_4", WHOLE),
    "call envelope": (new_call, "budget_envelope", CALL_AMOUNT),
    "call minimum award": (new_call, "min_award", CALL_AMOUNT),
    "call duration": (new_call, "max_duration_months", WHOLE),
    "call reviewers": (new_call, "reviewers_per_proposal", WHOLE),
    "call criterion weight": (new_call, "criteria-0-weight", WHOLE),
    "call tranche percent": (new_call, "tranche_template-0-percent", WHOLE),
    "call interim report": (new_call, "interim_reports-0", WHOLE),
    "call final report days": (new_call, "final_report_days", WHOLE),
    "call disagreement threshold": (
        new_call,
        "disagreement_threshold",
        "Enter a number of points",
    ),
    "reviewer to add": (screening, "reviewer_id", None),
    "reviewer to reassign to": (screening, "reassign", None),
    "person with a conflict": (screening, "user_id", None),
    "review score": (review_score, "score", None),
}


@pytest.mark.parametrize("name", FIELDS)
def test_a_number_that_is_not_a_plain_figure_is_a_field_error(client, name):
    build, field, message = FIELDS[name]
    case = build(client, field, message)
    before = case.saved()
    answers = {}
    for value in PAYLOADS:
        response = client.post(case.url, data=case.data(value))
        page = response.get_data(as_text=True)
        shown = message is None or re.search(message, page) is not None
        answers[value] = (response.status_code, shown)
        assert case.saved() == before, value
    assert answers == dict.fromkeys(PAYLOADS, (400, True))


def test_the_draft_autosave_refuses_an_absurd_version_with_400(client):
    case = proposal_draft(client, "lock_version", "")
    before = case.saved()
    url = case.url.replace("/edit", "/autosave")
    for value in PAYLOADS:
        response = client.post(url, data=case.data(value))
        assert response.status_code == 400, value
        assert "lock_version" in response.get_json()["errors"], value
    assert case.saved() == before
