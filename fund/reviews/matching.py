"""The assignment problem, without the database: which reviewers each proposal gets.

Each proposal needs some reviewers; each reviewer may take it or not (the hard rules, language,
membership, conflicts, availability, are decided by the caller and arrive as the `costs` a
proposal has for the reviewers it may have) and has a capacity. Among the assignments that fill
the most places, we choose the one of least cost, where a pick costs `MATCH_WEIGHT` for every
expertise point it lacks and a reviewer's k-th new proposal costs its load before it (open
assignments elsewhere plus the new ones), a convex cost that spreads the work evenly.

This is a minimum-cost flow (source -> proposal -> reviewer -> sink), solved exactly by
successive shortest paths. With thousands of proposals and a few dozen reviewers, the shortest
path search runs over the reviewers only: a path enters a reviewer from a proposal still
needing one, or moves a proposal from one reviewer to another, and each such step's cheapest
choice is the top of a heap (stale entries are dropped when met). Dijkstra with potentials
gives the distances; all the zero-reduced-cost paths are then augmented before searching again.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# One point of expertise (a strategy or a country/region the reviewer knows) is worth as much
# as this many proposals of difference in load between two reviewers.
MATCH_WEIGHT = 3

INF = float("inf")


@dataclass
class Problem:
    """needs[i]: places proposal i still has; costs[i]: {reviewer index: cost >= 0} it may have;
    capacity[j]: new proposals reviewer j may still take; load[j]: its open load already."""

    needs: Sequence[int]
    costs: Sequence[Mapping[int, int]]
    capacity: Sequence[int]
    load: Sequence[int]


@dataclass
class Solution:
    """picks[i]: the reviewers chosen for proposal i; `cost` the total, `filled` the places."""

    picks: list[set[int]] = field(default_factory=list)
    cost: int = 0
    filled: int = 0


def total_cost(problem: Problem, picks: Sequence[set[int]]) -> int:
    """The cost of a choice: its picks plus every reviewer's convex load cost."""
    cost = sum(problem.costs[i][j] for i, chosen in enumerate(picks) for j in chosen)
    counts = [0] * len(problem.capacity)
    for chosen in picks:
        for j in chosen:
            counts[j] += 1
    for j, k in enumerate(counts):
        base = problem.load[j]
        cost += k * base + k * (k - 1) // 2  # base + (base+1) + ... + (base+k-1)
    return cost


def solve(problem: Problem) -> Solution:
    """The least-cost choice among those that fill the most places (see the module docstring)."""
    return _Solver(problem).run()


class _Solver:
    def __init__(self, problem: Problem) -> None:
        self.p = problem
        m = len(problem.capacity)
        self.m = m
        self.need = list(problem.needs)
        self.taken = [0] * m  # new proposals per reviewer
        self.picks: list[set[int]] = [set() for _ in problem.needs]
        # enter[j]: (cost, i) of proposals that may still enter reviewer j from the source
        self.enter: list[list[tuple[int, int]]] = [[] for _ in range(m)]
        for i, costs in enumerate(problem.costs):
            if self.need[i] > 0:
                for j, c in costs.items():
                    self.enter[j].append((c, i))
        for heap in self.enter:
            heapq.heapify(heap)
        # move[j][k]: (cost change, i) of proposals assigned to j that could move to k
        self.move: list[list[list[tuple[int, int]]]] = [[[] for _ in range(m)] for _ in range(m)]
        self.pot = [0] * (m + 1)  # potentials of the reviewers and the sink (index m)

    # --- the cheapest valid step of each kind (stale heap entries are dropped) ---------------

    def top_enter(self, j: int) -> tuple[int, int] | None:
        heap = self.enter[j]
        while heap:
            c, i = heap[0]
            if self.need[i] > 0 and j not in self.picks[i]:
                return c, i
            heapq.heappop(heap)
        return None

    def top_move(self, j: int, k: int) -> tuple[int, int] | None:
        heap = self.move[j][k]
        while heap:
            c, i = heap[0]
            if j in self.picks[i] and k not in self.picks[i]:
                return c, i
            heapq.heappop(heap)
        return None

    def exit_cost(self, j: int) -> int | None:
        if self.taken[j] >= self.p.capacity[j]:
            return None
        return self.p.load[j] + self.taken[j]

    # --- changing the assignment ---------------------------------------------------------------

    def _assign(self, i: int, j: int) -> None:
        costs = self.p.costs[i]
        self.picks[i].add(j)
        for k, c in costs.items():
            if k not in self.picks[i]:
                heapq.heappush(self.move[j][k], (c - costs[j], i))

    def _unassign(self, i: int, j: int) -> None:
        costs = self.p.costs[i]
        self.picks[i].discard(j)
        if self.need[i] > 0:
            heapq.heappush(self.enter[j], (costs[j], i))
        for k in self.picks[i]:  # the proposal may move from its other reviewers to j again
            heapq.heappush(self.move[k][j], (costs[j] - costs[k], i))

    # --- the search ------------------------------------------------------------------------------

    def dijkstra(self) -> bool:
        """Shortest reduced distances from the source; update the potentials. False: no path."""
        m, pot = self.m, self.pot
        dist = [INF] * (m + 1)
        for j in range(m):
            top = self.top_enter(j)
            if top is not None:
                dist[j] = top[0] - pot[j]
        done = [False] * (m + 1)
        while True:
            u, best = -1, INF
            for v in range(m + 1):
                if not done[v] and dist[v] < best:
                    u, best = v, dist[v]
            if u < 0 or u == m:
                break
            done[u] = True
            out = self.exit_cost(u)
            if out is not None and best + out + pot[u] - pot[m] < dist[m]:
                dist[m] = best + out + pot[u] - pot[m]
            for k in range(m):
                if not done[k]:
                    top = self.top_move(u, k)
                    if top is not None:
                        d = best + top[0] + pot[u] - pot[k]
                        if d < dist[k]:
                            dist[k] = d
        if dist[m] == INF:
            return False
        limit = dist[m]
        for v in range(m + 1):
            pot[v] += min(dist[v], limit)
        return True

    def admissible_path(self) -> list[tuple[int, int, int]] | None:
        """A path of zero reduced cost as (proposal, from reviewer or -1, to reviewer) steps,
        ending at a reviewer that takes one more proposal; None if there is none now.

        Breadth first, so the path moves as few proposals as possible.
        """
        m, pot = self.m, self.pot
        # most paths are one step, source -> proposal -> reviewer -> sink: look for one first
        exit_target = pot[m]
        load, taken, capacity = self.p.load, self.taken, self.p.capacity
        for j in range(m):
            if taken[j] < capacity[j] and load[j] + taken[j] + pot[j] == exit_target:
                top = self.top_enter(j)
                if top is not None and top[0] == pot[j]:
                    return [(top[1], -1, j)]
        seen = [False] * m
        frontier: list[tuple[int, list[tuple[int, int, int]]]] = []
        for j in range(m):
            top = self.top_enter(j)
            if top is None or top[0] - pot[j] != 0:
                continue
            seen[j] = True
            frontier.append((j, [(top[1], -1, j)]))
        while frontier:
            following = []
            for u, steps in frontier:
                for k in range(m):
                    if seen[k]:
                        continue
                    top = self.top_move(u, k)
                    if top is None or top[0] + pot[u] - pot[k] != 0:
                        continue
                    seen[k] = True
                    longer = [*steps, (top[1], u, k)]
                    if self._exits(k):
                        return longer
                    following.append((k, longer))
            frontier = following
        return None

    def _exits(self, j: int) -> bool:
        out = self.exit_cost(j)
        return out is not None and out + self.pot[j] - self.pot[self.m] == 0

    def augment(self, steps: list[tuple[int, int, int]]) -> None:
        first, _, _ = steps[0]
        self.need[first] -= 1
        for i, source, target in steps:
            if source >= 0:
                self._unassign(i, source)
            self._assign(i, target)
        self.taken[steps[-1][2]] += 1

    def run(self) -> Solution:
        while self.dijkstra():
            steps = self.admissible_path()
            if steps is None:  # cannot happen with valid potentials; never loop forever
                raise RuntimeError("no shortest path after the distances were computed")
            while steps is not None:
                self.augment(steps)
                steps = self.admissible_path()
        filled = sum(len(chosen) for chosen in self.picks)
        return Solution(self.picks, total_cost(self.p, self.picks), filled)
