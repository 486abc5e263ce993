"""The JSON Schema of a form definition.

Each question type has its own branch (`TYPE_RULES`); a new type (money, country, strategies,
table, file) is one more entry in QUESTION_TYPES and one more branch, so definitions saved
before it stay valid without a migration.
"""

from __future__ import annotations

QUESTION_TYPES = (
    "short_text",
    "long_text",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "money",
    "country",
    "strategies",
    "table",
    "file",
)
CORE = "core"  # a fixed question standing for a proposal column (fund/forms_def/standard.py)
CORE_FIELDS = (
    "title",
    "summary",
    "strategies",
    "countries",
    "start_date",
    "duration_months",
    "budget",
    "safeguarding",
    "attachments",
)
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice"})
LIST_TYPES = frozenset({"country", "strategies"})  # answered with a list of codes
TEXT_LIMITS = {"characters": 20_000, "words": 3_000}  # the largest limit a long text may have
SHORT_TEXT_MAX = 1_000
LABEL_MAX = 500
HELP_MAX = 2_000
CHOICE_MAX = 200
MAX_CHOICES = 50
MAX_SECTIONS = 30
MAX_QUESTIONS = 100  # in a whole form
TABLE_MAX_ROWS = 50
TABLE_MAX_COLUMNS = 8
TABLE_COLUMN_TYPES = ("text", "number", "money")
TABLE_TEXT_MAX = 500  # characters in a text cell
# The kinds of file a file question may accept, each a group of the extensions fund/filetypes.py
# checks by content; the question names the kinds, the upload is checked against their extensions.
FILE_KINDS = {
    "pdf": ("pdf",),
    "word": ("docx", "odt"),
    "spreadsheet": ("xlsx", "ods"),
    "image": ("png", "jpg", "jpeg"),
}
FILE_MAX_MB = 100  # the schema's bound; the builder holds a question to the app's upload limit

DECIMAL = {"type": ["string", "null"], "pattern": r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$"}
MONEY = {"type": ["string", "null"], "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"}
DATE = {"type": ["string", "null"], "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _id(letter: str) -> dict:
    return {"type": "string", "pattern": f"^{letter}_[0-9a-f]{{8}}$"}


def _when(kind: str, then: dict) -> dict:
    return {"if": {"properties": {"type": {"const": kind}}}, "then": then}


def _limits(properties: dict, required: list[str]) -> dict:
    return {
        "required": ["limits"],
        "properties": {
            "limits": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        },
    }


TYPE_RULES = [
    _when(
        "short_text",
        _limits({"max": {"type": "integer", "minimum": 1, "maximum": SHORT_TEXT_MAX}}, ["max"]),
    ),
    _when(
        "long_text",
        _limits(
            {
                "max": {"type": "integer", "minimum": 1, "maximum": TEXT_LIMITS["characters"]},
                "unit": {"enum": list(TEXT_LIMITS)},
            },
            ["max", "unit"],
        ),
    ),
    _when(
        "number",
        _limits(
            {
                "min": DECIMAL,
                "max": DECIMAL,
                "decimals": {"type": "integer", "minimum": 0, "maximum": 4},
            },
            ["decimals"],
        ),
    ),
    _when("date", _limits({"min": DATE, "max": DATE}, [])),
    _when("money", _limits({"min": MONEY, "max": MONEY}, [])),
    _when("country", _limits({"multiple": {"type": "boolean"}}, ["multiple"])),
    *[_when(kind, {"required": ["choices"]}) for kind in sorted(CHOICE_TYPES)],
    _when(
        "table",
        {
            **_limits(
                {
                    "max_rows": {"type": "integer", "minimum": 1, "maximum": TABLE_MAX_ROWS},
                    "totals": {"type": "boolean"},
                },
                ["max_rows", "totals"],
            ),
            "required": ["limits", "columns"],
        },
    ),
    _when(
        "file",
        _limits(
            {
                "kinds": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"enum": list(FILE_KINDS)},
                },
                "max_mb": {"type": "integer", "minimum": 1, "maximum": FILE_MAX_MB},
            },
            ["kinds", "max_mb"],
        ),
    ),
    # a core question names its field, is always asked and has no limits or answers of its own
    _when(
        CORE,
        {
            "required": ["field"],
            "properties": {"required": {"const": True}, "condition": {"type": "null"}},
            "not": {"anyOf": [{"required": [name]} for name in ("limits", "choices", "other")]},
        },
    ),
    {
        "if": {"not": {"properties": {"type": {"const": CORE}}}},
        "then": {"not": {"required": ["field"]}},
    },
]

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["sections"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": 1},
        "sections": {
            "type": "array",
            "maxItems": MAX_SECTIONS,
            "items": {"$ref": "#/$defs/section"},
        },
        # ids of removed questions, sections and choices: a new one never takes their place
        "retired_ids": {"type": "array", "items": {"type": "string", "maxLength": 10}},
    },
    "$defs": {
        "section": {
            "type": "object",
            "required": ["id", "title", "questions"],
            "additionalProperties": False,
            "properties": {
                "id": _id("s"),
                "title": {"type": "string", "maxLength": 200},
                "questions": {
                    "type": "array",
                    "maxItems": MAX_QUESTIONS,
                    "items": {"$ref": "#/$defs/question"},
                },
            },
        },
        "question": {
            "type": "object",
            "required": ["id", "type", "label", "required"],
            "additionalProperties": False,
            "properties": {
                "id": _id("q"),
                "type": {"enum": [*QUESTION_TYPES, CORE]},
                "field": {"enum": list(CORE_FIELDS)},
                "label": {"type": "string", "minLength": 1, "maxLength": LABEL_MAX},
                "help": {"type": "string", "maxLength": HELP_MAX},
                "required": {"type": "boolean"},
                "limits": {"type": "object"},
                "choices": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_CHOICES,
                    "items": {
                        "type": "object",
                        "required": ["id", "label"],
                        "additionalProperties": False,
                        "properties": {
                            "id": _id("c"),
                            "label": {"type": "string", "minLength": 1, "maxLength": CHOICE_MAX},
                        },
                    },
                },
                "other": {"type": "boolean"},
                # a table's columns: their ids key each row of the answer
                "columns": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": TABLE_MAX_COLUMNS,
                    "items": {
                        "type": "object",
                        "required": ["id", "label", "type", "required"],
                        "additionalProperties": False,
                        "properties": {
                            "id": _id("k"),
                            "label": {"type": "string", "minLength": 1, "maxLength": CHOICE_MAX},
                            "type": {"enum": list(TABLE_COLUMN_TYPES)},
                            "required": {"type": "boolean"},
                        },
                    },
                },
                "condition": {
                    "type": ["object", "null"],
                    "required": ["question", "values"],
                    "additionalProperties": False,
                    "properties": {
                        "question": _id("q"),
                        "values": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "maxLength": 10},
                        },
                    },
                },
            },
            "allOf": TYPE_RULES,
        },
    },
}
