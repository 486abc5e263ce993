"""A call's decision settings: the disagreement threshold and the decision letters.

The rules live here so that every entry point that writes a call (fund/calls/services.py) shares
them. A letter part is checked the way fund/decisions/letters.py fills it: only its known
{placeholders}, and no other braces.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from fund.decisions import letters
from fund.i18n import lazy_gettext as _l
from fund.models import DecisionOutcome

# Each part of each decision letter, by the name the call form gives it (letter_award_subject).
LETTER_PARTS = ("subject", "body")
LETTER_LIMITS = {"subject": 200, "body": 10000}
LETTER_LABELS = {
    "letter_award_subject": _l("Award letter: subject"),
    "letter_award_body": _l("Award letter: text"),
    "letter_decline_subject": _l("Decline letter: subject"),
    "letter_decline_body": _l("Decline letter: text"),
    "letter_request_revision_subject": _l("Revision request letter: subject"),
    "letter_request_revision_body": _l("Revision request letter: text"),
    "letter_concept_invited_subject": _l("Concept note invitation letter: subject"),
    "letter_concept_invited_body": _l("Concept note invitation letter: text"),
    "letter_concept_declined_subject": _l("Concept note decline letter: subject"),
    "letter_concept_declined_body": _l("Concept note decline letter: text"),
}
# The decision letters, then a two-stage call's concept-stage letters (fund/decisions/letters.py).
LETTER_OUTCOMES = (
    *(outcome.value for outcome in DecisionOutcome),
    letters.CONCEPT_INVITED,
    letters.CONCEPT_DECLINED,
)
UNREADABLE = _l(
    "Give each letter (award, decline, request_revision, concept_invited, concept_declined) as "
    "a subject and a body, both text."
)
THRESHOLD_RANGE = (Decimal("0"), Decimal("50"))  # points of the 0-100 weighted score


def letter_name(outcome: str, part: str) -> str:
    """The name of a letter's part in the form and in error messages: letter_award_subject."""
    return f"letter_{outcome}_{part}"


def own_letters(templates: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]]:
    """The parts of the letters that differ from the built-in ones, as the call stores them.

    A part left empty, or still the built-in text in any of our languages, is dropped: the
    built-in letter then reaches each member in their own language.
    """
    own: dict[str, dict[str, str]] = {}
    for outcome, parts in (templates or {}).items():
        if not isinstance(parts, dict):
            own[outcome] = parts  # not a letter: check_decision_settings says so
            continue
        kept = {}
        for part, text in parts.items():
            text = (text or "").replace("\r\n", "\n").strip() if isinstance(text, str) else text
            if text and text not in _built_in(outcome, part):
                kept[part] = text
        if kept:
            own[outcome] = kept
    return own


def _built_in(outcome: str, part: str) -> set[str]:
    """The built-in text of a letter's part in every language the fund speaks."""
    if outcome not in LETTER_OUTCOMES or part not in LETTER_PARTS:
        return set()
    texts = set()
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            texts.add(letters.default_letter(outcome)[LETTER_PARTS.index(part)].strip())
    return texts


def check_decision_settings(values: dict[str, Any], errors: dict[str, str]) -> None:
    """Add to `errors` a message for each decision setting in `values` that breaks a rule."""
    low, high = THRESHOLD_RANGE
    threshold = values["disagreement_threshold"]
    is_number = isinstance(threshold, Decimal | int) and not isinstance(threshold, bool)
    if not (is_number and Decimal(threshold).is_finite() and low <= threshold <= high):
        errors["disagreement_threshold"] = _(
            "Give a number of points from %(low)d to %(high)d.", low=low, high=high
        )
    templates = values["letter_templates"]
    if not isinstance(templates, dict):
        errors["letter_templates"] = str(UNREADABLE)
        return
    for outcome, parts in templates.items():
        if (
            outcome not in LETTER_OUTCOMES
            or not isinstance(parts, dict)
            or (parts.keys() - set(LETTER_PARTS))
        ):
            errors["letter_templates"] = str(UNREADABLE)
            continue
        for part, text in parts.items():
            name = letter_name(outcome, part)
            if not isinstance(text, str):
                errors[name] = str(UNREADABLE)
            elif len(text) > LETTER_LIMITS[part]:
                errors[name] = _(
                    "Up to %(max)d characters; this has %(length)d.",
                    max=LETTER_LIMITS[part],
                    length=len(text),
                )
            elif problem := letters.placeholder_problem(text):
                errors[name] = problem
