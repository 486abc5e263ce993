"""The safeguarding channel's pages: report a concern (anyone signed in, grantees from their
grant page), the thank-you page its reporter sees, and the leads' list and record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from fund import clock, permissions, workflow
from fund.access import require
from fund.extensions import db
from fund.models import ConcernState, Grant, SafeguardingConcern
from fund.numbers import parse_id
from fund.outbox import commit
from fund.safeguarding import services
from fund.safeguarding.forms import ActionForm, CloseForm, ConcernForm, ReopenForm

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")


def _grant_from_query() -> Grant | None:
    """The grant named by ?grant=, which the reporter must be able to see (else 404)."""
    raw = request.args.get("grant")
    if raw is None:
        return None
    grant_id = parse_id(raw)
    grant = db.session.get(Grant, grant_id) if grant_id is not None else None
    if grant is None or not permissions.can_view_grant(current_user, grant):
        abort(404, description=_("There is no grant of yours at this address."))
    return grant


@bp.route("/report", methods=["GET", "POST"])
@require(permissions.can_report_concern)
def report():
    """Report a concern about a funded activity, in confidence."""
    grant = _grant_from_query()
    form = ConcernForm()
    if request.method == "GET" and grant is not None:
        form.about.data = f"{grant.organisation.name} ({grant.reference})"
    if form.validate_on_submit():
        concern = services.report(
            current_user, form.about.data, form.description.data, grant, clock.now()
        )
        commit()
        return redirect(url_for("safeguarding.received", concern_id=concern.id))
    return render_template("safeguarding/report.html", form=form, grant=grant), (
        400 if form.errors else 200
    )


@bp.get("/received/<int:concern_id>")
@login_required
def received(concern_id: int):
    """The reporter's acknowledgement: received, and what happens next; nothing more."""
    concern = db.session.get(SafeguardingConcern, concern_id)
    if concern is None or not permissions.can_view_own_concern(current_user, concern):
        abort(404)
    return render_template("safeguarding/received.html", concern=concern)


@bp.get("/")
@require(permissions.can_handle_concerns)
def index():
    """The leads' list: open concerns first, newest first."""
    concerns = db.session.scalars(
        select(SafeguardingConcern).order_by(
            (SafeguardingConcern.state == ConcernState.OPEN.value).desc(),
            SafeguardingConcern.created_at.desc(),
        )
    ).all()
    return render_template("safeguarding/index.html", concerns=concerns)


def _concern_or_404(concern_id: int) -> SafeguardingConcern:
    concern = db.session.get(SafeguardingConcern, concern_id)
    if concern is None:
        abort(404)
    return concern


def _render_detail(concern, action_form=None, close_form=None, status: int = 200):
    return render_template(
        "safeguarding/detail.html",
        concern=concern,
        action_form=action_form or ActionForm(formdata=None, prefix="action"),
        close_form=close_form or CloseForm(formdata=None, prefix="close"),
        reopen_form=ReopenForm(prefix="reopen"),
        actions={t.action for t in workflow.allowed_actions(concern, current_user)},
    ), status


@bp.get("/<int:concern_id>")
@require(permissions.can_handle_concerns)
def detail(concern_id: int):
    """One concern: what was reported, what was done, its outcome."""
    return _render_detail(_concern_or_404(concern_id))


@bp.post("/<int:concern_id>/actions")
@require(permissions.can_handle_concerns)
def add_action(concern_id: int):
    concern = _concern_or_404(concern_id)
    form = ActionForm(prefix="action")
    if not form.validate():
        return _render_detail(concern, action_form=form, status=400)
    services.add_action(concern, current_user, form.note.data, clock.now())
    commit()
    flash(_("Added to the record."), "success")
    return redirect(url_for("safeguarding.detail", concern_id=concern.id))


@bp.post("/<int:concern_id>/close")
@require(permissions.can_handle_concerns)
def close(concern_id: int):
    concern = _concern_or_404(concern_id)
    form = CloseForm(prefix="close")
    if not form.validate():
        return _render_detail(concern, close_form=form, status=400)
    try:
        services.close(concern, current_user, form.outcome.data, clock.now())
    except workflow.TransitionRefused as refused:
        abort(refused.status, description=refused.reason)
    commit()
    flash(_("The concern is closed."), "success")
    return redirect(url_for("safeguarding.detail", concern_id=concern.id))


@bp.post("/<int:concern_id>/reopen")
@require(permissions.can_handle_concerns)
def reopen(concern_id: int):
    concern = _concern_or_404(concern_id)
    if not ReopenForm(prefix="reopen").validate():
        abort(400)
    try:
        services.reopen(concern, current_user, clock.now())
    except workflow.TransitionRefused as refused:
        abort(refused.status, description=refused.reason)
    commit()
    flash(_("The concern is open again."), "success")
    return redirect(url_for("safeguarding.detail", concern_id=concern.id))
