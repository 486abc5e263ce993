"""The money machines: a payment, recorded by one person and approved or rejected by another,
and an organisation's bank details, approved before any money goes to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fund import permissions
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import BankDetails, BankDetailsState, GrantState, Payment, PaymentState
from fund.workflow.engine import (
    ADMIN,
    APPLICANT,
    CHAIR,
    Machine,
    Transition,
    TransitionData,
    reason_given,
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
            "change",
            frozenset({B.APPROVED}),
            B.AWAITING_APPROVAL,
            APPLICANT,
            _l("Change bank details"),
        ),
    ),
)
