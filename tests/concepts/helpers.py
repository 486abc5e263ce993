"""Helpers for the concept-note tests: a two-stage call, a member's concept note, filled in."""

from __future__ import annotations

from datetime import timedelta

from fund import income_groups
from fund.extensions import db
from fund.models import Proposal, ProposalState, Role
from fund.models.base import utcnow
from tests.conftest import make_call, make_organisation, make_proposal, make_user

CONCEPT_FORM = {
    "sections": [
        {
            "id": "s_c0ffee01",
            "title": "Your idea",
            "questions": [
                {
                    "id": "q_c0ffee02",
                    "type": "long_text",
                    "label": "Why is this needed?",
                    "help": "",
                    "required": True,
                    "limits": {"max": 500, "unit": "characters"},
                }
            ],
        }
    ]
}


def conditional_concept_form() -> dict:
    """The concept form, with a yes/no question and a follow-up asked only after "yes"."""
    follow_up = {
        "id": "q_c0ffee04",
        "type": "long_text",
        "label": "How will they be kept safe?",
        "help": "",
        "required": False,
        "limits": {"max": 500, "unit": "characters"},
        "condition": {"question": "q_c0ffee03", "values": ["yes"]},
    }
    asked = {"id": "q_c0ffee03", "type": "yes_no", "label": "Will children take part?"}
    asked |= {"help": "", "required": False}
    section = dict(CONCEPT_FORM["sections"][0])
    section["questions"] = [*section["questions"], asked, follow_up]
    return {"sections": [section]}


def load_income_groups() -> None:
    """The shipped World Bank list (eligibility is checked on submission)."""
    if income_groups.current_list() is None:
        income_groups.load_shipped()
        db.session.commit()


def two_stage_call(*, concept_open: bool = True, **kwargs):
    """A published two-stage call with one required concept question; concept notes are
    taken until five days from now (or were, until yesterday)."""
    call = make_call(two_stage=True, **kwargs)
    call.concept_form = CONCEPT_FORM
    if not concept_open:
        call.concept_closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return call


def fill_concept(proposal: Proposal) -> Proposal:
    """Every part of the concept note."""
    proposal.summary = "Parents and teachers learn positive discipline."
    proposal.countries = ["UG"]
    proposal.strategies = ["parent_support"]
    proposal.concept_answers = {"q_c0ffee02": "Harsh discipline is common in the district."}
    db.session.commit()
    return proposal


def concept_note(*, state: str = ProposalState.CONCEPT_DRAFT, call=None, member=None):
    """A member and its organisation's complete concept note in `state`."""
    member = member or make_user(Role.APPLICANT)
    organisation = make_organisation(member)
    proposal = make_proposal(organisation, call or two_stage_call(), state=state)
    return member, fill_concept(proposal)
