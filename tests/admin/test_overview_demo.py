"""On the demo data, every count of the secretariat's overview leads to a list of exactly that
many rows; the demo has a review overdue and one due this week to chase."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from fund.models import User
from tests.conftest import login


@pytest.fixture
def demo(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output


class BodyRows(HTMLParser):
    """Counts the rows of the tables' bodies, leaving out a "None."-style empty row."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = 0
        self.rows = 0
        self.cells_with_colspan = 0

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body += 1
        elif tag == "tr" and self.in_body:
            self.rows += 1
        elif tag == "td" and self.in_body and dict(attrs).get("colspan"):
            self.cells_with_colspan += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body -= 1


def body_rows(html: str) -> int:
    parser = BodyRows()
    parser.feed(html)
    return parser.rows - parser.cells_with_colspan


def counts_of(html: str) -> list[tuple[str, int]]:
    """(link, number) for every link of the overview whose text is a number."""
    found = []
    for section_id in ("overview-calls", "overview-reviews", "overview-grants"):
        start = html.index(f'id="{section_id}"')
        part = html[start : html.index("</section>", start)]
        for href, text in re.findall(r'<a href="([^"]+)">(\d+)</a>', part):
            found.append((unescape(href), int(text)))
    return found


def test_every_count_equals_the_rows_on_its_linked_page(client, demo):
    login(client, User.query.filter_by(email="admin@example.org").one())
    counts = counts_of(client.get("/dashboard").text)
    kinds = {href.split("?")[0].rsplit("/", 1)[0] for href, _n in counts}
    assert {"/screening/calls", "/admin/overview"} <= kinds  # states, and late reviews
    for href, number in counts:
        page = client.get(href)
        assert page.status_code == 200, href
        assert body_rows(page.text) == number, href


def test_the_demo_has_a_review_overdue_and_one_due_this_week(client, demo):
    login(client, User.query.filter_by(email="admin@example.org").one())
    links = [href for href, _n in counts_of(client.get("/dashboard").text)]
    assert any("when=overdue&reviewer=" in href for href in links)
    assert any("when=week&reviewer=" in href for href in links)
