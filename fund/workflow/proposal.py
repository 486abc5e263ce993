"""The proposal machine: a concept note and a full proposal from draft to a decision, with
screening, requests for information, review and revision, and the guards they need."""

from __future__ import annotations

from typing import Any

from fund import dates, permissions
from fund.i18n import lazy_gettext as _l
from fund.models import Proposal, ProposalState
from fund.money import money
from fund.rules import concept_content, proposal_content
from fund.rules.envelope import envelope_left
from fund.workflow.engine import (
    ADMIN,
    APPLICANT,
    CHAIR,
    SYSTEM,
    Machine,
    Transition,
    TransitionData,
    reason_given,
)


def due_date_ahead(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    """An "Ask for more information" gives the applicant until a time still ahead."""
    due_at = data.extra.get("due_at")
    if due_at is None or due_at <= data.now:
        return str(_l("Give a due date in the future."))
    return None


def call_is_open(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    if not proposal.call.is_open(data.now):
        return str(_l("The call is not open for submissions at this moment."))
    return None


def email_verified(subject: Any, actor: Any, data: TransitionData) -> str | None:
    if actor is None or not actor.email_verified:
        return str(_l("Verify your e-mail address first: use the link we sent you."))
    return None


def concept_window_open(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    if not proposal.call.concept_is_open(data.now):
        return str(_l("The call is not taking concept notes at this moment."))
    return None


def concept_complete(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    # The rules live with the concept note; submit_concept_note lists each one separately.
    return concept_content.incomplete_reason(proposal)


def full_deadline_ahead(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    """An invitation after the call has closed would leave nothing the organisation could do."""
    if data.now >= proposal.call.closes_at:
        return str(_l("The call has closed: nobody can be invited to submit a full proposal now."))
    return None


def proposal_complete(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    # The rules live with the proposal's content; submit_proposal lists each one separately.
    return proposal_content.is_complete(proposal)


def chair_not_conflicted(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    if actor is not None and permissions.is_conflicted(actor, proposal):
        return str(
            _l(
                "You have declared a conflict of interest with this organisation: another "
                "chair must decide."
            )
        )
    return None


def award_within_limits(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    """The amount (data.extra["amount"], by default the amount requested) is positive, at most
    the amount requested, and at most what is left of the call's envelope after the awards
    already made."""
    amount = data.extra.get("amount", proposal.amount_requested)
    if amount is None or ("amount" in data.extra and amount <= 0):
        return str(_l("Give the amount to award."))
    if amount > proposal.amount_requested:
        return str(
            _l(
                "The award cannot be more than the amount requested (%(amount)s).",
                amount=money(proposal.amount_requested, proposal.call.currency),
            )
        )
    left = envelope_left(proposal.call)
    if amount > left:
        return str(
            _l(
                "Only %(left)s is left in the call's budget envelope.",
                left=money(left, proposal.call.currency),
            )
        )
    return None


def start_date_schedulable(proposal: Proposal, actor: Any, data: TransitionData) -> str | None:
    """The grant's funded period, reports and tranches are computed from the start date: one
    that no schedule can be computed from (year 9999, kept from before dates were bounded) is
    refused with a way out, not left to fail in the middle of the award."""
    start = proposal.start_date
    months = proposal.duration_months or proposal.call.max_duration_months or 0
    if start is None or dates.schedule_fits(start, months + 24):  # + the reports after the end
        return None
    return str(
        _l(
            "The proposal's start date (%(date)s) cannot be used for a grant. Request a revision "
            "so that the applicant gives a real one.",
            date=start.isoformat(),
        )
    )


P = ProposalState

PROPOSAL = Machine(
    model=Proposal,
    subject_type="proposal",
    states=ProposalState,
    initial=P.DRAFT,
    # a proposal to a two-stage call starts as a concept note
    entry_states=frozenset({P.DRAFT, P.CONCEPT_DRAFT}),
    final_states=frozenset({P.AWARDED, P.DECLINED, P.INELIGIBLE, P.WITHDRAWN, P.CONCEPT_DECLINED}),
    transitions=(
        Transition(
            "submit_concept",
            frozenset({P.CONCEPT_DRAFT}),
            P.CONCEPT_SUBMITTED,
            APPLICANT,
            _l("Submit concept note"),
            guards=(concept_window_open, email_verified, concept_complete),
        ),
        Transition(
            "shortlist",
            frozenset({P.CONCEPT_SUBMITTED}),
            P.INVITED,
            ADMIN | CHAIR,
            _l("Invite full proposal"),
            guards=(chair_not_conflicted, full_deadline_ahead),
        ),
        Transition(
            "decline_concept",
            frozenset({P.CONCEPT_SUBMITTED}),
            P.CONCEPT_DECLINED,
            ADMIN | CHAIR,
            _l("Decline concept note"),
            guards=(chair_not_conflicted, reason_given),
            needs_comment=True,
        ),
        Transition(
            "submit",
            frozenset({P.DRAFT, P.INVITED}),
            P.SUBMITTED,
            APPLICANT,
            _l("Submit proposal"),
            guards=(call_is_open, email_verified, proposal_complete),
        ),
        Transition(
            "withdraw",
            frozenset(
                {
                    P.DRAFT,
                    P.SUBMITTED,
                    P.IN_REVIEW,
                    P.REVIEWED,
                    P.REVISION_REQUESTED,
                    P.INFORMATION_REQUESTED,
                    P.CONCEPT_DRAFT,
                    P.CONCEPT_SUBMITTED,
                    P.INVITED,
                }
            ),
            P.WITHDRAWN,
            APPLICANT,
            _l("Withdraw"),
        ),
        Transition("screen_in", frozenset({P.SUBMITTED}), P.IN_REVIEW, ADMIN, _l("Screen in")),
        # The secretariat asks the applicant a question while screening; the applicant may
        # change the proposal and sends it back, or, once it falls due, the secretariat decides.
        Transition(
            "request_information",
            frozenset({P.SUBMITTED}),
            P.INFORMATION_REQUESTED,
            ADMIN,
            _l("Ask for more information"),
            guards=(reason_given, due_date_ahead),
            needs_comment=True,
        ),
        Transition(
            "send_information",
            frozenset({P.INFORMATION_REQUESTED}),
            P.SUBMITTED,
            APPLICANT,
            _l("Send to the secretariat"),
            guards=(email_verified, proposal_complete),
        ),
        Transition(
            "return_to_screening",
            frozenset({P.INFORMATION_REQUESTED}),
            P.SUBMITTED,
            ADMIN,
            _l("Return to screening without an answer"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "screen_out",
            frozenset({P.SUBMITTED, P.INFORMATION_REQUESTED}),
            P.INELIGIBLE,
            ADMIN,
            _l("Screen out"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "complete_review",
            frozenset({P.IN_REVIEW}),
            P.REVIEWED,
            frozenset({SYSTEM}),
            _l("Complete review"),
        ),
        Transition(
            "reopen_review",
            frozenset({P.REVIEWED}),
            P.IN_REVIEW,
            ADMIN | CHAIR,
            _l("Reopen review"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "award",
            frozenset({P.REVIEWED}),
            P.AWARDED,
            CHAIR,
            _l("Award"),
            guards=(chair_not_conflicted, award_within_limits, start_date_schedulable),
        ),
        Transition(
            "decline",
            frozenset({P.REVIEWED}),
            P.DECLINED,
            CHAIR,
            _l("Decline"),
            guards=(chair_not_conflicted, reason_given),
            needs_comment=True,
        ),
        Transition(
            "request_revision",
            frozenset({P.REVIEWED}),
            P.REVISION_REQUESTED,
            CHAIR,
            _l("Request revision"),
            guards=(chair_not_conflicted, reason_given),
            needs_comment=True,
        ),
        Transition(
            "resubmit",
            frozenset({P.REVISION_REQUESTED}),
            P.IN_REVIEW,
            APPLICANT,
            _l("Resubmit proposal"),
            guards=(email_verified, proposal_complete),
        ),
    ),
)
