"""How heavy a form's own questions make the proposal page, and the budget they must keep.

Every page stays under 100 KB (DESIGN.md, section 5). The fixed part of the proposal form
takes about 33 KB (its countries of implementation are a checkbox list too); the call's own
questions get `MARKUP_BUDGET` bytes of the rest, leaving room for error messages. Each
question's weight is a generous estimate of the markup the applicant's form renders for it
(fund/templates/_macros/questions.html, whose markup is kept light for it): a list of some
250 countries costs far more than a short text, so at most `MAX_SEVERAL_COUNTRIES` questions
may offer several. Thirty questions cycling through every type fit, beside the standard texts.
"""

from __future__ import annotations

from markupsafe import escape

from fund.forms_def.schema import CORE

MARKUP_BUDGET = 63_000  # bytes for the call's own questions on the proposal form
MAX_SEVERAL_COUNTRIES = 2
# Measured on the rendered form (the refused state: the error by the field and in the summary),
# rounded up for the longest of the four languages; the texts the secretariat writes are
# counted apart, by their escaped length.
QUESTION_BASE = 700  # wrapper, limit note, field and counter, an error twice: ~600 in English
SECTION_BASE = 300
CONDITION_BASE = 600  # the "Answer only if" note and its data; "you answered this" twice
SEVERAL_COUNTRIES = 20_000  # 250 label-wrapped checkboxes: 19.7 KB (en) to 19.9 KB (fr)
ONE_COUNTRY = 7_700  # 250 <option>s without end tags: 7.2 KB (en) to 7.4 KB (fr)
STRATEGIES = 1_500  # the nine strategies at most: ~1 KB in English
CHOICE_BASE = 180  # a radio or checkbox with its label: ~145
OTHER_CHOICE = 400  # "Other" and its text box
TABLE_CELL = 250  # a cell's input, named and labelled by its column and row
FILE = 900  # the file input, its kept id, the current file's link and Replace / Remove


def text_weight(text: str | None) -> int:
    """The bytes `text` takes once escaped into HTML."""
    return len(str(escape(text or "")).encode())


def is_several_countries(question: dict) -> bool:
    return question["type"] == "country" and bool((question.get("limits") or {}).get("multiple"))


def condition_weight(question: dict, earlier: dict[str, dict]) -> int:
    """The markup a condition adds: its note ("Answer only if “X” is Yes") and, when the
    hidden question is answered anyway, the message naming X again by the field and in the
    summary; `earlier` gives the questions before this one by id."""
    condition = question.get("condition")
    if not condition:
        return 0
    source = earlier.get(condition["question"]) or {}
    named = {c["id"]: c["label"] for c in source.get("choices") or []}
    values = sum(text_weight(named.get(v, v)) + 3 for v in condition["values"])  # " / "
    return CONDITION_BASE + 3 * (text_weight(source.get("label")) + values)


def question_weight(question: dict, earlier: dict[str, dict]) -> int:
    """The estimated markup of one question; `earlier` gives the questions before it by id
    (a condition's note names one)."""
    # The label shows twice when the answer is refused: by the field and in the summary.
    weight = QUESTION_BASE + 2 * text_weight(question["label"]) + text_weight(question.get("help"))
    weight += condition_weight(question, earlier)
    kind = question["type"]
    if kind == "country":
        weight += SEVERAL_COUNTRIES if is_several_countries(question) else ONE_COUNTRY
    elif kind == "strategies":
        weight += STRATEGIES
    elif kind == "yes_no":
        weight += 2 * CHOICE_BASE
    elif kind == "file":
        weight += FILE
    if kind == "table":
        columns = question["columns"]
        rows = question["limits"]["max_rows"] + 1  # the totals row
        weight += sum(TABLE_CELL + 2 * text_weight(c["label"]) for c in columns)
        weight += rows * (TABLE_CELL + len(columns) * TABLE_CELL)
    for choice in question.get("choices") or []:
        weight += CHOICE_BASE + text_weight(choice["label"])
    if question.get("other"):
        weight += OTHER_CHOICE
    return weight


def form_weight(definition: dict) -> int:
    """The estimated markup of all the form's sections and questions, but for the core
    questions (the typed fields), whose markup is the fixed part."""
    earlier: dict[str, dict] = {}
    weight = 0
    for section in definition.get("sections") or []:
        weight += SECTION_BASE + text_weight(section["title"])
        for question in section["questions"]:
            if question["type"] != CORE:  # the typed fields: counted in the fixed part
                weight += question_weight(question, earlier)
            earlier[question["id"]] = question
    return weight
