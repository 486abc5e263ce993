"""Dates are bounded where they are entered, and what is computed from them cannot fail.

Year 9999 used to pass every date field; a proposal starting then was accepted at submission,
and every award of it failed with a 500 ("year 10000 is out of range") while the grant's
schedule was computed. Now such a date is a field error where it is typed, the submission
rules keep a project's start between its submission and five years later, and a proposal that
already holds such a date (old data) is refused for award with a clear 400."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fund import dates
from fund.extensions import db
from fund.models import Call, Decision, Grant, Organisation, Proposal, Review, Role, Tranche
from tests.calls.conftest import form_data as call_form
from tests.conftest import login, make_organisation, make_proposal, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call
from tests.grants.conftest import build_grant
from tests.proposals.drafting import form_data as proposal_form
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews.conftest import make_in_review
from tests.reviews.conftest import make_rubric_call as make_review_call

FAR = ["9999-12-31", "3000-01-01", "0001-01-01", "1900-01-01"]
TODAY = date.today()


def test_month_arithmetic_stays_in_the_calendar():
    assert dates.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert dates.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert dates.schedule_fits(date(2027, 9, 1), 84)
    assert not dates.schedule_fits(date(9999, 6, 1), 12)
    assert not dates.schedule_fits(date(1, 1, 1), 12)
    assert not dates.schedule_fits(date(2199, 6, 1), 12)


@pytest.mark.parametrize("value", FAR)
def test_a_start_date_no_one_could_mean_is_a_field_error_when_saving(client, value):
    member = make_user()
    draft = make_proposal(make_organisation(member))
    login(client, member)
    response = client.post(
        f"/proposals/{draft.id}/edit", data=proposal_form(draft, start_date=value)
    )
    assert response.status_code == 400
    assert "Give a date between" in response.get_data(as_text=True)
    assert db.session.get(Proposal, draft.id).start_date is None
    autosave = client.post(
        f"/proposals/{draft.id}/autosave", data=proposal_form(draft, start_date=value)
    )
    assert autosave.status_code == 400
    assert "start_date" in autosave.get_json()["errors"]


@pytest.mark.parametrize(
    "start",
    [date(9999, 1, 1), TODAY - timedelta(days=1), dates.add_years(TODAY, 5) + timedelta(days=1)],
    ids=["year 9999", "yesterday", "beyond five years"],
)
def test_submission_refuses_a_start_outside_today_to_five_years(client, start):
    """Old drafts may hold such a date: the submission names the field, nothing is sent."""
    load_income_groups()
    proposal = complete_proposal()
    proposal.start_date = start
    db.session.commit()
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    assert response.status_code == 400
    assert "The project must start between" in response.get_data(as_text=True)
    assert db.session.get(Proposal, proposal.id).state == "draft"


@pytest.mark.parametrize("start", [TODAY, dates.add_years(TODAY, 5)], ids=["today", "in 5 years"])
def test_submission_accepts_a_start_from_today_to_five_years(client, start):
    load_income_groups()
    proposal = complete_proposal()
    proposal.start_date = start
    db.session.commit()
    login(client, a_member(proposal))
    assert (
        client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"}).status_code
        == 302
    )


@pytest.mark.parametrize("start", [date(9999, 6, 1), date(1, 1, 1)], ids=["9999", "year 1"])
def test_a_proposal_holding_an_impossible_start_date_is_refused_for_award(client, start):
    """Old data: the award is refused with a reason and a way out; nothing is created."""
    proposal = make_reviewed(make_rubric_call(), amount="20000", start=start)
    login(client, make_user(Role.CHAIR))
    response = client.post(
        f"/decisions/proposals/{proposal.id}/award", data={"award-amount": "20000"}
    )
    assert response.status_code == 400
    assert "cannot be used for a grant" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Decision.id))) == 0
    assert db.session.scalar(select(func.count(Grant.id))) == 0
    assert db.session.get(Proposal, proposal.id).state == "reviewed"


def test_a_proposal_with_a_real_start_date_is_still_awarded(client):
    proposal = make_reviewed(make_rubric_call(), amount="20000", start=TODAY + timedelta(30))
    login(client, make_user(Role.CHAIR))
    response = client.post(
        f"/decisions/proposals/{proposal.id}/award",
        data={"award-amount": "20000", "confirmed": "1"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Grant.id))) == 1


# --- every other date people type: a field error, nothing saved ------------------------------


def call_dates(client, field):
    login(client, make_user(Role.ADMIN))
    data = call_form(timezone="America/New_York")  # behind UTC: year 9999 would overflow
    return "/calls/new", lambda value: {**data, field: f"{value}T23:59"}, Call, None


def review_due_date(client, field):
    proposal = make_in_review(make_review_call())
    make_user(Role.REVIEWER)
    reviewer = make_user(Role.REVIEWER)
    login(client, make_user(Role.ADMIN))
    url = f"/screening/proposals/{proposal.id}/assignments"
    return url, lambda value: {"reviewer_id": str(reviewer.id), "due_on": value}, Review, None


def payment_date(client, field):
    world = build_grant()
    world.final.state = "accepted"
    db.session.commit()
    tranche = world.grant.tranches[1]
    login(client, world.admin)
    form = {"amount": "2000", "payment_reference": "TX-2"}

    def data(value):
        return {f"tranche{tranche.id}-{k}": v for k, v in {**form, "paid_on": value}.items()}

    url = f"/grants/{world.grant.id}/tranches/{tranche.id}/payment"
    return url, data, Tranche, lambda: db.session.get(Tranche, tranche.id).paid_on


def policy_review_date(client, field):
    member = make_user()
    organisation = make_organisation(member)
    login(client, member)
    form = {"name": organisation.name, "country_code": "UG", "org_type": "ngo"}
    form["budget_band"] = "under_50k"
    return (
        f"/organisations/{organisation.id}/edit",
        lambda value: {**form, field: value},
        Organisation,
        lambda: db.session.get(Organisation, organisation.id).safeguarding_review_date,
    )


DATE_FIELDS = {
    "call opens": (call_dates, "opens_at"),
    "call closes": (call_dates, "closes_at"),
    "review due date": (review_due_date, "due_on"),
    "payment date": (payment_date, "paid_on"),
    "safeguarding policy reviewed": (policy_review_date, "safeguarding_review_date"),
}


@pytest.mark.parametrize("name", DATE_FIELDS)
def test_a_date_far_from_today_is_refused_where_it_is_typed(client, name):
    build, field = DATE_FIELDS[name]
    url, data, model, saved = build(client, field)
    count = db.session.scalar(select(func.count()).select_from(model))
    before = saved() if saved else None
    for value in ["9999-12-31", "0001-01-01"]:
        response = client.post(url, data=data(value))
        assert response.status_code == 400, value
        assert "Give a date between" in response.get_data(as_text=True), value
        assert db.session.scalar(select(func.count()).select_from(model)) == count
        assert (saved() if saved else None) == before
