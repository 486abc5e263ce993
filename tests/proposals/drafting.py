"""Helpers for the drafting tests: a member's draft, the edit form's data, small real files."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from fund import income_groups
from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import Proposal
from fund.rules.limits import TEXT_FIELDS
from tests.conftest import make_call, make_organisation, make_proposal, make_user

# A minimal but real PDF (header, one empty page, trailer), and the start of a real PNG.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def load_income_groups() -> None:
    """The shipped World Bank list, for the configured fiscal year (the calls' default)."""
    if income_groups.current_list() is None:
        income_groups.load_shipped()
        db.session.commit()


def own_answers(proposal: Proposal) -> dict:
    """The answers to the call's own questions (all but the standard form's long texts)."""
    standard = set(STANDARD_TEXT_IDS.values())
    return {qid: value for qid, value in (proposal.answers or {}).items() if qid not in standard}


def upload(data: bytes, filename: str) -> tuple[BytesIO, str]:
    """A file field value for the test client."""
    return BytesIO(data), filename


def form_data(
    proposal: Proposal, lines: list[tuple[str, str, str]] | None = None, **overrides
) -> dict:
    """What the edit form sends for `proposal`: its saved values, `lines` as budget rows, and
    `overrides` (None removes a field)."""
    data = {name: getattr(proposal, name) or "" for name in TEXT_FIELDS}
    # the standard form's long texts, as saved
    data.update({qid: (proposal.answers or {}).get(qid, "") for qid in STANDARD_TEXT_IDS.values()})
    data.update(
        lock_version=str(proposal.lock_version),
        strategies=list(proposal.strategies or []),
        countries=list(proposal.countries or []),
        start_date=proposal.start_date.isoformat() if proposal.start_date else "",
        duration_months=str(proposal.duration_months or ""),
    )
    if lines is None:
        lines = [
            (line.category, line.description, str(line.amount)) for line in proposal.budget_lines
        ]
    for index, (category, description, amount) in enumerate(lines):
        data[f"budget_lines-{index}-category"] = category
        data[f"budget_lines-{index}-description"] = description
        data[f"budget_lines-{index}-amount"] = amount
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def incomes(ctx):
    load_income_groups()


@pytest.fixture
def member(ctx):
    return make_user(name="Amina Okello")


@pytest.fixture
def colleague(ctx):
    return make_user(name="Joseph Mugisha")


@pytest.fixture
def organisation(member, colleague):
    return make_organisation(member, colleague, name="Safe Childhoods Uganda")


@pytest.fixture
def draft(organisation) -> Proposal:
    return make_proposal(organisation, make_call())


@pytest.fixture
def upload_dir(app) -> Path:
    """The upload folder, emptied before the test so it sees only its own files."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    return folder
