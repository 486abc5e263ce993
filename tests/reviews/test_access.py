"""Who reaches each new page: allowed, refused (403/404), anonymous (to the login page)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from tests.conftest import login, make_organisation, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

DUE = (utcnow() + timedelta(days=10)).date().isoformat()


@pytest.fixture
def world(ctx):
    """A call, a submitted and an in-review proposal, an assignment, one user per role."""
    users = {role.value: make_user(role) for role in Role}
    users["assigned"] = make_user(Role.REVIEWER)
    users["member"] = make_user(Role.APPLICANT)
    call = make_rubric_call(reviewers=1)
    organisation = make_organisation(users["member"])
    submitted = make_in_review(call, organisation, state="submitted")
    in_review = make_in_review(call, organisation)
    review = assign(in_review, users["assigned"])
    db.session.commit()
    return {
        "users": users,
        "call": call,
        "submitted": submitted,
        "in_review": in_review,
        "review": review,
    }


# (method, url template, data, roles allowed). Anything else gets 403 or 404.
ADMIN_PAGES = [
    ("get", "/screening/", None),
    ("get", "/screening/calls/{call}", None),
    ("get", "/screening/calls/{call}/proposals.csv", None),
    ("get", "/screening/calls/{call}/proposals.xlsx", None),
    ("get", "/screening/proposals/{submitted}/screen-out", None),
    ("post", "/screening/proposals/{submitted}/screen-in", {}),
    ("post", "/screening/proposals/{submitted}/screen-in", {"confirmed": "1"}),
    ("post", "/screening/proposals/{submitted}/screen-out", {"reason": "Out of scope"}),
    (
        "post",
        "/screening/proposals/{submitted}/screen-out",
        {"reason": "Out of scope", "confirmed": "1"},
    ),
    ("get", "/screening/proposals/{in_review}/assignments", None),
    (
        "post",
        "/screening/proposals/{in_review}/assignments",
        {"reviewer_id": "{reviewer}", "due_on": DUE},
    ),
    ("post", "/screening/proposals/{in_review}/auto-assign", {"due_on": DUE}),
    ("post", "/screening/calls/{call}/auto-assign", {"due_on": DUE}),
    ("post", "/screening/assignments/{review}/remove", {}),
    ("post", "/screening/assignments/{review}/remove", {"confirmed": "1"}),
    (
        "post",
        "/screening/assignments/{review}/reassign",
        {"reviewer_id": "{reviewer}", "due_on": DUE},
    ),
    (
        "post",
        "/screening/proposals/{in_review}/conflicts",
        {"user_id": "{reviewer}", "reason": "Known conflict"},
    ),
]
REVIEWER_PAGES = [
    ("get", "/reviews/", None, {"reviewer", "assigned"}),
    ("get", "/reviews/{review}", None, {"assigned"}),
    ("post", "/reviews/{review}", {"action": "save"}, {"assigned"}),
    ("post", "/reviews/{review}/no-conflict", {}, {"assigned"}),
    ("post", "/reviews/{review}/conflict", {"reason": "Friend"}, {"assigned"}),
    ("get", "/reviews/proposals/{in_review}", None, {"admin", "chair"}),
    ("post", "/reviews/proposals/{in_review}/conflict", {"reason": "Board"}, {"chair"}),
]
ALL_PAGES = [(*page, {"admin"}) for page in ADMIN_PAGES] + REVIEWER_PAGES
WHO = ["applicant", "reviewer", "chair", "admin", "assigned", "member"]


def _fill(template: str, world) -> str:
    return template.format(
        call=world["call"].id,
        submitted=world["submitted"].id,
        in_review=world["in_review"].id,
        review=world["review"].id,
        reviewer=world["users"]["reviewer"].id,
    )


def _request(client, method, url, data, world):
    data = {k: _fill(v, world) for k, v in data.items()} if data is not None else None
    return getattr(client, method)(_fill(url, world), data=data)


@pytest.mark.parametrize(
    ("method", "url", "data", "allowed"), ALL_PAGES, ids=[f"{p[0]} {p[1]}" for p in ALL_PAGES]
)
@pytest.mark.parametrize("who", WHO)
def test_each_role_is_allowed_or_refused(client, world, method, url, data, allowed, who):
    login(client, world["users"][who])
    response = _request(client, method, url, data, world)
    if who in allowed:
        assert response.status_code in (200, 302), response.data[:300]
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    ("method", "url", "data", "allowed"), ALL_PAGES, ids=[f"{p[0]} {p[1]}" for p in ALL_PAGES]
)
def test_anonymous_visitors_are_sent_to_log_in(client, world, method, url, data, allowed):
    response = _request(client, method, url, data, world)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(
    "url",
    [
        "/reviews/999999",
        "/reviews/proposals/999999",
        "/screening/calls/999999",
        "/screening/proposals/999999/assignments",
        "/screening/calls/999999/proposals.csv",
        "/screening/calls/999999/proposals.xlsx",
    ],
)
def test_unknown_ids_are_404(client, world, url):
    login(client, world["users"]["admin"])
    assert client.get(url).status_code == 404


def test_forms_without_a_csrf_token_are_refused(client, world, csrf):
    login(client, world["users"]["admin"])
    response = client.post(_fill("/screening/proposals/{submitted}/screen-in", world))
    assert response.status_code == 400
    assert world["submitted"].state == "submitted"
