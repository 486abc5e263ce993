"""The proposal form: who may edit it, "Save draft" however incomplete, and shape checks that
refuse bad input with a clear 400 while keeping both what was saved and what was typed."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import Role
from fund.rules.limits import TEXT_FIELDS
from tests.conftest import login, make_call, make_organisation, make_proposal, make_user
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)

SCRIPT = '<script>alert("x")</script><b onmouseover="steal()">bold</b> & more'
ESCAPED = (
    "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b onmouseover=&#34;steal()&#34;"
    "&gt;bold&lt;/b&gt; &amp; more"
)


def edit_url(proposal) -> str:
    return f"/proposals/{proposal.id}/edit"


# --- access -----------------------------------------------------------------------------------


def test_a_member_sees_the_form(client, member, draft):
    """A member of the applicant organisation gets the form, in its sections."""
    login(client, member)
    response = client.get(edit_url(draft))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for legend in (
        "Summary",
        "INSPIRE strategies addressed",
        "Target groups",
        "Activities and timeline",
        "Expected results and how they will be measured",
        "Start date and duration",
        "Budget",
        "Child safeguarding",
        "Attachments",
    ):
        assert f"<legend>{legend}</legend>" in page
    assert '<fieldset id="countries"' in page
    assert "<legend>Countries of implementation</legend>" in page
    assert 'data-limit="1500"' in page and 'data-counter-for="summary"' in page
    assert 'name="lock_version" type="hidden" value="1"' in page
    assert re.search(r'<script src="/static/proposal\.[0-9a-f]{12}\.js" defer></script>', page)


@pytest.mark.parametrize(
    "roles",
    [(Role.APPLICANT,), (Role.REVIEWER,), (Role.CHAIR,), (Role.ADMIN,)],
    ids=["other organisation", "reviewer", "chair", "admin"],
)
def test_nobody_outside_the_organisation_can_edit(client, draft, roles):
    """Members of other organisations, reviewers, chairs and admins get 404 on GET and POST,
    and the draft is unchanged."""
    outsider = make_user(*roles)
    make_organisation(outsider)
    login(client, outsider)
    assert client.get(edit_url(draft)).status_code == 404
    response = client.post(edit_url(draft), data=form_data(draft, title="Taken over"))
    assert response.status_code == 404
    assert (draft.title, draft.lock_version) == ("Safe schools", 1)
    assert (
        client.post(
            f"/proposals/{draft.id}/autosave", data=form_data(draft, title="Taken over")
        ).status_code
        == 404
    )
    assert draft.title == "Safe schools"


def test_an_anonymous_visitor_is_sent_to_log_in(client, draft):
    """GET of the form without a session redirects to the login page, back to the form after."""
    response = client.get(edit_url(draft))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize("state", ["submitted", "in_review", "withdrawn", "awarded"])
def test_a_proposal_past_drafting_cannot_be_edited(client, member, organisation, state):
    """Once submitted (or later) the form is gone, even for members, and a save changes nothing."""
    proposal = make_proposal(organisation, state=state)
    login(client, member)
    assert client.get(edit_url(proposal)).status_code == 404
    response = client.post(edit_url(proposal), data=form_data(proposal, title="Late"))
    assert response.status_code == 404
    assert proposal.title == "Safe schools"


def test_a_proposal_under_revision_can_be_edited(client, member, organisation):
    """A revision request opens the form again."""
    proposal = make_proposal(organisation, state="revision_requested")
    login(client, member)
    assert client.get(edit_url(proposal)).status_code == 200


# --- saving -----------------------------------------------------------------------------------


def test_an_incomplete_draft_is_saved(client, member, draft):
    """Only a title: the save goes through, bumps the version and records who and when."""
    before = draft.updated_at
    login(client, member)
    response = client.post(edit_url(draft), data={"lock_version": "1", "title": "Working title"})
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(draft)
    assert draft.title == "Working title"
    assert draft.lock_version == 2
    assert draft.updated_by_id == member.id
    assert draft.updated_at >= before
    assert draft.amount_requested == Decimal("0")
    assert "Draft saved at" in client.get(edit_url(draft)).get_data(as_text=True)


def test_a_full_draft_is_saved_and_its_total_is_the_amount_requested(client, member, draft):
    """Every field is stored; the amount requested is the exact sum of the lines."""
    login(client, member)
    data = form_data(
        draft,
        lines=[
            ("personnel", "Facilitators", "0.10"),
            ("activities", "Sessions", "0.20"),
            ("travel", "Buses", "14999.70"),
        ],
        title="Safe schools, safe homes",
        summary="Parents and teachers.",
        strategies=["parent_support", "education"],
        countries=["UG", "KE"],
        **{STANDARD_TEXT_IDS["activities"]: "Sessions", STANDARD_TEXT_IDS["timeline"]: "Months"},
        start_date="2027-09-01",
        duration_months="12",
    )
    assert client.post(edit_url(draft), data=data).status_code == 302
    assert draft.summary == "Parents and teachers."
    assert draft.strategies == ["parent_support", "education"]
    assert draft.countries == ["UG", "KE"]
    assert draft.planned_activities == "Sessions"
    assert draft.answers[STANDARD_TEXT_IDS["timeline"]] == "Months"
    assert (draft.start_date, draft.duration_months) == (date(2027, 9, 1), 12)
    assert [(line.position, line.category, line.amount) for line in draft.budget_lines] == [
        (0, "personnel", Decimal("0.10")),
        (1, "activities", Decimal("0.20")),
        (2, "travel", Decimal("14999.70")),
    ]
    assert draft.amount_requested == Decimal("15000.00")
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert (
        '<output id="budget-total" aria-live="polite" data-currency="USD">$15,000.00</output>'
    ) in page


def test_new_lines_end_up_in_windows_style_and_are_stored_as_one_character(client, member, draft):
    """A browser sends CRLF; the limit counts it as one character, as the page's counter does."""
    login(client, member)
    client.post(edit_url(draft), data=form_data(draft, summary="one\r\ntwo"))
    assert draft.summary == "one\ntwo"


def test_html_and_script_are_stored_as_typed_and_shown_escaped(client, member, draft):
    """Markup in every text field is kept exactly and never reaches the page as markup."""
    login(client, member)
    data = form_data(
        draft, lines=[("other", SCRIPT, "1")], **{name: SCRIPT for name in TEXT_FIELDS}
    )
    assert client.post(edit_url(draft), data=data).status_code == 302
    for name in TEXT_FIELDS:
        assert getattr(draft, name) == SCRIPT
    assert draft.budget_lines[0].description == SCRIPT
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert page.count(ESCAPED) >= len(TEXT_FIELDS) + 1


def saved_state(proposal) -> tuple:
    db.session.refresh(proposal)
    return (
        proposal.title,
        proposal.summary,
        proposal.lock_version,
        proposal.amount_requested,
        [(line.description, line.amount) for line in proposal.budget_lines],
        proposal.start_date,
        proposal.duration_months,
        proposal.strategies,
        proposal.countries,
    )


@pytest.fixture
def saved_draft(client, member, draft):
    """A draft with content saved through the form (version 2), the member logged in."""
    login(client, member)
    data = form_data(
        draft,
        lines=[("personnel", "Facilitators", "1000")],
        summary="Saved summary",
        strategies=["education"],
        countries=["UG"],
        start_date="2027-09-01",
        duration_months="12",
    )
    assert client.post(edit_url(draft), data=data).status_code == 302
    return draft


BAD_INPUT = {
    "title too long": ({"title": "x" * 201}, "Use at most 200 characters."),
    "summary too long": ({"summary": "x" * 1501}, "Use at most 1500 characters."),
    "activities too long": (
        {STANDARD_TEXT_IDS["activities"]: "x" * 4001},
        "Use at most 4000 characters",
    ),
    "no title": ({"title": ""}, "Give the proposal a title"),
    "control character": ({"summary": "bad\x00text"}, "invisible control characters"),
    "negative amount": ({"budget_lines-0-amount": "-5"}, "An amount cannot be negative."),
    "non-numeric amount": (
        {"budget_lines-0-amount": "12abc"},
        "Write the amount with digits and a point for decimals",
    ),
    "amount with a comma": (
        {"budget_lines-0-amount": "1,500"},
        "Write the amount with digits and a point for decimals",
    ),
    "NaN amount": ({"budget_lines-0-amount": "NaN"}, "Write the amount with digits"),
    "infinite amount": ({"budget_lines-0-amount": "Infinity"}, "Write the amount with digits"),
    "huge amount": ({"budget_lines-0-amount": "1e400"}, "Write the amount with digits"),
    "amount above a line's limit": (
        {"budget_lines-0-amount": "1000000000.01"},
        "One line can be at most",
    ),
    "three decimals": ({"budget_lines-0-amount": "10.125"}, "Use at most two decimals."),
    "unknown category": ({"budget_lines-0-category": "bribes"}, "Choose one of the categories"),
    "line description too long": (
        {"budget_lines-0-description": "x" * 301},
        "Use at most 300 characters.",
    ),
    "unknown strategy": (
        {"strategies": ["magic"]},
        "magic is not one of the strategies this call covers.",
    ),
    "unknown country": ({"countries": ["UG", "ZZ"]}, "ZZ is not a country code we know."),
    "bad date": ({"start_date": "2027-13-45"}, "Give the date as year-month-day"),
    "words for a date": ({"start_date": "next spring"}, "Give the date as year-month-day"),
    "words for a duration": ({"duration_months": "twelve"}, "Give a whole number"),
    "zero months": ({"duration_months": "0"}, "Give a duration between 1 and 60 months."),
    "too many months": ({"duration_months": "61"}, "Give a duration between 1 and 60 months."),
    "lost version": ({"lock_version": "abc"}, "The form has lost its version number."),
}


@pytest.mark.parametrize("overrides, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_and_nothing_saved_is_lost(client, saved_draft, overrides, message):
    """Each bad value: 400, the message next to the field and in the summary, the typed text
    still in the form, and the saved draft exactly as it was."""
    before = saved_state(saved_draft)
    data = form_data(saved_draft, summary="Typed but not saved yet")
    data.update(overrides)
    response = client.post(edit_url(saved_draft), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'class="error-summary"' in page
    if "summary" not in overrides:
        assert "Typed but not saved yet" in page
    assert saved_state(saved_draft) == before


def test_a_strategy_outside_the_call_scope_is_refused(client, member, organisation):
    """A real INSPIRE strategy the call does not cover is refused like an unknown one."""
    call = make_call()
    call.strategies = ["education", "parent_support"]
    db.session.commit()
    proposal = make_proposal(organisation, call)
    login(client, member)
    page = client.get(edit_url(proposal)).get_data(as_text=True)
    assert 'value="laws"' not in page and 'value="education"' in page
    response = client.post(edit_url(proposal), data=form_data(proposal, strategies=["laws"]))
    assert response.status_code == 400
    assert "laws is not one of the strategies this call covers." in response.get_data(as_text=True)
    assert proposal.strategies == [] and proposal.lock_version == 1


def test_typed_values_come_back_as_typed(client, saved_draft):
    """After a refusal the form shows the bad amount and the other rows exactly as typed."""
    data = form_data(saved_draft, lines=[("travel", "Buses", "12abc"), ("other", "Tea", "7.5")])
    page = client.post(edit_url(saved_draft), data=data).get_data(as_text=True)
    assert 'value="12abc"' in page
    assert 'value="Buses"' in page and 'value="7.5"' in page
    assert '<option selected value="travel">' in page


def test_too_many_budget_lines_are_refused(client, saved_draft):
    """More lines than the limit: 400, and the saved budget stays."""
    lines = [("other", f"Line {n}", "1") for n in range(41)]
    response = client.post(edit_url(saved_draft), data=form_data(saved_draft, lines=lines))
    assert response.status_code == 400
    assert "A budget can have at most 40 lines." in response.get_data(as_text=True)
    assert len(saved_draft.budget_lines) == 1
