"""Creating a call: the defaults offered, the values saved, time zones, rows without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from fund.models import AuditEvent, Call
from tests.calls.conftest import DEFAULT_CRITERIA, form_data, input_value


def test_the_new_call_form_offers_the_defaults(client, admin, app):
    """The form starts with USD, LIC+LMC+UMC, the default rubric, 80/20 and the usual reports."""
    page = client.get("/calls/new").text
    assert '<option selected value="USD">' in page
    checked = re.findall(
        r'<input checked id="eligible_income_groups-\d" name="[^"]+" '
        r'type="checkbox" value="(\w+)">',
        page,
    )
    assert checked == ["LIC", "LMC", "UMC"]
    assert 'type="checkbox" value="HIC">' in page
    for i, (name, weight) in enumerate(DEFAULT_CRITERIA):
        assert input_value(page, f"criteria-{i}-name") == name
        assert input_value(page, f"criteria-{i}-weight") == str(weight)
    assert input_value(page, "tranche_template-0-percent") == "80"
    assert input_value(page, "tranche_template-1-percent") == "20"
    assert input_value(page, "interim_reports-0") == "6"
    assert input_value(page, "final_report_days") == "60"
    assert input_value(page, "fiscal_year") == app.config["INCOME_GROUP_FISCAL_YEAR"]
    assert input_value(page, "budget_envelope") == "200000.00"


def test_a_call_is_created_from_the_defaults(client, admin):
    """Saving the form creates an unpublished call with its rubric, templates and audit entry."""
    response = client.post("/calls/new", data=form_data())
    call = Call.query.one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"
    assert call.published_at is None
    assert call.title == "Small grants 2027"
    assert call.currency == "USD"
    assert (call.budget_envelope, call.min_award, call.max_award) == (
        Decimal("200000"),
        Decimal("5000"),
        Decimal("50000"),
    )
    assert isinstance(call.min_award, Decimal)
    assert call.eligible_income_groups == ["LIC", "LMC", "UMC"]
    assert call.unclassified_eligible is False
    assert [(c.name, c.weight) for c in call.criteria] == list(DEFAULT_CRITERIA)
    assert [c.position for c in call.criteria] == [1, 2, 3, 4, 5, 6]
    assert call.tranche_template == [
        {"percent": 80, "condition": "signature"},
        {"percent": 20, "condition": "final_report"},
    ]
    assert call.reporting_template == [
        {"kind": "interim", "months_after_start": 6},
        {"kind": "final", "days_after_end": 60},
    ]
    event = AuditEvent.query.one()
    assert (event.subject_type, event.subject_id, event.action, event.actor_id) == (
        "call",
        call.id,
        "create",
        admin.id,
    )


def test_a_call_is_created_with_custom_values(client, admin):
    """Every field the secretariat sets is stored as given."""
    data = form_data(
        currency="EUR",
        budget_envelope="1000000.50",
        min_award="10000",
        max_award="75000.25",
        max_duration_months="24",
        eligible_income_groups=["LIC"],
        unclassified_eligible="y",
        eligible_org_types=["academic"],
        strategies=["laws", "monitoring"],
        fiscal_year="FY2026",
        reviewers_per_proposal="2",
        chair_approvals_needed="2",
        **{
            "tranche_template-1-percent": "10",
            "tranche_template-1-condition": "interim_report",
            "tranche_template-2-percent": "10",
            "tranche_template-2-condition": "final_report",
            "interim_reports-0": "12",
            "interim_reports-1": "6",
            "final_report_days": "90",
            "criteria-0-weight": "35",
            "criteria-5-name": None,
            "criteria-5-guidance": None,
            "criteria-5-weight": None,
        },
    )
    assert client.post("/calls/new", data=data).status_code == 302
    call = Call.query.one()
    assert call.currency == "EUR"
    assert call.budget_envelope == Decimal("1000000.50")
    assert call.max_award == Decimal("75000.25")
    assert call.max_duration_months == 24
    assert call.eligible_income_groups == ["LIC"]
    assert call.unclassified_eligible is True
    assert call.eligible_org_types == ["academic"]
    assert call.strategies == ["laws", "monitoring"]
    assert call.fiscal_year == "FY2026"
    assert (call.reviewers_per_proposal, call.chair_approvals_needed) == (2, 2)
    assert [c.weight for c in call.criteria] == [35, 25, 15, 15, 10]
    assert [t["percent"] for t in call.tranche_template] == [80, 10, 10]
    assert call.reporting_template == [
        {"kind": "interim", "months_after_start": 6},
        {"kind": "interim", "months_after_start": 12},
        {"kind": "final", "days_after_end": 90},
    ]


def test_local_times_are_stored_in_utc(client, admin):
    """31 March 2027 17:00 in Nairobi (UTC+3) is stored as 14:00 UTC."""
    client.post(
        "/calls/new", data=form_data(timezone="Africa/Nairobi", closes_at="2027-03-31T17:00")
    )
    call = Call.query.one()
    assert call.closes_at == datetime(2027, 3, 31, 14, 0, tzinfo=UTC)
    assert call.opens_at == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    assert call.timezone == "Africa/Nairobi"


def test_the_same_wall_time_in_another_zone_is_another_instant(client, admin):
    """17:00 in Paris in summer time (UTC+2) is 15:00 UTC."""
    client.post("/calls/new", data=form_data(timezone="Europe/Paris", closes_at="2027-03-31T17:00"))
    assert Call.query.one().closes_at == datetime(2027, 3, 31, 15, 0, tzinfo=UTC)


def test_add_criterion_shows_the_form_again_with_one_more_row(client, admin):
    """ "Add criterion" saves nothing and shows an empty seventh row, keeping what was typed."""
    response = client.post(
        "/calls/new", data=form_data(title="Typed so far", row_action="add:criteria")
    )
    assert response.status_code == 200
    assert Call.query.count() == 0
    assert input_value(response.text, "criteria-6-name") == ""
    assert "Criterion 7" in response.text
    assert input_value(response.text, "title") == "Typed so far"


def test_remove_takes_out_that_row(client, admin):
    """ "Remove criterion 1" drops the first row and renumbers the rest."""
    response = client.post("/calls/new", data=form_data(row_action="remove:criteria:0"))
    assert response.status_code == 200
    assert "INSPIRE fit" not in response.text
    assert input_value(response.text, "criteria-0-name") == "Design and feasibility"
    assert input_value(response.text, "criteria-5-name") is None


def test_rows_of_tranches_and_reports_can_be_added_and_removed(client, admin):
    """The tranche and interim-report rows have their own buttons."""
    added = client.post("/calls/new", data=form_data(row_action="add:tranche_template"))
    assert input_value(added.text, "tranche_template-2-percent") == ""
    removed = client.post("/calls/new", data=form_data(row_action="remove:interim_reports:0"))
    assert input_value(removed.text, "interim_reports-0") is None


def test_an_added_row_left_empty_is_ignored(client, admin):
    """A blank row the user added and did not fill in is not an error and not saved."""
    data = form_data(
        **{
            "criteria-6-name": "",
            "criteria-6-guidance": "",
            "criteria-6-weight": "",
            "interim_reports-1": "",
        }
    )
    assert client.post("/calls/new", data=data).status_code == 302
    call = Call.query.one()
    assert len(call.criteria) == 6
    assert len(call.reporting_template) == 2


def test_an_unknown_row_button_is_refused(client, admin):
    """A row action the form does not have is a 400, not a 500."""
    for action in ("add:title", "remove:criteria:99", "remove:criteria:x", "explode"):
        response = client.post("/calls/new", data=form_data(row_action=action))
        assert response.status_code == 400
    assert Call.query.count() == 0
