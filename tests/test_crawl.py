"""Every page a demo user can reach by following links answers without a server error.

The demo fills every screen, so following the links of each role (and of one person holding all
roles) walks through nearly every page template with real data.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from fund.extensions import db
from fund.models import Role, User, UserRole
from tests.conftest import login

LINK = re.compile(r'href="([^"]+)"')
PAGES_PER_USER = 120
# Links that change something or only send a file: nothing to render.
SKIP = re.compile(r"(\.csv|/files/|safeguarding-policy|/logout|/static/)")


@pytest.fixture
def demo(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output


def crawl(client, start: str = "/dashboard") -> dict[str, int]:
    """Follow same-site links breadth first; the status of each page seen."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for href in LINK.findall(response.text):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize(
    "email",
    [
        "applicant@example.org",
        "reviewer@example.org",
        "chair@example.org",
        "admin@example.org",
        "all-roles",
    ],
)
def test_no_page_reachable_from_the_dashboard_fails(client, demo, email):
    if email == "all-roles":
        user = db.session.scalar(db.select(User).where(User.email == "applicant@example.org"))
        for role in (Role.REVIEWER, Role.CHAIR, Role.ADMIN):
            user.role_rows.append(UserRole(role=role.value))
        db.session.commit()
    else:
        user = db.session.scalar(db.select(User).where(User.email == email))
    login(client, user)
    seen = crawl(client)
    assert len(seen) > 10
    errors = {path: status for path, status in seen.items() if status >= 500}
    assert errors == {}
    # Links on a page lead somewhere the same person may go (no 403/404 dead links).
    dead = {path: status for path, status in seen.items() if status in (403, 404)}
    assert dead == {}
