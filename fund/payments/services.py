"""Writes on payments and bank details: a member saves the bank details (every member is told,
and they wait for approval), an admin approves them; a second person approves or rejects a
recorded payment, and approval marks the tranche paid. Services flush; views commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from fund import audit, workflow
from fund.extensions import db
from fund.grants import mail
from fund.models import (
    BankDetails,
    BankDetailsState,
    Organisation,
    Payment,
    Tranche,
    User,
)
from fund.money import Amount
from fund.notifications import organisation_members, public_url, queue_email
from fund.payments import banking, queries

FIELDS = ("account_holder", "bank_name", "account_number", "swift_bic", "bank_country")


class PaymentError(Exception):
    """A change refused; `message` is shown to the user, `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Identifiers compacted (an IBAN keeps no spaces), texts stripped, empty BIC as None."""
    return {
        "account_holder": values["account_holder"].strip(),
        "bank_name": values["bank_name"].strip(),
        "account_number": banking.compact(values["account_number"]),
        "swift_bic": banking.compact(values.get("swift_bic") or "") or None,
        "bank_country": values["bank_country"].upper(),
    }


def save_bank_details(
    organisation: Organisation, user: User, values: dict[str, Any], now: datetime
) -> BankDetails | None:
    """Enter or change the organisation's bank details. They then wait for the secretariat's
    approval, and every member is e-mailed (a change nobody expected is how fraud shows).
    Returns None when nothing changed."""
    values = _normalised(values)
    details = db.session.scalar(
        db.select(BankDetails).where(BankDetails.organisation_id == organisation.id)
    )
    if details is not None and all(getattr(details, k) == v for k, v in values.items()):
        return None
    if details is None:
        details = BankDetails(organisation_id=organisation.id, **values)
        db.session.add(details)
        db.session.flush()
        audit.record("bank_details", details.id, "enter", actor=user)
    elif details.state == BankDetailsState.APPROVED:
        workflow.transition(details, "change", user, now=now)
    else:
        audit.record("bank_details", details.id, "edit", actor=user)
    for name, value in values.items():
        setattr(details, name, value)
    details.changed_at, details.changed_by_id = now, user.id
    details.approved_at = details.approved_by_id = None
    db.session.flush()
    for member in organisation_members(organisation.id):
        queue_email(
            member,
            "bank_details_changed",
            organisation=organisation.name,
            changed_by=user.name,
            account=details.account_last4,
            url=public_url("payments.bank_details", organisation_id=organisation.id),
        )
    return details


def approve_bank_details(details: BankDetails, user: User, now: datetime) -> None:
    """The secretariat checked the details (by a call to the organisation, say): payments can
    be recorded against them."""
    workflow.transition(details, "approve", user, now=now)
    details.approved_at, details.approved_by_id = now, user.id
    db.session.flush()


def approve_payment(payment: Payment, user: User, now: datetime) -> None:
    """A second person approves: the tranche is paid from now on (and only now), and the
    grantee is told."""
    workflow.transition(payment, "approve", user, now=now)
    payment.decided_at, payment.decided_by_id = now, user.id
    _keep_where_it_went(payment)
    result = db.session.execute(
        update(Tranche)
        .where(Tranche.id == payment.tranche_id, Tranche.paid_on.is_(None))
        .values(
            paid_on=payment.paid_on,
            paid_amount=payment.amount,
            payment_reference=payment.reference,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # the unique index makes this unreachable short of hand edits
        raise PaymentError(_("This tranche is paid already. Reload the page."))
    tranche = payment.tranche
    db.session.refresh(tranche)
    grant = payment.grant
    audit.record(
        "grant",
        grant.id,
        "approve_payment",
        actor=user,
        comment=f"Tranche {tranche.position}: payment #{payment.id}",
    )
    db.session.flush()
    mail.tell_grantee(
        grant,
        "grant_payment_recorded",
        tranche=tranche,
        amount=Amount(payment.amount, payment.currency),
        paid_on=payment.paid_on.isoformat(),
        payment_reference=payment.reference,
    )


def _keep_where_it_went(payment: Payment) -> None:
    """Copy the organisation's approved bank details onto the payment (the workflow refuses an
    approval while they wait for approval): the bank file must show the account paid, even
    after the organisation changes its details."""
    details = queries.bank_details_of(payment.organisation_id)
    if details is None or details.state != BankDetailsState.APPROVED:
        raise PaymentError(_("The organisation's bank details are not approved yet."))
    payment.paid_to_holder = details.account_holder
    payment.paid_to_bank = details.bank_name
    payment.paid_to_account = details.account_number
    payment.paid_to_bic = details.swift_bic
    payment.paid_to_country = details.bank_country


def reject_payment(payment: Payment, user: User, reason: str, now: datetime) -> None:
    """A second person rejects the recorded payment, with the reason: the tranche can be
    recorded again."""
    workflow.transition(payment, "reject", user, comment=reason, now=now)
    payment.decided_at, payment.decided_by_id = now, user.id
    db.session.flush()
    db.session.expire(payment.tranche, ["waiting_payment"])
