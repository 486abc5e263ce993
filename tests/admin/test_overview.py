"""The secretariat's overview on the admin's dashboard: calls by state, late reviews by
reviewer, grants and money; each figure right, and the queries fixed whatever the data."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from fund.admin import late_reviews, overview
from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from tests.admin.overview_data import make_grant_with_tranches, make_review, proposal_in
from tests.conftest import count_queries, login, make_call, make_user


def section(html: str, section_id: str) -> str:
    """The HTML of the dashboard's <section id=...>."""
    start = html.index(f'<section class="panel" id="{section_id}">')
    return html[start : html.index("</section>", start)]


def test_proposals_are_counted_per_call_and_state(ctx):
    call = make_call(title="Open call")
    for state, n in (("draft", 2), ("submitted", 3), ("in_review", 1), ("awarded", 1)):
        for _ in range(n):
            proposal_in(call, state)
    other = make_call(title="Other call")
    proposal_in(other, "reviewed")
    figures = {f.call.title: f for f in overview.calls(utcnow())}
    assert figures["Open call"].counts == {"draft": 2, "submitted": 3, "in_review": 1, "awarded": 1}
    assert figures["Other call"].counts == {"reviewed": 1}


def test_old_calls_stay_only_while_proposals_wait_for_the_fund(ctx):
    """A call closed over a year ago leaves the overview once nothing in it waits."""
    long_ago = utcnow() - timedelta(days=400)
    finished, waiting, recent = (make_call(title=t) for t in ("Finished", "Waiting", "Recent"))
    for call in (finished, waiting):
        call.opens_at, call.closes_at = long_ago - timedelta(days=30), long_ago
    recent.opens_at, recent.closes_at = long_ago, utcnow() - timedelta(days=100)
    db.session.commit()
    proposal_in(finished, "awarded")
    proposal_in(waiting, "reviewed")
    shown = [f.call.title for f in overview.calls(utcnow())]
    assert "Finished" not in shown
    assert "Waiting" in shown and "Recent" in shown


def test_money_per_call_leaves_out_cancelled_grants(ctx):
    call = make_call()
    make_grant_with_tranches(call, amount="10000", paid=(True, False))
    make_grant_with_tranches(call, amount="5000")
    make_grant_with_tranches(call, amount="7000", state="cancelled")
    (figures,) = overview.calls(utcnow())
    assert figures.awarded == Decimal("15000")
    assert figures.paid == Decimal("8000")
    assert figures.outstanding == Decimal("7000")


def test_tranches_due_are_those_met_and_unpaid(ctx):
    """Paid, waiting for the agreement, or of a cancelled grant: not due."""
    call = make_call()
    make_grant_with_tranches(call)  # both due: signature, and a final report not scheduled
    make_grant_with_tranches(call, paid=(True, False))  # the second one due
    make_grant_with_tranches(call, state="pending_agreement")  # waits for the signature
    make_grant_with_tranches(call, state="cancelled")
    assert overview.grants(utcnow().date())["tranches_due"] == 3
    assert overview.tranche_rows(utcnow().date(), 1).total == 3


def test_reviews_are_counted_per_reviewer_overdue_and_this_week(ctx):
    call = make_call()
    late = make_user(Role.REVIEWER, name="Late Larry")
    busy = make_user(Role.REVIEWER, name="Busy Bea")
    in_review = proposal_in(call)
    make_review(in_review, late, due_in_days=-2)
    make_review(proposal_in(call), late, due_in_days=-10)
    make_review(proposal_in(call), late, due_in_days=3)
    make_review(in_review, busy, due_in_days=0)
    make_review(proposal_in(call), busy, due_in_days=30)  # not this week
    make_review(proposal_in(call), busy, due_in_days=-1, submitted_at=None, removed_at=utcnow())
    make_review(proposal_in(call, "reviewed"), busy, due_in_days=-1)  # no longer in review
    rows = {
        row.name: (row.overdue, row.week)
        for row in late_reviews.reviews_by_reviewer(utcnow().date())
    }
    assert rows == {"Late Larry": (2, 1), "Busy Bea": (0, 1)}


def test_admin_dashboard_links_each_count_to_its_list(client):
    call = make_call()
    proposal_in(call, "submitted")
    reviewer = make_user(Role.REVIEWER, name="Late Larry")
    make_review(proposal_in(call), reviewer, due_in_days=-2)
    make_grant_with_tranches(call, state="pending_agreement")
    login(client, make_user(Role.ADMIN))
    html = client.get("/dashboard").text
    calls = section(html, "overview-calls")
    assert f'href="/screening/calls/{call.id}?state=submitted">1</a>' in calls
    assert f'href="/screening/calls/{call.id}?state=in_review">1</a>' in calls
    reviews = section(html, "overview-reviews")
    assert (
        f'href="/admin/overview/reviews?when=overdue&amp;reviewer={reviewer.id}">1</a>' in reviews
    )
    grants = section(html, "overview-grants")
    assert 'href="/grants/?state=pending_agreement">1</a>' in grants
    assert re.search(r"Tranches due for payment: 0", grants)


def test_drafts_are_counted_but_never_linked(client):
    """A draft is its organisation's alone: the overview says how many, and shows none."""
    call = make_call()
    proposal_in(call, "draft")
    login(client, make_user(Role.ADMIN))
    calls = section(client.get("/dashboard").text, "overview-calls")
    assert re.search(r"<th scope=\"row\">draft</th>\s*<td>1</td>", calls)
    assert "state=draft" not in calls


def test_overview_queries_do_not_grow_with_calls_proposals_and_reviewers(client):
    admin = make_user(Role.ADMIN, Role.CHAIR)
    login(client, admin)

    def add_data() -> None:
        call = make_call()
        for _ in range(3):
            reviewer = make_user(Role.REVIEWER)
            make_review(proposal_in(call), reviewer, due_in_days=-1)
            make_review(proposal_in(call), reviewer, due_in_days=2)
            make_grant_with_tranches(call)

    add_data()
    client.get("/dashboard")
    with count_queries() as small:
        assert client.get("/dashboard").status_code == 200
    for _ in range(3):
        add_data()
    with count_queries() as large:
        assert client.get("/dashboard").status_code == 200
    assert len(large) == len(small)


def test_list_pages_queries_do_not_grow(client):
    login(client, make_user(Role.ADMIN))
    pages = ["/admin/overview/reviews?when=overdue", "/admin/overview/payments"]

    def add_data(n: int) -> None:
        call = make_call()
        for _ in range(n):
            make_review(proposal_in(call), due_in_days=-1)
            make_grant_with_tranches(call)

    add_data(1)
    small = {}
    for page in pages:
        client.get(page)
        with count_queries() as queries:
            assert client.get(page).status_code == 200
        small[page] = len(queries)
    add_data(8)
    for page in pages:
        with count_queries() as queries:
            assert client.get(page).status_code == 200
        assert len(queries) == small[page], page


def test_the_tranches_count_equals_the_rows_of_the_payments_page(client):
    """The demo pays every tranche that is due, so this count is checked on rows of its own."""
    call = make_call()
    make_grant_with_tranches(call)
    make_grant_with_tranches(call, paid=(True, False))
    make_grant_with_tranches(call, state="pending_agreement")
    login(client, make_user(Role.ADMIN))
    grants = section(client.get("/dashboard").text, "overview-grants")
    assert 'Tranches due for payment: <a href="/admin/overview/payments">3</a>' in grants
    page = client.get("/admin/overview/payments").text
    assert len(re.findall(r'<td><a href="/grants/\d+">', page)) == 3
    assert "3 tranches" in page
