"""What Record payment, Cancel grant and Close grant will do, in plain words with the real
figures, for their confirmation step (fund/confirmation.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fund import workflow
from fund.confirmation import Confirmation
from fund.grants.services import GrantError, check_payment
from fund.models import Grant, Tranche
from fund.money import money
from fund.notifications import organisation_members

# Suspend and reinstate undo each other: they act at once. These two end the grant for good.
CONFIRMED_ACTIONS = frozenset({"cancel", "complete"})


def _told(grant: Grant) -> str:
    return ngettext(
        "%(num)d person of %(organisation)s is told by e-mail.",
        "%(num)d people of %(organisation)s are told by e-mail.",
        len(organisation_members(grant.organisation_id)),
        organisation=grant.organisation.name,
    )


def _reference(grant: Grant) -> str:
    return grant.reference or f"#{grant.id}"


def payment(
    tranche: Tranche, *, paid_on: date, amount: Decimal, reference: str, now: datetime
) -> Confirmation:
    """Record a payment: how much, when, to whom, who is told, and what is left to pay."""
    grant = tranche.grant
    confirmation = Confirmation(
        title=_(
            "Record a payment of %(amount)s to %(organisation)s?",
            amount=money(amount, grant.currency),
            organisation=grant.organisation.name,
        ),
        consequences=[],
        button=_("Record payment"),
        cancel_url=url_for("grants.detail", grant_id=grant.id, _anchor="tranches"),
    )
    try:
        check_payment(tranche, paid_on=paid_on, amount=amount, now=now)
    except GrantError as error:
        return confirmation.refuse(error.message, error.status)
    unpaid = sum(
        (t.amount for t in grant.tranches if t.paid_on is None and t.id != tranche.id),
        Decimal(0),
    )
    confirmation.consequences = [
        _(
            "Tranche %(n)d of grant %(grant)s is recorded as paid on %(date)s, reference "
            "%(reference)s; it counts as paid once another person approves the payment.",
            n=tranche.position,
            grant=_reference(grant),
            date=paid_on.isoformat(),
            reference=reference.strip(),
        ),
        _(
            "Another person approves it on the Payments page; %(organisation)s is told by "
            "e-mail once it is approved.",
            organisation=grant.organisation.name,
        ),
        _(
            "%(unpaid)s of the grant's %(total)s will be left to pay.",
            unpaid=money(unpaid, grant.currency),
            total=money(grant.amount, grant.currency),
        ),
    ]
    if amount < tranche.amount:
        confirmation.warnings.append(
            _(
                "This is less than the tranche's %(amount)s: the tranche counts as paid and the "
                "difference of %(rest)s is not paid later.",
                amount=money(tranche.amount, grant.currency),
                rest=money(tranche.amount - amount, grant.currency),
            )
        )
    return confirmation


def change_state(grant: Grant, action: str, user: Any, reason: str) -> Confirmation:
    """Cancel or close the grant: it ends for good, and the grantee is told."""
    paid = sum((t.paid_amount or Decimal(0) for t in grant.tranches), Decimal(0))
    if action == "cancel":
        title = _(
            "Cancel grant %(grant)s of %(organisation)s?",
            grant=_reference(grant),
            organisation=grant.organisation.name,
        )
        outcome = _("The grant is cancelled for good: no payment or report follows.")
        button = _("Cancel grant")
    else:
        title = _(
            "Close grant %(grant)s of %(organisation)s?",
            grant=_reference(grant),
            organisation=grant.organisation.name,
        )
        outcome = _(
            "The grant is closed for good, with %(paid)s of its %(total)s paid.",
            paid=money(paid, grant.currency),
            total=money(grant.amount, grant.currency),
        )
        button = _("Close grant")
    confirmation = Confirmation(
        title=title,
        consequences=[
            outcome,
            _told(grant),
        ],
        button=button,
        cancel_url=url_for("grants.detail", grant_id=grant.id, _anchor="actions"),
    )
    confirmation.ask_workflow(grant, action, user, workflow.TransitionData(comment=reason))
    return confirmation
