"""The proposal form's last step: check your answers, tick the declaration, submit (or
resubmit a revision). Every problem that stops the submission is listed first."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions, workflow
from fund.extensions import db
from fund.outbox import commit
from fund.proposals import checking, submission
from fund.proposals.access import get_proposal_or_404
from fund.proposals.blueprint import bp
from fund.proposals.declaration import DeclarationForm, declaration_text
from fund.proposals.submission_views import display_helpers
from fund.rules import proposal_content as content


def render_review(proposal, form: DeclarationForm, problems=None, status: int = 200):
    """The check-your-answers page: the problems (those found now unless given), the answers
    with their "Change" links, then the declaration and the button."""
    snapshot = content.snapshot(proposal)
    action = checking.action(proposal)
    if problems is None:
        problems = checking.problems(proposal, current_user, clock.now())
    page = render_template(
        "proposals/review.html",
        proposal=proposal,
        snapshot=snapshot,
        groups=checking.answer_groups(proposal, snapshot),
        problems=problems,
        form=form,
        declaration=declaration_text(proposal.call),
        action=action,
        button=str(workflow.PROPOSAL.transition_for(action).label),
        action_url=url_for(f"proposals.{action}", proposal_id=proposal.id),
        edit_url=url_for("proposals.edit", proposal_id=proposal.id),
        **display_helpers(proposal),
    )
    return page, status


@bp.get("/<int:proposal_id>/review")
@login_required
def review(proposal_id: int):
    """Every answer of the draft, each with "Change", and what stops it being submitted."""
    proposal = get_proposal_or_404(proposal_id, permissions.can_edit_proposal)
    return render_review(proposal, DeclarationForm(formdata=None))


def _send(proposal_id: int, action: str):
    """Submit or resubmit with the declaration ticked, then back to the proposal's page with
    what happened; else this page again with every problem and the missing tick, and a 400."""
    proposal = get_proposal_or_404(proposal_id)
    now = clock.now()
    # Those who may not send it, or a proposal already sent, are told so before any tick box.
    blocked = submission.sending_refusal(proposal, action, current_user, now)
    if blocked is not None:
        raise blocked
    form = DeclarationForm()
    if not form.validate():
        return render_review(proposal, form, status=400)
    service = {
        "resubmit": submission.resubmit_proposal,
        "send_information": submission.send_information,
    }.get(action, submission.submit_proposal)
    try:
        version = service(proposal, current_user, now, declaration=declaration_text(proposal.call))
    except submission.SubmissionRefused as refused:
        db.session.rollback()
        return render_review(proposal, form, refused.problems, 400)
    commit()
    if action == "send_information":
        message = _(
            "Version %(number)d of your proposal is with the secretariat again.",
            number=version.number,
        )
    elif action == "resubmit":
        message = _(
            "Version %(number)d of your proposal is with the reviewers again.",
            number=version.number,
        )
    else:
        message = _(
            "Your proposal has been submitted. Its reference is %(reference)s; every member of "
            "your organisation receives a receipt by e-mail.",
            reference=proposal.reference,
        )
    flash(message, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    """Submit the proposal; every problem is listed at once when it cannot be submitted yet."""
    return _send(proposal_id, "submit")


@bp.post("/<int:proposal_id>/resubmit")
@login_required
def resubmit(proposal_id: int):
    """Send the revised proposal back to its reviewers as a new version."""
    return _send(proposal_id, "resubmit")


@bp.post("/<int:proposal_id>/send-information")
@login_required
def send_information(proposal_id: int):
    """Send the proposal back to the secretariat, which asked for more information."""
    return _send(proposal_id, "send_information")
