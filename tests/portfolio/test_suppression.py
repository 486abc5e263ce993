"""The small-cell rule of fund/portfolio/suppression.py, on tables worked out by hand."""

from __future__ import annotations

from fund.portfolio.suppression import hidden_cells


def test_a_count_from_1_to_4_is_hidden_and_zero_and_5_are_not():
    assert hidden_cells({"a": 0, "b": 1, "c": 4, "d": 5}) == {"b", "c"}


def test_one_hidden_cell_beside_a_total_hides_the_smallest_other_cell():
    # 3 alone hidden would be 33 - 10 - 20: the 10 is hidden with it.
    values = {"a": 10, "b": 20, "c": 3, "total": 33}
    assert hidden_cells(values, [["a", "b", "c", "total"]]) == {"a", "c"}


def test_two_hidden_cells_need_no_other():
    values = {"a": 3, "b": 4, "c": 20, "total": 27}
    assert hidden_cells(values, [["a", "b", "c", "total"]]) == {"a", "b"}


def test_a_zero_is_never_the_complementary_cell():
    # The only other cells are zeros, so the total is hidden instead.
    values = {"a": 0, "b": 3, "c": 0, "total": 3}
    assert hidden_cells(values, [["a", "b", "c", "total"]]) == {"b", "total"}


def test_a_tie_hides_the_first_cell_in_table_order():
    values = {"a": 7, "b": 7, "c": 2, "total": 16}
    assert hidden_cells(values, [["a", "b", "c", "total"]]) == {"a", "c"}


def test_without_a_line_only_the_small_counts_are_hidden():
    assert hidden_cells({"laws": 2, "norms": 5}) == {"laws"}


def test_a_table_with_row_and_column_totals_leaves_no_line_with_one_hidden_cell():
    """Rows r1, r2 and their totals; columns x, y and theirs. r1/y = 3 is small:

         x   y  | total
    r1  20   3  |  23
    r2   6   9  |  15
    tot 26  12  |  38

    Row r1 has one hidden cell: its smallest other cell above zero, r1/x (20), goes too. Then
    column x has one (r1/x): r2/x (6) goes. Column y has one (r1/y): r2/y (9) goes. Every line
    now has two hidden cells, and the totals stay shown."""
    values = {
        ("r1", "x"): 20, ("r1", "y"): 3, ("r1", "t"): 23,
        ("r2", "x"): 6, ("r2", "y"): 9, ("r2", "t"): 15,
        ("t", "x"): 26, ("t", "y"): 12, ("t", "t"): 38,
    }  # fmt: skip
    lines = [[(r, c) for c in ("x", "y", "t")] for r in ("r1", "r2", "t")]
    lines += [[(r, c) for r in ("r1", "r2", "t")] for c in ("x", "y", "t")]
    assert hidden_cells(values, lines) == {("r1", "x"), ("r1", "y"), ("r2", "x"), ("r2", "y")}
    for line in lines:
        assert sum(key in hidden_cells(values, lines) for key in line) != 1
