"""Editing a call, and the fields that lock once a proposal has been submitted."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from fund.extensions import db
from fund.models import AuditEvent, Call, Proposal, Role
from tests.calls.conftest import NOW, form_data, input_value
from tests.conftest import make_organisation, make_proposal, make_user


@pytest.fixture
def call(client, admin, frozen) -> Call:
    """A call made through the form (so form_data() describes it exactly), open at NOW."""
    assert client.post("/calls/new", data=form_data()).status_code == 302
    call = Call.query.one()
    call.published_at = NOW
    db.session.commit()
    return call


def submit_a_proposal(call: Call) -> Proposal:
    proposal = make_proposal(make_organisation(make_user(Role.APPLICANT)), call)
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(state="submitted", submitted_at=NOW)
    )
    db.session.commit()
    return proposal


def snapshot(call: Call) -> dict:
    db.session.expire_all()
    return {
        "currency": call.currency,
        "min_award": call.min_award,
        "max_award": call.max_award,
        "max_duration_months": call.max_duration_months,
        "eligible_income_groups": call.eligible_income_groups,
        "unclassified_eligible": call.unclassified_eligible,
        "eligible_org_types": call.eligible_org_types,
        "fiscal_year": call.fiscal_year,
        "strategies": call.strategies,
        "opens_at": call.opens_at,
        "criteria": [(c.name, c.guidance, c.weight) for c in call.criteria],
    }


def test_the_edit_form_shows_the_times_in_the_calls_zone(client, call):
    """Times stored in UTC come back as the wall-clock times entered in Nairobi."""
    page = client.get(f"/calls/{call.id}/edit").text
    assert input_value(page, "closes_at") == "2027-03-31T17:00"
    assert input_value(page, "opens_at") == "2027-03-01T09:00"
    assert '<option selected value="Africa/Nairobi">' in page


def test_every_field_can_change_before_any_submission(client, call, admin):
    """Without submitted proposals the whole call is editable; the change is audited."""
    make_proposal(make_organisation(make_user(Role.APPLICANT)), call)  # a draft locks nothing
    response = client.post(
        f"/calls/{call.id}/edit",
        data=form_data(
            title="Renamed",
            currency="EUR",
            min_award="1000",
            strategies=["laws"],
            opens_at="2027-03-02T09:00",
            **{"criteria-0-name": "Fit with INSPIRE"},
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"
    assert (call.title, call.currency, call.min_award, call.strategies) == (
        "Renamed",
        "EUR",
        Decimal("1000"),
        ["laws"],
    )
    assert call.opens_at == datetime(2027, 3, 2, 6, 0, tzinfo=UTC)
    assert call.criteria[0].name == "Fit with INSPIRE"
    event = AuditEvent.query.filter_by(action="update").one()
    assert (event.subject_type, event.subject_id, event.actor_id) == ("call", call.id, admin.id)
    for name in ("title", "currency", "min_award", "strategies", "opens_at", "criteria"):
        assert name in event.comment


def test_an_invalid_edit_changes_nothing(client, call):
    """A refused edit leaves the call as it was and writes no audit entry."""
    response = client.post(
        f"/calls/{call.id}/edit", data=form_data(title="Renamed", max_award="900000")
    )
    assert response.status_code == 400
    assert "The maximum award cannot be more than the budget envelope." in response.text
    assert call.title == "Small grants 2027"
    assert AuditEvent.query.filter_by(action="update").count() == 0


LOCKED_CHANGES = {
    "currency": {"currency": "EUR"},
    "min_award": {"min_award": "6000"},
    "max_award": {"max_award": "40000"},
    "max_duration_months": {"max_duration_months": "12"},
    "eligible_income_groups": {"eligible_income_groups": ["LIC"]},
    "unclassified_eligible": {"unclassified_eligible": "y"},
    "eligible_org_types": {"eligible_org_types": ["ngo"]},
    "fiscal_year": {"fiscal_year": "FY2026"},
    "strategies": {"strategies": ["laws"]},
    "criteria": {"criteria-0-weight": "20", "criteria-1-weight": "30"},
    "criterion name": {"criteria-0-name": "Something else"},
    "opens_at": {"opens_at": "2027-03-02T09:00"},
}


@pytest.mark.parametrize("changes", LOCKED_CHANGES.values(), ids=LOCKED_CHANGES.keys())
def test_locked_fields_cannot_change_after_a_submission(client, call, changes):
    """Once a proposal is submitted, a POST changing a locked field is refused with 400."""
    submit_a_proposal(call)
    before = snapshot(call)
    response = client.post(f"/calls/{call.id}/edit", data=form_data(title="Renamed", **changes))
    assert response.status_code == 400
    assert (
        "Proposals have already been submitted to this call, so these fields can no longer "
        "change" in html.unescape(response.text)
    )
    assert snapshot(call) == before
    assert call.title == "Small grants 2027"  # nothing of the refused edit is kept
    assert AuditEvent.query.filter_by(action="update").count() == 0


def test_the_refusal_names_the_locked_fields(client, call):
    """The message says which fields could not change."""
    submit_a_proposal(call)
    response = client.post(
        f"/calls/{call.id}/edit", data=form_data(currency="EUR", min_award="6000")
    )
    assert "can no longer change: Currency, Minimum award." in html.unescape(response.text)


def test_a_time_zone_change_does_not_move_a_locked_opening(client, call):
    """The opening instant is what is locked: the same instant written in another zone is fine."""
    submit_a_proposal(call)
    response = client.post(
        f"/calls/{call.id}/edit",
        data=form_data(timezone="UTC", opens_at="2027-03-01T06:00", closes_at="2027-03-31T14:00"),
    )
    assert response.status_code == 302
    assert call.timezone == "UTC"
    assert call.opens_at == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def test_unlocked_fields_stay_editable_after_a_submission(client, call):
    """Title, description, closing time, envelope, reviewers, approvals and templates still
    change, sent as the page sends them (without the locked fields)."""
    submit_a_proposal(call)
    before = snapshot(call)
    data = form_data(
        title="Extended",
        description="Now closing later.",
        closes_at="2027-04-30T17:00",
        budget_envelope="250000",
        reviewers_per_proposal="2",
        chair_approvals_needed="2",
        final_report_days="90",
        **{
            "tranche_template-0-percent": "70",
            "tranche_template-1-percent": "30",
            "interim_reports-0": "9",
        },
    )
    for name in (
        "currency",
        "min_award",
        "max_award",
        "max_duration_months",
        "eligible_income_groups",
        "eligible_org_types",
        "fiscal_year",
        "strategies",
        "opens_at",
    ):
        del data[name]
    data = {key: value for key, value in data.items() if not key.startswith("criteria-")}
    response = client.post(f"/calls/{call.id}/edit", data=data)
    assert response.status_code == 302
    assert call.title == "Extended" and call.description == "Now closing later."
    assert call.closes_at == datetime(2027, 4, 30, 14, 0, tzinfo=UTC)
    assert call.budget_envelope == Decimal("250000")
    assert (call.reviewers_per_proposal, call.chair_approvals_needed) == (2, 2)
    assert [t["percent"] for t in call.tranche_template] == [70, 30]
    assert call.reporting_template == [
        {"kind": "interim", "months_after_start": 9},
        {"kind": "final", "days_after_end": 90},
    ]
    assert snapshot(call) == before


def test_locked_fields_sent_unchanged_are_accepted(client, call):
    """Sending a locked field with its current value is not a change."""
    submit_a_proposal(call)
    response = client.post(f"/calls/{call.id}/edit", data=form_data(title="Same rules"))
    assert response.status_code == 302
    assert call.title == "Same rules"


def test_unlocked_rules_still_apply_after_a_submission(client, call):
    """The envelope still cannot fall below the (locked) maximum award."""
    submit_a_proposal(call)
    response = client.post(f"/calls/{call.id}/edit", data=form_data(budget_envelope="40000"))
    assert response.status_code == 400
    assert "The maximum award cannot be more than the budget envelope." in response.text
    assert call.budget_envelope == Decimal("200000")


def test_the_edit_page_shows_locked_fields_read_only_with_the_reason(client, call):
    """After a submission the page shows the fixed values as text, and says why."""
    submit_a_proposal(call)
    page = html.unescape(client.get(f"/calls/{call.id}/edit").text)
    assert "Proposals have already been submitted to this call." in page
    assert "Fixed: proposals have been submitted under this rule." in page
    assert 'name="currency"' not in page and 'name="criteria-0-name"' not in page
    assert 'name="opens_at"' not in page
    assert "2027-03-01 09:00 (Africa/Nairobi)" in page
    assert "$50,000.00" in page
    assert input_value(page, "closes_at") == "2027-03-31T17:00"
    assert input_value(page, "budget_envelope") == "200000.00"


def test_rubric_rows_cannot_be_added_once_locked(client, call):
    """The "Add criterion" button is gone, and sending it anyway is a 400."""
    submit_a_proposal(call)
    assert "Add criterion" not in client.get(f"/calls/{call.id}/edit").text
    data = {
        k: v
        for k, v in form_data(row_action="add:criteria").items()
        if not k.startswith("criteria-")
    }
    assert client.post(f"/calls/{call.id}/edit", data=data).status_code == 400
