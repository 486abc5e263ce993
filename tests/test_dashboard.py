"""The dashboard shows one panel per role, and its query count does not grow with the data."""

import pytest

from fund.models import Role
from tests.conftest import count_queries, login, make_organisation, make_proposal, make_user


@pytest.mark.parametrize(
    ("roles", "headings"),
    [
        ((Role.APPLICANT,), ["Your organisations"]),
        ((Role.REVIEWER,), ["Your reviews"]),
        ((Role.CHAIR,), ["Decisions"]),
        ((Role.ADMIN,), ["Grants and reports", "Secretariat"]),
        (
            (Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN),
            ["Your organisations", "Your reviews", "Decisions", "Secretariat"],
        ),
    ],
)
def test_each_role_gets_its_panel(client, roles, headings):
    user = make_user(*roles)
    login(client, user)
    response = client.get("/dashboard")
    assert response.status_code == 200
    for heading in headings:
        assert f"<h2>{heading}</h2>" in response.text
    if Role.REVIEWER not in roles:
        assert "<h2>Your reviews</h2>" not in response.text


def test_applicant_dashboard_queries_do_not_grow(client):
    """One proposal or twenty across three organisations: the same number of queries."""
    user = make_user(Role.APPLICANT, Role.REVIEWER, Role.ADMIN, Role.CHAIR)
    organisation = make_organisation(user)
    make_proposal(organisation)
    login(client, user)
    client.get("/dashboard")
    with count_queries() as small:
        assert client.get("/dashboard").status_code == 200
    for _ in range(2):
        extra = make_organisation(user)
        for _ in range(10):
            make_proposal(extra)
    with count_queries() as large:
        assert client.get("/dashboard").status_code == 200
    assert len(large) == len(small)


def test_chairs_reach_the_reports_inbox_from_the_navigation(client):
    """Chairs may accept reports, so the inbox is in their navigation."""
    login(client, make_user(Role.CHAIR))
    page = client.get("/dashboard").text
    assert 'href="/reports/"' in page
    assert client.get("/reports/").status_code == 200
