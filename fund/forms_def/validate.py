"""Answers to a form's questions: read from a form post, checked by type and limit, and the
required answers checked at submission.

Every problem is a message for the field; nothing here raises on bad input. An answer to a
question the form does not have is dropped; an answer to a question whose condition is not met
is refused with a message by the field (the page's script disables a hidden question's inputs,
so only a post made without it, or a hostile one, carries such an answer).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from fund.countries import is_country
from fund.forms_def import display, tables
from fund.forms_def.definition import OTHER, YES_NO, answerable, condition_met
from fund.forms_def.schema import CHOICE_TYPES, LIST_TYPES, TABLE_TEXT_MAX
from fund.numbers import parse_decimal

OTHER_MAX = 200  # "Other, please say"
RAW_MAX = 100_000  # longer input is cut before it is read (it is over every limit anyway)
WORD = re.compile(r"\S+")

# text, or (choices or codes ticked, "other" text), or a table's rows
Raw = str | tuple[list[str], str] | tables.Rows
CELL_RULES = {  # a table's cell is checked as a question of this kind would be
    "text": {"type": "short_text", "limits": {"max": TABLE_TEXT_MAX}},
    "number": {"type": "number", "limits": {"decimals": 2}},
    "money": {"type": "money", "limits": {}},
}


def call_scope(call) -> dict[str, Any]:
    """What answers depend on beyond the form: the call's currency and strategies in scope."""
    return {"currency": call.currency, "strategies": list(call.strategies or [])}


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def _text(value: str) -> str:
    return value[:RAW_MAX].replace("\r\n", "\n").replace("\r", "\n")


def read_raw(question: dict, formdata) -> Raw:
    """What the browser sent for `question` (field names are the question's id)."""
    qid = question["id"]
    if question["type"] == "table":
        return tables.read_rows(question, formdata)
    if question["type"] in CHOICE_TYPES:
        ticked = [_text(v)[:20] for v in formdata.getlist(qid)][:60]
        return ticked, _text(formdata.get(f"{qid}-other", ""))
    if question["type"] in LIST_TYPES:  # a plain <select> sends "" for no country
        return [_text(v)[:30] for v in formdata.getlist(qid) if v.strip()][:300], ""
    return _text(formdata.get(qid, ""))


def raw_from_stored(question: dict, value: Any) -> Raw:
    """A stored answer in the shape of what the browser sends."""
    if question["type"] == "table":
        return tables.rows_from_stored(value)
    if question["type"] in CHOICE_TYPES:
        value = value if isinstance(value, dict) else {}
        return list(value.get("choices") or []), str(value.get("other") or "")
    if question["type"] in LIST_TYPES:
        return [str(v) for v in value] if isinstance(value, list) else [], ""
    if question["type"] == "file":  # the form carries the stored file's id
        return str(value.get("file_id") or "") if isinstance(value, dict) else ""
    return "" if value is None else str(value)


def is_blank(raw: Raw) -> bool:
    if isinstance(raw, tuple):
        return not raw[0]
    if isinstance(raw, list):
        return all(tables.is_blank_row(row) for row in raw)
    return not raw.strip()


def check_value(question: dict, raw: Raw, scope: dict | None = None) -> tuple[Any, str | None]:
    """(the answer to store, None) or (None, the message) for a non-blank answer; `scope` is
    the call's (call_scope), which strategies are answers depends on."""
    kind, limits = question["type"], question.get("limits") or {}
    if kind == "table":
        value, error, cells = check_table(question, raw)
        if cells:
            (row, column_id), message = next(iter(cells.items()))
            return None, cell_message(question, row, column_id, message)
        return value, error
    if isinstance(raw, str) and any(ord(ch) < 32 and ch not in "\n\t" for ch in raw):
        return None, _("Remove the invisible control characters from this text.")
    if kind in ("short_text", "long_text"):
        return _check_text(raw, limits)
    if kind == "number":
        return _check_number(raw.strip(), limits)
    if kind == "date":
        return _check_date(raw.strip(), limits)
    if kind == "file":
        return _check_file_id(raw.strip())
    if kind == "yes_no":
        if raw not in YES_NO:
            return None, _("Answer yes or no.")
        return raw, None
    if kind == "money":
        return _check_money(raw.strip(), limits)
    if kind == "country":
        return _check_countries(raw[0], limits)
    if kind == "strategies":
        return _check_strategies(raw[0], (scope or {}).get("strategies") or [])
    return _check_choices(question, raw)


def _check_money(raw: str, limits: dict) -> tuple[Any, str | None]:
    try:
        amount = parse_decimal(raw)
    except ValueError:
        return None, _("Write an amount with digits and a point for cents, e.g. 1500.50.")
    if amount < 0:
        return None, _("Give an amount of zero or more.")
    if amount != amount.quantize(Decimal("0.01")):
        return None, _("Use at most 2 decimals.")
    low, high = limits.get("min"), limits.get("max")
    if low is not None and amount < Decimal(low):
        return None, _("Give an amount of at least %(min)s.", min=low)
    if high is not None and amount > Decimal(high):
        return None, _("Give an amount of at most %(max)s.", max=high)
    return format(amount.quantize(Decimal("0.01")), "f"), None


def _check_file_id(raw: str) -> tuple[Any, str | None]:
    """The id of the file already stored for the question, as the form carries it; whether it
    is this proposal's file is the draft service's check (fund/proposals/drafts.py)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None, _("The form lost track of this file. Choose the file again.")
    return {"file_id": int(raw)}, None


def _check_countries(codes: list[str], limits: dict) -> tuple[Any, str | None]:
    chosen = list(dict.fromkeys(code.strip().upper() for code in codes))
    if not all(is_country(code) and len(code) == 2 for code in chosen):
        return None, _("Choose countries from the list.")
    if len(chosen) > 1 and not limits.get("multiple"):
        return None, _("Choose one country only.")
    return chosen, None


def _check_strategies(codes: list[str], in_scope: list[str]) -> tuple[Any, str | None]:
    chosen = list(dict.fromkeys(codes))
    if any(code not in in_scope for code in chosen):
        return None, _("Choose from the strategies of this call.")
    return chosen, None


def _check_text(raw: str, limits: dict) -> tuple[Any, str | None]:
    limit, unit = limits["max"], limits.get("unit", "characters")
    if unit == "words":
        count = word_count(raw)
        if count > limit:
            return None, _("Use at most %(max)d words (this has %(n)d).", max=limit, n=count)
    elif len(raw) > limit:
        return None, _("Use at most %(max)d characters (this has %(n)d).", max=limit, n=len(raw))
    return raw, None


def _check_number(raw: str, limits: dict) -> tuple[Any, str | None]:
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    # 1e400 is finite but too big to round: numbers beyond 10^15 are refused like words
    if number is None or not number.is_finite() or len(raw) > 30 or abs(number) >= 10**15:
        return None, _("Write a number with digits and a point for decimals, e.g. 12.5.")
    places = limits.get("decimals", 0)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            return None, _("Give a whole number.")
        return None, _("Use at most %(n)d decimals.", n=places)
    low, high = limits.get("min"), limits.get("max")
    if low is not None and number < Decimal(low):
        return None, _("Give a number of at least %(min)s.", min=low)
    if high is not None and number > Decimal(high):
        return None, _("Give a number of at most %(max)s.", max=high)
    return format(number.normalize() if places == 0 else number, "f"), None


def _check_date(raw: str, limits: dict) -> tuple[Any, str | None]:
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return None, _("Give the date as year-month-day, e.g. 2027-03-01.")
    low, high = limits.get("min"), limits.get("max")
    if low and day < date.fromisoformat(low):
        return None, _("Give a date on or after %(date)s.", date=low)
    if high and day > date.fromisoformat(high):
        return None, _("Give a date on or before %(date)s.", date=high)
    return day.isoformat(), None


def check_table(
    question: dict, rows: tables.Rows
) -> tuple[Any, str | None, dict[tuple[int, str], str]]:
    """(rows to store, message for the table, message for each cell by (row index, column
    id)); rows left blank are dropped, and each cell is checked as its column's type."""
    kept, cells = [], {}
    for index, row in enumerate(rows):
        if tables.is_blank_row(row):
            continue
        stored = {}
        for column in question["columns"]:
            text = (row.get(column["id"]) or "").strip()
            if not text:
                if column["required"]:
                    cells[index, column["id"]] = _("Fill in this cell.")
                continue
            value, error = check_value(CELL_RULES[column["type"]], text)
            if error:
                cells[index, column["id"]] = error
            else:
                stored[column["id"]] = value
        kept.append(stored)
    limit = question["limits"]["max_rows"]
    if len(kept) > limit:
        return None, _("Give at most %(n)d rows.", n=limit), cells
    if cells:
        return None, _("Correct the cells marked in the table."), cells
    return kept, None, cells


def cell_message(question: dict, row: int, column_id: str, message: str) -> str:
    """ "Row 2, Amount: Give ..." for the summary of a form's errors."""
    label = next((c["label"] for c in question["columns"] if c["id"] == column_id), column_id)
    return _("Row %(n)d, %(column)s: %(message)s", n=row + 1, column=label, message=message)


def _check_choices(question: dict, raw: tuple[list[str], str]) -> tuple[Any, str | None]:
    ticked, other = raw
    offered = [c["id"] for c in question["choices"]] + ([OTHER] if question.get("other") else [])
    chosen = list(dict.fromkeys(ticked))  # in order, each once
    unknown = [value for value in chosen if value not in offered]
    if unknown:
        return None, _("Choose from the answers offered.")
    if question["type"] == "single_choice" and len(chosen) > 1:
        return None, _("Choose one answer only.")
    other = other.strip() if OTHER in chosen else ""
    if OTHER in chosen and not other:
        return None, _("Say what “Other” is, or untick it.")
    if len(other) > OTHER_MAX:
        return None, _("Use at most %(max)d characters.", max=OTHER_MAX)
    if any(ord(ch) < 32 for ch in other):
        return None, _("Remove the invisible control characters from this text.")
    return {"choices": chosen, "other": other}, None


class AnswerForm:
    """The custom questions of a proposal form: the values shown, and the answers to store.

    Built from a form post (`formdata`) or from the stored answers; `validate()` checks the
    post by type and limit (a draft need not be complete) and fills `answers` and `errors`.
    """

    def __init__(
        self,
        definition: dict | None,
        formdata=None,
        stored: dict | None = None,
        scope: dict | None = None,
    ):
        self.definition = definition or {}
        self.scope = scope
        self.posted = formdata is not None
        self.raw: dict[str, Raw] = {}
        for question in answerable(self.definition):
            if formdata is not None:
                self.raw[question["id"]] = read_raw(question, formdata)
            else:
                self.raw[question["id"]] = raw_from_stored(
                    question, (stored or {}).get(question["id"])
                )
        self.answers: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        # a table's errors by cell: {question id: {(row index, column id): message}}
        self.cell_errors: dict[str, dict[tuple[int, str], str]] = {}

    def validate(self) -> bool:
        """Check every answer given; an answer to a question hidden by its condition is
        refused (not silently dropped: the applicant sees what was not kept, and why)."""
        self.answers, self.errors, self.cell_errors = {}, {}, {}
        by_id = {q["id"]: q for q in answerable(self.definition)}
        wrong: set[str] = set()  # answers refused for their value, not for being hidden
        for question in answerable(self.definition):
            raw = self.raw[question["id"]]
            if is_blank(raw):
                continue
            if not condition_met(question, self.answers):
                source = (question.get("condition") or {}).get("question")
                if source not in wrong:  # a wrong answer there is the problem to fix first
                    self.errors[question["id"]] = display.hidden_answer_text(question, by_id)
                continue
            if question["type"] == "table":
                value, error, cells = check_table(question, raw)
                if cells:
                    self.cell_errors[question["id"]] = cells
            else:
                value, error = check_value(question, raw, self.scope)
            if error:
                self.errors[question["id"]] = error
                wrong.add(question["id"])
            else:
                self.answers[question["id"]] = value
        return not self.errors


def visible_answers(definition: dict | None, answers: dict | None) -> dict[str, Any]:
    """The stored answers to questions the form has and asks, given the other answers."""
    kept: dict[str, Any] = {}
    for question in answerable(definition):
        if question["id"] in (answers or {}) and condition_met(question, kept):
            kept[question["id"]] = answers[question["id"]]
    return kept


def answer_problems(
    definition: dict | None, answers: dict | None, scope: dict | None = None
) -> list[tuple[str, str, str]]:
    """(question id, label, message) for each required answer missing and each answer that
    breaks its question's limits, as the form and the call (`scope`) stand now (the
    submission rules)."""
    problems = []
    kept: dict[str, Any] = {}
    for question in answerable(definition):
        qid = question["id"]
        if not condition_met(question, kept):
            continue
        raw = raw_from_stored(question, (answers or {}).get(qid))
        if is_blank(raw):
            if question.get("required"):
                missing = _("Add the file.") if question["type"] == "file" else None
                problems.append((qid, question["label"], missing or _("Answer this question.")))
            continue
        value, error = check_value(question, raw, scope)
        if error:
            problems.append((qid, question["label"], error))
        else:
            kept[qid] = value
    return problems
