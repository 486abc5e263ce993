"""The assignment solver: the same optimum as trying every choice, and fast at full size."""

from __future__ import annotations

import itertools
import random
import time

import pytest

from fund.reviews.matching import Problem, solve, total_cost


def random_problem(rng: random.Random, proposals: int, reviewers: int) -> Problem:
    needs = [rng.randint(0, 2) for _ in range(proposals)]
    costs = []
    for _ in range(proposals):
        allowed = [j for j in range(reviewers) if rng.random() < 0.7]
        costs.append({j: rng.choice((0, 3, 6, 9)) for j in allowed})
    capacity = [rng.randint(0, 3) for _ in range(reviewers)]
    load = [rng.randint(0, 3) for _ in range(reviewers)]
    return Problem(needs, costs, capacity, load)


def brute_force(problem: Problem) -> tuple[int, int]:
    """(places filled, negated) and cost of the best of every possible choice."""
    options = []
    for need, costs in zip(problem.needs, problem.costs, strict=True):
        allowed = sorted(costs)
        options.append(
            [
                set(chosen)
                for size in range(min(need, len(allowed)) + 1)
                for chosen in itertools.combinations(allowed, size)
            ]
        )
    best = None
    for picks in itertools.product(*options):
        counts = [0] * len(problem.capacity)
        for chosen in picks:
            for j in chosen:
                counts[j] += 1
        if any(c > cap for c, cap in zip(counts, problem.capacity, strict=True)):
            continue
        key = (-sum(len(c) for c in picks), total_cost(problem, picks))
        best = key if best is None or key < best else best
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_solver_finds_the_brute_force_optimum_on_small_random_cases(seed):
    rng = random.Random(seed)
    problem = random_problem(rng, rng.randint(1, 4), rng.randint(1, 4))
    solution = solve(problem)
    assert (-solution.filled, solution.cost) == brute_force(problem)
    for i, chosen in enumerate(solution.picks):
        assert len(chosen) <= problem.needs[i]
        assert chosen <= set(problem.costs[i])  # only reviewers the proposal may have


def test_without_preferences_the_load_stays_within_one():
    problem = Problem([3] * 20, [dict.fromkeys(range(7), 0) for _ in range(20)], [99] * 7, [0] * 7)
    solution = solve(problem)
    counts = [sum(j in chosen for chosen in solution.picks) for j in range(7)]
    assert solution.filled == 60 and max(counts) - min(counts) <= 1


def test_two_thousand_proposals_and_sixty_reviewers_are_matched_in_under_five_seconds():
    rng = random.Random(7)
    needs = [3] * 2000
    costs = [{j: rng.choice((0, 3, 6)) for j in range(60) if rng.random() < 0.8} for _ in needs]
    problem = Problem(needs, costs, [rng.randint(90, 130) for _ in range(60)], [0] * 60)
    # CPU time, not the wall clock: the suite shares two cores with other work (xdist workers,
    # other jobs), which stretches wall time without the solver doing more. Alone here the
    # wall time is about 2.5 s; the CPU time well under that.
    started = time.process_time()
    solution = solve(problem)
    elapsed = time.process_time() - started
    assert solution.filled == 6000
    assert elapsed < 5, f"took {elapsed:.1f} s of CPU time"
