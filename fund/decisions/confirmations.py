"""What Award, Decline and Request revision will do, in plain words with the real figures, for
their confirmation step (fund/confirmation.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fund import workflow
from fund.confirmation import Confirmation
from fund.decisions import queries, services
from fund.decisions.ranking import ranking_row
from fund.models import Proposal
from fund.money import money
from fund.notifications import organisation_members
from fund.rules.envelope import envelope_left


def _cancel_url(proposal: Proposal) -> str:
    return url_for("decisions.decide", proposal_id=proposal.id, _anchor="decide")


def _letter_to(proposal: Proposal) -> str:
    n = len(organisation_members(proposal.organisation_id))
    return ngettext(
        "The decision letter is e-mailed to %(num)d person of %(organisation)s.",
        "The decision letter is e-mailed to %(num)d people of %(organisation)s.",
        n,
        organisation=proposal.organisation.name,
    )


def _warnings(proposal: Proposal, chair: Any) -> list[str]:
    """The reviewers disagree: said before any decision, not only in the ranking."""
    row = ranking_row(proposal, chair)
    if row is not None and row.disagreement:
        return [
            _(
                "The reviewers disagree about this proposal (standard deviation %(sd).1f, above "
                "the call's threshold). Read the reviews before deciding.",
                sd=row.std_dev,
            )
        ]
    return []


def award(proposal: Proposal, chair: Any, amount: Decimal, unnamed: bool = False) -> Confirmation:
    """Award `amount`: to whom, the grant and the letter, what the envelope keeps, how many
    approvals, whether open data names it; a warning if the reviewers disagree, and a refusal
    (400) over the envelope."""
    call = proposal.call
    left = envelope_left(call)
    organisation = proposal.organisation.name
    confirmation = Confirmation(
        title=_(
            "Award %(amount)s to %(organisation)s?",
            amount=money(amount, call.currency),
            organisation=organisation,
        ),
        consequences=[],
        button=_("Award"),
        cancel_url=_cancel_url(proposal),
        warnings=_warnings(proposal, chair),
    )
    if amount > left:
        confirmation.warnings.append(
            _(
                "The award is over the envelope: only %(left)s is left, %(over)s less than this "
                "award.",
                left=money(left, call.currency),
                over=money(amount - left, call.currency),
            )
        )
    data = workflow.TransitionData(extra={"amount": amount})
    if not confirmation.ask_workflow(proposal, "award", chair, data):
        return confirmation
    pending = queries.pending_approvals(proposal.id)
    repeated = services.approved_already(pending, chair, amount)
    if repeated is not None:
        return confirmation.refuse(repeated.reason, repeated.status)
    pending = [a for a in pending if a.chair_id != chair.id]
    agreeing = [a for a in pending if a.amount == amount]
    needed = call.chair_approvals_needed
    if len(agreeing) + 1 < needed:
        confirmation.consequences.append(
            _(
                "Your approval is recorded (%(n)d of the %(needed)d needed). The award is made "
                "when enough chairs approve the same amount.",
                n=len(agreeing) + 1,
                needed=needed,
            )
        )
    else:
        confirmation.consequences += [
            _(
                "%(title)s is awarded %(amount)s and its grant is created, with its tranches "
                "and reports.",
                title=proposal.title,
                amount=money(amount, call.currency),
            ),
            _letter_to(proposal),
        ]
    if len(agreeing) < len(pending):
        confirmation.consequences.append(
            _("Approvals of the award for another amount are withdrawn: chairs agree on one.")
        )
    confirmation.consequences.append(
        _(
            "%(left)s of the envelope will be left once the award is made.",
            left=money(left - amount, call.currency),
        )
    )
    confirmation.consequences.append(
        _("The grant stays out of the fund's open data: it is counted only in totals.")
        if unnamed
        else _(
            "The grant is named in the fund's open data: the public page of grants and the "
            "360Giving file."
        )
    )
    return confirmation


def decline(proposal: Proposal, chair: Any, reasons: str) -> Confirmation:
    """Decline: the letter with the reasons, the approvals that end, and no way back."""
    return _decision(
        proposal,
        chair,
        "decline",
        title=_(
            "Decline %(title)s from %(organisation)s?",
            title=proposal.title,
            organisation=proposal.organisation.name,
        ),
        outcome=_("The proposal is declined; this cannot be undone."),
        button=_("Decline"),
        reasons=reasons,
    )


def request_revision(proposal: Proposal, chair: Any, reasons: str) -> Confirmation:
    """Request revision: the proposal goes back to the applicant with the letter."""
    return _decision(
        proposal,
        chair,
        "request_revision",
        title=_(
            "Ask %(organisation)s to revise %(title)s?",
            title=proposal.title,
            organisation=proposal.organisation.name,
        ),
        outcome=_(
            "The proposal goes back to the applicant, who can change it and resubmit it for a "
            "new round of review."
        ),
        button=_("Request revision"),
        reasons=reasons,
    )


def _decision(
    proposal: Proposal, chair: Any, action: str, *, title, outcome, button, reasons
) -> Confirmation:
    confirmation = Confirmation(
        title=title, consequences=[], button=button, cancel_url=_cancel_url(proposal)
    )
    if not confirmation.ask_workflow(
        proposal, action, chair, workflow.TransitionData(comment=reasons)
    ):
        return confirmation
    consequences = [outcome, _letter_to(proposal)]
    pending = len(queries.pending_approvals(proposal.id))
    if pending:
        consequences.append(
            ngettext(
                "The approval of an award already given ends.",
                "The %(num)d approvals of an award already given end.",
                pending,
            )
        )
    confirmation.consequences = consequences
    confirmation.warnings = _warnings(proposal, chair)
    return confirmation
