"""The bank file: approved payments with where each goes, for the bank to execute or reconcile.

Only approved payments are listed. Account numbers are written in full (the bank needs them);
the download is audited with who took it and which dates (fund/audit.py)."""

from __future__ import annotations

from decimal import Decimal

from fund.models import Payment

CENT = Decimal("0.01")

HEADER = [
    "paid_on",
    "grant",
    "tranche",
    "organisation",
    "amount",
    "currency",
    "payment_reference",
    "account_holder",
    "bank_name",
    "iban_or_account_number",
    "swift_bic",
    "bank_country",
    "approved_by",
    "approved_at",
]


def rows(payments: list[Payment]) -> list[list[object]]:
    """One row per approved payment, numbers kept as numbers; the account is the one paid (as
    approved then), not the organisation's details today."""
    out = []
    for payment in payments:
        out.append(
            [
                payment.paid_on,
                payment.grant.reference or f"#{payment.grant_id}",
                payment.tranche.position,
                payment.organisation.name,
                payment.amount.quantize(CENT),
                payment.currency,
                payment.reference,
                payment.paid_to_holder or "",
                payment.paid_to_bank or "",
                payment.paid_to_account or "",
                payment.paid_to_bic or "",
                payment.paid_to_country or "",
                payment.decided_by.name if payment.decided_by else "",
                payment.decided_at.replace(microsecond=0) if payment.decided_at else None,
            ]
        )
    return out
