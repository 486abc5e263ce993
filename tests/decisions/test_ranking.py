"""The ranking's statistics against values worked out by hand, conflicts, filters, sorting, the
CSV and the number of queries."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pytest

from fund.decisions import ranking
from fund.extensions import db
from fund.models import Conflict, ProposalState, Role
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review


@pytest.fixture
def world(ctx):
    """Four proposals; weighted score = 15 (a - 1) + 10 (b - 1).

    R1 scores P1 100 and P2 70 (mean 85, sd 15: z +1 and -1); R2 scores P1 50 and P2 30 (mean
    40, sd 10: z +1 and -1); R3 reviews only P2 (25) and R4 only P3 (0): single reviews; R5
    scores P3 and P4 75 each: no variance. Threshold 21 points of standard deviation.
    """
    call = make_rubric_call(threshold="21")
    r = {n: make_user(Role.REVIEWER, name=f"Reviewer {n}") for n in range(1, 6)}
    p = {
        1: make_reviewed(call, amount="30000", title="P1"),
        2: make_reviewed(call, amount="20000", title="P2"),
        3: make_reviewed(call, amount="10000", title="P3"),
        4: make_reviewed(call, amount="5000", title="P4"),
    }
    review(p[1], r[1], (5, 5), "fund")
    review(p[1], r[2], (3, 3), "fund_with_changes")
    review(p[2], r[1], (3, 5), "fund")
    review(p[2], r[2], (3, 1), "fund_with_changes")
    review(p[2], r[3], (2, 2), "do_not_fund")
    review(p[3], r[4], (1, 1), "do_not_fund")
    review(p[3], r[5], (4, 4), "fund")
    review(p[4], r[5], (4, 4), "fund")
    chair = make_user(Role.CHAIR)
    return call, p, r, chair


def rows_by_title(call, viewer, **filters):
    rows, _ = ranking.ranking(call, viewer, ranking.Filters(**filters))
    return {row.title: row for row in rows}


def test_weighted_mean_median_spread_and_disagreement_match_the_hand_worked_values(world):
    """P1 (100, 50): mean 75, median 75, sd 25, range 50, flagged. P2 (70, 30, 25): mean 41.67,
    median 30, sd 20.14, range 45, not flagged at 21."""
    call, p, r, chair = world
    rows = rows_by_title(call, chair)
    one, two = rows["P1"], rows["P2"]
    assert (one.reviews, one.mean, one.median, one.std_dev, one.spread) == (2, 75, 75, 25, 50)
    assert one.disagreement is True
    assert two.reviews == 3
    assert two.mean == pytest.approx(125 / 3)
    assert two.median == 30
    assert two.std_dev == pytest.approx(
        math.sqrt(((70 - 125 / 3) ** 2 + (30 - 125 / 3) ** 2 + (25 - 125 / 3) ** 2) / 3)
    )
    assert two.std_dev == pytest.approx(20.138, abs=1e-3)
    assert two.spread == 45
    assert two.disagreement is False
    assert two.tally == {"fund": 1, "fund_with_changes": 1, "do_not_fund": 1}


def test_normalised_score_averages_z_scores_and_leaves_out_single_and_flat_reviewers(world):
    """P1 +1 and P2 -1 (R3's single review left out); P3 and P4 have only single-review or
    zero-variance reviewers, so no normalised score."""
    call, p, r, chair = world
    rows = rows_by_title(call, chair)
    assert rows["P1"].normalised == pytest.approx(1)
    assert rows["P2"].normalised == pytest.approx(-1)
    assert rows["P3"].normalised is None
    assert rows["P4"].normalised is None


def test_one_reviewer_gives_no_spread(world):
    """P4 has one review (75): mean and median 75, sd and range 0, no disagreement."""
    call, p, r, chair = world
    four = rows_by_title(call, chair)["P4"]
    assert (four.reviews, four.mean, four.median, four.std_dev, four.spread) == (1, 75, 75, 0, 0)
    assert four.disagreement is False


def test_a_reviewer_scoring_everything_alike_and_a_single_review_make_a_flagged_pair(world):
    """P3 (0, 75): mean 37.5, sd 37.5, range 75, flagged."""
    call, p, r, chair = world
    three = rows_by_title(call, chair)["P3"]
    assert (three.mean, three.median, three.std_dev, three.spread) == (37.5, 37.5, 37.5, 75)
    assert three.disagreement is True


def test_unsubmitted_removed_and_earlier_round_reviews_do_not_count(world):
    """Only the latest round's submitted reviews are aggregated."""
    call, p, r, chair = world
    extra = make_user(Role.REVIEWER)
    review(p[4], extra, (1, 1), submitted=False)
    gone = review(p[4], make_user(Role.REVIEWER), (1, 1))
    gone.removed_at = gone.submitted_at
    review(p[1], r[3], (1, 1), round=2)  # P1 now has one round-2 review
    db.session.commit()
    rows = rows_by_title(call, chair)
    assert rows["P4"].reviews == 1
    assert (rows["P1"].reviews, rows["P1"].mean) == (1, 0)


def test_a_conflicted_chair_sees_neither_the_row_nor_its_part_in_any_aggregate(world):
    """With a conflict on P1's organisation, P1 is gone and R1 and R2 are left with a single
    review each, so P2 has no normalised score."""
    call, p, r, chair = world
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=p[1].organisation_id, reason="Board member")
    )
    db.session.commit()
    rows = rows_by_title(call, chair)
    assert "P1" not in rows
    assert rows["P2"].normalised is None


def test_rows_sort_by_any_column_with_unscored_rows_last(world):
    call, p, r, chair = world
    unscored = make_reviewed(call, title="P5", amount="1000")
    rows, _ = ranking.ranking(call, chair, ranking.Filters(sort="mean", descending=True))
    assert [row.title for row in rows] == ["P1", "P4", "P2", "P3", "P5"]
    rows, _ = ranking.ranking(
        call, chair, ranking.Filters(sort="amount_requested", descending=False)
    )
    assert [row.title for row in rows] == ["P5", "P4", "P3", "P2", "P1"]
    assert unscored.id == rows[0].proposal_id


def test_running_total_is_compared_with_the_envelope_left(world):
    """Envelope 100,000; the requests add up to 65,000 in mean order."""
    call, p, r, chair = world
    call.budget_envelope = Decimal("55000")
    db.session.commit()
    rows, left = ranking.ranking(call, chair)
    assert left == Decimal("55000")
    assert [(row.title, row.running_total, row.over_envelope) for row in rows] == [
        ("P1", Decimal("30000"), False),
        ("P4", Decimal("35000"), False),
        ("P2", Decimal("55000"), False),
        ("P3", Decimal("65000"), True),
    ]


def test_the_page_shows_what_the_awards_left_of_the_envelope(world, client):
    """Envelope 55,000: an award of 4,000 to P4 leaves 51,000, on the page (read there without
    the ORM) as for the award guard; the running totals of P2 (55,000) and P3 (65,000) are
    then beyond it."""
    from fund.rules.envelope import envelope_left, envelope_left_shown

    call, p, r, chair = world
    call.budget_envelope = Decimal("55000")
    db.session.commit()
    login(client, chair)
    assert decide(client, p[4].id, "award", amount="4000").status_code == 302
    db.session.expire_all()
    assert envelope_left(call) == envelope_left_shown(call) == Decimal("51000")
    html = client.get(f"/decisions/calls/{call.id}?state=all").get_data(as_text=True)
    assert "left after the awards made: $51,000.00." in html
    assert html.count("beyond the envelope left") == 2


def test_filters_by_state_country_strategy_and_disagreement(world):
    call, p, r, chair = world
    other = make_reviewed(
        call,
        make_organisation(make_user(), country_code="KE"),
        title="Kenya",
        strategies=("education",),
        state=ProposalState.DECLINED,
    )
    assert "Kenya" not in rows_by_title(call, chair)
    assert set(rows_by_title(call, chair, state="all", country="KE")) == {"Kenya"}
    assert set(rows_by_title(call, chair, state="all", strategy="education")) == {"Kenya"}
    assert set(rows_by_title(call, chair, disagreement_only=True)) == {"P1", "P3"}
    assert other.id


def test_the_page_and_csv_show_the_rows(world, client):
    call, p, r, chair = world
    login(client, chair)
    page = client.get(f"/decisions/calls/{call.id}?sort=normalised&order=desc")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # The titles as cells: "P1" alone could also turn up inside a random CSRF token.
    assert html.index(">P1<") < html.index(">P2<")
    assert "Reviewer 1" not in html  # names are on the decision page, not in the ranking
    response = client.get(f"/decisions/calls/{call.id}/ranking.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Reference", "Title"]
    assert len(rows) == 5
    assert "P1" in rows[1] and "75.00" in rows[1] and "25.00" in rows[1]


def test_csv_cells_that_look_like_formulas_are_quoted(world, client):
    call, p, r, chair = world
    p[1].title = '=HYPERLINK("x")'
    db.session.commit()
    login(client, chair)
    text = client.get(f"/decisions/calls/{call.id}/ranking.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize(
    "bad",
    [
        "sort=drop_table",
        "order=sideways",
        "state=nonsense",
        "country=%00%00%00",
        "strategy=" + "x" * 500,
    ],
)
def test_odd_query_strings_fall_back_to_defaults(world, client, bad):
    call, p, r, chair = world
    login(client, chair)
    assert client.get(f"/decisions/calls/{call.id}?{bad}").status_code == 200


def _add_proposals(call, n: int, reviewers) -> None:
    for i in range(n):
        proposal = make_reviewed(call, title=f"Bulk {i}")
        for reviewer in reviewers:
            review(proposal, reviewer, (1 + i % 5, 1 + (i * 3) % 5))


def test_the_ranking_takes_the_same_number_of_queries_for_3_and_30_proposals(ctx, client):
    """The page's queries do not grow with proposals and reviews."""
    call = make_rubric_call()
    chair = make_user(Role.CHAIR)
    reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
    _add_proposals(call, 3, reviewers)
    login(client, chair)
    url = f"/decisions/calls/{call.id}"
    client.get(url)  # warm caches (babel, templates)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _add_proposals(call, 27, reviewers)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 10
