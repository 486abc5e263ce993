"""The secretariat's user pages: the filtered list, roles, and activation."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Role, User
from tests.conftest import count_queries, login, make_user


@pytest.fixture
def admin(ctx):
    return make_user(Role.ADMIN, name="Amina Admin", email="amina@example.org")


def names_listed(response) -> list[str]:
    """The names in the users table, in order."""
    text = response.get_data(as_text=True)
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return [
        html.unescape(part.split("</a>")[0].split(">")[-1])
        for part in body.split('<td data-label="Name"><a href="/admin/users/')[1:]
    ]


def audit(action: str | None = None) -> list[tuple[str, int, str, int]]:
    query = select(AuditEvent).where(AuditEvent.subject_type == "user").order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return [(a.action, a.subject_id, a.comment, a.actor_id) for a in db.session.scalars(query)]


# --- the list -------------------------------------------------------------------------------


@pytest.fixture
def people(admin):
    return {
        "ana": make_user(Role.APPLICANT, name="Ana Applicant", email="ana@ngo.example"),
        "ruth": make_user(Role.REVIEWER, name="Ruth Reviewer", email="ruth@who.example"),
        "carlos": make_user(
            Role.CHAIR, Role.REVIEWER, name="Carlos Chair", email="carlos@who.example"
        ),
        "gone": make_user(
            Role.APPLICANT, name="Gone Applicant", email="gone@ngo.example", active=False
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Amina Admin", "Ana Applicant", "Carlos Chair", "Gone Applicant", "Ruth Reviewer"]),
        ("?q=applicant", ["Ana Applicant", "Gone Applicant"]),
        ("?q=WHO.EXAMPLE", ["Carlos Chair", "Ruth Reviewer"]),
        ("?q=%25", []),
        ("?q=_", []),
        ("?role=reviewer", ["Carlos Chair", "Ruth Reviewer"]),
        ("?role=chair", ["Carlos Chair"]),
        ("?role=admin", ["Amina Admin"]),
        ("?status=inactive", ["Gone Applicant"]),
        ("?status=active", ["Amina Admin", "Ana Applicant", "Carlos Chair", "Ruth Reviewer"]),
        ("?role=applicant&status=active", ["Ana Applicant"]),
        ("?q=ruth&role=chair", []),
        (
            "?q=&role=&status=",
            ["Amina Admin", "Ana Applicant", "Carlos Chair", "Gone Applicant", "Ruth Reviewer"],
        ),
    ],
)
def test_filters(client, admin, people, query, expected):
    """Name or e-mail text, role and status narrow the list; LIKE wildcards are plain text."""
    login(client, admin)

    response = client.get(f"/admin/users{query}")

    assert response.status_code == 200
    assert names_listed(response) == expected


def test_list_shows_roles_and_status(client, admin, people):
    """Each row gives the roles and whether the account is active."""
    login(client, admin)
    text = client.get("/admin/users?q=carlos").get_data(as_text=True)
    assert "chair, reviewer" in text
    assert "deactivated" in client.get("/admin/users?q=gone").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "?role=superuser",
        "?status=deleted",
        "?q=" + "x" * 101,
        "?q=a%00b",
        "?page=abc",
        "?page=0",
        "?page=-3",
        "?page=99999999999999999999999",
    ],
)
def test_bad_filter_values_are_refused_with_400(client, admin, query):
    """A filter value the form does not offer gives a clear 400, never a 500."""
    login(client, admin)

    response = client.get(f"/admin/users{query}")

    assert response.status_code == 400
    assert b"Something in the request was not right" in response.data


def test_pagination(client, admin):
    """Fifty accounts a page, with links to the next and previous page that keep the filters."""
    for n in range(60):
        make_user(Role.APPLICANT, name=f"Person {n:02d}", email=f"person{n:02d}@example.org")
    login(client, admin)

    first = client.get("/admin/users?role=applicant")
    second = client.get("/admin/users?role=applicant&page=2")
    beyond = client.get("/admin/users?role=applicant&page=5")

    assert names_listed(first) == [f"Person {n:02d}" for n in range(50)]
    assert b"60 accounts" in first.data
    assert b"Page 1 of 2" in first.data
    assert b'href="/admin/users?role=applicant&amp;page=2"' in first.data
    assert names_listed(second) == [f"Person {n:02d}" for n in range(50, 60)]
    assert b'href="/admin/users?role=applicant&amp;page=1"' in second.data
    assert beyond.status_code == 200
    assert names_listed(beyond) == []
    assert b"60 accounts" in beyond.data  # counted apart: no row carries the count


def queries_for_users_page(client) -> int:
    with count_queries() as statements:
        response = client.get("/admin/users")
    assert response.status_code == 200
    return len(statements)


def test_query_count_does_not_grow_with_the_number_of_users(client, admin):
    """3 users or 60 users (a full page, with several roles each): the same number of queries."""
    for _ in range(2):
        make_user(Role.APPLICANT, Role.REVIEWER)
    login(client, admin)
    small = queries_for_users_page(client)

    for n in range(57):
        make_user(
            *([Role.APPLICANT, Role.CHAIR] if n % 2 else [Role.REVIEWER]),
            verified=n % 3 == 0,
            active=n % 5 != 0,
        )
    large = queries_for_users_page(client)

    assert db.session.scalar(select(db.func.count()).select_from(User)) == 60
    assert small == large
    assert large <= 2  # the sign-in and the page (its count and roles in the same statement)


# --- one account ----------------------------------------------------------------------------


def test_granting_and_revoking_roles_is_audited(client, admin):
    """Saving the roles adds and removes rows, one audit event per role changed."""
    user = make_user(Role.APPLICANT, Role.REVIEWER)
    login(client, admin)

    response = client.post(f"/admin/users/{user.id}", data={"roles": ["reviewer", "chair"]})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.roles == {Role.REVIEWER, Role.CHAIR}
    assert sorted(audit()) == [
        ("grant_role", user.id, "chair", admin.id),
        ("revoke_role", user.id, "applicant", admin.id),
    ]
    page = client.get(response.headers["Location"])
    assert b"checked" in page.data and b"Roles of" in page.data


def test_saving_the_same_roles_writes_no_audit(client, admin):
    """Nothing changed, nothing recorded."""
    user = make_user(Role.REVIEWER)
    login(client, admin)

    assert client.post(f"/admin/users/{user.id}", data={"roles": ["reviewer"]}).status_code == 302
    assert audit() == []


def test_unknown_role_is_refused(client, admin):
    """A role that does not exist gives 400 with the form's message."""
    user = make_user(Role.APPLICANT)
    login(client, admin)

    response = client.post(f"/admin/users/{user.id}", data={"roles": ["superuser"]})

    assert response.status_code == 400
    assert b"Please correct the following" in response.data
    assert user.roles == {Role.APPLICANT}
    assert audit() == []


def test_admin_cannot_remove_its_own_admin_role(client, admin):
    """An admin cannot lock itself out; the message says why."""
    login(client, admin)

    response = client.post(f"/admin/users/{admin.id}", data={"roles": ["reviewer"]})

    assert response.status_code == 400
    assert b"You cannot remove your own admin role." in response.data
    assert admin.roles == {Role.ADMIN}
    assert audit() == []


def test_admin_may_add_roles_to_itself(client, admin):
    """Keeping admin while adding another role is fine."""
    login(client, admin)
    response = client.post(f"/admin/users/{admin.id}", data={"roles": ["admin", "chair"]})
    assert response.status_code == 302
    assert admin.roles == {Role.ADMIN, Role.CHAIR}


def test_admin_removes_another_admins_role(client, admin):
    """Another admin's admin role can be revoked."""
    other = make_user(Role.ADMIN)
    login(client, admin)
    assert client.post(f"/admin/users/{other.id}", data={"roles": ["reviewer"]}).status_code == 302
    assert other.roles == {Role.REVIEWER}
    assert ("revoke_role", other.id, "admin", admin.id) in audit()


def test_unknown_user_is_404(client, admin):
    login(client, admin)
    assert client.get("/admin/users/9999").status_code == 404
    assert client.post("/admin/users/9999/deactivate").status_code == 404


def test_deactivating_ends_the_users_sessions(app, client, admin):
    """A deactivated user is sent to the login page on its next request, and cannot log in."""
    user = make_user(Role.APPLICANT, email="leaver@example.org")
    their_client = app.test_client()
    login(their_client, user)
    assert their_client.get("/dashboard").status_code == 200
    login(client, admin)

    response = client.post(f"/admin/users/{user.id}/deactivate")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.active is False
    assert audit("deactivate") == [("deactivate", user.id, "", admin.id)]
    after = their_client.get("/dashboard")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/account/login")
    login_again = their_client.post(
        "/account/login", data={"email": "leaver@example.org", "password": "correct horse battery"}
    )
    assert login_again.status_code == 400
    assert b"This account has been deactivated." in login_again.data


def test_reactivating_lets_the_user_log_in_again(client, admin):
    """Reactivation is audited; the user logs in afresh (old sessions stay ended)."""
    user = make_user(Role.APPLICANT, active=False)
    login(client, admin)

    response = client.post(f"/admin/users/{user.id}/activate")

    assert response.status_code == 302
    assert user.active is True
    assert audit("activate") == [("activate", user.id, "", admin.id)]


def test_deactivating_twice_changes_nothing_more(client, admin):
    """A repeated deactivation records nothing new."""
    user = make_user(Role.APPLICANT)
    login(client, admin)
    client.post(f"/admin/users/{user.id}/deactivate")
    client.post(f"/admin/users/{user.id}/deactivate")
    assert len(audit("deactivate")) == 1


def test_admin_cannot_deactivate_itself(client, admin):
    """The last way in must not be closed by accident."""
    login(client, admin)

    response = client.post(f"/admin/users/{admin.id}/deactivate")

    assert response.status_code == 400
    assert b"You cannot deactivate your own account." in response.data
    assert admin.active is True
    assert client.get("/admin/users").status_code == 200


def test_activation_needs_the_csrf_token(client, admin, csrf):
    """With CSRF protection on, a forged POST is refused and changes nothing."""
    user = make_user(Role.APPLICANT)
    login(client, admin)

    response = client.post(f"/admin/users/{user.id}/deactivate")

    assert response.status_code == 400
    assert user.active is True


def test_percent_underscore_and_slash_are_searched_literally(client, admin):
    """Typing 100% finds the name with "100%" in it and nothing else; the slash, which the
    search uses to escape the wildcards, is plain text too."""
    make_user(Role.APPLICANT, name="100% Kids", email="kids@example.org")
    make_user(Role.APPLICANT, name="1000 Kids", email="k_ids@example.org")
    make_user(Role.APPLICANT, name="Kids/100 Trust", email="trust@example.org")
    make_user(Role.APPLICANT, name="Kids 100 Trust", email="k100@example.org")
    login(client, admin)

    assert names_listed(client.get("/admin/users?q=100%25")) == ["100% Kids"]
    assert names_listed(client.get("/admin/users?q=k_i")) == ["1000 Kids"]
    assert names_listed(client.get("/admin/users?q=s/1")) == ["Kids/100 Trust"]
    assert names_listed(client.get("/admin/users?q=s//1")) == []
