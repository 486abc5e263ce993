"""The ranking's statistics kept at write time (fund/decisions/scores.py) always equal the ones
worked out from the criterion scores, after submissions, removals, conflicts and a second
round on random data; `flask fund recompute-scores` rebuilds them; the ranking reads them."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import delete, select, update

from fund.decisions import ranking
from fund.decisions.stats import reviewer_statistics
from fund.extensions import db
from fund.models import Conflict, ProposalScore, ProposalState, Review, ReviewerScore, Role
from fund.models.base import utcnow
from fund.reviews import assignment as assigning
from fund.reviews import services
from tests.conftest import count_queries, make_user
from tests.decisions import live_ranking
from tests.decisions.conftest import make_reviewed, make_rubric_call, review

RECOMMENDATIONS = ("fund", "fund_with_changes", "do_not_fund")
TALLY = ("fund", "fund_with_changes", "do_not_fund")


def stored_statistics(call_id: int) -> dict[int, tuple]:
    rows = db.session.execute(
        select(
            ProposalScore.proposal_id,
            ProposalScore.reviews,
            ProposalScore.mean,
            ProposalScore.median,
            ProposalScore.std_dev,
            ProposalScore.spread,
            ProposalScore.normalised,
            ProposalScore.fund,
            ProposalScore.fund_with_changes,
            ProposalScore.do_not_fund,
        ).where(ProposalScore.call_id == call_id, ProposalScore.reviews > 0)
    )
    return {pid: tuple(values) for pid, *values in rows}


def live_statistics(call_id: int, hidden=frozenset()) -> dict[int, tuple]:
    """What the ranking computed from the criterion scores before the statistics were kept."""
    return {
        pid: (
            row.reviews,
            row.mean,
            row.median,
            row.std_dev,
            row.spread,
            row.normalised,
            *(row.tally.get(key, 0) for key in TALLY),
        )
        for pid, row in live_ranking.live_statistics(call_id, set(hidden)).items()
    }


def live_reviewers(call_id: int) -> dict[int, tuple]:
    scores = defaultdict(list)
    for scored in live_ranking.current_round_reviews(call_id, set()):
        scores[scored.reviewer_id].append(scored.score)
    return {rid: (len(s), *reviewer_statistics(s)) for rid, s in scores.items()}


def stored_reviewers(call_id: int) -> dict[int, tuple]:
    rows = db.session.execute(
        select(
            ReviewerScore.reviewer_id,
            ReviewerScore.reviews,
            ReviewerScore.mean,
            ReviewerScore.std_dev,
        ).where(ReviewerScore.call_id == call_id)
    )
    return {rid: tuple(values) for rid, *values in rows}


def submit(rng: random.Random, assignment: Review) -> None:
    """A reviewer submits random scores through the review service."""
    criteria = assignment.proposal.call.criteria
    data = {
        "scores": {c.id: rng.randint(1, 5) for c in criteria},
        "recommendation": rng.choice(RECOMMENDATIONS),
    }
    services.save_review(assignment, data, assignment.reviewer, submit=True)
    db.session.commit()


def random_call(seed: int):
    """A call with 10 proposals, each reviewed by 3 of 6 reviewers through the review service
    (some left unsubmitted), then: a submitted review removed, one ended by a conflict, an
    unsubmitted one removed through the service, and a second round on three proposals."""
    rng = random.Random(seed)
    call = make_rubric_call(threshold="15")
    reviewers = [make_user(Role.REVIEWER) for _ in range(6)]
    proposals = [
        make_reviewed(call, title=f"P{i}", state=ProposalState.IN_REVIEW) for i in range(10)
    ]
    assignments = []
    for proposal in proposals:
        for reviewer in rng.sample(reviewers, 3):
            assignments.append(review(proposal, reviewer, (1, 1), submitted=False))
    for assignment in assignments:
        assignment.scores.clear()  # the factory's scores: each reviewer gives their own below
    db.session.commit()
    for assignment in assignments:
        if rng.random() < 0.85:
            submit(rng, assignment)
    submitted = [a for a in assignments if a.submitted_at is not None]
    rng.choice(submitted).removed_at = utcnow()
    rng.choice(submitted).conflict_declared_at = utcnow()
    db.session.commit()
    open_ones = [
        a for a in assignments if a.submitted_at is None and a.proposal.state == "in_review"
    ]
    if open_ones:
        assigning.remove_reviewer(rng.choice(open_ones), None)
        db.session.commit()
    for proposal in rng.sample(proposals, 3):
        proposal.state = ProposalState.IN_REVIEW  # resubmitted after a request for changes
        db.session.commit()
        new_round = services.start_new_round(proposal, None, date(2030, 1, 1))
        db.session.commit()
        for assignment in new_round[: rng.randint(1, len(new_round) or 1)]:
            submit(rng, assignment)
    return call, proposals, reviewers


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_stored_statistics_equal_the_ones_worked_out_from_the_criterion_scores(ctx, seed):
    call, proposals, reviewers = random_call(seed)
    live = live_statistics(call.id)
    assert len(live) >= 8  # the scenario scored most proposals
    assert stored_statistics(call.id) == live
    assert stored_reviewers(call.id) == live_reviewers(call.id)


@pytest.mark.parametrize("seed", [5, 6])
def test_the_ranking_gives_the_live_values_to_a_chair_with_and_without_a_conflict(ctx, seed):
    """Hiding an organisation's proposals changes every reviewer's mean and spread: the
    conflicted chair's normalised scores are those worked out without that organisation."""
    call, proposals, reviewers = random_call(seed)
    chair = make_user(Role.CHAIR)
    everything = ranking.Filters(state="all")
    rows, _ = ranking.ranking(call, chair, everything)
    live = live_statistics(call.id)
    assert {r.proposal_id: r.normalised for r in rows if r.reviews} == {
        pid: values[5] for pid, values in live.items()
    }
    conflicted = make_user(Role.CHAIR)
    hidden = proposals[0].organisation_id
    db.session.add(Conflict(user_id=conflicted.id, organisation_id=hidden, reason="Board member"))
    db.session.commit()
    rows, _ = ranking.ranking(call, conflicted, everything)
    assert proposals[0].id not in {r.proposal_id for r in rows}
    live = live_statistics(call.id, {hidden})
    assert {
        r.proposal_id: (r.reviews, r.mean, r.median, r.std_dev, r.spread, r.normalised)
        for r in rows
        if r.reviews
    } == {pid: values[:6] for pid, values in live.items()}


def test_the_statistics_follow_a_criterion_weight_change(ctx):
    call, proposals, reviewers = random_call(7)
    first, second = sorted(call.criteria, key=lambda c: c.position)
    first.weight, second.weight = 30, 70
    db.session.commit()
    assert stored_statistics(call.id) == live_statistics(call.id)


def test_recompute_scores_rebuilds_what_was_written_around_the_app(app, ctx):
    call, proposals, reviewers = random_call(8)
    expected = stored_statistics(call.id)
    # rows written around the session (as a bulk load does): no hook sees them
    db.session.execute(delete(ProposalScore))
    db.session.execute(update(Review).values(weighted_score=None))
    db.session.commit()
    assert stored_statistics(call.id) == {}
    result = app.test_cli_runner().invoke(args=["fund", "recompute-scores", "--call", call.id])
    assert result.exit_code == 0, result.output
    assert f"call {call.id}:" in result.output
    assert stored_statistics(call.id) == expected
    assert stored_reviewers(call.id) == live_reviewers(call.id)
    again = app.test_cli_runner().invoke(args=["fund", "recompute-scores"])
    assert again.exit_code == 0
    assert f"call {call.id}: 0 row(s) changed" in again.output


def test_recompute_scores_refuses_an_unknown_call(app, ctx):
    result = app.test_cli_runner().invoke(args=["fund", "recompute-scores", "--call", "999999"])
    assert result.exit_code == 2
    assert "There is no call 999999." in result.output
    assert "Traceback" not in result.output


def test_the_ranking_reads_the_stored_statistics_not_the_criterion_scores(ctx):
    call, proposals, reviewers = random_call(9)
    chair = make_user(Role.CHAIR)
    with count_queries() as statements:
        rows, _ = ranking.ranking(call, chair, ranking.Filters(state="all"))
    assert any(r.reviews for r in rows)
    assert not [s for s in statements if "criterion_scores" in s]
    assert [s for s in statements if "proposal_scores" in s]


def test_drafts_and_assignments_leave_the_statistics_alone(ctx):
    """Only submitted reviews count: saving a draft or assigning a reviewer does not rework
    the call's statistics (a big call's refresh costs a noticeable moment)."""
    call, proposals, reviewers = random_call(10)
    proposal = make_reviewed(call, title="Fresh", state=ProposalState.IN_REVIEW)
    with count_queries() as statements:
        draft = review(proposal, reviewers[0], (2, 3), submitted=False)
        data = {"scores": {c.id: 4 for c in call.criteria}, "recommendation": "fund"}
        services.save_review(draft, data, draft.reviewer, submit=False)
        db.session.commit()
    assert not [s for s in statements if "proposal_scores" in s]
    with count_queries() as statements:
        services.save_review(draft, data, draft.reviewer, submit=True)
        db.session.commit()
    assert [s for s in statements if "proposal_scores" in s]
    assert stored_statistics(call.id) == live_statistics(call.id)
