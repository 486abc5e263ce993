"""Who can open the account pages."""

from itertools import combinations
from urllib.parse import quote

import pytest

from fund.models import Role
from tests.conftest import login, make_user

ROLE_SETS = [combo for n in range(1, len(Role) + 1) for combo in combinations(list(Role), n)]


@pytest.mark.parametrize("path", ["/account/profile", "/account/password"])
def test_anonymous_visitor_is_sent_to_log_in(client, path):
    """Signed-in pages send an anonymous visitor to the login page, remembering where it was."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/login?next={quote(path, safe='')}"


def test_anonymous_post_to_resend_is_sent_to_log_in(client):
    """Asking for a new verification link needs a login."""
    response = client.post("/account/verify/resend")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda roles: "+".join(roles))
@pytest.mark.parametrize("path", ["/account/profile", "/account/password"])
def test_every_role_combination_can_open_its_account_pages(client, roles, path):
    """Whatever roles a user holds, the profile and password pages load with one <h1>."""
    user = make_user(*roles)
    login(client, user)
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    if path == "/account/profile":
        assert user.email in html


@pytest.mark.parametrize("path", ["/account/login", "/account/register", "/account/forgot"])
def test_public_account_pages_render_for_anonymous_visitors(client, path):
    """The login, registration and forgotten-password pages need no login."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1
