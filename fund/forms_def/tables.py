"""A table question's rows: read from a form post, taken from a stored answer, and added up.

An answer is a list of rows, each a dict keyed by the column ids of the definition (a cell
left empty is left out). The form names a cell "<question id>-<row>-<column id>"; rows are
read in the order of their numbers, whatever numbers a script gave them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

ROW_NUMBER_MAX = 999  # a row number past this is not a row of ours
CELL_RAW_MAX = 2_000  # longer input is cut before it is read (it is over every limit anyway)

Rows = list[dict[str, str]]


def read_rows(question: dict, formdata) -> Rows:
    """The rows as posted, blank ones included (their place carries the cells' errors)."""
    prefix = f"{question['id']}-"
    columns = {c["id"] for c in question["columns"]}
    found: dict[int, dict[str, str]] = {}
    for name in formdata.keys():
        if not name.startswith(prefix):
            continue
        number, _dash, column = name[len(prefix) :].partition("-")
        if not (number.isascii() and number.isdigit()) or column not in columns:
            continue
        if int(number) > ROW_NUMBER_MAX:
            continue
        found.setdefault(int(number), {})[column] = formdata.get(name, "")[:CELL_RAW_MAX]
    return [found[number] for number in sorted(found)]


def rows_from_stored(value: Any) -> Rows:
    if not isinstance(value, list):
        return []
    return [{k: str(v) for k, v in row.items()} for row in value if isinstance(row, dict)]


def is_blank_row(row: dict[str, str]) -> bool:
    return not any((value or "").strip() for value in row.values())


def totals(question: dict, rows: list[dict]) -> dict[str, Decimal] | None:
    """The sum of each number or money column (None unless the table shows totals); cells
    that are not numbers (as typed, before they are corrected) are left out."""
    if not (question.get("limits") or {}).get("totals"):
        return None
    sums = {c["id"]: Decimal(0) for c in question["columns"] if c["type"] != "text"}
    for row in rows:
        for column_id in sums:
            try:
                value = Decimal(str(row.get(column_id) or "0").strip())
            except ArithmeticError:
                continue
            if value.is_finite():
                sums[column_id] += value
    return sums
