"""Every page a demo user can reach by following links answers without a server error, and
gives each element a unique id that its labels point at.

The demo fills every screen, so following the links of each role (and of one person holding all
roles) walks through nearly every page template with real data.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from fund.extensions import db
from fund.models import Role, User, UserRole
from tests import crawling
from tests.conftest import login


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
    """The status of each page reached from `start`; the id problems of each HTML page go into
    `problems` (path -> list) when it is given."""

    def check_ids(path: str, html: str) -> None:
        if problems is not None and (found := id_problems(html)):
            problems[path] = found

    return crawling.crawl(client, start, on_page=check_ids)


@pytest.mark.parametrize(
    "email",
    [
        "applicant@example.org",
        "reviewer@example.org",
        "chair@example.org",
        "admin@example.org",
        "observer@example.org",
        "safeguarding@example.org",
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


def test_every_page_the_demo_reaches_stays_under_100_kb(client, demo):
    """DESIGN.md's page budget, on every page an account holding every role reaches (and the
    safeguarding lead's); the README gives the largest page's figure."""
    user = db.session.scalar(db.select(User).where(User.email == "applicant@example.org"))
    for role in (Role.REVIEWER, Role.CHAIR, Role.ADMIN, Role.SAFEGUARDING_LEAD):
        user.role_rows.append(UserRole(role=role.value))
    db.session.commit()
    login(client, user)
    sizes: dict[str, int] = {}
    crawling.crawl(
        client, limit=400, on_page=lambda path, html: sizes.__setitem__(path, len(html.encode()))
    )
    assert len(sizes) > 100
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < 100_000, (largest, sizes[largest])
