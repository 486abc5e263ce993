"""A page of the ranking sorts and totals the whole call but reads only its own rows in full
(the pages put together are the whole ranking); a conflicted chair's normalised scores are worked
out once per version of the call's statistics, and a changed review gives a new version at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fund.decisions import ranking
from fund.decisions import ranking_statements as statements
from fund.decisions.scores import version
from fund.extensions import db
from fund.models import Conflict, Role
from fund.reviews import services
from tests.conftest import count_queries, make_user
from tests.decisions.conftest import make_reviewed, review
from tests.decisions.test_stored_scores import live_statistics, random_call


def statistics_of(rows) -> dict[int, tuple]:
    return {
        r.proposal_id: (r.reviews, r.mean, r.median, r.std_dev, r.spread, r.normalised)
        for r in rows
        if r.reviews
    }


def reads_the_weighted_scores(statements) -> bool:
    """Whether a statement read every counted review's weighted score (the renormalising)."""
    return any("weighted_score" in s and "latest_round" in s for s in statements)


def conflicted_chair(organisation_id: int):
    chair = make_user(Role.CHAIR)
    db.session.add(Conflict(user_id=chair.id, organisation_id=organisation_id, reason="Board"))
    db.session.commit()
    return chair


@pytest.mark.parametrize("sort", ["mean", "normalised", "title", "amount_requested", "fund"])
@pytest.mark.parametrize("descending", [True, False])
def test_the_pages_put_together_are_the_whole_ranking(ctx, monkeypatch, sort, descending):
    call, proposals, reviewers = random_call(12)
    make_reviewed(call, title="Not reviewed yet")  # no statistics: listed last
    chair = conflicted_chair(proposals[1].organisation_id)
    filters = ranking.Filters(state="all", sort=sort, descending=descending)
    whole, left = ranking.ranking(call, chair, filters)
    assert len(whole) >= 9
    monkeypatch.setattr(ranking, "PER_PAGE", 4)
    pages = [ranking.ranking_page(call, chair, filters, n)[0] for n in (1, 2, 3)]
    assert [p.page for p in pages] == [1, 2, 3]
    assert all(p.total == len(whole) for p in pages)
    shown = [row for p in pages for row in p.items]
    assert shown == whole[:12]  # every field, the running totals and the envelope marks too
    assert shown[5].running_total == sum(r.amount_requested for r in whole[:6])
    assert ranking.ranking_page(call, chair, filters, "99")[0].page == -(-len(whole) // 4)
    assert ranking.ranking_page(call, chair, filters, "two")[0].page == 1


@pytest.mark.parametrize("sort", sorted(statements.SQL_SORTS))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("conflicted", [False, True])
def test_the_database_sorts_a_page_as_the_whole_ranking_does(
    ctx, monkeypatch, sort, descending, conflicted
):
    """With a numeric sort (but a conflicted chair's own normalised scores) the database sorts
    and totals: the pages put together are the ranking sorted in Python, ties by id and
    unscored rows last, a conflicted chair's hidden rows left out and their normalised scores
    their own."""
    call, proposals, reviewers = random_call(21)
    for proposal in proposals[:4]:  # ties on the amount
        proposal.amount_requested = Decimal("10000.10")
    make_reviewed(call, title="Not reviewed yet", amount="333.33")
    make_reviewed(call, title="Nor this", amount="0.70")
    db.session.commit()
    chair = conflicted_chair(proposals[1].organisation_id) if conflicted else make_user(Role.CHAIR)
    filters = ranking.Filters(state="all", sort=sort, descending=descending)
    whole, left = ranking.ranking(call, chair, filters)
    assert len(whole) == (11 if conflicted else 12)
    monkeypatch.setattr(ranking, "PER_PAGE", 5)
    pages = [ranking.ranking_page(call, chair, filters, n) for n in (1, 2, 3)]
    assert all(p.total == len(whole) and p_left == left for p, p_left in pages)
    shown = [row for p, _ in pages for row in p.items]
    assert shown == whole  # every field, the running totals and the envelope marks too
    assert ranking.ranking_page(call, chair, filters, "99")[0].page == 3
    assert ranking.ranking_page(call, chair, filters, "99")[0].items == whole[10:]


def test_a_page_reads_only_its_own_rows(ctx, monkeypatch):
    """The database sorts and sends the page's rows alone; a text sort (in Python) reads the
    page's own rows in full by their ids."""
    call, proposals, reviewers = random_call(13)
    monkeypatch.setattr(ranking, "PER_PAGE", 3)
    chair = make_user(Role.CHAIR)
    for number in (1, 2):
        with count_queries() as statements:
            page, _ = ranking.ranking_page(call, chair, ranking.Filters(state="all"), number)
        assert len(page.items) == 3
        titles = [s for s in statements if "proposals.title" in s]
        assert len(titles) == 1 and "LIMIT" in titles[0].upper()
    with count_queries() as statements:
        page, _ = ranking.ranking_page(call, chair, ranking.Filters(state="all", sort="title"), 1)
    assert len(page.items) == 3
    titles = [s for s in statements if "proposals.title" in s and "reference" in s]
    assert len(titles) == 1 and "IN (" in titles[0].upper()  # the page's ids, not the call


def counts(statement: str) -> bool:
    """Whether `statement` is one of its own giving the number listed: counting the proposals,
    or (filtered by state alone) from the call's stored counts per state."""
    statement = statement.lstrip().upper()
    if "LIMIT" in statement:  # a page's rows, which may carry the count
        return False
    return statement.startswith("SELECT COUNT(") or "FROM CALL_STATE_COUNTS" in statement


@pytest.mark.parametrize("page", [1, "1", "0", "-2", "two", None])
def test_the_first_page_is_one_statement_without_a_window(ctx, monkeypatch, page):
    """The first page's running totals are its own amounts added up: its rows, their amounts
    and the count come in one statement, with no window over the listed proposals."""
    call, proposals, reviewers = random_call(13)
    monkeypatch.setattr(ranking, "PER_PAGE", 3)
    filters = ranking.Filters(state="all", sort="amount_requested")
    with count_queries() as statements:
        shown, _ = ranking.ranking_page(call, make_user(Role.CHAIR), filters, page)
    whole, _ = ranking.ranking(call, make_user(Role.CHAIR), filters)
    assert shown.page == 1 and shown.total == len(whole) > 3
    assert shown.items == whole[:3]
    paged = [s for s in statements if "LIMIT" in s.upper()]
    assert len(paged) == 1 and " OVER " not in paged[0].upper()
    assert not [s for s in statements if counts(s)]


@pytest.mark.parametrize("page", [2, "3", "99"])
def test_a_later_page_counts_then_totals_every_row_before_it(ctx, monkeypatch, page):
    """Past the first page the count comes first (a page past the end shows the last), then
    a window over the listed proposals gives the running totals, the rows before the page's
    included."""
    call, proposals, reviewers = random_call(13)
    monkeypatch.setattr(ranking, "PER_PAGE", 4)
    filters = ranking.Filters(state="all", sort="amount_requested")
    whole, _ = ranking.ranking(call, make_user(Role.CHAIR), filters)
    last = -(-len(whole) // 4)
    assert last >= 3
    with count_queries() as statements:
        shown, _ = ranking.ranking_page(call, make_user(Role.CHAIR), filters, page)
    number = min(int(page), last)
    assert shown.page == number and shown.items == whole[(number - 1) * 4 : number * 4]
    paged = [s for s in statements if "LIMIT" in s.upper()]
    assert len(paged) == 1 and " OVER " in paged[0].upper()
    assert len([s for s in statements if counts(s)]) == 1


@pytest.mark.parametrize("page", [1, 3])
def test_nothing_listed_gives_an_empty_first_page(ctx, page):
    """No proposal in the state asked for: page 1 of nothing, whatever page was asked."""
    call, proposals, reviewers = random_call(13)
    filters = ranking.Filters(state="awarded")
    shown, _ = ranking.ranking_page(call, make_user(Role.CHAIR), filters, page)
    assert (shown.page, shown.total, shown.items) == (1, 0, [])


def test_a_conflicted_chair_works_the_normalised_scores_out_once_per_version(ctx):
    call, proposals, reviewers = random_call(14)
    hidden = proposals[0].organisation_id
    chair = conflicted_chair(hidden)
    everything = ranking.Filters(state="all")
    with count_queries() as first:
        rows, _ = ranking.ranking(call, chair, everything)
    assert reads_the_weighted_scores(first)
    assert statistics_of(rows) == {p: v[:6] for p, v in live_statistics(call.id, {hidden}).items()}
    with count_queries() as again:
        assert ranking.ranking(call, chair, everything)[0] == rows
    assert not reads_the_weighted_scores(again)  # the same version: worked out already

    # a review submitted now changes the reviewer's mean: a new version, and the new scores
    before = version(db.session.connection(), call.id)
    proposal = make_reviewed(call, title="Late one", state="in_review")
    assignment = review(proposal, reviewers[0], (1, 1), submitted=False)
    db.session.commit()
    data = {"scores": {c.id: 5 for c in call.criteria}, "recommendation": "fund"}
    services.save_review(assignment, data, assignment.reviewer, submit=True)
    db.session.commit()
    assert version(db.session.connection(), call.id) != before
    with count_queries() as after:
        rows, _ = ranking.ranking(call, chair, everything)
    assert reads_the_weighted_scores(after)
    live = live_statistics(call.id, {hidden})
    assert statistics_of(rows) == {p: v[:6] for p, v in live.items()}
    assert proposal.id in live


def test_two_conflicted_chairs_each_get_their_own_scores(ctx):
    call, proposals, reviewers = random_call(15)
    one = proposals[0].organisation_id
    two = next(p.organisation_id for p in proposals if p.organisation_id != one)
    first, second = conflicted_chair(one), conflicted_chair(two)
    everything = ranking.Filters(state="all")
    for chair, hidden in ((first, one), (second, two), (first, one)):
        rows, _ = ranking.ranking(call, chair, everything)
        live = live_statistics(call.id, {hidden})
        assert statistics_of(rows) == {p: v[:6] for p, v in live.items()}


def test_every_refresh_gives_the_call_a_new_version(app, ctx):
    call, proposals, reviewers = random_call(16)
    tokens = {version(db.session.connection(), call.id)}
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["fund", "recompute-scores", "--call", call.id])
        assert result.exit_code == 0, result.output
        tokens.add(version(db.session.connection(), call.id))
    assert None not in tokens and len(tokens) == 3
    assert all(len(token) == 32 for token in tokens)


def test_the_order_reads_the_amounts_from_the_index_not_the_proposals_rows(ctx, sqlite_only):
    """On SQLite a proposal's amount sits after its long texts in the row: the ranking's order
    (every listed proposal's id, amount and state) is read from ix_proposals_call_ranking."""
    # (PostgreSQL keeps long texts out of the row, TOAST: there the plan is its own affair)
    from fund.models import Proposal, ProposalScore

    call, proposals, reviewers = random_call(17)
    filters = ranking.Filters()
    query = statements.listed(
        statements.kind_of(frozenset(), filters),
        Proposal.id,
        Proposal.amount_requested,
        ProposalScore.reviews,
        ProposalScore.mean,
    ).params(statements.values_of(call, frozenset(), filters))
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = " ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "COVERING INDEX ix_proposals_call_ranking" in plan, plan


@pytest.mark.parametrize("sort", ["mean", "reviews", "amount_requested"])
@pytest.mark.parametrize("number", [1, 2])
def test_sqlite_sorts_the_listed_proposals_once_for_a_page(
    ctx, sqlite_only, monkeypatch, sort, number
):
    """A page's order is one sort of the listed proposals, with the statement's own bound
    parameters: a zero bound in the sort key made each ORDER BY a different expression to
    SQLite, which then sorted every listed proposal three times. On a later page the window
    (position, running total) shares that sort."""
    call, proposals, reviewers = random_call(19)
    monkeypatch.setattr(ranking, "PER_PAGE", 4)
    statements = []
    real_rows = ranking._rows
    monkeypatch.setattr(ranking, "_rows", lambda q, v: statements.append((q, v)) or real_rows(q, v))
    filters = ranking.Filters(state="all", sort=sort)
    page, _ = ranking.ranking_page(call, make_user(Role.CHAIR), filters, number)
    assert page.items and page.page == number
    statement, values = statements[-1]
    compiled = statement.params(values).compile(
        db.engine, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    bound = tuple(params[name] for name in compiled.positiontup)
    raw = db.session.connection().connection.driver_connection
    plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}", bound)]
    sorts = [step for step in plan if "TEMP B-TREE" in step]
    assert len(sorts) == 2, plan  # the listed proposals once, then the page's 50 rows


def test_statements_built_once_serve_each_call_viewer_and_filter_in_turn(ctx):
    """The ranking's statements are built once per kind of filters and run with the call's,
    the viewer's and the filters' values: two calls, two chairs (one conflicted) and each
    filter, in turn and twice round, each list exactly their own proposals."""
    from fund.models import Organisation, ProposalScore, ProposalState

    calls = []
    for seed in (5, 6):
        call, proposals, _ = random_call(seed)
        for n, proposal in enumerate(proposals):
            proposal.state = ProposalState.REVIEWED if n % 3 else ProposalState.IN_REVIEW
            proposal.strategies = ["safe_environments"] if n % 2 else ["norms"]
            db.session.get(Organisation, proposal.organisation_id).country_code = (
                "KE" if n % 4 == 1 else "UG"
            )
        db.session.commit()
        calls.append((call, proposals))
    plain = make_user(Role.CHAIR)
    conflicted = conflicted_chair(calls[1][1][1].organisation_id)
    filter_sets = [
        ranking.Filters(state="all"),
        ranking.Filters(state="reviewed", sort="amount_requested"),
        ranking.Filters(state="all", country="KE", sort="title"),
        ranking.Filters(state="all", strategy="safe_environments", descending=False),
        ranking.Filters(state="all", disagreement_only=True, sort="reviews"),
    ]

    def listed(call, proposals, hidden, filters) -> set[int]:
        wanted = set()
        for proposal in proposals:
            score = db.session.get(ProposalScore, proposal.id)
            country = db.session.get(Organisation, proposal.organisation_id).country_code
            if proposal.organisation_id in hidden:
                continue
            if filters.state != "all" and proposal.state != filters.state:
                continue
            if filters.country and country != filters.country:
                continue
            if filters.strategy and filters.strategy not in proposal.strategies:
                continue
            if filters.disagreement_only and not (
                score and score.reviews and score.std_dev > float(call.disagreement_threshold)
            ):
                continue
            wanted.add(proposal.id)
        return wanted

    listed_by = [0] * len(filter_sets)  # each filter lists some proposals, and not all
    for _ in range(2):
        for call, proposals in calls:
            for viewer, hidden in ((plain, set()), (conflicted, {calls[1][1][1].organisation_id})):
                for n, filters in enumerate(filter_sets):
                    page, _ = ranking.ranking_page(call, viewer, filters, 1)
                    expected = listed(call, proposals, hidden, filters)
                    assert {row.proposal_id for row in page.items} == expected, filters
                    assert page.total == len(expected)
                    listed_by[n] += len(expected)
    assert all(0 < n < 2 * 2 * 2 * 10 for n in listed_by), listed_by
