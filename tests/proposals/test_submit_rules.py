"""Every submit rule, one test each, with the message the applicant sees; and the deadline to
the second on the server's clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from fund import clock
from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import BudgetLine, ProposalState, ProposalVersion
from tests.conftest import login, make_call, make_organisation, make_user, outbox
from tests.proposals.submitting import (
    a_member,
    at,
    complete_proposal,
    load_income_groups,
    policy_file,
)


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def refused(client, proposal, *messages: str) -> str:
    """Submit as a member; assert a 400 listing every message, and nothing submitted."""
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "The proposal cannot be submitted yet" in page
    for message in messages:
        assert message in page
    assert proposal.state == ProposalState.DRAFT
    assert proposal.reference is None
    assert db.session.query(ProposalVersion).count() == 0
    assert outbox() == []
    return page


def accepted(client, proposal) -> None:
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert proposal.state == ProposalState.SUBMITTED


def change(proposal, **values):
    for name, value in values.items():
        setattr(proposal, name, value)
    db.session.commit()
    return proposal


# --- the deadline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(timedelta(seconds=-1), True), (timedelta(0), False), (timedelta(seconds=1), False)],
    ids=["one-second-before", "exactly-at-closing", "one-second-after"],
)
def test_the_closing_time_is_enforced_to_the_second(client, monkeypatch, offset, allowed):
    """One second before closes_at is accepted; at closes_at and after, refused."""
    proposal = complete_proposal()
    monkeypatch.setattr(clock, "now", at(proposal.call.closes_at + offset))
    if allowed:
        accepted(client, proposal)
    else:
        refused(client, proposal, "The call closed on", "can no longer be submitted")


def test_a_call_not_yet_open_refuses(client, monkeypatch):
    proposal = complete_proposal()
    monkeypatch.setattr(clock, "now", at(proposal.call.opens_at - timedelta(seconds=1)))
    refused(client, proposal, "The call is not open yet")


def test_an_unpublished_call_refuses(client):
    proposal = complete_proposal()
    change(proposal.call, published_at=None)
    refused(client, proposal, "The call is not open yet")


# --- completeness -----------------------------------------------------------------------------

EMPTY = [
    ("title", "", "Give the proposal a title."),
    ("summary", "  ", "Write a summary of the proposal."),
    ("strategies", [], "Choose at least one of the INSPIRE strategies this call covers."),
    ("countries", [], "Choose at least one country of implementation."),
    ("start_date", None, "Give the start date."),
    ("duration_months", None, "Give the duration in months."),
]


@pytest.mark.parametrize(("field", "empty", "message"), EMPTY, ids=[e[0] for e in EMPTY])
def test_each_required_field_must_be_filled_in(client, field, empty, message):
    """The message names what to do, and links to the field on the edit page when it exists."""
    proposal = complete_proposal()
    page = refused(client, change(proposal, **{field: empty}), message)
    assert page.count("<li>") >= 1


@pytest.mark.parametrize("name", list(STANDARD_TEXT_IDS))
def test_each_long_text_of_the_standard_form_must_be_answered(client, name):
    """The five texts are required questions of the standard form: the submit page names the
    question left empty."""
    proposal = complete_proposal()
    answers = dict(proposal.answers)
    del answers[STANDARD_TEXT_IDS[name]]
    page = refused(client, change(proposal, answers=answers), "Answer this question.")
    assert f'#{STANDARD_TEXT_IDS[name]}"' in page


def test_at_least_one_budget_line(client):
    proposal = complete_proposal()
    proposal.budget_lines = []
    change(proposal, amount_requested=Decimal("0"))
    refused(client, proposal, "Add at least one budget line.")


def test_a_strategy_outside_the_calls_scope_is_refused(client):
    """The call covers only laws and norms; the proposal chose others."""
    call = make_call()
    change(call, strategies=["laws", "norms"])
    proposal = complete_proposal(call=call)
    refused(
        client,
        proposal,
        "This call does not cover: Parent and caregiver support",
        "Choose at least one of the INSPIRE strategies this call covers.",
    )


def test_a_safeguarding_policy_is_needed(client):
    proposal = complete_proposal(policy=False)
    refused(client, proposal, "Upload your child-safeguarding policy")


def test_a_policy_uploaded_with_the_proposal_is_enough(client):
    proposal = complete_proposal(policy=False)
    change(proposal, safeguarding_file_id=policy_file(proposal.organisation_id).id)
    accepted(client, proposal)
    assert proposal.versions[0].content["safeguarding"]["source"] == "proposal"


def test_text_over_its_limit_is_refused(client):
    proposal = complete_proposal()
    refused(client, change(proposal, summary="x" * 5000), "Shorten this to")


def test_a_standard_long_text_over_its_limit_is_refused(client):
    proposal = complete_proposal()
    answers = {**proposal.answers, STANDARD_TEXT_IDS["activities"]: "x" * 5000}
    refused(client, change(proposal, answers=answers), "Use at most 4000 characters")


# --- eligibility ------------------------------------------------------------------------------


def test_an_organisation_in_a_high_income_country_is_not_eligible(client):
    """The organisation's country (France, high income) is checked at submission too."""
    member = make_user()
    proposal = complete_proposal(make_organisation(member, country_code="FR"))
    refused(client, proposal, "Organisations registered in France", "are not eligible")


def test_an_organisation_type_outside_the_call_is_not_eligible(client):
    member = make_user()
    proposal = complete_proposal(make_organisation(member, org_type="government"))
    refused(client, proposal, "This call is open only to")


def test_each_country_of_implementation_must_be_eligible(client):
    """Work in Kenya (LMC) is fine; in the United States (HIC) it is not."""
    proposal = complete_proposal()
    refused(
        client,
        change(proposal, countries=["KE", "US"]),
        "United States (high income in FY2027) is not eligible under this call",
    )


def test_an_unclassified_country_follows_the_calls_policy(client):
    """Countries the list does not classify are refused unless the call accepts them."""
    proposal = complete_proposal()
    change(proposal, countries=["AQ"])  # Antarctica: in ISO 3166, not in the World Bank list
    refused(client, proposal, "is not classified by the World Bank in FY2027")


def test_unclassified_countries_are_accepted_when_the_call_says_so(client):
    proposal = complete_proposal()
    change(proposal.call, unclassified_eligible=True)
    change(proposal, countries=["AQ"])
    accepted(client, proposal)


# --- money and time ---------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["4999.99", "50000.01"], ids=["below-minimum", "above-maximum"])
def test_the_amount_must_be_within_the_calls_limits(client, amount):
    """The call awards 5,000 to 50,000 USD."""
    proposal = complete_proposal(amount=Decimal(amount))
    refused(client, proposal, "this call awards between $5,000.00 and $50,000.00")


@pytest.mark.parametrize("amount", ["5000.00", "50000.00"], ids=["minimum", "maximum"])
def test_the_limits_themselves_are_allowed(client, amount):
    accepted(client, complete_proposal(amount=Decimal(amount)))


def test_the_amount_must_equal_the_budget_total(client):
    """The total is recomputed from the lines, not trusted from the stored amount."""
    proposal = complete_proposal()
    proposal.budget_lines.append(
        BudgetLine(position=3, category="travel", description="Bus", amount=Decimal("500"))
    )
    db.session.commit()
    refused(client, proposal, "is not the total of the budget lines ($20,500.00)")


def test_the_duration_must_be_allowed(client):
    """The call funds at most 18 months."""
    refused(
        client,
        change(complete_proposal(), duration_months=24),
        "this call funds projects of at most 18 months",
    )


def test_the_submitters_email_must_be_verified(client):
    member = make_user(verified=False)
    proposal = complete_proposal(make_organisation(member))
    refused(client, proposal, "Your e-mail address is not verified yet")


# --- all at once ------------------------------------------------------------------------------


def test_every_problem_is_listed_at_once(client, monkeypatch):
    """An empty draft to a closed call, by an unverified member: one answer lists them all."""
    member = make_user(verified=False)
    proposal = complete_proposal(make_organisation(member), policy=False)
    change(proposal, summary="", countries=[], duration_months=30)
    monkeypatch.setattr(clock, "now", at(proposal.call.closes_at))
    refused(
        client,
        proposal,
        "The call closed on",
        "Write a summary of the proposal.",
        "Choose at least one country of implementation.",
        "at most 18 months",
        "Upload your child-safeguarding policy",
        "Your e-mail address is not verified yet",
    )


def test_problems_link_to_their_field_on_the_edit_page(client, app):
    if "proposals.edit" not in app.view_functions:
        pytest.skip("the edit page is not built yet")
    proposal = change(complete_proposal(), summary="")
    page = refused(client, proposal, "Write a summary")
    assert f'/proposals/{proposal.id}/edit#summary"' in page


def test_html_in_the_content_is_shown_escaped(client):
    """A script typed into the title is shown as text on the refusal page."""
    proposal = change(complete_proposal(), title="<script>alert(1)</script>", summary="")
    page = refused(client, proposal)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
