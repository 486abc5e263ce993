"""Reads for the proposal page, its versions and the applicant's dashboard.

Applicants see where a proposal stands in their own terms (received, under review ...), never
the internal steps that would reveal reviewers or scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, url_for
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from fund import permissions, workflow
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import Call, Organisation, Proposal, ProposalState, ProposalVersion
from fund.models.base import StrEnum


class ApplicantStatus(StrEnum):
    """Where a proposal stands, as its applicant sees it."""

    DRAFT = "draft"
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    REVISION_REQUESTED = "revision_requested"
    INFORMATION_REQUESTED = "information_requested"
    DECISION_MADE = "decision_made"
    WITHDRAWN = "withdrawn"
    CONCEPT_DRAFT = "concept_draft"
    CONCEPT_RECEIVED = "concept_received"
    INVITED = "invited"
    CONCEPT_DECLINED = "concept_declined"


P = ProposalState
APPLICANT_STATUS = {
    P.DRAFT: ApplicantStatus.DRAFT,
    P.SUBMITTED: ApplicantStatus.RECEIVED,
    P.IN_REVIEW: ApplicantStatus.UNDER_REVIEW,
    P.REVIEWED: ApplicantStatus.UNDER_REVIEW,
    P.REVISION_REQUESTED: ApplicantStatus.REVISION_REQUESTED,
    P.INFORMATION_REQUESTED: ApplicantStatus.INFORMATION_REQUESTED,
    P.AWARDED: ApplicantStatus.DECISION_MADE,
    P.DECLINED: ApplicantStatus.DECISION_MADE,
    P.INELIGIBLE: ApplicantStatus.DECISION_MADE,
    P.WITHDRAWN: ApplicantStatus.WITHDRAWN,
    P.CONCEPT_DRAFT: ApplicantStatus.CONCEPT_DRAFT,
    P.CONCEPT_SUBMITTED: ApplicantStatus.CONCEPT_RECEIVED,
    P.INVITED: ApplicantStatus.INVITED,
    P.CONCEPT_DECLINED: ApplicantStatus.CONCEPT_DECLINED,
}

STATUS_LABELS = {
    ApplicantStatus.DRAFT: _l("draft"),
    ApplicantStatus.RECEIVED: _l("received"),
    ApplicantStatus.UNDER_REVIEW: _l("under review"),
    ApplicantStatus.REVISION_REQUESTED: _l("revision requested"),
    ApplicantStatus.INFORMATION_REQUESTED: _l("more information requested"),
    ApplicantStatus.DECISION_MADE: _l("decision made"),
    ApplicantStatus.WITHDRAWN: _l("withdrawn"),
    ApplicantStatus.CONCEPT_DRAFT: _l("concept note in draft"),
    ApplicantStatus.CONCEPT_RECEIVED: _l("concept note received"),
    ApplicantStatus.INVITED: _l("invited to submit a full proposal"),
    ApplicantStatus.CONCEPT_DECLINED: _l("concept note not shortlisted"),
}

NEXT_STEPS = {
    ApplicantStatus.RECEIVED: _l(
        "Nothing for now: the secretariat checks eligibility, then reviewers assess the proposal."
    ),
    ApplicantStatus.UNDER_REVIEW: _l(
        "Nothing for now: reviewers are assessing the proposal. We will write when a decision "
        "is made."
    ),
    ApplicantStatus.REVISION_REQUESTED: _l(
        "Revise the proposal as the decision letter asks, then resubmit it."
    ),
    ApplicantStatus.INFORMATION_REQUESTED: _l(
        "Answer the secretariat's question in the messages on the proposal page by the date it "
        'gives. Change the proposal if the question asks for it, then press "Send to the '
        'secretariat".'
    ),
    ApplicantStatus.DECISION_MADE: _l("Read the decision letter we sent you by e-mail."),
    ApplicantStatus.WITHDRAWN: _l("Nothing: the proposal was withdrawn."),
    ApplicantStatus.CONCEPT_RECEIVED: _l(
        "Nothing for now: the secretariat and the chairs read the concept notes and invite "
        "those shortlisted to submit a full proposal. We will write either way."
    ),
    ApplicantStatus.CONCEPT_DECLINED: _l(
        "Read the letter we sent you by e-mail: the concept note was not shortlisted."
    ),
}


def applicant_status(state: str) -> ApplicantStatus:
    return APPLICANT_STATUS[ProposalState(state)]


def status_label(state: str) -> str:
    """The state of a proposal in the applicant's words."""
    return str(STATUS_LABELS[applicant_status(state)])


def when(moment: datetime | None) -> str:
    """A time in the user's time zone, naming the zone ("3 Mar 2027, 17:00:00 (Africa/Kampala)")."""
    if moment is None:
        return ""
    return f"{format_datetime(moment, 'medium')} ({get_timezone()})"


def next_step(
    state: str, closes_at: datetime, now: datetime, concept_closes_at: datetime | None = None
) -> str:
    """What the proposal needs next, in one sentence (a concept note's deadline is the call's
    `concept_closes_at`)."""
    status = applicant_status(state)
    if status is ApplicantStatus.CONCEPT_DRAFT:
        if concept_closes_at is None or now >= concept_closes_at:
            return _(
                "The concept-note deadline has passed: this concept note can no longer be sent."
            )
        return _(
            "Complete the concept note and submit it before %(deadline)s.",
            deadline=when(concept_closes_at),
        )
    if status is ApplicantStatus.INVITED:
        if now >= closes_at:
            return _(
                "The call closed on %(deadline)s: this proposal can no longer be submitted.",
                deadline=when(closes_at),
            )
        return _(
            "You are invited to submit a full proposal: it starts with your concept note. "
            "Complete it and submit it before %(deadline)s.",
            deadline=when(closes_at),
        )
    if status is not ApplicantStatus.DRAFT:
        return str(NEXT_STEPS[status])
    if now >= closes_at:
        return _(
            "The call closed on %(deadline)s: this draft can no longer be submitted.",
            deadline=when(closes_at),
        )
    return _("Complete the proposal and submit it before %(deadline)s.", deadline=when(closes_at))


@dataclass(frozen=True)
class DashboardRow:
    """One proposal on the applicant's dashboard."""

    proposal_id: int
    title: str
    reference: str | None
    organisation: str
    call_title: str
    deadline: str
    status: str
    next_step: str
    last_version: int | None


def dashboard_rows(user: Any, now: datetime) -> list[DashboardRow]:
    """The proposals of the user's organisations, newest first, in one query."""
    ids = permissions.member_organisation_ids(user)
    if not ids:
        return []
    last_version = (
        select(func.max(ProposalVersion.number))
        .where(ProposalVersion.proposal_id == Proposal.id)
        .correlate(Proposal)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Proposal.id,
            Proposal.title,
            Proposal.reference,
            Proposal.state,
            Organisation.name,
            Call.title,
            Call.closes_at,
            Call.concept_closes_at,
            last_version,
        )
        .join(Call, Call.id == Proposal.call_id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .where(Proposal.organisation_id.in_(ids))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    ).all()
    return [
        DashboardRow(
            proposal_id=pid,
            title=title,
            reference=reference,
            organisation=organisation,
            call_title=call_title,
            deadline=when(concept_closes_at if state == P.CONCEPT_DRAFT else closes_at),
            status=status_label(state),
            next_step=next_step(state, closes_at, now, concept_closes_at),
            last_version=version,
        )
        for (
            pid,
            title,
            reference,
            state,
            organisation,
            call_title,
            closes_at,
            concept_closes_at,
            version,
        ) in rows
    ]


def versions(proposal: Proposal) -> list[tuple[int, datetime]]:
    """(number, frozen at) of each version, oldest first, without loading their content."""
    return list(
        db.session.execute(
            select(ProposalVersion.number, ProposalVersion.created_at)
            .where(ProposalVersion.proposal_id == proposal.id)
            .order_by(ProposalVersion.number)
        ).tuples()
    )


def get_version_or_404(proposal: Proposal, number: int) -> ProposalVersion:
    version = db.session.scalar(
        select(ProposalVersion).where(
            ProposalVersion.proposal_id == proposal.id, ProposalVersion.number == number
        )
    )
    if version is None:
        abort(404)
    return version


def previous_version(version: ProposalVersion) -> ProposalVersion | None:
    return db.session.scalar(
        select(ProposalVersion)
        .where(
            ProposalVersion.proposal_id == version.proposal_id,
            ProposalVersion.number < version.number,
        )
        .order_by(ProposalVersion.number.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Button:
    """An action offered on the proposal page: a form (POST) or a link to a confirmation."""

    label: str
    url: str
    method: str
    primary: bool = False


# The actions this page offers, and where each goes; steps of other pages are not shown here.
ACTION_PAGES = {
    # submitting, and resubmitting a revision, go through the check-your-answers page
    "submit": ("proposals.review", "get", True),
    "withdraw": ("proposals.withdraw", "get", False),
    "resubmit": ("proposals.review", "get", True),
    "send_information": ("proposals.review", "get", True),
    "submit_concept": ("proposals.submit_concept", "post", True),
    # the secretariat's question while screening, and taking the proposal back without answer
    "request_information": ("messages.request_information", "get", False),
    "return_to_screening": ("messages.return_to_screening", "get", False),
}


def buttons(proposal: Proposal, user: Any) -> list[Button]:
    """The buttons `user` may press on the proposal page, from the workflow's allowed actions."""
    found = []
    for transition in workflow.allowed_actions(proposal, user):
        if transition.action not in ACTION_PAGES:
            continue
        endpoint, method, primary = ACTION_PAGES[transition.action]
        url = optional_url(endpoint, proposal_id=proposal.id)
        if url:
            found.append(Button(str(transition.label), url, method, primary))
    return found


def optional_url(endpoint: str, **values: Any) -> str | None:
    """The URL of `endpoint`, or None while that page does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def edit_url(proposal: Proposal, user: Any) -> str | None:
    """Where the user edits the proposal, if it may."""
    if permissions.can_edit_concept(user, proposal):
        return optional_url("proposals.edit_concept", proposal_id=proposal.id)
    if not permissions.can_edit_proposal(user, proposal):
        return None
    return optional_url("proposals.edit", proposal_id=proposal.id)


def frozen_form(proposal: Proposal) -> dict | None:
    """The call's questions as the latest submitted version froze them, while the proposal is
    out of its members' hands (None while it is a draft or being revised: the call's form)."""
    if proposal.state in permissions.EDITABLE_STATES or not proposal.versions:
        return None
    return proposal.versions[-1].content.get("form", {})  # none before calls had their own
