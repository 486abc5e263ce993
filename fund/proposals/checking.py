"""The check-your-answers page's content: the draft's answers in the order of its form, each
with the place on the edit page where it is changed, and what stops it being submitted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fund.forms_def.definition import condition_met, sections
from fund.forms_def.localise import local_form
from fund.models import Proposal, ProposalState, User
from fund.proposals import submission
from fund.rules import proposal_content as content

# The id on the edit page of the control (or the group of controls) of each core question, so
# that "Change" lands on it.
CORE_ANCHORS = {
    "title": "title",
    "summary": "summary",
    "strategies": "strategies",
    "countries": "countries",
    "start_date": "start_date",
    "duration_months": "duration_months",
    "budget": "budget",
    "safeguarding": "safeguarding_upload",
    "attachments": "attachments",
}


@dataclass(frozen=True)
class Row:
    """One answer as the page lists it: its label, the snapshot fields it shows (a core
    question) or the question itself (one of the call's own), and where it is changed."""

    label: str
    anchor: str
    fields: tuple[str, ...] = ()
    question: dict | None = None


@dataclass(frozen=True)
class Group:
    """A section of the form with the rows it asks."""

    id: str
    title: str
    rows: list[Row]


def answer_groups(proposal: Proposal, snapshot: dict[str, Any]) -> list[Group]:
    """The form's sections in order, in the reader's language, each with the questions it
    asks given the answers so far (a question hidden by its condition is left out)."""
    answers = snapshot.get("answers") or {}
    groups = []
    for section in sections(local_form(proposal.call)):
        rows = []
        for question in section.questions:
            if question["type"] == "core":
                field = question["field"]
                rows.append(
                    Row(
                        question["label"],
                        CORE_ANCHORS.get(field, field),
                        fields=content.CORE_VALUES.get(field, ()),
                    )
                )
            elif condition_met(question, answers):
                rows.append(Row(question["label"], question["id"], question=question))
        if rows:
            groups.append(Group(section.id, section.title, rows))
    return groups


def action(proposal: Proposal) -> str:
    """The step the page ends with: "resubmit" for a revision, "send_information" for an answer
    to the secretariat's question, else "submit"."""
    if proposal.state == ProposalState.REVISION_REQUESTED:
        return "resubmit"
    if proposal.state == ProposalState.INFORMATION_REQUESTED:
        return "send_information"
    return "submit"


def problems(proposal: Proposal, actor: User, now: datetime) -> list[content.Problem]:
    """What stops `actor` submitting the draft now, as the submission itself would say it."""
    if action(proposal) in ("resubmit", "send_information"):
        return submission.resubmission_problems(proposal, now)
    return submission.submission_problems(proposal, actor, now)
