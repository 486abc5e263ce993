"""The grants list, the reports inbox, the grant page and the CSV run a fixed number of queries
whatever the number of grants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import ProgressReport
from tests.conftest import count_queries, login
from tests.grants.conftest import TODAY, build_grant


def grants(n: int):
    worlds = [build_grant() for _ in range(n)]
    for i, world in enumerate(worlds):  # a mix of submitted, overdue and due-soon reports
        report = db.session.get(ProgressReport, world.interim.id)
        report.state = "submitted" if i % 3 == 0 else "upcoming"
        report.due_on = TODAY + timedelta(days=(-5 if i % 3 == 1 else 5))
    db.session.commit()
    return worlds


def queries_for(client, url: str) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/grants/", "/reports/", "/grants/export.csv", "/dashboard"])
def test_the_secretariats_pages_do_not_grow_with_the_data(client, url):
    worlds = grants(2)
    login(client, worlds[0].admin)
    few = queries_for(client, url)
    grants(9)
    assert queries_for(client, url) == few


def test_the_grantees_grant_page_and_list_do_not_grow_with_its_reports(client):
    world = build_grant()
    login(client, world.member)
    few = (queries_for(client, f"/grants/{world.grant.id}"), queries_for(client, "/grants/"))
    for n in range(8):
        world.grant.reports.append(
            ProgressReport(kind="interim", due_on=TODAY + timedelta(days=40 + n))
        )
    db.session.commit()
    assert (
        queries_for(client, f"/grants/{world.grant.id}"),
        queries_for(client, "/grants/"),
    ) == few
