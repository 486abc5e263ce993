"""Every secretariat page is for admins only: other roles get 403, visitors the login page."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from fund import income_groups
from fund.extensions import db
from fund.models import AuditEvent, IncomeGroup, IncomeGroupList, Role
from tests.admin.conftest import class_csv
from tests.conftest import login, make_user


@pytest.fixture
def setting(ctx):
    """A user to look at and an override to remove, so every URL points at something real."""
    admin = make_user(Role.ADMIN)
    target = make_user(Role.APPLICANT, name="Target User")
    override = income_groups.set_override(
        "ET", IncomeGroup.LOW, reason="test", fiscal_year="FY2027", actor=admin
    )
    db.session.commit()
    return {"user": target.id, "override": override.id, "admin": admin}


ROUTES = [
    ("GET", "/admin/users", None),
    ("GET", "/admin/users/{user}", None),
    ("POST", "/admin/users/{user}", {"roles": ["admin"]}),
    ("POST", "/admin/users/{user}/activate", {}),
    ("POST", "/admin/users/{user}/deactivate", {}),
    ("GET", "/admin/income-groups", None),
    ("POST", "/admin/income-groups/lists", "upload"),
    (
        "POST",
        "/admin/income-groups/overrides",
        {"country_code": "VN", "income_group": "LIC", "fiscal_year": "FY2027", "reason": "x"},
    ),
    ("POST", "/admin/income-groups/overrides/{override}/remove", {}),
]


def request(client, method, path, data, ids):
    if data == "upload":
        data = {
            "file": (BytesIO(class_csv().encode()), "class.csv"),
            "fiscal_year": "FY2027",
            "source": "CLASS",
        }
    return client.open(path.format(**ids), method=method, data=data)


@pytest.mark.parametrize(
    "roles",
    [
        (Role.APPLICANT,),
        (Role.REVIEWER,),
        (Role.CHAIR,),
        (Role.CHAIR, Role.REVIEWER, Role.APPLICANT),
    ],
    ids=["applicant", "reviewer", "chair", "chair+reviewer+applicant"],
)
@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_other_roles_are_forbidden(client, setting, roles, method, path, data):
    """Non-admins get 403 and change nothing."""
    login(client, make_user(*roles))

    response = request(client, method, path, data, setting)

    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1  # the fixture's
    assert db.session.scalar(select(func.count()).select_from(IncomeGroupList)) == 0


@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_anonymous_visitors_are_sent_to_login(client, setting, method, path, data):
    """Without an account every secretariat URL leads to the login page."""
    response = request(client, method, path, data, setting)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_admins_are_allowed(client, setting, method, path, data):
    """An admin is served (a page or a redirect after a POST)."""
    login(client, setting["admin"])

    response = request(client, method, path, data, setting)

    assert response.status_code == (200 if method == "GET" else 302)


def test_a_deactivated_admin_is_logged_out(client, setting):
    """An admin whose account was deactivated is no longer let in."""
    admin = setting["admin"]
    login(client, admin)
    admin.active = False
    db.session.commit()

    response = client.get("/admin/users")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
