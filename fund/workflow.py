"""The state machines (proposal, grant, progress report, safeguarding concern, erasure request,
reviewer pool invitation, grant amendment, payment, bank details) and the one engine that runs them.

The transition tables are data. `transition()` is the only code that assigns a state: it checks
the actor's role and its right over the object, runs the guards (each returns the reason a user
sees), changes the state only if nobody changed it meanwhile (compare-and-set on the old state),
writes one audit row and queues the notifications, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from fund import dates, notifications, permissions
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import (
    AmendmentState,
    AuditEvent,
    BankDetails,
    BankDetailsState,
    ConcernState,
    ErasureRequest,
    ErasureState,
    Grant,
    GrantAmendment,
    GrantState,
    Payment,
    PaymentState,
    PoolMember,
    PoolState,
    ProgressReport,
    Proposal,
    ProposalState,
    ReportKind,
    ReportState,
    Role,
    SafeguardingConcern,
)
from fund.models.base import utcnow
from fund.money import money
from fund.rules import concept_content, proposal_content
from fund.rules.envelope import envelope_left

SYSTEM = "system"  # the role of transitions the application makes by itself

# A guard looks at the subject, the actor and the transition's data and returns None when the
# transition may go ahead, or the reason (already translated) that it may not.
Guard = Callable[[Any, Any, "TransitionData"], str | None]


@dataclass(frozen=True)
class TransitionData:
    """What the caller passes with a transition."""

    comment: str = ""
    now: datetime = field(default_factory=utcnow)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """One row of a transition table."""

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: Any  # the button text, lazily translated
    guards: tuple[Guard, ...] = ()
    needs_comment: bool = False


@dataclass(frozen=True)
class Machine:
    """A state machine: the model it drives, its states and its transitions."""

    model: type
    subject_type: str
    states: type
    initial: str
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    # the states a subject may be created in; by default only the initial one
    entry_states: frozenset[str] = frozenset()

    @property
    def starts(self) -> frozenset[str]:
        """The states a new subject may start in."""
        return self.entry_states | {self.initial}

    def transition_for(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)


class TransitionRefused(Exception):
    """A transition that may not happen; `reason` is shown to the user."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


# --- guards -----------------------------------------------------------------------------------


def reason_given(subject: Any, actor: Any, data: TransitionData) -> str | None:
    if not data.comment.strip():
        return str(_l("Give a reason: it is recorded and shown to the people concerned."))
    return None


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


def final_report_accepted(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    # Asks the database, not `grant.reports`: a relationship loaded earlier in the transaction
    # misses reports added or accepted since (transitions change states with an UPDATE).
    finals = db.session.scalars(
        select(ProgressReport.state).where(
            ProgressReport.grant_id == grant.id, ProgressReport.kind == ReportKind.FINAL
        )
    ).all()
    if not finals or any(state != ReportState.ACCEPTED for state in finals):
        return str(_l("The final report has not been accepted yet."))
    return None


def all_tranches_paid(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    from fund.models import Tranche  # asked of the database, as above

    unpaid = db.session.scalar(
        select(func.count())
        .select_from(Tranche)
        .where(Tranche.grant_id == grant.id, Tranche.paid_on.is_(None))
    )
    if unpaid:
        return str(_l("%(n)d tranche(s) of this grant are not paid yet.", n=unpaid))
    return None


def agreement_confirmed(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    """The grantee typed its full name (data.extra["name"]) and ticked the confirmation."""
    if not str(data.extra.get("name") or "").strip() or not data.extra.get("confirmed"):
        return str(_l("Type your full name and tick the confirmation to accept the agreement."))
    return None


def grant_running(report: ProgressReport, actor: Any, data: TransitionData) -> str | None:
    if report.grant.state not in (GrantState.ACTIVE, GrantState.SUSPENDED):
        return str(
            _l(
                "Reports can be submitted only once the agreement is accepted, and not "
                "after the grant is closed or cancelled."
            )
        )
    return None


def report_complete(report: ProgressReport, actor: Any, data: TransitionData) -> str | None:
    # The rules live with the report's content; submit_report lists each one separately.
    from fund.rules.report_content import incomplete_reason

    return incomplete_reason(report)


# --- the tables -------------------------------------------------------------------------------

P = ProposalState
A = frozenset({Role.APPLICANT.value})
ADMIN = frozenset({Role.ADMIN.value})
CHAIR = frozenset({Role.CHAIR.value})

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
            A,
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
            A,
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
            A,
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
            A,
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
            A,
            _l("Resubmit proposal"),
            guards=(email_verified, proposal_complete),
        ),
    ),
)

G = GrantState
GRANT = Machine(
    model=Grant,
    subject_type="grant",
    states=GrantState,
    initial=G.PENDING_AGREEMENT,
    final_states=frozenset({G.CLOSED, G.CANCELLED}),
    transitions=(
        Transition(
            "accept_agreement",
            frozenset({G.PENDING_AGREEMENT}),
            G.ACTIVE,
            A,
            _l("Accept agreement"),
            guards=(agreement_confirmed,),
        ),
        Transition(
            "cancel",
            frozenset({G.PENDING_AGREEMENT}),
            G.CANCELLED,
            ADMIN,
            _l("Cancel grant"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "suspend",
            frozenset({G.ACTIVE}),
            G.SUSPENDED,
            ADMIN,
            _l("Suspend"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "reinstate",
            frozenset({G.SUSPENDED}),
            G.ACTIVE,
            ADMIN,
            _l("Reinstate"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "complete",
            frozenset({G.ACTIVE}),
            G.CLOSED,
            ADMIN,
            _l("Close grant"),
            guards=(final_report_accepted, all_tranches_paid),
        ),
    ),
)

R = ReportState
REPORT = Machine(
    model=ProgressReport,
    subject_type="report",
    states=ReportState,
    initial=R.UPCOMING,
    final_states=frozenset({R.ACCEPTED}),
    transitions=(
        Transition(
            "submit",
            frozenset({R.UPCOMING, R.CHANGES_REQUESTED}),
            R.SUBMITTED,
            A,
            _l("Submit report"),
            guards=(grant_running, report_complete),
        ),
        Transition(
            "accept", frozenset({R.SUBMITTED}), R.ACCEPTED, ADMIN | CHAIR, _l("Accept report")
        ),
        Transition(
            "request_changes",
            frozenset({R.SUBMITTED}),
            R.CHANGES_REQUESTED,
            ADMIN | CHAIR,
            _l("Request changes"),
            guards=(reason_given,),
            needs_comment=True,
        ),
    ),
)


def outcome_given(concern: SafeguardingConcern, actor: Any, data: TransitionData) -> str | None:
    # The outcome stays on the concern, which only leads read; the audit row gets no comment.
    if not str(data.extra.get("outcome", "")).strip():
        return str(_l("Record the outcome before closing the concern."))
    return None


S = ConcernState
LEAD = frozenset({Role.SAFEGUARDING_LEAD.value})
CONCERN = Machine(
    model=SafeguardingConcern,
    subject_type="safeguarding_concern",
    states=ConcernState,
    initial=S.OPEN,
    final_states=frozenset({S.CLOSED}),
    transitions=(
        Transition(
            "close",
            frozenset({S.OPEN}),
            S.CLOSED,
            LEAD,
            _l("Close the concern"),
            guards=(outcome_given,),
        ),
        Transition("reopen", frozenset({S.CLOSED}), S.OPEN, LEAD, _l("Reopen the concern")),
    ),
)

E = ErasureState
ERASURE = Machine(
    model=ErasureRequest,
    subject_type="erasure_request",
    states=ErasureState,
    initial=E.PENDING,
    final_states=frozenset({E.ERASED, E.KEPT}),
    transitions=(
        Transition("erase", frozenset({E.PENDING}), E.ERASED, ADMIN, _l("Erase the account")),
        Transition(
            "keep",
            frozenset({E.PENDING}),
            E.KEPT,
            ADMIN,
            _l("Keep the data and explain"),
            guards=(reason_given,),
            needs_comment=True,
        ),
    ),
)

POOLS = PoolState
REVIEWER = frozenset({Role.REVIEWER.value})
# An invitation to a call's reviewer pool, answered by the invited reviewer (permissions.acts_as
# lets only that person answer). Both answers are final: the secretariat invites someone else.
POOL = Machine(
    model=PoolMember,
    subject_type="pool_member",
    states=PoolState,
    initial=POOLS.INVITED,
    final_states=frozenset({POOLS.ACCEPTED, POOLS.DECLINED}),
    transitions=(
        Transition("accept", frozenset({POOLS.INVITED}), POOLS.ACCEPTED, REVIEWER, _l("Accept")),
        Transition("decline", frozenset({POOLS.INVITED}), POOLS.DECLINED, REVIEWER, _l("Decline")),
    ),
)


def requester_only(amendment: GrantAmendment, actor: Any, data: TransitionData) -> str | None:
    """Only the person who asked for an amendment withdraws it."""
    if actor is None or amendment.requested_by_id != actor.id:
        return str(_l("Only the person who requested this amendment can withdraw it."))
    return None


def grant_amendable(amendment: GrantAmendment, actor: Any, data: TransitionData) -> str | None:
    """A closed, cancelled or not yet signed grant is not changed any more (or yet)."""
    if amendment.grant.state not in (GrantState.ACTIVE, GrantState.SUSPENDED):
        return str(
            _l(
                "This grant is %(state)s: it can no longer be amended.",
                state=state_label(amendment.grant.state),
            )
        )
    return None


AM = AmendmentState
AMENDMENT = Machine(
    model=GrantAmendment,
    subject_type="grant_amendment",
    states=AmendmentState,
    initial=AM.REQUESTED,
    final_states=frozenset({AM.APPROVED, AM.DECLINED, AM.WITHDRAWN}),
    transitions=(
        Transition(
            "approve",
            frozenset({AM.REQUESTED}),
            AM.APPROVED,
            ADMIN,
            _l("Approve the amendment"),
            guards=(grant_amendable,),
        ),
        # A small budget reallocation, under the call's threshold, is approved on request.
        Transition(
            "approve_automatically",
            frozenset({AM.REQUESTED}),
            AM.APPROVED,
            frozenset({SYSTEM}),
            _l("Approved automatically"),
            guards=(grant_amendable,),
        ),
        Transition(
            "decline",
            frozenset({AM.REQUESTED}),
            AM.DECLINED,
            ADMIN,
            _l("Decline the amendment"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "withdraw",
            frozenset({AM.REQUESTED}),
            AM.WITHDRAWN,
            A | ADMIN,
            _l("Withdraw the request"),
            guards=(requester_only,),
        ),
    ),
)


def payment_approver(payment: Payment, actor: Any, data: TransitionData) -> str | None:
    """Admins approve payments; chairs too where PAYMENT_APPROVER_ROLES says so."""
    if not permissions.can_approve_payments(actor):
        return str(_l("Your role does not allow approving payments."))
    return None


def not_the_recorder(payment: Payment, actor: Any, data: TransitionData) -> str | None:
    """Two people handle every payment: the one who recorded it never approves or rejects it."""
    if actor is not None and payment.recorded_by_id == actor.id:
        return str(
            _l(
                "You recorded this payment: another person must approve or reject it, so that "
                "two people check every payment."
            )
        )
    return None


def bank_details_approved(payment: Payment, actor: Any, data: TransitionData) -> str | None:
    """Money goes only to bank details the secretariat approved (asked of the database: a
    member may have changed them since the page was loaded)."""
    state = db.session.scalar(
        select(BankDetails.state).where(BankDetails.organisation_id == payment.organisation_id)
    )
    if state != BankDetailsState.APPROVED:
        return str(
            _l(
                "The organisation's bank details changed and wait for approval: approve them "
                "before this payment."
            )
        )
    return None


def grant_active_for_payment(payment: Payment, actor: Any, data: TransitionData) -> str | None:
    if payment.grant.state != GrantState.ACTIVE:
        return str(_l("The grant is not active: no payment can be approved now."))
    return None


PAY = PaymentState
APPROVERS = ADMIN | CHAIR  # narrowed by PAYMENT_APPROVER_ROLES in the payment_approver guard
PAYMENT = Machine(
    model=Payment,
    subject_type="payment",
    states=PaymentState,
    initial=PAY.AWAITING_APPROVAL,
    final_states=frozenset({PAY.APPROVED, PAY.REJECTED}),
    transitions=(
        Transition(
            "approve",
            frozenset({PAY.AWAITING_APPROVAL}),
            PAY.APPROVED,
            APPROVERS,
            _l("Approve payment"),
            guards=(
                payment_approver,
                not_the_recorder,
                grant_active_for_payment,
                bank_details_approved,
            ),
        ),
        Transition(
            "reject",
            frozenset({PAY.AWAITING_APPROVAL}),
            PAY.REJECTED,
            APPROVERS,
            _l("Reject payment"),
            guards=(payment_approver, not_the_recorder, reason_given),
            needs_comment=True,
        ),
    ),
)

# Bank details are approved, then changed by a member (back to waiting), then approved again:
# like a safeguarding concern, "approved" is final yet may be left.
B = BankDetailsState
BANK_DETAILS = Machine(
    model=BankDetails,
    subject_type="bank_details",
    states=BankDetailsState,
    initial=B.AWAITING_APPROVAL,
    final_states=frozenset({B.APPROVED}),
    transitions=(
        Transition(
            "approve",
            frozenset({B.AWAITING_APPROVAL}),
            B.APPROVED,
            ADMIN,
            _l("Approve bank details"),
        ),
        Transition(
            "change", frozenset({B.APPROVED}), B.AWAITING_APPROVAL, A, _l("Change bank details")
        ),
    ),
)

MACHINES: dict[type, Machine] = {
    m.model: m
    for m in (
        PROPOSAL,
        GRANT,
        REPORT,
        CONCERN,
        ERASURE,
        POOL,
        AMENDMENT,
        PAYMENT,
        BANK_DETAILS,
    )
}


def machine_for(subject: Any) -> Machine:
    """The machine that drives `subject`'s class."""
    return MACHINES[type(subject)]


# --- the engine -------------------------------------------------------------------------------


def _role_reason(t: Transition, subject: Any, actor: Any) -> str | None:
    """None if `actor` may take `t` on `subject` by role and ownership, else the reason."""
    if SYSTEM in t.roles:
        return None if actor is None else str(_l("This step is taken by the system, not by hand."))
    if actor is None or not permissions.is_signed_in(actor):
        return str(_l("Log in to do this."))
    if any(permissions.acts_as(actor, Role(role), subject) for role in t.roles):
        return None
    if Role.APPLICANT in t.roles and permissions.has_role(actor, Role.APPLICANT):
        return str(_l("Only members of the organisation concerned can do this."))
    return str(_l("Your role does not allow this."))


def refusal(
    subject: Any, action: str, actor: Any, data: TransitionData | None = None
) -> TransitionRefused | None:
    """None if `actor` may apply `action` to `subject` now, else why not (with an HTTP status).

    The order matters to the user: an impossible action (400), then a state that has moved on
    (409), then a missing right (403), then the first failing guard (400).
    """
    t = machine_for(subject).transition_for(action)
    if t is None:
        return TransitionRefused(str(_l("There is no such action.")), 400)
    if subject.state not in t.sources:
        label = state_label(subject.state)
        return TransitionRefused(
            str(_l("This cannot be done while the item is %(state)s.", state=label)), 409
        )
    reason = _role_reason(t, subject, actor)
    if reason:
        return TransitionRefused(reason, 403)
    data = data or TransitionData()
    for guard in t.guards:
        reason = guard(subject, actor, data)
        if reason:
            return TransitionRefused(reason, 400)
    return None


def check(subject: Any, action: str, actor: Any, data: TransitionData | None = None) -> str | None:
    """None if `actor` may apply `action` to `subject` now, else the reason it may not."""
    refused = refusal(subject, action, actor, data)
    return refused.reason if refused else None


def transition(
    subject: Any,
    action: str,
    actor: Any,
    *,
    comment: str = "",
    now: datetime | None = None,
    **extra: Any,
) -> AuditEvent:
    """Apply `action` to `subject` for `actor` (None for the system) in the caller's transaction.

    Raises TransitionRefused with the reason the user sees; status 409 when someone else moved
    the subject on since it was loaded.
    """
    machine = machine_for(subject)
    data = TransitionData(comment=comment.strip(), now=now or utcnow(), extra=extra)
    refused = refusal(subject, action, actor, data)
    if refused:
        raise refused
    t = machine.transition_for(action)
    old = subject.state
    model = machine.model
    result = db.session.execute(
        update(model)
        .where(model.id == subject.id, model.state == old)
        .values(state=t.target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise TransitionRefused(
            str(_l("Someone else changed this meanwhile. Reload the page to see where it stands.")),
            status=409,
        )
    set_committed_value(subject, "state", t.target)
    event = AuditEvent(
        subject_type=machine.subject_type,
        subject_id=subject.id,
        action=action,
        from_state=old,
        to_state=t.target,
        actor_id=actor.id if actor is not None else None,
        comment=data.comment,
        created_at=data.now,
    )
    db.session.add(event)
    db.session.flush()
    notifications.state_changed(machine.subject_type, subject, t, actor, data.comment)
    return event


def allowed_actions(subject: Any, user: Any) -> list[Transition]:
    """The transitions `user` may start on `subject` from its current state (for buttons).

    Guards are not run here: a button whose guard fails still shows, and pressing it explains.
    """
    machine = machine_for(subject)
    return [
        t
        for t in machine.transitions
        if subject.state in t.sources
        and SYSTEM not in t.roles
        and _role_reason(t, subject, user) is None
    ]


STATE_LABELS = {
    P.DRAFT: _l("draft"),
    P.SUBMITTED: _l("submitted"),
    P.IN_REVIEW: _l("in review"),
    P.REVIEWED: _l("reviewed"),
    P.REVISION_REQUESTED: _l("revision requested"),
    P.INFORMATION_REQUESTED: _l("more information requested"),
    P.AWARDED: _l("awarded"),
    P.DECLINED: _l("declined"),
    P.INELIGIBLE: _l("ineligible"),
    P.WITHDRAWN: _l("withdrawn"),
    P.CONCEPT_DRAFT: _l("concept note in draft"),
    P.CONCEPT_SUBMITTED: _l("concept note submitted"),
    P.CONCEPT_DECLINED: _l("concept note declined"),
    P.INVITED: _l("invited to submit a full proposal"),
    G.PENDING_AGREEMENT: _l("pending agreement"),
    G.ACTIVE: _l("active"),
    G.SUSPENDED: _l("suspended"),
    G.CLOSED: _l("closed"),
    G.CANCELLED: _l("cancelled"),
    R.UPCOMING: _l("upcoming"),
    R.SUBMITTED: _l("submitted"),
    R.CHANGES_REQUESTED: _l("changes requested"),
    R.ACCEPTED: _l("accepted"),
    S.OPEN: _l("open"),
    E.PENDING: _l("waiting for the secretariat"),
    E.ERASED: _l("erased"),
    E.KEPT: _l("kept, with the reason given"),
    AM.REQUESTED: _l("waiting for approval"),
    AM.APPROVED: _l("approved"),
    # AM.DECLINED and AM.WITHDRAWN read as the proposal's "declined" and "withdrawn"
    PAY.AWAITING_APPROVAL: _l("awaiting approval"),
    PAY.REJECTED: _l("rejected"),
    # PAY.APPROVED reads as the amendment's "approved"
}


def state_label(state: str) -> str:
    """A state as the user reads it."""
    return str(STATE_LABELS.get(state, state))
