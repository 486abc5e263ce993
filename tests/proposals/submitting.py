"""Helpers for the submission tests: a proposal with every required field filled in."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from fund import income_groups
from fund.extensions import db
from fund.models import BudgetLine, Call, Proposal, StoredFile
from tests.conftest import answer_standard, make_call, make_organisation, make_proposal, make_user

AMOUNT = Decimal("20000.00")


def load_income_groups() -> None:
    """The shipped World Bank list, for the call's fiscal year."""
    if income_groups.current_list() is None:
        income_groups.load_shipped()
        db.session.commit()


def policy_file(organisation_id: int) -> StoredFile:
    stored = StoredFile(
        storage_name=secrets.token_hex(16),
        original_name="policy.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        organisation_id=organisation_id,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def fill_in(proposal: Proposal, *, amount: Decimal = AMOUNT, policy: bool = True) -> Proposal:
    """Every required field of `proposal`, a budget adding up to `amount` and, with `policy`,
    a safeguarding policy on file for its organisation."""
    proposal.title = proposal.title or "Safe schools"
    proposal.summary = "Parents and teachers learn positive discipline."
    proposal.strategies = ["parent_support", "education"]
    proposal.countries = ["UG"]
    answer_standard(
        proposal,
        target_groups="Parents of children aged 3-12.",
        activities="Twelve parenting sessions in each school.",
        timeline="Months 1-3 training; months 4-12 sessions.",
        expected_results="Less harsh discipline at home.",
        measurement="Parenting questionnaire before and after.",
    )
    proposal.start_date = date.today() + timedelta(days=270)  # within the allowed window
    proposal.duration_months = 12
    half = (amount / 2).quantize(Decimal("0.01"))
    proposal.budget_lines = [
        BudgetLine(position=1, category="personnel", description="Facilitators", amount=half),
        BudgetLine(position=2, category="activities", description="Sessions", amount=amount - half),
    ]
    proposal.amount_requested = amount
    if policy:
        organisation = proposal.organisation
        organisation.safeguarding_policy_file_id = policy_file(organisation.id).id
    db.session.commit()
    return proposal


def complete_proposal(organisation=None, call: Call | None = None, **options) -> Proposal:
    """A saved draft that can be submitted (to an open call, by a verified member)."""
    organisation = organisation or make_organisation(make_user())
    return fill_in(make_proposal(organisation, call or make_call()), **options)


def a_member(proposal: Proposal):
    return proposal.organisation.memberships[0].user


def at(moment):
    """A replacement for fund.clock.now that answers `moment`."""
    return lambda: moment
