"""The ranking page shows 50 rows a page, cut from the whole call after sorting and filtering:
page 2 goes on in the same order and its running totals count the rows of page 1."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.models import Conflict, ProposalState, Role
from tests.conftest import login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call

N = 57  # one full page of 50 and 7 rows on the second
# The running total's cell in the compact default: after the tick, the proposal, the country,
# the normalised and mean scores, the disagreement flag and the amount requested.
RUNNING_TOTAL = 7


@pytest.fixture
def big_call(ctx):
    """57 reviewed proposals asking 1,001 to 1,057 (all from one organisation), plus a declined
    one that the default state filter leaves out; envelope 58,000."""
    call = make_rubric_call(envelope="58000")
    organisation = make_organisation(make_user(Role.APPLICANT))
    for i in range(1, N + 1):
        make_reviewed(call, organisation, amount=str(1000 + i), title=f"Bulk {i:02d}")
    make_reviewed(
        call, organisation, amount="999999", title="Declined one", state=ProposalState.DECLINED
    )
    return call, make_user(Role.CHAIR)


def shown(html: str) -> list[tuple[str, Decimal]]:
    """(title, running total) of each row of the table, in order."""
    rows = re.findall(r'<tr data-proposal="\d+">(.*?)</tr>', html, re.S)
    result = []
    for row in rows:
        title = re.search(r"<br>(Bulk \d\d|Declined one)</td>", row).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        running = cells[RUNNING_TOTAL].split("<br>")[0]
        result.append((title, Decimal(running.replace(",", "").replace("$", ""))))
    return result


def expected(amounts_desc: list[int]) -> list[tuple[str, Decimal]]:
    total, rows = Decimal(0), []
    for amount in amounts_desc:
        total += amount
        rows.append((f"Bulk {amount - 1000:02d}", total))
    return rows


def test_the_ranking_shows_at_most_50_rows_and_page_2_goes_on_in_order(big_call, client):
    """Sorted by amount, highest first: page 1 is 1,057 down to 1,008, page 2 is 1,007 down to
    1,001 with running totals that include page 1's 50 rows."""
    call, chair = big_call
    login(client, chair)
    everything = expected(list(range(1000 + N, 1000, -1)))
    first = client.get(f"/decisions/calls/{call.id}?sort=amount_requested&order=desc")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert shown(html) == everything[:50]
    assert "57 proposals" in html
    assert "Page 1 of 2" in html
    second = client.get(f"/decisions/calls/{call.id}?sort=amount_requested&order=desc&page=2")
    assert second.status_code == 200
    assert shown(second.get_data(as_text=True)) == everything[50:]
    assert everything[50][1] == sum(range(1001 + 7, 1000 + N + 1)) + 1007


def test_the_page_links_keep_the_sort_and_the_filters(big_call, client):
    """The next-page link carries the sort, the order and the filters, with page=2."""
    call, chair = big_call
    login(client, chair)
    html = client.get(
        f"/decisions/calls/{call.id}?state=reviewed&sort=title&order=asc&strategy=norms"
    ).get_data(as_text=True)
    link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    for part in ("sort=title", "order=asc", "state=reviewed", "strategy=norms", "page=2"):
        assert part in link
    second = client.get(link)
    assert [title for title, _ in shown(second.get_data(as_text=True))] == [
        f"Bulk {i:02d}" for i in range(51, N + 1)
    ]


def test_the_envelope_marker_falls_on_the_row_where_the_whole_list_crosses_it(big_call, client):
    """Envelope 58,000 in ascending order of amount: 1,001 + ... + 1,056 = 57,596 stays within
    it, the 57th row (58,653) on page 2 is the first beyond it."""
    call, chair = big_call
    login(client, chair)
    html = client.get(
        f"/decisions/calls/{call.id}?sort=amount_requested&order=asc&page=2"
    ).get_data(as_text=True)
    rows = re.findall(r'<tr data-proposal="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 7
    assert [("beyond the envelope left" in row) for row in rows] == [False] * 6 + [True]
    assert "58,653.00" in rows[-1]


@pytest.mark.parametrize("page", ["0", "-3", "99", "two", ""])
def test_odd_page_numbers_show_the_nearest_page(big_call, client, page):
    """Below 1 or not a number gives page 1; past the end gives the last page."""
    call, chair = big_call
    login(client, chair)
    response = client.get(f"/decisions/calls/{call.id}?sort=title&order=asc&page={page}")
    assert response.status_code == 200
    titles = [title for title, _ in shown(response.get_data(as_text=True))]
    assert titles[0] == ("Bulk 51" if page == "99" else "Bulk 01")


def test_the_csv_keeps_every_row_whatever_the_page(big_call, client):
    call, chair = big_call
    login(client, chair)
    response = client.get(f"/decisions/calls/{call.id}/ranking.csv?page=2")
    assert response.status_code == 200
    assert len(response.get_data(as_text=True).splitlines()) == N + 1


@pytest.mark.parametrize("conflicted", [False, True], ids=["no-conflict", "conflicted"])
@pytest.mark.parametrize("page", [1, 2])
def test_the_count_is_of_the_proposals_listed(big_call, client, conflicted, page):
    """The count shown (the call's stored counts per state, less a conflicted chair's hidden
    organisations) is the number of rows the ranking lists, whatever the state filter: 57
    reviewed and one declined, plus two reviewed from an organisation the chair may have a
    conflict with, and a draft that is never listed."""
    call, chair = big_call
    other = make_organisation(make_user(Role.APPLICANT))
    for title in ("Other 1", "Other 2"):
        make_reviewed(call, other, amount="500", title=title)
    make_reviewed(call, other, amount="500", title="Draft", state=ProposalState.DRAFT)
    if conflicted:
        db.session.add(Conflict(user_id=chair.id, organisation_id=other.id, reason="Trustee"))
    db.session.commit()
    login(client, chair)
    others = 0 if conflicted else 2
    for state, listed in (("reviewed", N + others), ("declined", 1), ("all", N + 1 + others)):
        html = client.get(f"/decisions/calls/{call.id}?state={state}&page={page}").get_data(
            as_text=True
        )
        assert f">{listed} proposal" in html, (state, listed)
        every = client.get(f"/decisions/calls/{call.id}/ranking.csv?state={state}")
        assert len(every.get_data(as_text=True).strip().splitlines()) == listed + 1
