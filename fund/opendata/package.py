"""The awarded grants as a 360Giving data package (schema 1.4.3).

One grant per awarded grant that is published (the secretariat can keep a grant out of open data
when naming its organisation would put it at risk); cancelled grants are left out. Amounts are
numbers with their cents; organisations are named with their registration (org-id scheme and
number) when known, else with an identifier under the fund's prefix; addresses stop at the
country. Payments recorded on the grant's tranches are its disbursements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fund import countries
from fund.extensions import db
from fund.models import Decision, Grant, GrantState, Proposal
from fund.opendata.schema import VERSION
from fund.strategies import strategy_label

# A registration scheme (org-id.guide) that is a charity or company register: its number is
# also given as charityNumber or companyNumber, as 360Giving tools expect.
CHARITY_SCHEMES = frozenset({"GB-CHC", "GB-SC", "GB-NIC"})
COMPANY_SCHEMES = frozenset({"GB-COH"})
STRATEGY_VOCABULARY = "INSPIRE strategies (WHO, 2016)"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the data, from the settings OPEN_DATA_PREFIX, FUNDER_NAME, FUNDER_ID and
    OPEN_DATA_LICENSE."""

    prefix: str
    name: str
    identifier: str
    license: str

    @classmethod
    def from_config(cls) -> Publisher:
        config = current_app.config
        return cls(
            config["OPEN_DATA_PREFIX"],
            config["FUNDER_NAME"],
            config["FUNDER_ID"],
            config["OPEN_DATA_LICENSE"],
        )


def published_grants(since: date | None = None) -> list[Grant]:
    """The grants open data lists: awarded, not cancelled, published; awarded on or after
    `since` if given. Their proposal, call, organisation, tranches and decision come along."""
    query = (
        select(Grant)
        .where(Grant.state != GrantState.CANCELLED.value, Grant.published.is_(True))
        .options(
            selectinload(Grant.proposal).selectinload(Proposal.call),
            selectinload(Grant.organisation),
            selectinload(Grant.tranches),
            selectinload(Grant.decision),
        )
        .order_by(Grant.created_at, Grant.id)
    )
    if since is not None:
        query = query.where(Grant.created_at >= datetime.combine(since, time.min, tzinfo=UTC))
    return list(db.session.scalars(query))


def number(amount: Decimal) -> int | float:
    """An amount as a JSON number: whole amounts as integers, others with their cents."""
    amount = amount.quantize(Decimal("0.01"))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def award_date(grant: Grant) -> date:
    decision: Decision | None = grant.decision
    return (decision.decided_at if decision is not None else grant.created_at).date()


def organisation_id(grant: Grant, publisher: Publisher) -> str:
    organisation = grant.organisation
    if organisation.registration_scheme and organisation.registration_number:
        return f"{organisation.registration_scheme}-{organisation.registration_number}".replace(
            " ", ""
        )
    return f"{publisher.prefix}-ORG-{organisation.id}"


def recipient(grant: Grant, publisher: Publisher) -> dict[str, Any]:
    organisation = grant.organisation
    entry: dict[str, Any] = {
        "id": organisation_id(grant, publisher),
        "name": organisation.name,
        "addressCountry": countries.country_name(organisation.country_code),
    }
    if organisation.registration_scheme in CHARITY_SCHEMES and organisation.registration_number:
        entry["charityNumber"] = organisation.registration_number
    if organisation.registration_scheme in COMPANY_SCHEMES and organisation.registration_number:
        entry["companyNumber"] = organisation.registration_number
    if organisation.website:
        entry["url"] = organisation.website
    return entry


def planned_dates(grant: Grant) -> list[dict[str, Any]]:
    if grant.start_on is None or grant.end_on is None:
        return []
    event: dict[str, Any] = {
        "startDate": grant.start_on.isoformat(),
        "endDate": grant.end_on.isoformat(),
    }
    if grant.proposal.duration_months:
        event["duration"] = grant.proposal.duration_months
    return [event]


def disbursements(grant: Grant, publisher: Publisher) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{publisher.prefix}-{grant.reference or grant.id}-T{tranche.position}",
            "transactionDate": tranche.paid_on.isoformat(),
            "value": number(tranche.paid_amount),
            "currency": grant.currency,
        }
        for tranche in grant.tranches
        if tranche.paid_on is not None and tranche.paid_amount is not None
    ]


def grant_entry(grant: Grant, publisher: Publisher) -> dict[str, Any]:
    """One grant of the package."""
    proposal, call = grant.proposal, grant.proposal.call
    entry: dict[str, Any] = {
        "id": f"{publisher.prefix}-{grant.reference or grant.id}",
        "title": proposal.title,
        "description": proposal.summary or proposal.title,
        "currency": grant.currency,
        "amountAppliedFor": number(proposal.amount_requested),
        "amountAwarded": number(grant.amount),
        "awardDate": award_date(grant).isoformat(),
        "recipientOrganization": [recipient(grant, publisher)],
        "beneficiaryLocation": [
            {"countryCode": code, "name": countries.country_name(code)}
            for code in proposal.countries or [grant.organisation.country_code]
        ],
        "fundingOrganization": [{"id": publisher.identifier, "name": publisher.name}],
        "grantProgramme": [{"code": f"{publisher.prefix}-CALL-{call.id}", "title": call.title}],
        "fromOpenCall": "Yes",
        "classifications": [
            {"vocabulary": STRATEGY_VOCABULARY, "code": code, "title": strategy_label(code)}
            for code in proposal.strategies or []
        ],
    }
    dates = planned_dates(grant)
    if dates:
        entry["plannedDates"] = dates
    paid = disbursements(grant, publisher)
    if paid:
        entry["disbursementTransaction"] = paid
        total = sum((t.paid_amount for t in grant.tranches if t.paid_amount), Decimal("0"))
        entry["amountDisbursed"] = number(total)
    return entry


def package(grants: list[Grant], publisher: Publisher, issued: datetime) -> dict[str, Any]:
    """The data package of `grants`, in English whatever the reader's language."""
    with force_locale("en"):
        return {
            "version": VERSION,
            "title": f"{publisher.name}: grants awarded",
            "issued": issued.replace(microsecond=0).isoformat(),
            "publisher": {"name": publisher.name, "identifier": publisher.identifier},
            "license": publisher.license,
            "grants": [grant_entry(grant, publisher) for grant in grants],
        }
