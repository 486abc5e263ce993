"""Eligibility: the organisation's country and type and the call's dates, checked before a
proposal is started; an ineligible organisation is told exactly why and nothing is created."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fund.extensions import db
from fund.income_groups import income_group_for
from fund.models import AuditEvent, Proposal, Role
from fund.models.base import utcnow
from fund.proposals.eligibility import eligibility_problems
from tests.conftest import login, make_call, make_organisation, make_user
from tests.proposals.drafting import incomes  # noqa: F401  (fixture)

CHILE = (
    "Organisations registered in Chile (high income in FY2027) are not eligible for this "
    "call: it is open to low, lower-middle and upper-middle income countries."
)


def proposals() -> list[Proposal]:
    return list(db.session.scalars(db.select(Proposal)))


@pytest.mark.parametrize("country", ["UG", "KE", "BR"], ids=["LIC", "LMC", "UMC"])
def test_low_and_middle_income_countries_are_eligible(incomes, country):
    """An NGO registered in a LIC, LMC or UMC country may apply to a default call."""
    organisation = make_organisation(make_user(), country_code=country)
    assert eligibility_problems(organisation, make_call()) == []


def test_a_high_income_country_is_refused_with_the_reason(incomes):
    """Chile (HIC) is refused, naming the group, the fiscal year and the groups the call takes."""
    organisation = make_organisation(make_user(), country_code="CL")
    assert eligibility_problems(organisation, make_call()) == [CHILE]


def test_a_call_open_to_high_income_countries_accepts_them(incomes):
    """The call's list of income groups decides, not a fixed rule."""
    call = make_call()
    call.eligible_income_groups = ["LIC", "LMC", "UMC", "HIC"]
    db.session.commit()
    organisation = make_organisation(make_user(), country_code="CL")
    assert eligibility_problems(organisation, call) == []


@pytest.mark.parametrize("unclassified_eligible", [True, False])
def test_unclassified_economies_follow_the_call_policy(incomes, unclassified_eligible):
    """Venezuela (unclassified) is eligible exactly when the call says unclassified ones are."""
    call = make_call()
    call.unclassified_eligible = unclassified_eligible
    db.session.commit()
    organisation = make_organisation(make_user(), country_code="VE")
    problems = eligibility_problems(organisation, call)
    if unclassified_eligible:
        assert problems == []
    else:
        assert problems == [
            "Organisations registered in Venezuela (not classified by the World Bank in FY2027) "
            "are not eligible for this call: it is open only to low, lower-middle and "
            "upper-middle income countries."
        ]


@pytest.mark.parametrize("unclassified_eligible", [True, False])
def test_a_country_missing_from_the_list_counts_as_unclassified(incomes, unclassified_eligible):
    """A country no list knows (Antarctica) follows the policy for unclassified economies."""
    assert income_group_for("AQ", "FY2027") is None
    call = make_call()
    call.unclassified_eligible = unclassified_eligible
    db.session.commit()
    organisation = make_organisation(make_user(), country_code="AQ")
    assert (eligibility_problems(organisation, call) == []) is unclassified_eligible


def test_the_fiscal_year_of_the_call_is_used(incomes):
    """A call judged on a fiscal year with no list loaded treats every country as unclassified."""
    call = make_call()
    call.fiscal_year = "FY2031"
    db.session.commit()
    organisation = make_organisation(make_user(), country_code="UG")
    assert "FY2031" in eligibility_problems(organisation, call)[0]


def test_an_organisation_type_outside_the_call_is_refused(incomes):
    """A government body is refused by a call open only to civil society, which is named."""
    organisation = make_organisation(make_user(), org_type="government", name="Ministry")
    assert eligibility_problems(organisation, make_call()) == [
        "Ministry is registered as: Government body. This call is open only to: "
        "Non-governmental organisation, Community-based organisation, Faith-based organisation, "
        "Academic or research institution, Other."
    ]


def test_a_closed_call_is_refused(incomes):
    """Once the call has closed no proposal can be started."""
    organisation = make_organisation(make_user())
    [problem] = eligibility_problems(organisation, make_call(open_now=False))
    assert problem.startswith("This call closed on ")


def test_an_unpublished_call_is_refused(incomes):
    """A call that is not published yet cannot take proposals."""
    call = make_call()
    call.published_at = None
    db.session.commit()
    assert eligibility_problems(make_organisation(make_user()), call) == [
        "This call is not published yet, so proposals cannot be started."
    ]


def test_a_published_call_not_yet_open_accepts_drafts(incomes):
    """Drafting may begin as soon as the call is published, before it opens for submission."""
    call = make_call()
    call.opens_at = utcnow() + timedelta(days=2)
    db.session.commit()
    assert eligibility_problems(make_organisation(make_user()), call) == []


def test_every_problem_is_listed_at_once(incomes):
    """A closed call, a HIC country and a wrong type: three reasons, not just the first."""
    organisation = make_organisation(make_user(), country_code="CL", org_type="government")
    assert len(eligibility_problems(organisation, make_call(open_now=False))) == 3


# --- starting a proposal ----------------------------------------------------------------------


def test_an_eligible_member_starts_a_draft(client, incomes):
    """The draft is created with its title, by the member, and the member lands on the form."""
    user = make_user()
    organisation = make_organisation(user)
    call = make_call()
    login(client, user)
    response = client.post(
        "/proposals/start",
        data={"call_id": call.id, "organisation_id": organisation.id, "title": "Safe schools"},
    )
    [proposal] = proposals()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit"
    assert (proposal.title, proposal.state, proposal.lock_version) == ("Safe schools", "draft", 1)
    assert proposal.created_by_id == user.id
    assert proposal.organisation_id == organisation.id and proposal.call_id == call.id
    assert (
        db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.subject_type == "proposal"))
        == "start"
    )


def test_an_ineligible_organisation_is_told_why_and_nothing_is_created(client, incomes):
    """A 400 page lists every reason; no proposal exists afterwards."""
    user = make_user()
    organisation = make_organisation(user, country_code="CL")
    login(client, user)
    response = client.post(
        "/proposals/start",
        data={
            "call_id": make_call().id,
            "organisation_id": organisation.id,
            "title": "Safe schools",
        },
    )
    assert response.status_code == 400
    assert CHILE in response.get_data(as_text=True)
    assert proposals() == []


def test_a_title_is_needed_to_start(client, incomes):
    """Without a title the start form comes back with the message, and nothing is created."""
    user = make_user()
    organisation = make_organisation(user)
    login(client, user)
    response = client.post(
        "/proposals/start",
        data={"call_id": make_call().id, "organisation_id": organisation.id, "title": " "},
    )
    assert response.status_code == 400
    assert "Give the proposal a title" in response.get_data(as_text=True)
    assert proposals() == []


def test_nobody_starts_a_proposal_for_another_organisation(client, incomes):
    """Naming an organisation one does not belong to is a 404, and nothing is created."""
    user = make_user()
    make_organisation(user)
    other = make_organisation(make_user())
    login(client, user)
    response = client.post(
        "/proposals/start",
        data={"call_id": make_call().id, "organisation_id": other.id, "title": "Safe schools"},
    )
    assert response.status_code == 404
    assert proposals() == []


@pytest.mark.parametrize(
    "roles, has_organisation",
    [
        ((Role.APPLICANT,), False),
        ((Role.REVIEWER,), True),
        ((Role.ADMIN,), False),
    ],
)
def test_only_applicants_with_an_organisation_can_start(client, incomes, roles, has_organisation):
    """An applicant without an organisation, a reviewer or an admin gets 403 and no draft."""
    user = make_user(*roles)
    organisation = make_organisation(user) if has_organisation else make_organisation(make_user())
    login(client, user)
    response = client.post(
        "/proposals/start",
        data={
            "call_id": make_call().id,
            "organisation_id": organisation.id,
            "title": "Safe schools",
        },
    )
    assert response.status_code == 403
    assert proposals() == []


def test_an_unknown_or_unpublished_call_is_not_found(client, incomes):
    """Starting on a call id that does not exist, or is not published, is a 404."""
    user = make_user()
    organisation = make_organisation(user)
    hidden = make_call()
    hidden.published_at = None
    db.session.commit()
    login(client, user)
    for call_id in (hidden.id, 9999):
        response = client.post(
            "/proposals/start",
            data={"call_id": call_id, "organisation_id": organisation.id, "title": "Safe schools"},
        )
        assert response.status_code == 404
        assert client.get(f"/proposals/new?call_id={call_id}").status_code == 404
    assert proposals() == []


def test_the_start_page_explains_eligibility_before_anyone_starts(client, incomes):
    """With one eligible and one ineligible organisation: the reason shows, and the form offers
    only the eligible one."""
    user = make_user()
    eligible = make_organisation(user, name="Safe Childhoods Uganda")
    make_organisation(user, name="Andes Trust", country_code="CL")
    call = make_call()
    login(client, user)
    page = client.get(f"/proposals/new?call_id={call.id}").get_data(as_text=True)
    assert "Andes Trust cannot apply to this call:" in page
    assert CHILE in page
    assert f'name="organisation_id" value="{eligible.id}"' in page
    assert "Applying as Safe Childhoods Uganda." in page
    assert 'action="/proposals/start"' in page


def test_the_start_page_sends_people_without_an_organisation_to_register_one(client, incomes):
    """An applicant with no organisation sees the link to register one, and no form."""
    login(client, make_user())
    page = client.get(f"/proposals/new?call_id={make_call().id}").get_data(as_text=True)
    assert 'href="/organisations/new"' in page
    assert 'action="/proposals/start"' not in page


def test_the_start_page_asks_visitors_to_log_in(client, incomes):
    """An anonymous visitor is sent to log in first."""
    response = client.get(f"/proposals/new?call_id={make_call().id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_the_start_page_gives_the_deadline_in_the_readers_time_zone_and_names_it(client):
    """A deadline of 31 March, 17:00 UTC reads 20:00 in Kampala, and the page says so."""
    user = make_user()
    user.timezone = "Africa/Kampala"
    make_organisation(user)
    call = make_call()
    call.closes_at = datetime(2099, 3, 31, 17, 0, tzinfo=UTC)
    db.session.commit()
    login(client, user)
    page = client.get(f"/proposals/new?call_id={call.id}").get_data(as_text=True)
    assert "Proposals can be submitted until Mar 31, 2099, 8:00:00\u202fPM." in page
    assert "Times are shown in the Africa/Kampala time zone." in page
