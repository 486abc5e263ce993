"""Every page a demo user can reach by following links answers without a server error, and
gives each element a unique id that its labels point at.

The demo fills every screen, so following the links of each role (and of one person holding all
roles) walks through nearly every page template with real data.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
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


class IdCollector(HTMLParser):
    """The ids an HTML page gives its elements, and the ids its labels point at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id") is not None:
            self.ids[values["id"]] += 1
        if tag == "label" and values.get("for") is not None:
            self.label_targets.append(values["for"])


def id_problems(html: str) -> list[str]:
    """Ids used more than once, and labels whose `for` names no element of the page."""
    collector = IdCollector()
    collector.feed(html)
    problems = [f"id {name!r} used {n} times" for name, n in collector.ids.items() if n > 1]
    problems += [
        f"label for {target!r} points at no element"
        for target in collector.label_targets
        if target not in collector.ids
    ]
    return problems


def crawl(client, start: str = "/dashboard", problems: dict | None = None) -> dict[str, int]:
    """Follow same-site links breadth first; the status of each page seen. The id problems of
    each HTML page go into `problems` (path -> list) when it is given."""
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
        if problems is not None and (found := id_problems(response.text)):
            problems[path] = found
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
        "anonymous",
    ],
)
def test_no_page_reachable_from_the_dashboard_fails(client, demo, csrf, email):
    """Every page answers, its links lead somewhere allowed, and no id is repeated or missing
    (a repeated id sends a label, an error link or a screen reader to the wrong field). CSRF
    is on, as in production, so the forms carry their hidden token fields."""
    if email == "anonymous":
        problems: dict[str, list[str]] = {}
        seen = crawl(client, "/", problems)
        assert len(seen) > 3
        assert {path: status for path, status in seen.items() if status >= 400} == {}
        assert problems == {}
        return
    if email == "all-roles":
        user = db.session.scalar(db.select(User).where(User.email == "applicant@example.org"))
        for role in (Role.REVIEWER, Role.CHAIR, Role.ADMIN):
            user.role_rows.append(UserRole(role=role.value))
        db.session.commit()
    else:
        user = db.session.scalar(db.select(User).where(User.email == email))
    login(client, user)
    problems: dict[str, list[str]] = {}
    seen = crawl(client, problems=problems)
    assert len(seen) > 10
    errors = {path: status for path, status in seen.items() if status >= 500}
    assert errors == {}
    # Links on a page lead somewhere the same person may go (no 403/404 dead links).
    dead = {path: status for path, status in seen.items() if status in (403, 404)}
    assert dead == {}
    assert problems == {}
