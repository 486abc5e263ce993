"""Awarded grants built directly, with what open data reads of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund.extensions import db
from fund.models import Grant, Role, Tranche
from tests.conftest import make_call, make_organisation, make_proposal, make_user


def awarded(
    *,
    name: str = "Safe Homes",
    country: str = "UG",
    countries: tuple[str, ...] = ("UG",),
    strategies: tuple[str, ...] = ("norms",),
    amount: str = "10000",
    state: str = "active",
    registration: tuple[str, str] | None = None,
    title: str = "Safe homes",
    call=None,
) -> Grant:
    """A grant awarded to a new organisation, running from 1 March 2027 for a year."""
    organisation = make_organisation(make_user(Role.APPLICANT), name=name, country_code=country)
    if registration:
        organisation.registration_scheme, organisation.registration_number = registration
    proposal = make_proposal(organisation, call or make_call(), state="awarded", title=title)
    proposal.summary = f"What {title} does."
    proposal.countries, proposal.strategies = list(countries), list(strategies)
    proposal.amount_requested, proposal.duration_months = Decimal(amount), 12
    grant = Grant(
        proposal=proposal,
        organisation_id=organisation.id,
        state=state,
        reference=f"GR-2027-{proposal.id:04d}",
        amount=Decimal(amount),
        currency="USD",
        start_on=date(2027, 3, 1),
        end_on=date(2028, 2, 29),
    )
    db.session.add(grant)
    db.session.commit()
    return grant


def pay(grant: Grant, amount: str, on: date) -> None:
    """A tranche of `amount` paid on `on`."""
    position = len(grant.tranches) + 1
    grant.tranches.append(
        Tranche(
            position=position,
            percent=50,
            amount=Decimal(amount),
            condition="signature",
            paid_on=on,
            paid_amount=Decimal(amount),
        )
    )
    db.session.commit()
