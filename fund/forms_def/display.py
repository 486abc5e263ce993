"""How questions and answers read: type names, the limit shown before the answer, the
"Answer only if ..." note, and an answer as text (pages, printable versions, spreadsheets)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from fund.forms_def.definition import OTHER, unit_label
from fund.i18n import lazy_gettext as _l

TYPE_LABELS = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "number": _l("Number"),
    "date": _l("Date"),
    "single_choice": _l("One choice"),
    "multiple_choice": _l("Several choices"),
    "yes_no": _l("Yes or no"),
}


def type_label(kind: str) -> str:
    return str(TYPE_LABELS.get(kind, kind))


def limit_text(question: dict) -> str:
    """What the answer may be, as shown beside the question before it is answered."""
    kind, limits = question["type"], question.get("limits") or {}
    if kind == "short_text":
        return _("Up to %(n)d characters.", n=limits["max"])
    if kind == "long_text":
        return _("Up to %(n)d %(unit)s.", n=limits["max"], unit=unit_label(limits["unit"]))
    if kind in ("number", "date"):
        low, high = limits.get("min"), limits.get("max")
        parts = []
        if kind == "number":
            places = limits.get("decimals", 0)
            parts.append(
                _("A whole number.") if places == 0 else _("Up to %(n)d decimals.", n=places)
            )
        if low is not None and high is not None:
            parts.append(_("From %(min)s to %(max)s.", min=low, max=high))
        elif low is not None:
            parts.append(_("At least %(min)s.", min=low))
        elif high is not None:
            parts.append(_("At most %(max)s.", max=high))
        if kind == "date":
            parts.insert(0, _("A date (year-month-day)."))
        return " ".join(parts)
    if kind == "single_choice":
        return _("Choose one.")
    if kind == "multiple_choice":
        return _("Choose one or more.")
    return _("Yes or no.")


def choice_label(question: dict, value: str) -> str:
    if value == OTHER:
        return _("Other")
    if value in ("yes", "no") and question["type"] == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    return next((c["label"] for c in question.get("choices") or [] if c["id"] == value), value)


def condition_text(question: dict, by_id: dict[str, dict]) -> str:
    """ "Answer only if “Will children take part?” is Yes." ("" when always asked)."""
    condition = question.get("condition")
    if not condition:
        return ""
    source = by_id.get(condition["question"])
    if source is None:
        return ""
    values = " / ".join(choice_label(source, v) for v in condition["values"])
    if len(condition["values"]) > 1:
        return _(
            "Answer only if “%(question)s” is one of: %(values)s.",
            question=source["label"],
            values=values,
        )
    return _("Answer only if “%(question)s” is %(value)s.", question=source["label"], value=values)


def answer_text(question: dict, value: Any) -> str:
    """An answer as plain text ("" for no answer)."""
    if value is None or value == "":
        return ""
    if question["type"] == "yes_no":
        return choice_label(question, value)
    if isinstance(value, dict):
        chosen = [
            value.get("other") or choice_label(question, v)
            if v == OTHER
            else choice_label(question, v)
            for v in value.get("choices") or []
        ]
        return "; ".join(chosen)
    return str(value)
