"""The demo's portfolio, as its observer sees it: money by country and strategy, a map and bar
charts with the same figures as tables, and a page under 100 KB."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import Role, User
from tests.conftest import login


@pytest.fixture
def demo(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output


def test_the_demo_observer_opens_a_portfolio_with_a_map_and_charts_under_100_kb(client, demo):
    observer = db.session.scalar(db.select(User).where(User.email == "observer@example.org"))
    assert observer.roles == {Role.OBSERVER}
    login(client, observer)
    response = client.get("/portfolio")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.data) < 100_000
    assert 'id="map-title"' in page and 'id="chart-country-USD-title"' in page
    assert 'id="chart-strategy-USD-title"' in page
    assert ">Grants by INSPIRE strategy</caption>" in page
    # Six grants to two organisations: the two is hidden, and so is each country's count.
    assert "<dt>Grants</dt><dd>6</dd>" in page
    assert "<dt>Organisations funded</dt><dd>&lt;5</dd>" in page
    assert '<th scope="row">Uganda</th><td class="num">&lt;5</td>' in page
