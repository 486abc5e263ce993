"""Every public page renders, and the pages of each role render for that role."""

import pytest

from fund.models import Role
from tests.conftest import login, make_organisation, make_user


@pytest.mark.parametrize("path", ["/", "/account/login", "/account/register", "/account/forgot"])
def test_public_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.data.count(b"<h1") == 1


def test_pages_for_every_role_combination(client):
    admin = make_user(Role.ADMIN, Role.CHAIR, Role.REVIEWER, Role.APPLICANT)
    organisation = make_organisation(admin)
    login(client, admin)
    for path in [
        "/dashboard",
        "/account/profile",
        "/account/password",
        "/organisations/",
        f"/organisations/{organisation.id}",
        f"/organisations/{organisation.id}/edit",
        "/organisations/new",
        "/admin/users",
        f"/admin/users/{admin.id}",
        "/admin/income-groups",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.data.count(b"<h1") == 1, path
