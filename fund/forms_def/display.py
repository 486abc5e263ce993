"""How questions and answers read: type names, the limit shown before the answer, the
"Answer only if ..." note, and an answer as text (pages, printable versions, spreadsheets)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from fund.countries import country_name
from fund.forms_def import tables
from fund.forms_def.definition import OTHER, unit_label
from fund.i18n import lazy_gettext as _l
from fund.money import money
from fund.strategies import strategy_label

TYPE_LABELS = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "number": _l("Number"),
    "date": _l("Date"),
    "single_choice": _l("One choice"),
    "multiple_choice": _l("Several choices"),
    "yes_no": _l("Yes or no"),
    "money": _l("Amount of money"),
    "country": _l("Country"),
    "strategies": _l("INSPIRE strategies"),
    "table": _l("Table"),
    "file": _l("File"),
}
# A file question's kinds (fund/forms_def/schema.py FILE_KINDS) as the builder and the form
# name them.
FILE_KIND_LABELS = {
    "pdf": _l("PDF"),
    "word": _l("Word document (DOCX, ODT)"),
    "spreadsheet": _l("Spreadsheet (XLSX, ODS)"),
    "image": _l("Image (PNG, JPG)"),
}
COLUMN_TYPE_LABELS = {"text": _l("Text"), "number": _l("Number"), "money": _l("Amount of money")}
CORE_LABEL = _l("Fixed question")  # not among the types a new question may have


def type_label(kind: str) -> str:
    if kind == "core":
        return str(CORE_LABEL)
    return str(TYPE_LABELS.get(kind, kind))


def limit_text(question: dict, currency: str | None = None) -> str:
    """What the answer may be, as shown beside the question before it is answered (a money
    question's in `currency`, the call's)."""
    kind, limits = question["type"], question.get("limits") or {}
    if kind == "core":
        return ""  # a fixed question's limits are the proposal's (fund/calls/questions.py)
    if kind == "money":
        return _money_limit(limits, currency)
    if kind == "country":
        return (
            _("Choose one or more countries.")
            if limits.get("multiple")
            else _("Choose one country.")
        )
    if kind == "strategies":
        return _("Choose one or more strategies.")
    if kind == "file":
        return _(
            "One file of at most %(n)d MB: %(kinds)s.",
            n=limits["max_mb"],
            kinds=", ".join(str(FILE_KIND_LABELS[k]) for k in limits["kinds"]),
        )
    if kind == "table":
        return _("Up to %(n)d rows; leave a row empty to leave it out.", n=limits["max_rows"])
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


def _money_limit(limits: dict, currency: str | None) -> str:
    low, high = limits.get("min"), limits.get("max")
    parts = [
        _("An amount in %(currency)s.", currency=currency) if currency else _("An amount of money.")
    ]
    low, high = (money(v, currency) if v is not None else None for v in (low, high))
    if low is not None and high is not None:
        parts.append(_("From %(min)s to %(max)s.", min=low, max=high))
    elif low is not None:
        parts.append(_("At least %(min)s.", min=low))
    elif high is not None:
        parts.append(_("At most %(max)s.", max=high))
    return " ".join(parts)


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


def hidden_answer_text(question: dict, by_id: dict[str, dict]) -> str:
    """The message for an answer given to `question` while its condition is not met."""
    condition = question.get("condition") or {}
    source = by_id.get(condition.get("question"))
    if source is None:  # the form the answer came from has no such question: not asked
        return _("You answered this, but it is not asked: clear it.")
    values = " / ".join(choice_label(source, v) for v in condition["values"])
    if len(condition["values"]) > 1:
        return _(
            "You answered this, but it applies only if “%(question)s” is one of: "
            "%(values)s. Clear it or change that answer.",
            question=source["label"],
            values=values,
        )
    return _(
        "You answered this, but it applies only if “%(question)s” is %(value)s: clear it or "
        "change that answer.",
        question=source["label"],
        value=values,
    )


def answer_text(question: dict, value: Any, currency: str | None = None) -> str:
    """An answer as plain text ("" for no answer); a money answer in `currency`."""
    if value is None or value == "" or value == []:
        return ""
    if question["type"] == "yes_no":
        return choice_label(question, value)
    if question["type"] == "money":
        return money(str(value), currency)
    if question["type"] == "country" and isinstance(value, list):
        return "; ".join(country_name(code) for code in value)
    if question["type"] == "table" and isinstance(value, list):
        return _table_text(question, value, currency)
    if question["type"] == "strategies" and isinstance(value, list):
        return "; ".join(strategy_label(code) for code in value)
    if question["type"] == "file" and isinstance(value, dict):
        return str(value.get("name") or "")
    if isinstance(value, dict):
        chosen = [
            value.get("other") or choice_label(question, v)
            if v == OTHER
            else choice_label(question, v)
            for v in value.get("choices") or []
        ]
        return "; ".join(chosen)
    return str(value)


def cell_text(column: dict, value: Any, currency: str | None = None) -> str:
    """One cell of a table answer as text (money in the call's currency)."""
    if value is None or value == "":
        return ""
    if column["type"] == "money":
        return money(str(value), currency)
    return str(value)


def table_view(question: dict, value: Any, currency: str | None = None) -> dict:
    """A table answer as pages show it: the column labels, each row's cells as text, and the
    totals row (None when the table has none)."""
    columns = question["columns"]
    rows = value if isinstance(value, list) else []
    sums = tables.totals(question, rows)
    totals = None
    if sums is not None:
        totals = [cell_text(c, sums[c["id"]], currency) if c["id"] in sums else "" for c in columns]
    return {
        "columns": [c["label"] for c in columns],
        "rows": [[cell_text(c, row.get(c["id"]), currency) for c in columns] for row in rows],
        "totals": totals,
    }


def _table_text(question: dict, rows: list, currency: str | None) -> str:
    """One line per row ("Item: Books; Amount: €5.00"), then the totals."""
    view = table_view(question, rows, currency)

    def line(cells: list[str]) -> str:
        pairs = zip(view["columns"], cells, strict=True)
        return "; ".join(f"{label}: {text}" for label, text in pairs if text)

    lines = [line(cells) for cells in view["rows"]]
    if view["totals"] is not None:
        lines.append(_("Total: %(totals)s", totals=line(view["totals"])))
    return "\n".join(lines)
