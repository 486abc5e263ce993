"""The secretariat's screening list: filters, pagination, CSV, screen in and out."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Role
from tests.conftest import (
    count_queries,
    login,
    make_grant,
    make_organisation,
    make_proposal,
    make_user,
    outbox,
)
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


@pytest.fixture
def admin(ctx):
    return make_user(Role.ADMIN)


def test_the_list_filters_by_country_strategy_and_state(client, admin):
    call = make_rubric_call()
    make_in_review(call, title="Uganda laws", state="submitted", strategies=["laws"])
    make_in_review(
        call,
        title="Kenya norms",
        country_code="KE",
        state="submitted",
        strategies=["norms", "education"],
    )
    make_in_review(call, title="Kenya laws in review", country_code="KE", strategies=["laws"])
    make_in_review(call, title="Draft", state="draft")
    login(client, admin)

    def titles(**args) -> set[str]:
        page = client.get(f"/screening/calls/{call.id}", query_string=args)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return {
            t for t in ("Uganda laws", "Kenya norms", "Kenya laws in review", "Draft") if t in text
        }

    assert titles() == {"Uganda laws", "Kenya norms", "Kenya laws in review"}
    assert titles(country="KE") == {"Kenya norms", "Kenya laws in review"}
    assert titles(strategy="laws") == {"Uganda laws", "Kenya laws in review"}
    assert titles(state="submitted", country="KE") == {"Kenya norms"}


@pytest.mark.parametrize(
    "args",
    [
        {"state": "bogus"},
        {"country": "XX"},
        {"strategy": "%"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "10000000000"},
    ],
)
def test_bad_filters_get_400(client, admin, args):
    call = make_rubric_call()
    login(client, admin)
    assert client.get(f"/screening/calls/{call.id}", query_string=args).status_code == 400


def test_the_csv_has_the_filtered_rows(client, admin):
    call = make_rubric_call()
    make_in_review(call, title="=HYPERLINK(evil)", state="submitted")
    make_in_review(call, title="Kenya", country_code="KE", state="submitted")
    login(client, admin)
    response = client.get(
        f"/screening/calls/{call.id}/proposals.csv", query_string={"country": "UG"}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Reference", "Title", "Organisation"]
    assert len(rows) == 2 and rows[1][1] == "'=HYPERLINK(evil)"


def test_screen_in_moves_to_in_review_and_opens_assignment(client, admin):
    proposal = make_in_review(make_rubric_call(), state="submitted")
    login(client, admin)
    response = client.post(f"/screening/proposals/{proposal.id}/screen-in", data={"confirmed": "1"})
    assert response.headers["Location"] == f"/screening/proposals/{proposal.id}/assignments"
    assert proposal.state == "in_review"


def test_screen_out_needs_a_reason_and_mails_it_to_the_applicant(client, admin):
    member = make_user(Role.APPLICANT)
    proposal = make_in_review(make_rubric_call(), make_organisation(member), state="submitted")
    login(client, admin)
    assert client.get(f"/screening/proposals/{proposal.id}/screen-out").status_code == 200
    response = client.post(f"/screening/proposals/{proposal.id}/screen-out", data={"reason": "  "})
    assert response.status_code == 400 and proposal.state == "submitted"
    response = client.post(
        f"/screening/proposals/{proposal.id}/screen-out",
        data={"reason": "Registered in a high-income country.", "confirmed": "1"},
    )
    assert response.headers["Location"] == f"/screening/calls/{proposal.call_id}"
    assert proposal.state == "ineligible"
    [mail] = outbox(event="proposal_screened_out")
    assert mail.recipient == member.email
    assert "Registered in a high-income country." in mail.body_text
    assert (
        db.session.scalar(select(AuditEvent.comment).where(AuditEvent.action == "screen_out"))
        == "Registered in a high-income country."
    )


@pytest.mark.parametrize("state", ["draft", "in_review", "ineligible"])
def test_screening_a_proposal_not_submitted_is_refused_with_409(client, admin, state):
    proposal = make_in_review(make_rubric_call(), state=state)
    login(client, admin)
    assert client.post(f"/screening/proposals/{proposal.id}/screen-in").status_code == 409
    assert proposal.state == state


def _fill(call, n: int) -> None:
    reviewers = [make_user(Role.REVIEWER) for _ in range(2)]
    for i in range(n):
        proposal = make_in_review(call, title=f"Proposal {i}", country_code="KE" if i % 2 else "UG")
        for reviewer in reviewers:
            assign(proposal, reviewer)


def test_the_screening_list_makes_the_same_number_of_queries_for_more_data(client, admin):
    """Queries on the list page do not grow with proposals or reviews (no N+1).

    Both sizes fill more than one page, so the pager's count query runs in both."""
    call = make_rubric_call()
    _fill(call, 55)
    page, csv = f"/screening/calls/{call.id}", f"/screening/calls/{call.id}/proposals.csv"
    login(client, admin)
    client.get(page)
    with count_queries() as small:
        assert client.get(page).status_code == 200
    _fill(call, 60)
    with count_queries() as large:
        assert client.get(page).status_code == 200
    assert len(large) == len(small)
    with count_queries() as csv_large:
        client.get(csv)
    _fill(call, 5)
    with count_queries() as csv_larger:
        client.get(csv)
    assert len(csv_large) == len(csv_larger)


def test_reference_and_title_link_to_the_proposal_the_list_asks_to_screen(client, admin):
    """Staff reach the proposal from its row: its reference and title both lead to it."""
    call = make_rubric_call()
    proposal = make_in_review(call, title="Safe schools in Gulu", state="submitted")
    login(client, admin)
    page = client.get(f"/screening/calls/{call.id}").get_data(as_text=True)
    target = f'<a href="/proposals/{proposal.id}">'
    assert f"{target}{proposal.reference}</a>" in page
    assert f"{target}Safe schools in Gulu</a>" in page
    assert client.get(f"/proposals/{proposal.id}").status_code == 200


@pytest.mark.parametrize("page", ["list", "assignments", "screen_out", "grant"])
def test_the_page_title_is_text_and_the_confirmation_script_loads_once(client, admin, page):
    """The confirmation script is loaded from the page's body, not written into its <title>,
    whose text the browser (and a screen reader) shows as it is, tags included."""
    call = make_rubric_call()
    proposal = make_in_review(call, state="submitted")
    urls = {
        "list": f"/screening/calls/{call.id}",
        "assignments": f"/screening/proposals/{proposal.id}/assignments",
        "screen_out": f"/screening/proposals/{proposal.id}/screen-out",
    }
    if page == "grant":
        awarded = make_proposal(proposal.organisation, call, state="awarded")
        urls["grant"] = f"/grants/{make_grant(awarded).id}"
    login(client, admin)
    html = client.get(urls[page]).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert "<" not in title and title.endswith(" · INSPIRE Fund")
    assert html.count('src="/static/confirm.') == 1
