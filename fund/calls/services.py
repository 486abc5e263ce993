"""Writes for calls: create, edit, open and close, each with its audit entry.

Services flush but never commit. The rules of a call (amounts in order, weights and tranches
adding up to 100: fund/calls/rules.py; fields locked once a proposal is submitted: here) are
checked on every write, so every entry point (the form, the demo, a future import) shares them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from fund.calls import queries
from fund.calls.decision_settings import LETTER_LABELS, own_letters
from fund.calls.rubric import criterion_levels
from fund.calls.rules import FIELD_LABELS, call_values, changed_fields, check_values
from fund.extensions import db
from fund.forms_def.report_template import indicators_template
from fund.models import AuditEvent, Call, Criterion, User

# Fields that shape the proposals already submitted: fixed once the first one is in.
LOCKED_FIELDS = (
    "currency",
    "min_award",
    "max_award",
    "max_duration_months",
    "eligible_income_groups",
    "unclassified_eligible",
    "eligible_org_types",
    "fiscal_year",
    "strategies",
    "criteria",
    "opens_at",
    "two_stage",  # concept notes, or full proposals, were submitted under one way or the other
)


class CallError(Exception):
    """A request about a call that cannot be met; the message is for the user."""


class CallInvalid(CallError):
    """Values that break the call's rules; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        labels = {**FIELD_LABELS, **LETTER_LABELS}
        super().__init__("; ".join(f"{labels[k]}: {v}" for k, v in errors.items()))
        self.errors = errors


class CallLocked(CallError):
    """An edit that would change fields fixed by the proposals already submitted."""

    def __init__(self, fields: list[str]):
        super().__init__(
            _(
                "Proposals have already been submitted to this call, so these fields can no "
                "longer change: %(fields)s.",
                fields=", ".join(str(FIELD_LABELS[f]) for f in fields),
            )
        )
        self.fields = fields


def locked_fields(call: Call) -> tuple[str, ...]:
    """The fields that can no longer change: none until a proposal has been submitted."""
    if call.id is None:
        return ()
    submitted = queries.has_submissions(call) or queries.has_concept_submissions(call)
    return LOCKED_FIELDS if submitted else ()


def create_call(actor: User, values: dict[str, Any]) -> Call:
    """A new, unpublished call; `values` are complete (see `rules.default_values`)."""
    values = {**values, "letter_templates": own_letters(values["letter_templates"])}
    errors = check_values(values)
    if errors:
        raise CallInvalid(errors)
    call = Call()
    apply_values(call, values)
    call.report_form = indicators_template()  # the grantees' report form starts from it
    db.session.add(call)
    db.session.flush()
    audit(call, "create", actor, call.title)
    return call


def update_call(call: Call, actor: User, values: dict[str, Any]) -> list[str]:
    """Change the fields given in `values`; returns the names of those that changed.

    Raises CallLocked if a locked field would change, CallInvalid if a rule would break.
    """
    if "letter_templates" in values:
        values = {**values, "letter_templates": own_letters(values["letter_templates"])}
    changed = changed_fields(call, values)
    refused = [name for name in changed if name in locked_fields(call)]
    if refused:
        raise CallLocked(refused)
    errors = check_values({**call_values(call), **values})
    if errors:
        raise CallInvalid(errors)
    apply_values(call, {name: values[name] for name in changed})
    audit(call, "update", actor, ", ".join(changed))
    db.session.flush()
    return changed


def open_call(call: Call, actor: User, now: datetime) -> None:
    """Publish the call: it accepts proposals from its opening to its closing time."""
    if call.published_at is not None:
        raise CallError(_("This call is already published."))
    if call.closes_at <= now:
        raise CallError(_("This call's closing time has passed. Set a later one, then open it."))
    call.published_at = now
    audit(call, "open", actor, "")
    db.session.flush()


def close_call(call: Call, actor: User, now: datetime) -> None:
    """Close the call now: no proposal can be submitted after this moment."""
    if call.closes_at <= now:
        raise CallError(_("This call is already closed."))
    if call.opens_at > now:
        raise CallError(
            _("This call has not opened yet, so it cannot be closed. Change its dates instead.")
        )
    previous = call.closes_at
    call.closes_at = now
    audit(call, "close", actor, _("was to close at %(when)s UTC", when=previous.isoformat()))
    db.session.flush()


def apply_values(call: Call, values: dict[str, Any]) -> None:
    """Set the call's fields from checked `values`; the rubric's rows are replaced whole."""
    for name, value in values.items():
        if name == "criteria":
            call.criteria = [
                Criterion(
                    position=i,
                    name=c["name"],
                    guidance=c["guidance"] or "",
                    weight=c["weight"],
                    levels=criterion_levels(c),
                )
                for i, c in enumerate(value, start=1)
            ]
        elif name == "criterion_guidance":  # in place: the scores given keep their criterion
            for criterion, guidance in zip(call.criteria, value, strict=True):
                criterion.guidance = guidance["guidance"] or ""
                criterion.levels = criterion_levels(guidance)
        elif name in ("title", "description", "declaration"):
            setattr(call, name, value.strip())
        else:
            setattr(call, name, value)


def audit(call: Call, action: str, actor: User, comment: str) -> None:
    """An audit row about `call` (its set-up, its questions, opening and closing)."""
    db.session.add(
        AuditEvent(
            subject_type="call",
            subject_id=call.id,
            action=action,
            actor_id=actor.id,
            comment=comment,
        )
    )
