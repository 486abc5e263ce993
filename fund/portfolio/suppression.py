"""Small cells: which counts the portfolio shows as "<5", so that no small group of people or
grants can be picked out or worked out.

The rule, applied to every count the page, its charts and its downloads show:

1. Primary suppression: a count from 1 to 4 is shown as "<5". A zero is shown (as in the
   grants export, fund/grants/exports.py): it names no one.
2. Secondary (complementary) suppression: counts that add up to a shown total form a *line*
   (a table's rows with its total row; in the people-reached table each age band's row with its
   row total, then the totals row, then each sex's column with its column total, then the
   totals column). A line with exactly one hidden member would give that member away (total
   minus the others), so the lines are visited in that order, again and again until none
   changes, and a line with exactly one hidden member gets one more: its smallest shown cell
   above zero (the first in table order on a tie), or its total when it has none (hiding a
   zero protects nothing: readers can guess it). Hiding only grows, so the loop ends; then
   every line has no hidden member or at least two, and a complementary cell is shown as
   "<5" too, so nothing tells it from a primary one.

A value that sits in no line (an indicator's sum; a strategy's count, where a grant may count
under several strategies so the rows add up to no total) gets only the primary rule.

This is the usual cell-suppression rule of statistical offices (threshold rule plus a
complementary cell per line). It protects each line on its own; it does not search for the
smallest set of hidden cells, which the portfolio's few small tables do not need.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

THRESHOLD = 5
HIDDEN = "<5"


def is_small(count: int) -> bool:
    """From 1 to 4: shown as "<5" whatever else is shown."""
    return 0 < count < THRESHOLD


def hidden_cells(
    values: Mapping[Hashable, int], lines: Iterable[Sequence[Hashable]] = ()
) -> set[Hashable]:
    """The keys of `values` to show as "<5". Each line lists the keys of cells that add up to
    a total, with the total's key last (see the module's docstring for the rule)."""
    lines = [list(line) for line in lines]
    hidden = {key for key, count in values.items() if is_small(count)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            *cells, total = line
            shown = [key for key in cells if key not in hidden and values[key] > 0]
            # The smallest cell costs the reader least; min() keeps the first on a tie.
            extra = min(shown, key=lambda key: values[key]) if shown else total
            # (Always a new key, since hidden values are above zero; checked all the same so
            # that a table that broke that could never loop for ever.)
            changed = changed or extra not in hidden
            hidden.add(extra)
    return hidden


def shown(count: int, hidden: bool) -> str | int:
    """A count as the page shows it: the number, or "<5"."""
    return HIDDEN if hidden else count
