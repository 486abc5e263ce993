"""Writes on grants: accepting the agreement, cancelling, suspending, reinstating, closing,
recording payments (approved in fund/payments/), and the per-call agreement terms. Services
flush; views commit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fund import workflow
from fund.extensions import db
from fund.grants import agreement, mail
from fund.grants.status import can_be_paid
from fund.models import (
    AuditEvent,
    BankDetails,
    BankDetailsState,
    Call,
    Grant,
    Payment,
    Tranche,
    User,
)
from fund.money import Amount, money
from fund.notifications import payment_approvers, public_url, queue_email

GRANT_EVENTS = {
    "cancel": "grant_cancelled",
    "suspend": "grant_suspended",
    "reinstate": "grant_reinstated",
    "complete": "grant_closed",
}


class GrantError(Exception):
    """A change refused; `message` is shown to the user, `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 400, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def accept_agreement(
    grant: Grant,
    user: User,
    *,
    name: str,
    confirmed: bool,
    ip: str | None,
    user_agent: str | None,
    now: datetime,
) -> None:
    """Record who accepted which terms, when and from where; the grant becomes active and the
    tranches paid on signature fall due."""
    terms = agreement.terms(grant)
    workflow.transition(grant, "accept_agreement", user, now=now, name=name, confirmed=confirmed)
    grant.agreement_text = terms
    grant.accepted_name = name.strip()[:200]
    grant.accepted_by_id = user.id
    grant.accepted_at = now
    grant.accepted_ip = (ip or "")[:45] or None
    grant.accepted_user_agent = (user_agent or "")[:300] or None
    for tranche in grant.tranches:
        if tranche.condition == "signature" and tranche.due_on is None:
            tranche.due_on = now.date()
    db.session.flush()
    mail.tell_secretariat(
        "grant_agreement_accepted",
        grant=grant,
        reference=mail.reference(grant),
        url=mail.grant_url(grant),
    )


def change_state(grant: Grant, action: str, user: User, reason: str, now: datetime) -> None:
    """Cancel, suspend, reinstate or close a grant (the workflow checks who and when), and tell
    the grantee."""
    if action not in GRANT_EVENTS:
        raise GrantError(_("There is no such action."), 400)
    workflow.transition(grant, action, user, comment=reason, now=now)
    mail.tell_grantee(grant, GRANT_EVENTS[action], comment=reason.strip())


def check_payment(tranche: Tranche, *, paid_on, amount: Decimal, now: datetime) -> None:
    """Raise GrantError unless a payment of `amount` on `paid_on` can be recorded now."""
    grant = tranche.grant
    if not can_be_paid(tranche, grant):
        raise GrantError(
            _(
                "This tranche cannot be paid now: it is paid already, a payment of it awaits "
                "approval, its condition is not met, or the grant is not active."
            ),
            409,
        )
    bank_state = db.session.scalar(
        select(BankDetails.state).where(BankDetails.organisation_id == grant.organisation_id)
    )
    if bank_state is None:
        raise GrantError(
            _("%(name)s has not given its bank details yet.", name=grant.organisation.name), 409
        )
    if bank_state != BankDetailsState.APPROVED:
        raise GrantError(
            _(
                "The bank details of %(name)s changed and wait for approval: approve them on the "
                "Payments page first.",
                name=grant.organisation.name,
            ),
            409,
        )
    if amount <= 0 or amount > tranche.amount:
        raise GrantError(
            _(
                "The amount must be more than 0 and at most the tranche's %(amount)s.",
                amount=money(tranche.amount, grant.currency),
            ),
            400,
            "amount",
        )
    if paid_on > now.date():
        raise GrantError(_("The payment date cannot be in the future."), 400, "paid_on")


def record_payment(
    tranche: Tranche, user: User, *, paid_on, amount: Decimal, reference: str, now: datetime
) -> Payment:
    """Record a tranche's payment, awaiting approval by another person; the tranche counts as
    paid only once it is approved (fund/payments/services.py). Refused above the tranche's
    amount, before its condition is met, in the future, without approved bank details, or while
    another payment of it is waiting (a unique index settles two recorded at once)."""
    grant = tranche.grant
    check_payment(tranche, paid_on=paid_on, amount=amount, now=now)
    payment = Payment(
        tranche_id=tranche.id,
        grant_id=grant.id,
        organisation_id=grant.organisation_id,
        amount=amount,
        currency=grant.currency,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_at=now,
        recorded_by_id=user.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(payment)
    except IntegrityError as error:
        raise GrantError(
            _("Someone recorded this payment meanwhile. Reload the page."), 409
        ) from error
    db.session.add(
        AuditEvent(
            subject_type="grant",
            subject_id=grant.id,
            action="record_payment",
            actor_id=user.id,
            comment=_(
                "Tranche %(n)d: %(amount)s paid on %(date)s, reference %(ref)s",
                n=tranche.position,
                amount=money(amount, grant.currency),
                date=paid_on.isoformat(),
                ref=reference.strip(),
            ),
            created_at=now,
        )
    )
    db.session.flush()
    db.session.expire(tranche, ["waiting_payment"])
    for approver in payment_approvers(excluding_id=user.id):  # each in their own language
        queue_email(
            approver,
            "payment_waiting",
            reference=grant.reference,
            position=tranche.position,
            amount=Amount(amount, grant.currency),
            paid_on=paid_on.isoformat(),
            payment_reference=reference.strip(),
            recorded_by=user.name,
            url=public_url("payments.index"),
        )
    return payment


def set_agreement_template(call: Call, template: str, user: User, now: datetime) -> None:
    """Change a call's agreement terms; agreements already accepted keep the text accepted."""
    call.agreement_template = template.strip()
    db.session.add(
        AuditEvent(
            subject_type="call",
            subject_id=call.id,
            action="edit_agreement_template",
            actor_id=user.id,
            created_at=now,
        )
    )
    db.session.flush()
