"""The index pages of screening and decisions read each call's counts as stored at write time
(fund/calls/figures.py): the numbers they show follow the proposals, and on SQLite their
statements read no proposal row."""

from __future__ import annotations

from fund.decisions import queries as decision_queries
from fund.extensions import db
from fund.reviews import queries as review_queries
from tests.admin.overview_data import proposal_in
from tests.conftest import make_call
from tests.decisions.test_chair_dashboard_plans import plans_of


def calls_with_proposals():
    first, second = make_call(title="First"), make_call(title="Second")
    for call, state, n in (
        (first, "submitted", 2),
        (first, "in_review", 3),
        (first, "reviewed", 1),
        (second, "reviewed", 4),
        (second, "draft", 2),
    ):
        for _ in range(n):
            proposal_in(call, state)
    db.session.commit()
    return first, second


def test_the_screening_index_counts_submitted_and_in_review(ctx):
    first, second = calls_with_proposals()
    rows, plans = plans_of(review_queries.screening_calls)
    assert {call.id: (waiting, in_review) for call, waiting, in_review in rows} == {
        first.id: (2, 3),
        second.id: (0, 0),
    }
    assert all("proposals" not in plan for plan in plans)
    proposal_in(second, "submitted")
    rows = review_queries.screening_calls()
    assert {call.id: waiting for call, waiting, _ in rows} == {first.id: 2, second.id: 1}


def test_the_decisions_index_counts_the_reviewed(ctx):
    first, second = calls_with_proposals()
    rows, plans = plans_of(decision_queries.calls_with_counts)
    assert {call.id: n for call, n in rows} == {first.id: 1, second.id: 4}
    assert all("proposals" not in plan for plan in plans)


def test_the_screening_list_counts_from_the_stored_counts_unless_filtered(ctx):
    """The screening list's total adds up the stored counts of the states it lists (drafts are
    not listed), by state when filtered so; a filter on the country or the strategies still
    counts the proposals themselves. Each total equals the rows listed."""
    first, _ = calls_with_proposals()
    page, plans = plans_of(lambda: review_queries.screening_page(first))
    assert page.total == len(page.items) == 6
    if plans:  # SQLite: the count reads the stored counts, not the proposals
        assert "call_state_counts" in plans[0] and "proposals" not in plans[0]
    in_review = review_queries.screening_page(first, state="in_review")
    assert in_review.total == len(in_review.items) == 3
    country = in_review.items[0].country_code
    by_country = review_queries.screening_page(first, country=country)
    expected = [item for item in page.items if item.country_code == country]
    assert by_country.total == len(by_country.items) == len(expected)
