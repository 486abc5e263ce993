"""Every rule of the call form: a 400 with the message next to the field, and nothing saved."""

from __future__ import annotations

import html

import pytest

from fund.models import AuditEvent, Call
from tests.calls.conftest import form_data

CASES = {
    "weights not 100": (
        {"criteria-0-weight": "30"},
        "The weights add up to 105; they must add up to 100.",
    ),
    "no criteria": (
        {f"criteria-{i}-{part}": None for i in range(6) for part in ("name", "guidance", "weight")},
        "Add at least one criterion.",
    ),
    "criterion without a name": ({"criteria-0-name": ""}, "This field is required."),
    "weight not a number": ({"criteria-0-weight": "lots"}, "Give a whole number, e.g. 12."),
    "tranches not 100": (
        {"tranche_template-0-percent": "70"},
        "The tranches add up to 90%; they must add up to 100%.",
    ),
    "unknown tranche condition": (
        {"tranche_template-0-condition": "whenever"},
        "Not a valid choice.",
    ),
    "min above max": (
        {"min_award": "60000"},
        "The minimum award cannot be more than the maximum award.",
    ),
    "max above envelope": (
        {"max_award": "300000"},
        "The maximum award cannot be more than the budget envelope.",
    ),
    "negative amount": ({"min_award": "-5000"}, "Amounts cannot be negative."),
    "negative envelope": ({"budget_envelope": "-1"}, "Amounts cannot be negative."),
    "words for money": (
        {"budget_envelope": "a lot"},
        "Enter an amount in figures, e.g. 25000 or 25000.50.",
    ),
    "exponent": ({"max_award": "5e4"}, "Enter an amount in figures, e.g. 25000 or 25000.50."),
    "not a number": ({"max_award": "NaN"}, "Enter an amount in figures, e.g. 25000 or 25000.50."),
    "infinity": (
        {"budget_envelope": "Infinity"},
        "Enter an amount in figures, e.g. 25000 or 25000.50.",
    ),
    "three decimals": (
        {"min_award": "5000.125"},
        "Enter an amount in figures, e.g. 25000 or 25000.50.",
    ),
    "too large": (
        {"budget_envelope": "9" * 13},
        "Enter an amount in figures, e.g. 25000 or 25000.50.",
    ),
    "zero": ({"min_award": "0"}, "Enter an amount above zero."),
    "missing amount": ({"max_award": ""}, "Enter an amount."),
    "closes before opens": (
        {"closes_at": "2027-02-01T09:00"},
        "The call must close after it opens.",
    ),
    "closes when it opens": (
        {"closes_at": "2027-03-01T09:00"},
        "The call must close after it opens.",
    ),
    "not a date": ({"opens_at": "next Monday"}, "Give a date and time, e.g. 2027-03-31 17:00."),
    "no closing time": ({"closes_at": ""}, "Give a date and time."),
    "unknown time zone": ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
    "path as time zone": ({"timezone": "../../etc/passwd"}, "Choose a time zone from the list."),
    "unknown currency": ({"currency": "XYZ"}, "Choose a currency from the list."),
    "gold is not a currency": ({"currency": "XAU"}, "Choose a currency from the list."),
    "duration zero": ({"max_duration_months": "0"}, "From 1 to 60."),
    "duration too long": ({"max_duration_months": "61"}, "From 1 to 60."),
    "too many reviewers": ({"reviewers_per_proposal": "11"}, "From 1 to 10."),
    "no approvals": ({"chair_approvals_needed": "0"}, "From 1 to 5."),
    "no income group": ({"eligible_income_groups": None}, "Choose at least one income group."),
    "unknown income group": ({"eligible_income_groups": ["LIC", "RICH"]}, "not a valid choice"),
    "no organisation type": (
        {"eligible_org_types": None},
        "Choose at least one type of organisation.",
    ),
    "no strategy": ({"strategies": None}, "Choose at least one strategy."),
    "bad fiscal year": (
        {"fiscal_year": "2027"},
        "Write the fiscal year as FY followed by the year, e.g. FY2027.",
    ),
    "interim report after the end": (
        {"interim_reports-0": "18"},
        "Interim reports must fall before month 18, the longest a project may last.",
    ),
    "two interim reports in one month": (
        {"interim_reports-1": "6"},
        "Two interim reports are due in the same month.",
    ),
    "final report too late": ({"final_report_days": "400"}, "From 0 to 365."),
    "no title": ({"title": "  "}, "This field is required."),
    "title too long": ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    "control characters": (
        {"description": "Fine\x00 text"},
        "Remove the invisible control characters from this text.",
    ),
}


@pytest.mark.parametrize("changes, message", CASES.values(), ids=CASES.keys())
def test_a_bad_call_is_refused_with_the_reason(client, admin, changes, message):
    """The form comes back with 400 and the message; no call and no audit entry is written."""
    response = client.post("/calls/new", data=form_data(**changes))
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert 'class="error"' in response.text
    assert Call.query.count() == 0
    assert AuditEvent.query.count() == 0


def test_messages_stand_next_to_their_field_and_in_the_summary(client, admin):
    """The message is shown by the field it concerns and linked from the summary at the top."""
    response = client.post("/calls/new", data=form_data(min_award="60000"))
    page = response.text
    summary = page.index('id="error-summary"')
    near_field = page.index('id="min_award"')
    assert '<a href="#min_award">Minimum award: The minimum award cannot' in page[summary:]
    error_at = page.index("The minimum award cannot", page.index('for="min_award"'))
    assert error_at < near_field


def test_what_was_typed_comes_back_after_an_error(client, admin):
    """A refused form shows every value as it was sent, so nothing typed is lost."""
    response = client.post("/calls/new", data=form_data(title="My draft call", max_award="abc"))
    assert 'value="My draft call"' in response.text
    assert 'value="abc"' in response.text
    assert 'value="Organisational capacity and local leadership"' in response.text
