"""Demo bank details and payments: each grantee's details entered by a member and approved by
the secretariat, payments recorded by one admin and approved by the other, one payment left
awaiting approval, and one organisation's details changed since (awaiting re-approval)."""

from __future__ import annotations

from datetime import datetime

DEMO_BANK_DETAILS = {  # by organisation country: (holder, bank, IBAN or account number, BIC)
    "UG": ("Safe Childhoods Uganda", "Stanbic Bank Uganda", "9030005611234", "SBICUGKX"),
    "SN": ("Ensemble pour l'Enfance", "Banque de Dakar", "SN08SN0100152000048500003035", ""),
}
RECORDER, APPROVER = "admin@example.org", "admin2@example.org"


def seed_bank_details(users: dict, organisations, now: datetime) -> None:
    """Each organisation's bank details, entered by its first member and approved."""
    from fund.payments import services

    admin = users[RECORDER]
    for organisation in organisations:
        holder, bank, account, bic = DEMO_BANK_DETAILS.get(
            organisation.country_code, (organisation.name, "Demo Bank", "12345678", "")
        )
        details = services.save_bank_details(
            organisation,
            organisation.memberships[0].user,
            {
                "account_holder": holder,
                "bank_name": bank,
                "account_number": account,
                "swift_bic": bic,
                "bank_country": organisation.country_code,
            },
            now,
        )
        if details is not None:
            services.approve_bank_details(details, admin, now)


def pay(users: dict, tranche, reference: str, now: datetime, *, approve: bool = True) -> None:
    """Record a tranche's payment as the first admin; the second approves it unless told not."""
    from fund.grants import services as grants
    from fund.payments import services

    payment = grants.record_payment(
        tranche,
        users[RECORDER],
        paid_on=now.date(),
        amount=tranche.amount,
        reference=reference,
        now=now,
    )
    if approve:
        services.approve_payment(payment, users[APPROVER], now)


def change_bank_details(organisation, now: datetime) -> None:
    """A member changes the account: every member is told, and it waits for re-approval."""
    from fund.payments import services

    services.save_bank_details(
        organisation,
        organisation.memberships[0].user,
        {
            "account_holder": organisation.name,
            "bank_name": "Centenary Bank",
            "account_number": "3100045678",
            "swift_bic": "CERBUGKA",
            "bank_country": organisation.country_code,
        },
        now,
    )
