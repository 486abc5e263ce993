"""What Screen in, Screen out and Remove (a reviewer) will do, in plain words with the real
figures, for their confirmation step (fund/confirmation.py)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fund import workflow
from fund.confirmation import Confirmation
from fund.models import Proposal, Review
from fund.notifications import organisation_members
from fund.reviews import assignment
from fund.reviews.services import ReviewError, required_reviews


def screen_in(proposal: Proposal, admin: Any) -> Confirmation:
    """Screen in: the proposal goes to review and waits for its reviewers."""
    confirmation = Confirmation(
        title=_(
            "Screen in %(title)s from %(organisation)s?",
            title=proposal.title,
            organisation=proposal.organisation.name,
        ),
        consequences=[
            _("The proposal passes screening and goes to review; this cannot be undone."),
            ngettext(
                "Next, assign its reviewer (the call asks for %(num)d).",
                "Next, assign its reviewers (the call asks for %(num)d).",
                proposal.call.reviewers_per_proposal,
            ),
        ],
        button=_("Screen in"),
        cancel_url=url_for("screening.proposals", call_id=proposal.call_id),
    )
    confirmation.ask_workflow(proposal, "screen_in", admin)
    return confirmation


def screen_out(proposal: Proposal, admin: Any, reason: str) -> Confirmation:
    """Screen out: the proposal leaves the call and the applicant is told why."""
    people = len(organisation_members(proposal.organisation_id))
    confirmation = Confirmation(
        title=_(
            "Screen out %(title)s from %(organisation)s?",
            title=proposal.title,
            organisation=proposal.organisation.name,
        ),
        consequences=[
            _("The proposal is ineligible and leaves the call; this cannot be undone."),
            ngettext(
                "Your reason is e-mailed to %(num)d person of %(organisation)s.",
                "Your reason is e-mailed to %(num)d people of %(organisation)s.",
                people,
                organisation=proposal.organisation.name,
            ),
        ],
        button=_("Screen out"),
        cancel_url=url_for("screening.proposals", call_id=proposal.call_id),
    )
    confirmation.ask_workflow(
        proposal, "screen_out", admin, workflow.TransitionData(comment=reason)
    )
    return confirmation


def remove_reviewer(review: Review) -> Confirmation:
    """Remove a reviewer: the reviewer is told, and the reviewers left, or the end of review."""
    proposal = review.proposal
    name = review.reviewer.name
    confirmation = Confirmation(
        title=_("Remove %(name)s from the review of %(title)s?", name=name, title=proposal.title),
        consequences=[],
        button=_("Remove"),
        cancel_url=url_for("screening.assignments", proposal_id=proposal.id),
    )
    try:
        assignment.check_removable(review)
    except ReviewError as error:
        return confirmation.refuse(error.message, error.status)
    others = [r for r in required_reviews(proposal, review.round) if r.id != review.id]
    confirmation.consequences = [
        _("%(name)s is told by e-mail; their unfinished review no longer counts.", name=name),
        _(
            "%(left)d of the %(needed)d reviewers the call asks for will be left.",
            left=len(others),
            needed=proposal.call.reviewers_per_proposal,
        ),
    ]
    if others and all(r.submitted_at is not None for r in others):
        confirmation.consequences.append(
            _("The other reviews are all in: the review ends and the chairs are told.")
        )
    return confirmation
