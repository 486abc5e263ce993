"""The reports inbox shows the first 50 rows of each section with the section's full count, and
pages through one section at a time, keeping the call filter."""

from __future__ import annotations

import re
from datetime import timedelta

from fund.extensions import db
from fund.models import ProgressReport, ReportKind
from tests.conftest import count_queries, login
from tests.grants.conftest import TODAY, build_grant


def overdue_reports(world, n: int) -> None:
    """`n` more interim reports, due 1 to n days ago, oldest due last."""
    for days in range(1, n + 1):
        world.grant.reports.append(
            ProgressReport(kind=ReportKind.INTERIM, due_on=TODAY - timedelta(days=days))
        )
    db.session.commit()


def section_rows(html: str, key: str) -> list[str]:
    part = re.search(rf'<section class="panel" id="{key}">(.*?)</section>', html, re.S).group(1)
    return re.findall(r"<tbody>.*?</tbody>", part, re.S)[0].split("<tr>")[1:]


def test_each_section_shows_50_rows_its_count_and_a_link_to_the_next_page(client):
    world = build_grant()
    overdue_reports(world, 55)
    login(client, world.admin)
    response = client.get("/reports/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(section_rows(html, "overdue")) == 50
    assert "Overdue</a> (55)" in html
    assert len(section_rows(html, "due_soon")) == 1  # the grant's own interim report
    assert "/reports/?section=overdue&amp;page=2" in html


def test_a_section_alone_pages_in_due_date_order(client):
    """Oldest due date first, so page 2 of the overdue section holds the five most recent of
    the 55 (5 down to 1 days late), and no other section."""
    world = build_grant()
    overdue_reports(world, 55)
    login(client, world.admin)
    html = client.get("/reports/?section=overdue&page=2").get_data(as_text=True)
    rows = section_rows(html, "overdue")
    days_late = [re.findall(r"<td[^>]*>(-?\d+)</td>", row)[-1] for row in rows]
    assert days_late == ["5", "4", "3", "2", "1"]
    assert 'id="submitted"' not in html and 'id="due_soon"' not in html
    assert "Page 2 of 2" in html


def test_the_call_filter_is_kept_in_the_section_links(client):
    world = build_grant()
    overdue_reports(world, 55)
    login(client, world.admin)
    call_id = world.grant.proposal.call_id
    html = client.get(f"/reports/?call={call_id}").get_data(as_text=True)
    assert f"/reports/?call={call_id}&amp;section=overdue&amp;page=2" in html


def test_an_unknown_section_shows_every_section(client):
    world = build_grant()
    login(client, world.admin)
    html = client.get("/reports/?section=nonsense&page=x").get_data(as_text=True)
    assert all(f'id="{key}"' in html for key in ("submitted", "overdue", "due_soon"))


def test_the_sections_pages_take_the_same_queries_with_5_and_55_rows(client):
    world = build_grant()
    overdue_reports(world, 5)
    login(client, world.admin)
    client.get("/reports/?section=overdue")
    with count_queries() as few:
        client.get("/reports/?section=overdue")
    overdue_reports(world, 50)
    with count_queries() as many:
        assert client.get("/reports/?section=overdue&page=2").status_code == 200
    assert len(many) == len(few)
