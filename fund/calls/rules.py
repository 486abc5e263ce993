"""A call's values and the rules they follow: the field labels, what a new call starts with,
the currencies allowed, the checks on a complete set of values and what an edit changes.

Kept apart from the writes (fund/calls/services.py) so that the form and every entry point
share the same labels and rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import available_timezones

import pycountry
from flask import current_app
from flask_babel import gettext as _

from fund.calls.decision_settings import check_decision_settings, own_letters
from fund.calls.rubric import SCORES, criterion_levels, default_criteria
from fund.i18n import lazy_gettext as _l
from fund.models import Call, IncomeGroup, OrganisationType, Strategy

# Labels of a call's fields; the form uses them too, so messages name fields as the page does.
FIELD_LABELS = {
    "title": _l("Title"),
    "description": _l("Purpose and description"),
    "declaration": _l("Declaration applicants tick before submitting"),
    "timezone": _l("Time zone of the opening and closing times"),
    "opens_at": _l("Opens at"),
    "closes_at": _l("Closes at"),
    "two_stage": _l("Two stages: concept notes first, then full proposals by invitation"),
    "concept_closes_at": _l("Concept notes close at"),
    "currency": _l("Currency"),
    "budget_envelope": _l("Budget envelope"),
    "min_award": _l("Minimum award"),
    "max_award": _l("Maximum award"),
    "max_duration_months": _l("Maximum duration (months)"),
    "eligible_income_groups": _l("Eligible income groups"),
    "unclassified_eligible": _l("Economies the World Bank does not classify are eligible"),
    "eligible_org_types": _l("Eligible types of organisation"),
    "strategies": _l("INSPIRE strategies in scope"),
    "fiscal_year": _l("Fiscal year of the income-group list"),
    "reviewers_per_proposal": _l("Reviewers per proposal"),
    "chair_approvals_needed": _l("Chair approvals needed per award"),
    "criteria": _l("Rubric"),
    # The descriptions and score meanings of the criteria: sent on their own once the rubric is
    # fixed, since they guide reviewers without changing the scale (like a label, they may still
    # be corrected).
    "criterion_guidance": _l("Criterion descriptions and score meanings"),
    "tranche_template": _l("Payment tranches"),
    "reporting_template": _l("Reports"),
    "disagreement_threshold": _l("Disagreement threshold (points)"),
    "hide_reviewer_names": _l("Hide reviewers' names from the chairs"),
    "letter_templates": _l("Decision letters"),
    "languages": _l("Languages of the call"),
    "main_language": _l("Main language"),
}


TRANCHE_CONDITIONS = ("signature", "interim_report", "final_report")

# ISO 4217 codes that are not money a grant is paid in: funds and units of account. The other
# X-codes are metals, drawing rights and test codes, except these real currencies.
FUNDS_AND_UNITS = frozenset({"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"})
X_CURRENCIES = frozenset({"XAF", "XCD", "XCG", "XOF", "XPF"})  # CFA francs, East Caribbean ...


def currency_codes() -> frozenset[str]:
    """ISO 4217 codes of the currencies a call may be in."""
    return frozenset(
        code
        for code in (c.alpha_3 for c in pycountry.currencies)
        if code not in FUNDS_AND_UNITS and (not code.startswith("X") or code in X_CURRENCIES)
    )


def default_values() -> dict[str, Any]:
    """What a new call starts with (the times are left for the secretariat to choose)."""
    return {
        "title": "",
        "description": "",
        "declaration": "",  # the built-in one, in each applicant's language
        "timezone": "UTC",
        "opens_at": None,
        "closes_at": None,
        "two_stage": False,
        "concept_closes_at": None,
        "currency": "USD",
        "budget_envelope": Decimal("200000"),
        "min_award": Decimal("5000"),
        "max_award": Decimal("50000"),
        "max_duration_months": 18,
        "eligible_income_groups": [
            IncomeGroup.LOW.value,
            IncomeGroup.LOWER_MIDDLE.value,
            IncomeGroup.UPPER_MIDDLE.value,
        ],
        "unclassified_eligible": False,
        "eligible_org_types": [
            t.value for t in OrganisationType if t != OrganisationType.GOVERNMENT
        ],
        "strategies": [s.value for s in Strategy],
        "fiscal_year": current_app.config["INCOME_GROUP_FISCAL_YEAR"],
        "reviewers_per_proposal": 3,
        "chair_approvals_needed": 1,
        "criteria": default_criteria(),
        "tranche_template": [
            {"percent": 80, "condition": "signature"},
            {"percent": 20, "condition": "final_report"},
        ],
        "reporting_template": [
            {"kind": "interim", "months_after_start": 6},
            {"kind": "final", "days_after_end": 60},
        ],
        "disagreement_threshold": Decimal("15"),
        "hide_reviewer_names": False,
        "letter_templates": {},  # the built-in letters, in each member's language
        "languages": ["en"],
        "main_language": "en",
    }


def call_values(call: Call) -> dict[str, Any]:
    """The call's current values, in the shape `create_call` and `update_call` take."""
    values = {
        name: getattr(call, name)
        for name in FIELD_LABELS
        if name not in ("criteria", "criterion_guidance")
    }
    values["criteria"] = [
        {"name": c.name, "guidance": c.guidance, "weight": c.weight, "levels": list(c.levels)}
        for c in call.criteria
    ]
    values["criterion_guidance"] = [
        {"guidance": c.guidance, "levels": list(c.levels)} for c in call.criteria
    ]
    values["letter_templates"] = dict(call.letter_templates or {})
    return values


def check_values(values: dict[str, Any]) -> dict[str, str]:
    """The call's rules, for a complete set of values: {field: message} for each one broken."""
    errors: dict[str, str] = {}
    if not (values["title"] or "").strip():
        errors["title"] = _("Give the call a title.")
    if values["timezone"] not in available_timezones():
        errors["timezone"] = _("Choose a time zone from the list.")
    if values["currency"] not in currency_codes():
        errors["currency"] = _("Choose a currency from the list.")
    opens, closes = values["opens_at"], values["closes_at"]
    if opens is None:
        errors["opens_at"] = _("Give the opening date and time.")
    if closes is None:
        errors["closes_at"] = _("Give the closing date and time.")
    elif opens is not None and closes <= opens:
        errors["closes_at"] = _("The call must close after it opens.")
    _check_concept_deadline(values, errors)
    for name in ("budget_envelope", "min_award", "max_award"):
        if values[name] is None or values[name] <= 0:
            errors[name] = _("Enter an amount above zero.")
    if not errors.keys() & {"budget_envelope", "min_award", "max_award"}:
        if values["min_award"] > values["max_award"]:
            errors["min_award"] = _("The minimum award cannot be more than the maximum award.")
        if values["max_award"] > values["budget_envelope"]:
            errors["max_award"] = _("The maximum award cannot be more than the budget envelope.")
    if not values["eligible_income_groups"] and not values["unclassified_eligible"]:
        errors["eligible_income_groups"] = _("Choose at least one income group.")
    if not values["eligible_org_types"]:
        errors["eligible_org_types"] = _("Choose at least one type of organisation.")
    if not values["strategies"]:
        errors["strategies"] = _("Choose at least one strategy.")
    _check_languages(values, errors)
    _check_rows(values, errors)
    _check_levels(values, errors)
    check_decision_settings(values, errors)
    return errors


def _check_languages(values: dict[str, Any], errors: dict[str, str]) -> None:
    """The call's languages are the app's, and its main one is among them."""
    known = current_app.config["LANGUAGES"]
    languages = values.get("languages") or []
    if not languages or any(code not in known for code in languages):
        errors["languages"] = _("Choose the call's languages from the list.")
    if values.get("main_language") not in languages:
        errors["main_language"] = _("The main language must be one of the call's languages.")


def _check_concept_deadline(values: dict[str, Any], errors: dict[str, str]) -> None:
    """A two-stage call takes concept notes after it opens and before it closes (full
    proposals come after the concept deadline)."""
    if not values.get("two_stage"):
        return
    opens, concept, closes = (
        values["opens_at"],
        values.get("concept_closes_at"),
        values["closes_at"],
    )
    if concept is None:
        errors["concept_closes_at"] = _("Give the date and time concept notes close.")
    elif opens is not None and concept <= opens:
        errors["concept_closes_at"] = _("Concept notes must close after the call opens.")
    elif closes is not None and concept >= closes:
        errors["concept_closes_at"] = _(
            "Concept notes must close before the call closes: the invited organisations need "
            "time to write their full proposals."
        )


def _check_levels(values: dict[str, Any], errors: dict[str, str]) -> None:
    """Each criterion has a meaning for every score level, or none at all."""
    message = _("Give a meaning for each of the %(n)d score levels, or for none.", n=len(SCORES))
    if not all(_levels_complete(c) for c in values["criteria"]):
        errors.setdefault("criteria", message)
    guidance = values.get("criterion_guidance")
    if guidance is None:
        return
    if len(guidance) != len(values["criteria"]):
        errors["criterion_guidance"] = _("Give the descriptions of the rubric's criteria only.")
    elif not all(_levels_complete(g) for g in guidance):
        errors["criterion_guidance"] = message


def _levels_complete(criterion: dict[str, Any]) -> bool:
    levels = criterion_levels(criterion)
    return not levels or (len(levels) == len(SCORES) and all(levels))


def _check_rows(values: dict[str, Any], errors: dict[str, str]) -> None:
    weights = sum(c["weight"] for c in values["criteria"])
    if not values["criteria"]:
        errors["criteria"] = _("Add at least one criterion.")
    elif weights != 100:
        errors["criteria"] = _(
            "The weights add up to %(total)d; they must add up to 100.", total=weights
        )
    percents = sum(t["percent"] for t in values["tranche_template"])
    if not values["tranche_template"]:
        errors["tranche_template"] = _("Add at least one tranche.")
    elif percents != 100:
        errors["tranche_template"] = _(
            "The tranches add up to %(total)d%%; they must add up to 100%%.", total=percents
        )
    elif any(t["condition"] not in TRANCHE_CONDITIONS for t in values["tranche_template"]):
        errors["tranche_template"] = _("Choose when each tranche is paid from the list.")
    interim = [
        r["months_after_start"] for r in values["reporting_template"] if r["kind"] == "interim"
    ]
    duration = values["max_duration_months"]
    if len(set(interim)) != len(interim):
        errors["reporting_template"] = _("Two interim reports are due in the same month.")
    elif duration and any(m >= duration for m in interim):
        errors["reporting_template"] = _(
            "Interim reports must fall before month %(months)d, the longest a project may last.",
            months=duration,
        )


def _comparable(name: str, value: Any) -> Any:
    """A value in a form that compares equal however it was entered (order, 5000 vs 5000.00)."""
    if name in ("eligible_income_groups", "eligible_org_types", "strategies", "languages"):
        return sorted(value or [])
    if name == "criteria":
        return [(c["name"], c["guidance"] or "", c["weight"], criterion_levels(c)) for c in value]
    if name == "criterion_guidance":
        return [(g["guidance"] or "", criterion_levels(g)) for g in value]
    if name == "letter_templates":
        return own_letters(value)
    return value


def changed_fields(call: Call, values: dict[str, Any]) -> list[str]:
    """The names in `values` whose value differs from the call's."""
    current = call_values(call)
    return [
        name
        for name in FIELD_LABELS
        if name in values and _comparable(name, values[name]) != _comparable(name, current[name])
    ]
