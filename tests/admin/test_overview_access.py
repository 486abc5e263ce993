"""Who sees the overview, the chairs' part, the lists behind them and "Remind now"; bad
filters get a clear 400, never a 500."""

from __future__ import annotations

import pytest

from fund.models import Role
from tests.admin.overview_data import make_review, proposal_in
from tests.conftest import login, make_call, make_user, outbox

PAGES = ["/admin/overview/reviews?when=overdue", "/admin/overview/payments"]
OVERVIEW_SECTIONS = ('id="overview-calls"', 'id="overview-reviews"', 'id="overview-grants"')
CHAIR_SECTIONS = ('id="chair-decisions"', 'id="chair-approvals"')


@pytest.mark.parametrize(
    ("role", "overview", "chair"),
    [
        (Role.ADMIN, True, False),
        (Role.CHAIR, False, True),
        (Role.REVIEWER, False, False),
        (Role.APPLICANT, False, False),
    ],
)
def test_each_role_sees_only_its_part_of_the_dashboard(client, role, overview, chair):
    login(client, make_user(role))
    html = client.get("/dashboard").text
    for marker in OVERVIEW_SECTIONS:
        assert (marker in html) is overview
    for marker in CHAIR_SECTIONS:
        assert (marker in html) is chair


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ["/dashboard", *PAGES]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_admins_open_the_lists(client, path):
    login(client, make_user(Role.ADMIN))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", [Role.CHAIR, Role.REVIEWER, Role.APPLICANT])
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_refused_the_lists(client, path, role):
    login(client, make_user(role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.CHAIR, Role.REVIEWER, Role.APPLICANT])
def test_only_admins_remind(client, role):
    review = make_review(proposal_in(make_call()))
    login(client, make_user(role))
    assert client.post(f"/admin/overview/reviews/{review.id}/remind").status_code == 403
    assert outbox() == []


def test_anonymous_remind_is_sent_to_log_in(client):
    review = make_review(proposal_in(make_call()))
    response = client.post(f"/admin/overview/reviews/{review.id}/remind")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert outbox() == []


def test_chairs_do_not_see_remind_buttons_on_the_dashboard(client):
    make_review(proposal_in(make_call()))
    login(client, make_user(Role.CHAIR))
    assert "Remind now" not in client.get("/dashboard").text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("when=soon", "Choose reviews that are overdue or due this week."),
        ("when=overdue&reviewer=abc", "The reviewer must be given by their number."),
        ("when=week&page=0", "The page number must be a whole number from 1."),
        ("when=week&page=x", "The page number must be a whole number from 1."),
    ],
)
def test_bad_filters_of_the_reviews_list_are_a_clear_400(client, query, message):
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/admin/overview/reviews?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_an_unknown_reviewer_is_not_found(client):
    login(client, make_user(Role.ADMIN))
    assert client.get("/admin/overview/reviews?when=overdue&reviewer=999999").status_code == 404


def test_a_bad_page_of_the_payments_list_is_a_clear_400(client):
    login(client, make_user(Role.ADMIN))
    response = client.get("/admin/overview/payments?page=-1")
    assert response.status_code == 400
    assert "The page number must be a whole number from 1." in response.text


def test_remind_with_a_bad_filter_is_a_clear_400(client):
    review = make_review(proposal_in(make_call()))
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/admin/overview/reviews/{review.id}/remind?when=later")
    assert response.status_code == 400
    assert "Choose reviews that are overdue or due this week." in response.text
    assert outbox() == []


def test_an_unknown_state_on_the_linked_screening_list_is_a_clear_400(client):
    """The overview's counts link to the screening list by state; a made-up one is refused."""
    call = make_call()
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/screening/calls/{call.id}?state=lost")
    assert response.status_code == 400
    assert "State" in response.text and "Not a valid choice" in response.text
