"""The ranking's columns: a compact default, the others chosen through the query string (the
"Columns" form works without JavaScript), kept by every sort, filter and page link; aria-sort
on the sortable headers; and a query count that does not grow with the call."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from fund.models import Role
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review

COMPACT = [
    "Compare",
    "Proposal",
    "Country",
    "Normalised",
    "Mean",
    "Disagreement",
    "Requested",
    "Running total",
    "Status",
]


@pytest.fixture
def ranked(ctx, client):
    """A call with two reviewed proposals, and a chair signed in."""
    call = make_rubric_call()
    reviewer = make_user(Role.REVIEWER)
    for title, scores in (("Parents first", (5, 4)), ("Radio talks", (2, 2))):
        review(make_reviewed(call, title=title), reviewer, scores)
    login(client, make_user(Role.CHAIR))
    return call


def page(client, call, query: str = "") -> str:
    response = client.get(f"/decisions/calls/{call.id}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def headers(html: str) -> list[str]:
    """The text of each column header, in order."""
    head = html[html.index("<thead>") : html.index("</thead>")]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    return [unescape(re.sub(r"<[^>]+>|[▲▼]", "", cell)).strip() for cell in cells]


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def args_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, keep_blank_values=True)


def test_the_default_ranking_shows_the_compact_columns(ranked, client):
    html = page(client, ranked)
    assert headers(html) == COMPACT
    assert "Median" not in headers(html) and "Organisation" not in headers(html)


def test_columns_asked_for_in_the_query_string_are_shown_in_table_order(ranked, client):
    html = page(client, ranked, "?cols=median,organisation")
    assert headers(html) == ["Compare", "Proposal", "Organisation", "Median"]
    row = re.search(r'<tr data-proposal="\d+">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert len(cells) == 4
    assert cells[2].startswith("Organisation ") and cells[3] == "90.0"  # Parents first: 90.0


def test_every_box_unticked_shows_only_the_proposal(ranked, client):
    """`cols=` alone (what the form sends with nothing ticked) is not the defaults."""
    assert headers(page(client, ranked, "?cols=")) == ["Compare", "Proposal"]


def test_the_columns_form_is_a_get_form_with_the_shown_columns_ticked(ranked, client):
    html = page(client, ranked, "?cols=mean,median&sort=title&order=asc")
    form = re.search(r"<details class=\"ranking-columns\">(.*?)</details>", html, re.S).group(1)
    assert 'method="get"' in form
    ticked = re.findall(r'id="col-(\w+)" name="cols" value="\w+" checked', form)
    assert ticked == ["mean", "median"]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert hidden["sort"] == "title" and hidden["order"] == "asc"  # the sort is kept
    assert hidden["cols"] == ""  # the marker that makes "nothing ticked" a choice


def test_the_forms_ticks_lead_to_one_cols_parameter_that_links_can_keep(ranked, client):
    """The checkboxes send `cols` once per box: the page redirects to `cols=a,b` so page links
    and downloads (which keep one value per parameter) keep the whole choice."""
    response = client.get(
        f"/decisions/calls/{ranked.id}?sort=title&order=asc&cols=&cols=median&cols=country"
    )
    assert response.status_code == 302
    assert args_of(response.location)["cols"] == ["country,median"]
    assert args_of(response.location)["sort"] == ["title"]
    assert headers(page(client, ranked, "?" + urlsplit(response.location).query)) == [
        "Compare",
        "Proposal",
        "Country",
        "Median",
    ]


def test_sort_links_and_the_filter_form_keep_the_columns(ranked, client):
    html = page(client, ranked, "?cols=median,country&strategy=norms")
    sort_links = [link for link in links(html) if "sort=median" in link]
    assert sort_links, "the median header sorts"
    assert args_of(sort_links[0])["cols"] == ["country,median"]
    assert args_of(sort_links[0])["strategy"] == ["norms"]
    filters = re.search(r'<form method="get" class="filters".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="cols" value="country,median">' in filters


@pytest.mark.parametrize("cols", ["colour", "mean,colour", "<script>"])
def test_an_unknown_column_is_refused_with_a_message(ranked, client, cols):
    response = client.get(f"/decisions/calls/{ranked.id}", query_string={"cols": cols})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "The ranking has no column called" in text
    assert "<script>" not in text
    assert "running_total" in text  # the names it knows


def test_the_sorted_header_says_its_order_and_the_others_say_none(ranked, client):
    html = page(client, ranked, "?sort=amount_requested&order=asc")
    sorts = dict(
        (unescape(re.sub(r"<[^>]+>|[▲▼]", "", label)).strip(), value)
        for value, label in re.findall(r'<th scope="col" aria-sort="(\w+)">(.*?)</th>', html, re.S)
    )
    assert sorts == {
        "Proposal": "none",
        "Country": "none",
        "Normalised": "none",
        "Mean": "none",
        "Requested": "ascending",
    }
    assert page(client, ranked).count('aria-sort="descending"') == 1  # mean, by default


def test_the_headers_that_do_not_sort_have_no_aria_sort(ranked, client):
    html = page(client, ranked)
    for label in ("Disagreement", "Running total", "Status", "Compare"):
        assert f'<th scope="col">{label}</th>' in html


def test_the_sort_links_are_named_by_their_column_alone(ranked, client):
    """The arrow is hidden from screen readers: aria-sort on the header says the order."""
    html = page(client, ranked)
    mean = re.search(r'aria-sort="descending">\s*<a href="[^"]+">(.*?)</a>', html, re.S).group(1)
    assert re.sub(r'<span aria-hidden="true">.*?</span>', "", mean).strip() == "Mean"


def queries_for_ranking(client, call) -> int:
    with count_queries() as statements:
        page(client, call, "?cols=" + ",".join(c for c in ("organisation", "median", "state")))
    return len(statements)


def test_the_query_count_does_not_grow_with_the_ranking(ranked, client):
    """2 proposals or 24 (from several organisations, with reviews): the same queries."""
    small = queries_for_ranking(client, ranked)
    reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
    for i in range(22):
        proposal = make_reviewed(ranked, make_organisation(make_user()), title=f"More {i}")
        for reviewer in reviewers:
            review(proposal, reviewer, (1 + i % 5, 1 + (i + 2) % 5))
    assert queries_for_ranking(client, ranked) == small
