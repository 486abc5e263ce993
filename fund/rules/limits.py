"""The limits of a proposal's fields, written once: the form enforces them, the call page
shows them."""

from __future__ import annotations

# Maximum length, in characters, of each free-text column of a proposal.
FIELD_LIMITS: dict[str, int] = {
    "title": 200,
    "summary": 1500,
}

# The limits of the five long texts the "INSPIRE standard proposal" template asks (once columns
# of their own, now questions of the form like any other: fund/forms_def/templates/).
STANDARD_TEXT_LIMITS: dict[str, int] = {
    "target_groups": 1500,
    "activities": 4000,
    "timeline": 2000,
    "expected_results": 2500,
    "measurement": 2000,
}

BUDGET_LINE_DESCRIPTION_MAX = 300
MAX_BUDGET_LINES = 40
MAX_ATTACHMENTS = 10

# The proposal's free-text columns, in the order the standard form shows them.
TEXT_FIELDS = tuple(FIELD_LIMITS)
