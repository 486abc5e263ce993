"""What may still change in a form once proposals have answered it.

After the first submission a change that could make a given answer wrong is refused: removing
a question or a choice, changing a type, tightening a limit (for a country question, switching
between one and several countries), making a question required.
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
        if _tighter(before, after):
            found.append(_("The limits of “%(label)s” cannot be tightened.", label=label))
    return found


def _tighter(before: dict, after: dict) -> bool:
    old, new = before.get("limits") or {}, after.get("limits") or {}
    kind = before["type"]
    if kind in ("short_text", "long_text"):
        return new["max"] < old["max"] or new.get("unit") != old.get("unit")
    if kind == "country":
        return new.get("multiple") != old.get("multiple")
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
