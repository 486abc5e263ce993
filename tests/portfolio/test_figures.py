"""The portfolio's figures on the small portfolio of conftest.py, against values worked out by
hand there (not read back from the same queries)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.extensions import db
from fund.portfolio import charts, summary
from fund.portfolio.queries import Filters

D = Decimal
MONEY_HEADINGS = ["Grants", "Awarded (USD)", "Paid (USD)", "Awarded (EUR)", "Paid (EUR)"]


def rows(portfolio, key):
    table = portfolio.table(key)
    return table.rows, table.footer


def test_six_grants_count_and_five_organisations(small_portfolio):
    """The cancelled grant is left out; the unpublished one counts."""
    assert summary.portfolio(Filters()).headline == {"grants": 6, "organisations": 5}


def test_currencies_are_never_added_together(small_portfolio):
    portfolio = summary.portfolio(Filters())
    assert portfolio.currencies == ["USD", "EUR"]
    assert [c.heading for c in portfolio.table("call").columns][1:] == MONEY_HEADINGS


def test_by_call_a_lone_grant_hides_its_neighbour_but_not_the_total(small_portfolio):
    assert rows(summary.portfolio(Filters()), "call") == (
        [
            ["Call A", "<5", D(40000), D(4000), D(0), D(0)],
            ["Call B", "<5", D(0), D(0), D(7000), D(1500)],
        ],
        ["Total", 6, D(40000), D(4000), D(7000), D(1500)],
    )


def test_by_year_of_award(small_portfolio):
    table, footer = rows(summary.portfolio(Filters()), "year")
    assert table == [
        ["2025", "<5", D(0), D(0), D(7000), D(1500)],
        ["2026", "<5", D(40000), D(4000), D(0), D(0)],
    ]
    assert footer[1] == 6


def test_by_country_region_income_group_and_type(small_portfolio):
    portfolio = summary.portfolio(Filters())
    assert rows(portfolio, "country")[0] == [
        ["Kenya", "<5", D(5000), D(0), D(0), D(0)],
        ["Uganda", "<5", D(35000), D(4000), D(7000), D(1500)],
    ]
    # One region holding every grant: nothing small, nothing to hide.
    assert rows(portfolio, "region") == (
        [["Africa", 6, D(40000), D(4000), D(7000), D(1500)]],
        ["Total", 6, D(40000), D(4000), D(7000), D(1500)],
    )
    assert [row[:3] for row in rows(portfolio, "income_group")[0]] == [
        ["Low income", "<5", D(35000)],
        ["Lower-middle income", "<5", D(5000)],
    ]
    assert [row[:2] for row in rows(portfolio, "org_type")[0]] == [
        ["Community-based organisation", "<5"],
        ["Non-governmental organisation", "<5"],
    ]


def test_by_strategy_a_grant_counts_under_each_and_there_is_no_total(small_portfolio):
    """Norms: grants 1, 2, 3, 6, 7 (5, shown); laws: grants 1 and 4 (2, hidden). No total, so
    no line: the 5 stays shown."""
    assert rows(summary.portfolio(Filters()), "strategy") == (
        [
            ["Implementation and enforcement of laws", "<5", D(10000), D(4000), D(7000), D(1500)],
            ["Norms and values", 5, D(40000), D(4000), D(0), D(0)],
        ],
        None,
    )


def test_people_reached_from_accepted_reports_with_secondary_suppression(small_portfolio):
    """Accepted reports only: female 10-14 = 12 + 8 = 20, male 10-14 = 3, male 15-17 = 9.
    Worked through the rule of fund/portfolio/suppression.py (rows, then columns, repeated):
    male 10-14 (3) is small; row 10-14 then hides female 10-14 (20); column female has no other
    cell above zero, so its total (20) goes; column male hides male 15-17 (9); then row 15-17
    hides its total (9), the totals row hides the male total (12), and the totals column hides
    the 10-14 total (23). The grand total (32) stays."""
    table, footer = rows(summary.portfolio(Filters()), "reach")
    assert table == [
        ["0-4", 0, 0, 0, 0],
        ["5-9", 0, 0, 0, 0],
        ["10-14", "<5", "<5", 0, "<5"],
        ["15-17", 0, "<5", 0, "<5"],
        ["18 and over", 0, 0, 0, 0],
    ]
    assert footer == ["Total", "<5", "<5", 0, 32]


def test_numeric_indicators_are_summed_across_accepted_reports(small_portfolio):
    """Events 3 + 4 = 7, materials 10 + 2 = 12, partners 1; each from under 5 grants. Media
    reach was answered by no one and is left out; the submitted report's 100 events too."""
    assert rows(summary.portfolio(Filters()), "indicators") == (
        [
            ["Events held", 7, "<5"],
            ["Materials produced", 12, "<5"],
            ["Partners engaged", "<5", "<5"],
        ],
        None,
    )


def test_the_period_filter_counts_grants_awarded_within_it(small_portfolio):
    portfolio = summary.portfolio(Filters(start=date(2026, 1, 1), end=date(2026, 12, 31)))
    assert portfolio.headline == {"grants": 5, "organisations": 5}
    assert portfolio.currencies == ["USD"]
    assert rows(portfolio, "country") == (
        [["Kenya", "<5", D(5000), D(0)], ["Uganda", "<5", D(35000), D(4000)]],
        ["Total", 5, D(40000), D(4000)],
    )


def test_the_call_filter_counts_that_call_only(small_portfolio):
    portfolio = summary.portfolio(Filters(call_id=small_portfolio.call_b.id))
    assert portfolio.headline == {"grants": "<5", "organisations": "<5"}
    assert rows(portfolio, "call") == (
        [["Call B", "<5", D(7000), D(1500)]],
        ["Total", "<5", D(7000), D(1500)],
    )
    # Grant 4 had no accepted report.
    assert rows(portfolio, "indicators") == ([], None)
    assert rows(portfolio, "reach")[1] == ["Total", 0, 0, 0, 0]


def test_the_map_colours_countries_by_amount_in_the_main_currency(small_portfolio):
    chart = summary.portfolio(Filters()).map
    assert chart.currency == "USD"
    assert [(c.code, c.value, c.colour) for c in chart.countries] == [
        ("KE", D(5000), charts.MAP_COLOURS[0]),
        ("UG", D(35000), charts.MAP_COLOURS[4]),
    ]
    assert chart.legend[-1][1:] == (D(28000), D(35000))


def test_bars_are_as_long_as_their_share_of_the_largest_amount():
    chart = charts.bar_chart([("A", D(100), ""), ("B", D(50), ""), ("C", D(0), "")])
    assert [bar.width for bar in chart.bars] == [charts.BAR_SPACE, charts.BAR_SPACE // 2, 0]


def test_strategies_that_add_up_to_the_grants_are_protected_like_a_total(small_portfolio):
    """Once every grant names one strategy (grant 1 drops laws), laws 1 + norms 5 = the six
    grants of the headline: laws (1, grant 4) alone hidden would be 6 - 5, so norms is hidden
    too."""
    small_portfolio.grants[0].proposal.strategies = ["norms"]
    db.session.commit()
    assert [row[:2] for row in rows(summary.portfolio(Filters()), "strategy")[0]] == [
        ["Implementation and enforcement of laws", "<5"],
        ["Norms and values", "<5"],
    ]
