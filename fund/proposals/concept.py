"""Writes for a two-stage call's concept note: saving the draft and submitting it. Services
flush, never commit.

The concept note is the proposal's first stage (fund/workflow/): its core fields are the
proposal's own columns, so an invited organisation's full proposal starts with them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from fund import workflow
from fund.extensions import db
from fund.models import Proposal, ProposalState, User
from fund.proposals import eligibility
from fund.proposals.drafts import DraftConflict
from fund.proposals.queries import when
from fund.proposals.submission import SubmissionRefused, allocate_reference
from fund.rules import concept_content
from fund.rules.proposal_content import Problem
from fund.workflow import TransitionRefused


def save_concept(
    proposal: Proposal,
    data: dict[str, Any],
    actor: User,
    *,
    expected_version: int,
    now: datetime,
) -> Proposal:
    """Store the typed concept note (shape-checked by the form) as the next version of it.

    Raises DraftConflict if it changed, or was submitted, since `expected_version` was loaded.
    """
    result = db.session.execute(
        update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.lock_version == expected_version,
            Proposal.state == ProposalState.CONCEPT_DRAFT,
        )
        .values(lock_version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DraftConflict()
    set_committed_value(proposal, "lock_version", expected_version + 1)
    for name in concept_content.CORE_FIELDS:
        setattr(proposal, name, data[name])
    proposal.concept_answers = dict(data["concept_answers"])
    proposal.updated_at = now
    proposal.updated_by_id = actor.id
    db.session.flush()
    return proposal


def concept_problems(proposal: Proposal, actor: User, now: datetime) -> list[Problem]:
    """Every reason the concept note may not be submitted by `actor` at `now`."""
    call = proposal.call
    problems: list[Problem] = []
    if not call.concept_is_open(now):
        problems.append(
            Problem(
                None,
                _(
                    "Concept notes are taken from %(opens)s until %(closes)s.",
                    opens=when(call.opens_at),
                    closes=when(call.concept_closes_at),
                ),
            )
        )
    problems += concept_content.problems(proposal)
    about_call = eligibility.call_problem(proposal.organisation, call, now)
    problems += [
        Problem(None, text)
        for text in eligibility.eligibility_problems(proposal.organisation, call, now)
        if text != about_call
    ]
    if not actor.email_verified:
        problems.append(
            Problem(
                None,
                _(
                    "Your e-mail address is not verified yet: open the link we sent you, or ask "
                    "for a new one on your profile page."
                ),
            )
        )
    return problems


def submit_concept_note(proposal: Proposal, actor: User, now: datetime) -> None:
    """Check every rule, then give the proposal its reference, freeze the concept note and
    submit it. Raises TransitionRefused (409 once submitted, 403 for someone who may not) or
    SubmissionRefused with every problem. Flushes; the caller commits."""
    refused = workflow.refusal(proposal, "submit_concept", actor, workflow.TransitionData(now=now))
    if refused is not None and refused.status != 400:
        if refused.status == 409:
            raise TransitionRefused(
                _(
                    "This concept note cannot be submitted: it is %(state)s.",
                    state=workflow.state_label(proposal.state),
                ),
                409,
            )
        raise refused
    problems = concept_problems(proposal, actor, now)
    if problems:
        raise SubmissionRefused(problems)
    if refused is not None:  # a guard not covered above: never submit past it
        raise refused
    if proposal.reference is None:
        proposal.reference = allocate_reference(proposal.call.year)
    proposal.concept_note = concept_content.snapshot(proposal, now)
    proposal.concept_submitted_at = now
    proposal.updated_by_id = actor.id
    proposal.lock_version = (proposal.lock_version or 0) + 1  # an open edit form is now stale
    db.session.flush()
    workflow.transition(proposal, "submit_concept", actor, now=now)
