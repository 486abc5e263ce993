"""What may still change in a form once proposals have answered it.

After the first submission a change that could make a given answer wrong is refused: removing
a question, a choice or a table's column, changing a type (a column's too), tightening a limit
(for a country question, switching between one and several countries; for a table, fewer rows),
making a question (or a column) required.
Labels, help texts, conditions, order and new optional questions stay open to change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from fund.forms_def.definition import find_question, questions


def invalidating_changes(old: dict, new: dict) -> list[str]:
    """A message for each change from `old` to `new` that answers given could break."""
    found = []
    for before in questions(old):
        label = before["label"]
        match = find_question(new, before["id"])
        if match is None:
            found.append(_("“%(label)s” cannot be removed.", label=label))
            continue
        after = match[1]
        if after["type"] != before["type"]:
            found.append(_("The type of “%(label)s” cannot change.", label=label))
            continue
        if after.get("required") and not before.get("required"):
            found.append(_("“%(label)s” cannot become required.", label=label))
        kept = {c["id"] for c in after.get("choices") or []}
        if any(c["id"] not in kept for c in before.get("choices") or []) or (
            before.get("other") and not after.get("other")
        ):
            found.append(_("No answer of “%(label)s” can be removed.", label=label))
        if before["type"] == "table":
            found.extend(_column_changes(before, after))
        if _tighter(before, after):
            found.append(_("The limits of “%(label)s” cannot be tightened.", label=label))
    return found


def _column_changes(before: dict, after: dict) -> list[str]:
    """A table's columns: none removed, none of another type, none newly required."""
    found = []
    columns = {c["id"]: c for c in after.get("columns") or []}
    for column in before.get("columns") or []:
        label = column["label"]
        match = columns.get(column["id"])
        if match is None:
            found.append(_("The column “%(label)s” cannot be removed.", label=label))
        elif match["type"] != column["type"]:
            found.append(_("The type of the column “%(label)s” cannot change.", label=label))
        elif match["required"] and not column["required"]:
            found.append(_("The column “%(label)s” cannot become required.", label=label))
    known = {c["id"] for c in before.get("columns") or []}
    for column in after.get("columns") or []:
        if column["id"] not in known and column["required"]:
            found.append(_("A new column “%(label)s” must be optional.", label=column["label"]))
    return found


def _tighter(before: dict, after: dict) -> bool:
    old, new = before.get("limits") or {}, after.get("limits") or {}
    kind = before["type"]
    if kind in ("short_text", "long_text"):
        return new["max"] < old["max"] or new.get("unit") != old.get("unit")
    if kind == "country":
        return new.get("multiple") != old.get("multiple")
    if kind == "table":
        return new["max_rows"] < old["max_rows"]
    if kind == "file":
        return new["max_mb"] < old["max_mb"] or not set(old["kinds"]) <= set(new["kinds"])
    if kind in ("number", "date", "money"):
        parse = date.fromisoformat if kind == "date" else Decimal
        low_old, low_new = old.get("min"), new.get("min")
        high_old, high_new = old.get("max"), new.get("max")
        if low_new is not None and (low_old is None or parse(low_new) > parse(low_old)):
            return True
        if high_new is not None and (high_old is None or parse(high_new) < parse(high_old)):
            return True
        return kind == "number" and new.get("decimals", 0) < old.get("decimals", 0)
    return False
