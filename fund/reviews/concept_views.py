"""The screening of a two-stage call's concept notes, for the secretariat and the chairs:
the list per call, each note, and inviting or declining it (through the workflow)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import clock, permissions, workflow
from fund.access import require
from fund.extensions import db
from fund.models import Call, Proposal
from fund.numbers import parse_id
from fund.outbox import commit
from fund.reviews import concepts
from fund.reviews.concept_forms import ConceptFilterForm, DeclineConceptForm, InviteForm

bp = Blueprint("concepts", __name__, url_prefix="/concept-notes")
screeners_only = require(permissions.can_screen_concepts)


@bp.get("/calls/<int:call_id>")
@screeners_only
def index(call_id: int):
    """The call's concept notes: reference, organisation, title, country, submitted."""
    call = db.get_or_404(Call, call_id)
    if not call.two_stage:
        abort(404)
    form = ConceptFilterForm(request.args)
    if not form.validate():
        abort(400, description=_("Choose which concept notes to show from the list."))
    page = parse_id(request.args.get("page", "1"))
    if page is None:
        abort(400, description=_("The page number must be a whole number from 1."))
    pagination = concepts.concept_page(call, current_user, which=form.show.data, page=page)
    return render_template(
        "concepts/index.html", call=call, form=form, pagination=pagination, show=form.show.data
    )


def _note_or_404(proposal_id: int) -> Proposal:
    """A submitted concept note the user may read; a conflicted chair is told why (403)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.concept_note is None:
        abort(404)
    if not permissions.can_view_concept(current_user, proposal):
        abort(403, _("You have declared a conflict of interest with this organisation."))
    return proposal


def _render(proposal: Proposal, status: int = 200, **forms):
    return render_template(
        "concepts/detail.html",
        proposal=proposal,
        invite_form=forms.get("invite_form") or InviteForm(formdata=None),
        decline_form=forms.get("decline_form") or DeclineConceptForm(formdata=None),
        actions={t.action for t in workflow.allowed_actions(proposal, current_user)},
    ), status


@bp.get("/<int:proposal_id>")
@screeners_only
def detail(proposal_id: int):
    """One concept note as submitted, with Invite and Decline when it waits for a decision."""
    return _render(_note_or_404(proposal_id))


@bp.post("/<int:proposal_id>/invite")
@screeners_only
def invite(proposal_id: int):
    """Invite the organisation to submit a full proposal; the letter goes after the commit."""
    proposal = _note_or_404(proposal_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render(proposal, 400, invite_form=form)
    concepts.invite(proposal, current_user, form.message.data or "", clock.now())
    commit()
    flash(
        _(
            "%(title)s: the organisation is invited to submit a full proposal.",
            title=proposal.title,
        ),
        "success",
    )
    return redirect(url_for("concepts.index", call_id=proposal.call_id))


@bp.post("/<int:proposal_id>/decline")
@screeners_only
def decline(proposal_id: int):
    """Decline the concept note with a reason; the letter carrying it goes after the commit."""
    proposal = _note_or_404(proposal_id)
    form = DeclineConceptForm()
    if not form.validate_on_submit():
        return _render(proposal, 400, decline_form=form)
    concepts.decline(proposal, current_user, form.reason.data, clock.now())
    commit()
    flash(_("%(title)s: the concept note is declined.", title=proposal.title), "success")
    return redirect(url_for("concepts.index", call_id=proposal.call_id))
