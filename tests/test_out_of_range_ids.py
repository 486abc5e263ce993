"""An id no column can hold is a page that does not exist (404), on every route and for everyone,
never a query the database refuses (PostgreSQL's integer ends at 2^31-1, SQLite's at 2^63-1).
Ids sent in forms and query strings are bounded the same way: a 4xx, never a 500."""

from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter

from fund.models import Role
from tests.conftest import login, make_call, make_organisation, make_proposal, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call

TOO_BIG = [2**31, 2**63, 10**30]
ROLES = [None, Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN]


def int_routes(app) -> list[tuple[str, dict, str]]:
    """(endpoint, arguments with every id set to None, method) of each route with an id."""
    routes = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # werkzeug keeps them there; nothing public lists them
        ids = [name for name, c in converters.items() if isinstance(c, IntegerConverter)]
        if not ids:
            continue
        values = {
            name: (sorted(c.items)[0] if isinstance(c, AnyConverter) else "x")
            for name, c in converters.items()
            if name not in ids
        }
        values.update(dict.fromkeys(ids))
        method = "GET" if "GET" in rule.methods else "POST"
        routes.append((rule.endpoint, values, method))
    return routes


def test_every_route_with_an_id_is_found(app):
    """The list below is not empty by accident: the app has dozens of such routes."""
    assert len(int_routes(app)) > 40


@pytest.mark.parametrize("number", TOO_BIG, ids=["2^31", "2^63", "10^30"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_an_id_too_big_for_a_column_is_not_found(app, client, role, number):
    if role is not None:
        user = make_user(role)
        make_organisation(user)
        login(client, user)
    answers = {}
    for endpoint, values, method in int_routes(app):
        with app.test_request_context():
            url = url_for(endpoint, **{k: (number if v is None else v) for k, v in values.items()})
        answers[url] = client.open(url, method=method).status_code
    assert {url: status for url, status in answers.items() if status != 404} == {}


@pytest.mark.parametrize("number", ["0", "2147483648", str(2**63), "1" + "0" * 30, "²"])
@pytest.mark.parametrize(
    "path",
    [
        "/calls/manage?page={}",
        "/grants/?call={}",
        "/grants/?page={}",
        "/reports/?call={}",
        "/reports/?section=overdue&page={}",
        "/decisions/calls/{call}?page={}",
        "/admin/users?page={}",
        "/screening/calls/{call}?page={}",
        "/proposals/new?call_id={}",
        "/proposals/{draft}/edit?blank_lines={}",
    ],
)
def test_an_id_or_page_in_a_query_string_is_never_a_server_error(client, path, number):
    admin = make_user(Role.ADMIN, Role.CHAIR, Role.APPLICANT)
    call = make_call()
    draft = make_proposal(make_organisation(admin), call)
    login(client, admin)
    response = client.get(path.format(number, call=call.id, draft=draft.id))
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("number", ["0", "2147483648", str(2**63), "1" + "0" * 30, "²", "1e23"])
def test_an_id_in_a_form_is_refused_with_400(client, number):
    """The start form names the call and the organisation by id."""
    applicant = make_user(Role.APPLICANT)
    organisation = make_organisation(applicant)
    call = make_call()
    login(client, applicant)
    for data in (
        {"call_id": number, "organisation_id": str(organisation.id), "title": "T"},
        {"call_id": str(call.id), "organisation_id": number, "title": "T"},
    ):
        response = client.post("/proposals/start", data=data)
        assert response.status_code in (400, 404), data


def test_a_query_string_cannot_rewrite_the_address_in_page_links(client):
    """?call_id=abc on a paginated page used to reach url_for as the call's id: a 500."""
    call = make_rubric_call()
    for n in range(51):  # two pages
        make_reviewed(call, title=f"P{n}", reference=f"INS-2027-{n:04d}")
    login(client, make_user(Role.CHAIR))
    response = client.get(f"/decisions/calls/{call.id}?call_id=abc")
    assert response.status_code == 200
    assert f"/decisions/calls/{call.id}?" in response.get_data(as_text=True)
