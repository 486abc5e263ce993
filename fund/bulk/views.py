"""Bulk actions: the confirmation page (GET, it changes nothing), the action (POST) and its
result page, for the screening list and the ranking of one call, and for the grants list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fund import clock, permissions
from fund.bulk import actions, selection, services
from fund.bulk.forms import BulkForm
from fund.extensions import db
from fund.models import BulkRun, Call, Grant, Proposal
from fund.outbox import commit

bp = Blueprint("bulk", __name__, url_prefix="/bulk")

LIST_ACCESS = {
    "screening": permissions.can_screen,
    "ranking": permissions.can_view_ranking,
    "grants": permissions.can_manage_grants,
}


def list_url(list_name: str, call_id: int | None, carried=()) -> str:
    """The list the action started from, with its filters (ids are not filters)."""
    filters = {k: v for k, v in carried if k not in ("all", "proposal", "grant")}
    if list_name == "grants":
        return url_for("grants.index", **filters)
    if list_name == "screening":
        return url_for("screening.proposals", call_id=call_id, **filters)
    return url_for("decisions.ranking", call_id=call_id, **filters)


def _load(call_id: int, list_name: str, args) -> tuple[Call, actions.BulkAction]:
    """The call and the action asked for, after the permission checks; 400 for a bad action."""
    if not LIST_ACCESS[list_name](current_user):
        abort(403)
    call = db.session.get(Call, call_id)
    if call is None or call.published_at is None:
        abort(404)
    return call, _action(list_name, args)


def _action(list_name: str, args) -> actions.BulkAction:
    action = actions.ACTIONS.get(args.get("action", ""))
    if action is None or action.list_name != list_name:
        abort(400, description=_("Choose one of the actions offered on the list."))
    if not action.allowed(current_user):
        abort(403)
    return action


def _choose(list_name: str, call: Call, args) -> selection.Selection:
    try:
        return selection.choose(list_name, call, current_user, args)
    except selection.BadSelection as error:
        abort(400, description=error.message)


def _params(form: BulkForm) -> actions.Params:
    return actions.Params(
        comment=(form.reason.data or "").strip(),
        due_on=form.due_on.data,
        today=clock.now().date(),
    )


def _rows_template(list_name: str) -> str:
    """The macros that give a list's rows their cells and the words naming them, shared by the
    confirmation and the result pages."""
    return "bulk/_grant_rows.html" if list_name == "grants" else "bulk/_proposal_rows.html"


def _render_confirmation(chosen, action, form: BulkForm, status: int = 200):
    params = _params(form)
    rows = [(row, action.check(row, current_user, params)) for row in chosen.rows]
    doable = sum(1 for _row, reason in rows if reason is None)
    if chosen.list_name == "grants":
        apply_url = url_for(".apply_grants")
    else:
        apply_url = url_for(".apply", call_id=chosen.call.id, list_name=chosen.list_name)
    page = render_template(
        "bulk/confirm.html",
        rows_template=_rows_template(chosen.list_name),
        apply_url=apply_url,
        call=chosen.call,
        action=action,
        chosen=chosen,
        rows=rows,
        doable=doable,
        form=form,
        back=list_url(chosen.list_name, chosen.call and chosen.call.id, chosen.carried),
    )
    return page, status


@bp.get("/calls/<int:call_id>/<any(screening, ranking):list_name>")
@login_required
def confirm(call_id: int, list_name: str):
    """What the action will do to each chosen row, and the one form that does it."""
    call, action = _load(call_id, list_name, request.args)
    chosen = _choose(list_name, call, request.args)
    return _render_confirmation(chosen, action, BulkForm(formdata=None))


@bp.post("/calls/<int:call_id>/<any(screening, ranking):list_name>")
@login_required
def apply(call_id: int, list_name: str):
    """Apply the action to each row on its own; one commit; then the result page."""
    call, action = _load(call_id, list_name, request.form)
    return _run(action, _choose(list_name, call, request.form))


def _run(action: actions.BulkAction, chosen: selection.Selection):
    form = BulkForm()
    valid = form.validate_on_submit()  # an expired CSRF token is answered before: fund/errors.py
    if action.needs_comment and not (form.reason.data or "").strip():
        form.reason.errors = [*form.reason.errors, _("Give a reason.")]
        valid = False
    if action.needs_due_date and form.due_on.data is None and not form.due_on.errors:
        form.due_on.errors = [*form.due_on.errors, _("Give the due date as year-month-day.")]
        valid = False
    if not valid:
        return _render_confirmation(chosen, action, form, 400)
    bulk_run = services.run(chosen, action, current_user, _params(form), clock.now())
    commit()
    done = sum(1 for o in bulk_run.outcomes if o["done"])
    flash(
        _("%(done)d of %(total)d done.", done=done, total=len(bulk_run.outcomes)),
        "success" if done == len(bulk_run.outcomes) else "warning",
    )
    return redirect(url_for(".result", run_id=bulk_run.id))


def _load_grants_action(args) -> actions.BulkAction:
    """The grants list's action asked for, after the permission checks; 400 for a bad one."""
    if not LIST_ACCESS["grants"](current_user):
        abort(403)
    return _action("grants", args)


def _choose_grants(args) -> selection.Selection:
    try:
        return selection.choose_grants(args)
    except selection.BadSelection as error:
        abort(400, description=error.message)


@bp.get("/grants")
@login_required
def confirm_grants():
    """What the action will do to each chosen grant, and the one form that does it."""
    action = _load_grants_action(request.args)
    chosen = _choose_grants(request.args)
    return _render_confirmation(chosen, action, BulkForm(formdata=None))


@bp.post("/grants")
@login_required
def apply_grants():
    """Apply the action to each chosen grant on its own; one commit; then the result page."""
    action = _load_grants_action(request.form)
    return _run(action, _choose_grants(request.form))


@bp.get("/runs/<int:run_id>")
@login_required
def result(run_id: int):
    """What a bulk action did to each row, and why the refused rows were refused."""
    bulk_run = db.session.get(BulkRun, run_id)
    if bulk_run is None or not permissions.can_view_bulk_run(current_user, bulk_run):
        abort(404)
    ids = [o["id"] for o in bulk_run.outcomes]
    model = Grant if bulk_run.list_name == "grants" else Proposal
    found = {
        row.id: row
        for row in db.session.scalars(
            select(model).options(joinedload(model.organisation)).where(model.id.in_(ids))
        )
    }
    rows = [(found.get(o["id"]), o) for o in bulk_run.outcomes]
    return render_template(
        "bulk/result.html",
        rows_template=_rows_template(bulk_run.list_name),
        run=bulk_run,
        action=actions.ACTIONS[bulk_run.action],
        done=[r for r in rows if r[1]["done"]],
        refused=[r for r in rows if not r[1]["done"]],
        back=list_url(bulk_run.list_name, bulk_run.call_id),
    )


@bp.app_template_global()
def bulk_actions(list_name: str) -> list[actions.BulkAction]:
    """The bulk actions the signed-in user may start on a list (for the list's actions bar)."""
    return actions.offered(list_name, current_user)
