"""The grants list reads only the columns its rows show (issue 14), and its lean count and page
pick the same grants as the export's full query, filter by filter; the grants list and the
reports inbox build their links once for all their rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from fund.extensions import db
from fund.grants import queries
from fund.models import Call, Organisation
from tests.conftest import count_queries, login
from tests.grants.conftest import TODAY, build_grant


def test_the_grants_list_shows_its_columns_without_reading_texts_or_answers(client):
    world = build_grant()
    login(client, world.admin)
    with count_queries() as statements:
        response = client.get("/grants/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    grant = world.grant
    assert f'<a href="/grants/{grant.id}">{grant.reference}</a>' in page
    assert '<td data-label="Organisation">Safe Homes</td>' in page
    assert '<td data-label="Call">Call 2027</td>' in page
    assert '<td data-label="Amount">$10,000.00</td>' in page
    assert '<td data-label="Paid">$8,000.00</td>' in page
    assert '<td data-label="State">active</td>' in page
    assert "1 grant" in page
    read = " ".join(statements)
    for wide in ("grants.agreement_text", "proposals.answers", "calls.description"):
        assert wide not in read


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"state": "suspended"},
        {"q": "homes"},
        {"q": "GR-2027"},
        {"call": "first"},
        {"call": "first", "state": "active", "q": "safe"},
    ],
)
def test_the_lean_page_lists_what_the_export_lists(client, filters):
    worlds = [build_grant() for _ in range(4)]
    worlds[1].grant.state = "suspended"
    db.session.get(Organisation, worlds[2].grant.organisation_id).name = "Other Org"
    first_call = db.session.get(Call, worlds[0].grant.proposal.call_id)
    db.session.commit()
    if filters.get("call") == "first":
        filters = dict(filters, call=str(first_call.id))
    login(client, worlds[0].admin)
    page = client.get("/grants/", query_string=filters).get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'<a href="/grants/(\d+)">', page)]
    query = {
        "call_id": int(filters["call"]) if filters.get("call") else None,
        "state": filters.get("state"),
        "q": filters.get("q"),
    }
    expected = [grant.id for grant in queries.all_grants(query)]
    assert shown == expected
    assert queries.grants_page(query, 1).total == len(expected)


def test_the_text_filter_finds_what_was_typed_and_each_filter_its_own(client):
    """The list's statements are built once per kind of filter and run with the values: a
    "%" or "_" typed is found as it is (not as a wildcard), and filters used in turn each
    list their own grants."""
    worlds = [build_grant() for _ in range(3)]
    names = ("100% Kids", "1000 Kids", "Kid_s Trust")
    for world, name in zip(worlds, names, strict=True):
        db.session.get(Organisation, world.grant.organisation_id).name = name
    worlds[1].grant.state = "suspended"
    db.session.commit()
    login(client, worlds[0].admin)
    ids = [world.grant.id for world in worlds]

    def listed(**filters) -> list[int]:
        page = client.get("/grants/", query_string=filters).get_data(as_text=True)
        return [int(n) for n in re.findall(r'<a href="/grants/(\d+)">', page)]

    for _ in range(2):
        assert listed(q="100%") == [ids[0]]
        assert listed(q="d_s") == [ids[2]]
        assert listed(q="kids", state="suspended") == [ids[1]]
        assert sorted(listed(q="kid")) == sorted(ids)
        assert sorted(listed()) == sorted(ids)


def test_the_second_page_follows_the_first(ctx, monkeypatch):
    worlds = [build_grant() for _ in range(3)]
    everything = [g.id for g in queries.all_grants({})]
    assert sorted(everything) == sorted(w.grant.id for w in worlds)
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    first, second = queries.grants_page({}, 1), queries.grants_page({}, 2)
    assert [row.id for row in first.items + second.items] == everything
    assert (first.total, first.pages, second.has_prev, second.has_next) == (3, 2, True, False)


def test_the_call_filter_reads_only_ids_and_titles(ctx):
    world = build_grant()
    call = db.session.get(Call, world.grant.proposal.call_id)
    with count_queries() as statements:
        choices = queries.calls_with_grants()
    assert [(c.id, c.title) for c in choices] == [(call.id, call.title)]
    assert "calls.description" not in " ".join(statements)


def url_fors(app, client, monkeypatch, path: str) -> int:
    """How many times the page's templates call url_for."""
    real = app.jinja_env.globals["url_for"]
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setitem(app.jinja_env.globals, "url_for", counted)
    assert client.get(path).status_code == 200
    return len(calls)


@pytest.mark.parametrize("path", ["/grants/", "/reports/"])
def test_the_lists_build_their_links_once_not_per_row(app, client, monkeypatch, path):
    world = build_grant(interim_due=TODAY - timedelta(days=3))  # one overdue report
    login(client, world.admin)
    few = url_fors(app, client, monkeypatch, path)
    for _ in range(4):
        build_grant(interim_due=TODAY - timedelta(days=3))
    assert url_fors(app, client, monkeypatch, path) == few


def test_the_inbox_rows_keep_their_links_and_labels(client):
    world = build_grant(interim_due=TODAY - timedelta(days=3))
    login(client, world.admin)
    html = client.get("/reports/").get_data(as_text=True)
    grant, report = world.grant, world.interim
    assert f'<td data-label="Grant"><a href="/grants/{grant.id}">{grant.reference}</a></td>' in html
    assert f'<td data-label="Report"><a href="/reports/{report.id}">Interim report</a></td>' in html
    assert '<td data-label="Days late">3</td>' in html
    assert '<th scope="col">Days late</th>' in html and '<th scope="col">Days left</th>' in html
