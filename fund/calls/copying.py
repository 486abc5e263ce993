"""Copying a call's set-up ("Copy from call ..."): its questions, rubric, eligibility, templates,
decision settings and review settings, never its title, dates, proposals or reviews.

Two ways in, one list of what is copied (COPIED_FIELDS plus the forms (proposal, report, concept
note) and the agreement terms, which the call form does not edit):
- a new call: the new-call form is shown pre-filled by `prefilled_values` and nothing is saved
  until the secretariat saves it (`create_copy`), since a new call needs its own title and dates;
- an existing call with no submission yet: `copy_setup` overwrites its set-up at once.
Services flush but never commit.
"""

from __future__ import annotations

import copy
from typing import Any

from flask_babel import gettext as _

from fund.calls import queries, services
from fund.calls.form_kinds import KINDS
from fund.calls.rules import call_values, check_values, default_values
from fund.extensions import db
from fund.forms_def.standard import standard_proposal_form
from fund.models import Call, User

# The call form's fields a copy takes from its source; the title, description, dates, time
# zone, amounts and budget belong to each round and are set anew.
COPIED_FIELDS = (
    "eligible_income_groups",
    "unclassified_eligible",
    "eligible_org_types",
    "fiscal_year",
    "strategies",
    "reviewers_per_proposal",
    "chair_approvals_needed",
    "criteria",
    "tranche_template",
    "reporting_template",
    "disagreement_threshold",
    "hide_reviewer_names",
    "letter_templates",
    "languages",
    "main_language",
    "declaration",
)


class CopyRefused(services.CallError):
    """A copy that cannot be made; the message is for the user."""


def copied_values(source: Call) -> dict[str, Any]:
    """The source's values that a copy takes, as deep copies (the JSON lists are not shared)."""
    values = call_values(source)
    return {name: copy.deepcopy(values[name]) for name in COPIED_FIELDS}


def prefilled_values(source: Call, timezone: str) -> dict[str, Any]:
    """What the new-call form shows when copying `source`: its set-up, a new title, no dates."""
    return {
        **default_values(),
        "timezone": timezone,
        **copied_values(source),
        "title": _("Copy of %(title)s", title=source.title),
    }


def create_copy(actor: User, values: dict[str, Any], source: Call) -> Call:
    """A new call from the form's `values`, with `source`'s questions and agreement terms."""
    call = services.create_call(actor, values)
    _copy_extras(call, source)
    _audit(call, actor, source)
    db.session.flush()
    return call


def copy_setup(target: Call, source: Call, actor: User) -> None:
    """Overwrite `target`'s set-up with `source`'s; its title and dates stay.

    Refused for the call itself, and once a proposal has been submitted to `target` (its form
    and rubric then shape those proposals).
    """
    if source.id == target.id:
        raise CopyRefused(_("Choose another call to copy from: this is the call itself."))
    if queries.has_submissions(target):
        raise CopyRefused(
            _(
                "Proposals have already been submitted to this call, so its questions and rubric "
                "are fixed and another call's set-up cannot be copied onto it."
            )
        )
    values = copied_values(source)
    current = call_values(target)
    del current["criterion_guidance"]  # the target's own rows, replaced by the source's
    errors = check_values({**current, **values})
    if errors:  # only if the source itself breaks today's rules
        raise services.CallInvalid(errors)
    services.apply_values(target, values)
    _copy_extras(target, source)
    _audit(target, actor, source)
    db.session.flush()


def _copy_extras(target: Call, source: Call) -> None:
    # The question ids are kept: they are unique within a call only, and the retired ids come
    # along so that a later question on the copy never reuses one the source had retired.
    for kind in KINDS.values():
        kind.store(target, copy.deepcopy(kind.definition(source)))
    if not target.proposal_form:  # a source from before forms: the standard one
        target.proposal_form = standard_proposal_form()
    target.agreement_template = source.agreement_template or ""
    # The translations of what was copied; the title and description belong to each round.
    target.translations = {
        language: {k: v for k, v in texts.items() if k not in ("title", "description")}
        for language, texts in (source.translations or {}).items()
    }


def _audit(call: Call, actor: User, source: Call) -> None:
    services.audit(call, "copy", actor, _("copied from call %(id)d", id=source.id))
