"""A small portfolio whose figures are worked out by hand in the tests (see `small_portfolio`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from fund.extensions import db
from fund.models import Grant, ProgressReport, ReportReach, Role, Tranche
from tests.conftest import make_call, make_organisation, make_proposal, make_user

INDICATORS = json.loads(
    (Path(__file__).resolve().parents[2] / "fund/forms_def/inspire_indicators.json").read_text()
)
EVENTS, MATERIALS, PARTNERS = "q_1a5e0101", "q_1a5e0102", "q_1a5e0103"


def grant(
    organisation,
    call,
    amount: str,
    *,
    currency: str = "USD",
    strategies=("norms",),
    awarded: datetime = datetime(2026, 3, 1, tzinfo=UTC),
    state: str = "active",
    published: bool = True,
    income_group: str = "LIC",
) -> Grant:
    proposal = make_proposal(organisation, call, state="awarded")
    proposal.strategies = list(strategies)
    proposal.income_group = income_group
    made = Grant(
        proposal=proposal,
        organisation_id=organisation.id,
        state=state,
        amount=Decimal(amount),
        currency=currency,
        created_at=awarded,
        published=published,
    )
    db.session.add(made)
    db.session.commit()
    return made


def report(made: Grant, state: str, answers: dict, reach: dict) -> ProgressReport:
    row = ProgressReport(
        grant_id=made.id,
        kind="interim",
        state=state,
        due_on=date(2026, 9, 1),
        form=INDICATORS,
        answers=answers,
        accepted_at=datetime(2026, 9, 10, tzinfo=UTC) if state == "accepted" else None,
        reach=[ReportReach(sex=s, age_band=b, count=n) for (s, b), n in reach.items()],
    )
    db.session.add(row)
    db.session.commit()
    return row


@dataclass
class Small:
    call_a: object
    call_b: object
    grants: list[Grant]


@pytest.fixture
def small_portfolio(ctx) -> Small:
    """Seven grants, one cancelled (so six count):

    | grant | organisation     | call | awarded    | amount    | paid  | strategies      |
    | 1     | org1 UG ngo      | A    | 2026-03-01 | USD 10000 | 4000  | laws, norms     |
    | 2     | org2 UG ngo      | A    | 2026-03-01 | USD 20000 |       | norms           |
    | 3     | org3 KE cbo, LMC | A    | 2026-03-01 | USD 5000  |       | norms           |
    | 4     | org1 UG ngo      | B    | 2025-06-01 | EUR 7000  | 1500  | laws            |
    | 5     | org4 IN academic | B    | 2026-03-01 | USD 1000  |       | (cancelled)     |
    | 6     | org5 UG ngo      | A    | 2026-03-01 | USD 3000  |       | norms (unpublished) |
    | 7     | org6 UG ngo      | A    | 2026-03-01 | USD 2000  |       | norms           |

    Accepted reports: grant 1 (events 3, materials 10; female 10-14: 12, male 10-14: 3) and
    grant 2 (events 4, materials 2, partners 1; female 10-14: 8, male 15-17: 9). A submitted
    report of grant 3 (events 100; female 10-14: 100) is not counted.
    """
    call_a = make_call(title="Call A")
    call_b = make_call(title="Call B")
    orgs = [
        make_organisation(name=f"Org {n}", country_code=country, org_type=kind)
        for n, country, kind in [
            (1, "UG", "ngo"),
            (2, "UG", "ngo"),
            (3, "KE", "community_based"),
            (4, "IN", "academic"),
            (5, "UG", "ngo"),
            (6, "UG", "ngo"),
        ]
    ]
    org1, org2, org3, org4, org5, org6 = orgs
    grants = [
        grant(org1, call_a, "10000", strategies=("laws", "norms")),
        grant(org2, call_a, "20000"),
        grant(org3, call_a, "5000", income_group="LMC"),
        grant(
            org1,
            call_b,
            "7000",
            currency="EUR",
            strategies=("laws",),
            awarded=datetime(2025, 6, 1, tzinfo=UTC),
        ),
        grant(org4, call_b, "1000", state="cancelled"),
        grant(org5, call_a, "3000", published=False),
        grant(org6, call_a, "2000"),
    ]
    for made, paid in ((grants[0], "4000"), (grants[3], "1500")):
        made.tranches.append(
            Tranche(
                position=1,
                percent=40,
                amount=Decimal(paid),
                condition="signature",
                paid_on=date(2026, 4, 1),
                paid_amount=Decimal(paid),
            )
        )
    # A tranche due but not paid counts for nothing.
    grants[1].tranches.append(
        Tranche(position=1, percent=50, amount=Decimal("10000"), condition="signature")
    )
    db.session.commit()
    report(
        grants[0],
        "accepted",
        {EVENTS: "3", MATERIALS: "10"},
        {("female", "10_14"): 12, ("male", "10_14"): 3},
    )
    report(
        grants[1],
        "accepted",
        {EVENTS: "4", MATERIALS: "2", PARTNERS: "1"},
        {("female", "10_14"): 8, ("male", "15_17"): 9},
    )
    report(grants[2], "submitted", {EVENTS: "100"}, {("female", "10_14"): 100})
    return Small(call_a, call_b, grants)


def observer():
    return make_user(Role.OBSERVER)
