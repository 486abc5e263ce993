"""A table question on the proposal form: the rows it shows (typed or saved, then empty ones),
each cell's error and the totals as typed."""

from __future__ import annotations

from fund.forms_def import display
from fund.forms_def.tables import is_blank_row, totals
from fund.forms_def.validate import AnswerForm

TABLE_BLANK_ROWS = 3  # empty rows offered under a table's rows without JavaScript
TABLE_MORE_ROWS = 5  # and how many more "More rows" gives


def table_rows(question: dict, custom: AnswerForm, more_rows: str | None) -> dict | None:
    """A table question as the form shows it: the rows typed or saved (none lost, even past
    the limit) and empty ones up to the limit, each cell's error, the totals, and whether
    "More rows" can still give more (None for a question of another type)."""
    if question["type"] != "table":
        return None
    rows = list(custom.raw.get(question["id"]) or [])
    limit = question["limits"]["max_rows"]
    filled = sum(1 for row in rows if not is_blank_row(row))
    blank = TABLE_BLANK_ROWS + (TABLE_MORE_ROWS if more_rows == question["id"] else 0)
    while len(rows) < min(limit, filled + blank):
        rows.append({})
    sums = totals(question, rows)
    return {
        "rows": rows,
        "errors": custom.cell_errors.get(question["id"]) or {},
        "totals": None
        if sums is None
        else [
            display.cell_text(c, format(sums[c["id"]], "f"), (custom.scope or {}).get("currency"))
            if c["id"] in sums
            else ""
            for c in question["columns"]
        ],
        "more": len(rows) < limit,
    }
