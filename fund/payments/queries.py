"""Reads for the payments page and the bank file: each list is one query, whatever its length."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from fund.extensions import db
from fund.models import (
    BankDetails,
    BankDetailsState,
    Payment,
    PaymentState,
    User,
)

AWAITING_MAX = 200  # more than a secretariat ever has waiting; the page says if it cuts


def get_payment(payment_id: int) -> Payment | None:
    """The payment, or None."""
    return db.session.get(Payment, payment_id)


def bank_details_of(organisation_id: int) -> BankDetails | None:
    """The organisation's bank details, or None before any are given."""
    return db.session.scalar(
        select(BankDetails).where(BankDetails.organisation_id == organisation_id)
    )


def awaiting_payments() -> list[Payment]:
    """Payments recorded and not yet approved or rejected, oldest first, with what the page
    shows of each (grant, organisation, tranche, recorder) in the same query."""
    return list(
        db.session.scalars(
            select(Payment)
            .where(Payment.state == PaymentState.AWAITING_APPROVAL)
            .options(
                joinedload(Payment.grant),
                joinedload(Payment.organisation),
                joinedload(Payment.tranche),
                joinedload(Payment.recorded_by),
            )
            .order_by(Payment.recorded_at, Payment.id)
            .limit(AWAITING_MAX)
        ).unique()
    )


def awaiting_bank_details() -> list[BankDetails]:
    """Bank details entered or changed and not yet approved, oldest change first."""
    return list(
        db.session.scalars(
            select(BankDetails)
            .where(BankDetails.state == BankDetailsState.AWAITING_APPROVAL)
            .options(joinedload(BankDetails.organisation), joinedload(BankDetails.changed_by))
            .order_by(BankDetails.changed_at, BankDetails.id)
            .limit(AWAITING_MAX)
        ).unique()
    )


def approved_payments(start: date | None, end: date | None) -> list[Payment]:
    """Approved payments paid from `start` to `end` (both included, either open), by date, each
    with the account it was paid to, in one query."""
    approver = aliased(User)
    query = (
        select(Payment)
        .join(Payment.grant)
        .join(Payment.tranche)
        .join(Payment.organisation)
        .outerjoin(approver, approver.id == Payment.decided_by_id)
        .where(Payment.state == PaymentState.APPROVED)
        .options(
            contains_eager(Payment.grant),
            contains_eager(Payment.tranche),
            contains_eager(Payment.organisation),
            contains_eager(Payment.decided_by.of_type(approver)),
        )
        .order_by(Payment.paid_on, Payment.id)
    )
    if start is not None:
        query = query.where(Payment.paid_on >= start)
    if end is not None:
        query = query.where(Payment.paid_on <= end)
    return list(db.session.scalars(query))
