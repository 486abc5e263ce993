"""A concept note's content: what it asks (core fields and the call's concept-note questions),
the rules it must meet before it is submitted, and the frozen copy a submission keeps.

A concept note lives on its Proposal row: the core fields are the proposal's own columns (so
an invited organisation's full proposal starts with them), the answers to the call's concept
questions are `proposal.concept_answers`. Like fund/rules/proposal_content.py this module
imports no workflow code, so the workflow's guards can use its rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fund.forms_def import definition as forms_definition
from fund.forms_def.localise import local_form
from fund.forms_def.validate import answer_problems, call_scope, visible_answers
from fund.i18n import lazy_gettext as _l
from fund.models import Proposal
from fund.rules.limits import FIELD_LIMITS
from fund.rules.proposal_content import Problem, _strategy_problems

# The core fields a concept note asks, in the order they are shown: the proposal's columns.
CORE_FIELDS = ("title", "summary", "countries", "strategies")
CONCEPT_SCHEMA = 1


def problems(proposal: Proposal) -> list[Problem]:
    """Every required part of the concept note that is empty or out of bounds."""
    found: list[Problem] = []
    for name, message in (
        ("title", _l("Give the proposal a title.")),
        ("summary", _l("Write a summary of the proposal.")),
    ):
        value = (getattr(proposal, name) or "").strip()
        if not value:
            found.append(Problem(name, str(message)))
        elif len(value) > FIELD_LIMITS.get(name, len(value)):
            found.append(
                Problem(
                    name,
                    str(
                        _l(
                            "Shorten this to %(limit)d characters (it has %(length)d).",
                            limit=FIELD_LIMITS[name],
                            length=len(value),
                        )
                    ),
                )
            )
    if not proposal.countries:
        found.append(
            Problem("countries", str(_l("Choose at least one country of implementation.")))
        )
    found.extend(_strategy_problems(proposal))
    found.extend(
        Problem(qid, message, label)
        for qid, label, message in answer_problems(
            local_form(proposal.call, column="concept_form"),
            proposal.concept_answers,
            call_scope(proposal.call),
        )
    )
    return found


def incomplete_reason(proposal: Proposal) -> str | None:
    """None if the concept note is complete, else one sentence naming what is missing."""
    labels: list[str] = []
    for problem in problems(proposal):
        if problem.label and problem.label not in labels:
            labels.append(problem.label)
    if not labels:
        return None
    return str(_l("The concept note is not complete. Check: %(fields)s.", fields=", ".join(labels)))


def snapshot(proposal: Proposal, submitted_at: datetime) -> dict[str, Any]:
    """The concept note as submitted, with the form it answered: what the screening page, the
    full proposal and the review page show, whatever changes later."""
    form = forms_definition.load(proposal.call.concept_form)
    return {
        "schema": CONCEPT_SCHEMA,
        "form": form,
        "answers": visible_answers(form, proposal.concept_answers),
        "title": proposal.title or "",
        "summary": proposal.summary or "",
        "countries": list(proposal.countries or []),
        "strategies": list(proposal.strategies or []),
        "submitted_at": submitted_at.isoformat(),
    }
