"""The secretariat's "Ask for more information" while screening, and taking a proposal back to
screening without the answer. The applicant's answer goes through the check-your-answers page
(fund/proposals/review_views.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import clock, permissions, workflow
from fund.access import require
from fund.extensions import db
from fund.messages import services
from fund.messages.forms import InformationRequestForm, ReturnForm
from fund.messages.views import bp
from fund.models import Proposal
from fund.outbox import commit


def _proposal_for(action: str, proposal_id: int) -> Proposal:
    """The proposal, if `action` could be taken on it now by the current user whatever the
    form says (else the workflow's reason: 409 when its state has moved on)."""
    proposal = db.get_or_404(Proposal, proposal_id)
    refused = workflow.refusal(proposal, action, current_user)
    if refused is not None and refused.status != 400:  # 400: a guard on what the form gives
        abort(refused.status, description=refused.reason)
    return proposal


@bp.route("/proposals/<int:proposal_id>/ask", methods=["GET", "POST"])
@require(permissions.can_request_information)
def request_information(proposal_id: int):
    """Ask the applicant a question with a due date; the proposal waits for the answer."""
    proposal = _proposal_for("request_information", proposal_id)
    form = InformationRequestForm()
    if form.validate_on_submit():
        try:
            services.request_information(
                proposal, current_user, form.question.data, form.due_on.data, clock.now()
            )
        except workflow.TransitionRefused as refused:
            db.session.rollback()
            if refused.status != 400:
                abort(refused.status, description=refused.reason)
            form.due_on.errors = [refused.reason]
        else:
            commit()
            flash(
                _(
                    "The question is sent to %(organisation)s; the proposal waits for the answer.",
                    organisation=proposal.organisation.name,
                ),
                "success",
            )
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("messages/ask.html", proposal=proposal, form=form), (
        400 if form.errors else 200
    )


@bp.route("/proposals/<int:proposal_id>/return", methods=["GET", "POST"])
@require(permissions.can_request_information)
def return_to_screening(proposal_id: int):
    """Take back a proposal whose answer has not come (usually overdue), to screen it as is."""
    proposal = _proposal_for("return_to_screening", proposal_id)
    form = ReturnForm()
    if form.validate_on_submit():
        services.return_to_screening(proposal, current_user, form.reason.data, clock.now())
        commit()
        flash(_("%(title)s is back in screening.", title=proposal.title), "success")
        return redirect(url_for("screening.proposals", call_id=proposal.call_id))
    return render_template("messages/return.html", proposal=proposal, form=form), (
        400 if form.errors else 200
    )
