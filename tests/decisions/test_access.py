"""Who may open the chairs' pages and take their actions: every route for every role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import Call, Proposal, ProposalState, Role
from tests.conftest import login, make_organisation, make_user
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review

PAGES = [
    "/decisions/",
    "/decisions/calls/{call}",
    "/decisions/calls/{call}/ranking.csv",
    "/decisions/calls/{call}/ranking.xlsx",
    "/decisions/proposals/{proposal}",
]
ACTIONS = [
    ("award", {"amount": "1000"}),
    ("decline", {"reasons": "No."}),
    ("request-revision", {"reasons": "Change it."}),
]


@pytest.fixture
def world(ctx):
    member = make_user(Role.APPLICANT)
    call = make_rubric_call()
    proposal = make_reviewed(call, make_organisation(member), amount="5000")
    reviewer = make_user(Role.REVIEWER)
    review(proposal, reviewer, (3, 3))
    users = {
        "member": member,
        "applicant": make_user(Role.APPLICANT),
        "reviewer": reviewer,
        "admin": make_user(Role.ADMIN),
        "chair": make_user(Role.CHAIR),
        "chair_and_reviewer": make_user(Role.CHAIR, Role.REVIEWER),
    }
    return {"call": call.id, "proposal": proposal.id}, users


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("applicant", 403),
        ("reviewer", 403),
        ("admin", 200),
        ("chair", 200),
        ("chair_and_reviewer", 200),
    ],
)
def test_pages_by_role(client, world, page, who, status):
    """Applicants (even the proposal's own) and reviewers get 403; chairs and the secretariat
    see the pages."""
    ids, users = world
    login(client, users[who])
    assert client.get(page.format(**ids)).status_code == status


@pytest.mark.parametrize("page", PAGES[1:4])
@pytest.mark.parametrize(("who", "status"), [("chair", 404), ("reviewer", 403)])
def test_an_unpublished_or_missing_call_is_not_found(client, world, page, who, status):
    """A call's ranking and its downloads are not found while the call is unpublished, nor for
    a call that does not exist; anyone else is refused before the call is looked up."""
    ids, users = world
    call = db.session.get(Call, ids["call"])
    call.published_at = None
    db.session.commit()
    login(client, users[who])
    assert client.get(page.format(**ids)).status_code == status
    assert client.get(page.format(call=ids["call"] + 1000)).status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, world, page):
    ids, users = world
    response = client.get(page.format(**ids))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("path", "data"), ACTIONS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("applicant", 403),
        ("reviewer", 403),
        ("admin", 403),
        ("chair", 302),
        ("chair_and_reviewer", 302),
    ],
)
@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "first-post"])
def test_only_chairs_decide(client, world, path, data, who, status, confirmed):
    """The same refusals at both steps; a chair's first POST only asks for confirmation."""
    ids, users = world
    login(client, users[who])
    response = decide(client, ids["proposal"], path, confirmed=confirmed, **data)
    assert response.status_code == (status if confirmed or status != 302 else 200)
    state = db.session.scalar(select(Proposal.state).where(Proposal.id == ids["proposal"]))
    assert (state != ProposalState.REVIEWED) is (status == 302 and confirmed)


@pytest.mark.parametrize(("path", "data"), ACTIONS)
@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "first-post"])
def test_anonymous_posts_are_sent_to_log_in(client, world, path, data, confirmed):
    ids, users = world
    response = decide(client, ids["proposal"], path, confirmed=confirmed, **data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_admin_sees_no_decision_buttons_and_the_chair_does(client, world):
    ids, users = world
    login(client, users["admin"])
    html = client.get(f"/decisions/proposals/{ids['proposal']}").get_data(as_text=True)
    assert ">Award<" not in html
    login(client, users["chair"])
    html = client.get(f"/decisions/proposals/{ids['proposal']}").get_data(as_text=True)
    assert ">Award<" in html and ">Decline<" in html and ">Request revision<" in html


def test_the_chairs_nav_link(client, world):
    ids, users = world
    login(client, users["chair"])
    assert 'href="/decisions/"' in client.get("/dashboard").get_data(as_text=True)
    login(client, users["reviewer"])
    assert 'href="/decisions/"' not in client.get("/dashboard").get_data(as_text=True)
