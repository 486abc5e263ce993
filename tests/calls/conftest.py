"""Helpers for the call tests: a complete, valid call form and calls made through the service."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from fund import clock
from fund.calls import rules, services
from fund.extensions import db
from fund.models import Call, Role, Strategy
from tests.conftest import make_user

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)

DEFAULT_CRITERIA = (
    ("INSPIRE fit", 25),
    ("Design and feasibility", 25),
    ("Organisational capacity and local leadership", 15),
    ("Reach and sustainability", 15),
    ("Budget and value for money", 10),
    ("Safeguarding and ethics", 10),
)


def input_value(page: str, name: str) -> str | None:
    """The value of the <input> called `name` in an HTML page (None if there is none)."""
    match = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    if match is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def form_data(**changes) -> dict:
    """What the call form sends for a valid call; a change to None leaves the field out."""
    data = {
        "title": "Small grants 2027",
        "description": "Awareness-raising around INSPIRE.",
        "timezone": "Africa/Nairobi",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-03-31T17:00",
        "currency": "USD",
        "budget_envelope": "200000",
        "min_award": "5000",
        "max_award": "50000",
        "max_duration_months": "18",
        "eligible_income_groups": ["LIC", "LMC", "UMC"],
        "eligible_org_types": ["ngo", "community_based"],
        "strategies": [s.value for s in Strategy],
        "fiscal_year": "FY2027",
        "reviewers_per_proposal": "3",
        "chair_approvals_needed": "1",
        "tranche_template-0-percent": "80",
        "tranche_template-0-condition": "signature",
        "tranche_template-1-percent": "20",
        "tranche_template-1-condition": "final_report",
        "interim_reports-0": "6",
        "final_report_days": "60",
        "submit": "1",
    }
    for i, (name, weight) in enumerate(DEFAULT_CRITERIA):
        data[f"criteria-{i}-name"] = name
        data[f"criteria-{i}-guidance"] = f"Guidance for {name}"
        data[f"criteria-{i}-weight"] = str(weight)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_call(
    *,
    published: bool = True,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    **values,
) -> Call:
    """A call with the default rubric and templates, made through the service and committed."""
    admin = make_user(Role.ADMIN)
    now = clock.now()
    call = services.create_call(
        admin,
        {
            **rules.default_values(),
            "title": "Call with a rubric",
            "description": "What it funds.",
            "opens_at": opens_at or now - timedelta(days=5),
            "closes_at": closes_at or now + timedelta(days=12),
            **values,
        },
    )
    if published:
        call.published_at = call.opens_at
    db.session.commit()
    return call


@pytest.fixture
def frozen(monkeypatch):
    """The server's clock stands still at NOW."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@pytest.fixture
def admin(client):
    from tests.conftest import login

    user = make_user(Role.ADMIN)
    login(client, user)
    return user
