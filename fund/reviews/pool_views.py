"""A call's reviewer pool (invitations and answers) and the automatic assignment's preview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import paging, workflow
from fund.access import require
from fund.extensions import db
from fund.models import Call, PoolMember, User
from fund.outbox import commit
from fund.permissions import can_manage_reviewer_pool
from fund.reviews import assignment, pool, profiles, suggestions
from fund.reviews.matching_forms import AnswerForm, ApplyForm, InviteForm, SuggestForm
from fund.reviews.services import ReviewError

bp = Blueprint("pool", __name__)
secretariat = require(can_manage_reviewer_pool)


@bp.context_processor
def _labels() -> dict:
    return {"pool_state_label": pool.pool_state_label}


def _render_pool(call: Call, status: int = 200, invite_form: InviteForm | None = None):
    invited = pool.members(call)
    known = {m.user_id for m in invited}
    form = invite_form or InviteForm(formdata=None)
    form.reviewer_id.choices = [
        (u.id, u.name) for u in pool.active_reviewers() if u.id not in known
    ]
    found = profiles.profiles_of(known)
    return render_template(
        "pool/members.html",
        call=call,
        members=invited,
        reads={m.user_id: profiles.languages_read(m.user, found.get(m.user_id)) for m in invited},
        invite_form=form,
        suggest_form=SuggestForm(formdata=None),
    ), status


@bp.get("/screening/calls/<int:call_id>/pool")
@secretariat
def members(call_id: int):
    """Who was invited to the call's pool and how each answered."""
    return _render_pool(db.get_or_404(Call, call_id))


@bp.post("/screening/calls/<int:call_id>/pool")
@secretariat
def invite(call_id: int):
    """Invite a reviewer to the pool; it gets an e-mail with the link to answer."""
    call = db.get_or_404(Call, call_id)
    form = InviteForm()
    form.reviewer_id.validate_choice = False  # any id: the service checks who may review
    if not form.validate_on_submit():
        return _render_pool(call, 400, form)
    reviewer = db.session.get(User, form.reviewer_id.data)
    if reviewer is None:
        abort(400, description=_("Choose a reviewer from the list."))
    try:
        pool.invite(call, reviewer, current_user)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_pool(call, error.status)
    commit()
    flash(_("%(name)s is invited to the pool.", name=reviewer.name), "success")
    return redirect(url_for("pool.members", call_id=call.id))


def _member_or_404(token: str) -> PoolMember:
    try:
        return pool.member_for_token(token)
    except ReviewError as error:
        abort(error.status, description=error.message)


@bp.get("/pool/answer/<token>")
@login_required
def answer_page(token: str):
    """The invited reviewer's page: accept or decline (only that reviewer may)."""
    member = _member_or_404(token)
    if member.user_id != current_user.id:
        abort(403)
    return render_template("pool/answer.html", member=member, token=token, form=AnswerForm())


@bp.post("/pool/answer/<token>")
@login_required
def answer(token: str):
    member = _member_or_404(token)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400, description=_("The form had expired. Send it again."))
    action = (form.action.data or "").strip()
    if action not in ("accept", "decline"):
        abort(400, description=_("Choose Accept or Decline."))
    try:
        pool.answer(member, action, current_user)
    except workflow.TransitionRefused as refused:
        db.session.rollback()
        abort(refused.status, description=refused.reason)
    commit()
    if action == "accept":
        flash(_("Thank you: you are in the reviewer pool of this call."), "success")
    else:
        flash(_("You declined the invitation."), "success")
    return redirect(url_for("reviews.queue"))


@bp.get("/screening/calls/<int:call_id>/suggestion")
@secretariat
def suggestion(call_id: int):
    """The automatic assignment of every proposal in review, shown before it is applied."""
    call = db.get_or_404(Call, call_id)
    form = SuggestForm(request.args)
    if not form.validate():
        return _bad_date(call, form)
    return _render_suggestion(call, form.due_on.data)


def _bad_date(call: Call, form: SuggestForm):
    return render_template(
        "pool/suggestion.html", call=call, suggestion=None, suggest_form=form, apply_form=None
    ), 400


def _render_suggestion(call: Call, due_on, status: int = 200):
    form = SuggestForm(formdata=None, due_on=due_on)
    try:
        made = suggestions.suggest(call, assignment.proposals_in_review(call.id), due_on)
    except ReviewError as error:
        form.due_on.errors = [error.message]
        return render_template(
            "pool/suggestion.html", call=call, suggestion=None, suggest_form=form, apply_form=None
        ), error.status
    apply_form = ApplyForm(formdata=None, due_on=due_on, shown=made.fingerprint)
    # the whole suggestion is applied at once; the page shows it 50 proposals at a time
    page = paging.page_of(made.rows, request.args.get("page", 1))
    return render_template(
        "pool/suggestion.html",
        call=call,
        suggestion=made,
        page=page,
        short_rows=made.short_rows,
        suggest_form=form,
        apply_form=apply_form,
    ), status


@bp.post("/screening/calls/<int:call_id>/suggestion")
@secretariat
def apply(call_id: int):
    """Apply the suggestion that was shown, if it still holds; else show the new one (409)."""
    call = db.get_or_404(Call, call_id)
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400, description=_("Give the due date as year-month-day."))
    try:
        made = suggestions.suggest(call, assignment.proposals_in_review(call.id), form.due_on.data)
    except ReviewError as error:
        abort(error.status, description=error.message)
    if made.fingerprint != form.shown.data:
        flash(
            _("The situation changed since the suggestion was made. Look at the new one."),
            "error",
        )
        return _render_suggestion(call, form.due_on.data, 409)
    try:
        added = suggestions.apply(made, current_user)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_suggestion(call, form.due_on.data, error.status)
    commit()
    flash(_("%(num)d assignment(s) made.", num=added), "success")
    return redirect(url_for("screening.proposals", call_id=call.id))
