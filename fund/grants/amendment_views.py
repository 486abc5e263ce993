"""Grant amendment pages: a request of each kind (the grantee's members, the secretariat),
one amendment with its changes and the secretariat's decision, and the list waiting."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fund import audit, clock, permissions, spreadsheets
from fund.access import require
from fund.extensions import db
from fund.grants import amendment_forms as forms
from fund.grants import amendment_queries, amendments, mail
from fund.grants.amendment_plans import (
    AmendmentError,
    budget_lines,
    ensure_amendable,
    latest_end,
    unpaid_tranches,
)
from fund.grants.views import get_grant_or_404
from fund.models import AmendmentKind, AmendmentState, Call, Grant, GrantAmendment
from fund.outbox import commit
from fund.workflow import allowed_actions, check

bp = Blueprint("amendments", __name__, url_prefix="/grants")


@bp.app_context_processor
def amendment_helpers() -> dict:
    """The grant page's amendments section (templates/grants/_amendments.html)."""
    return {
        "grant_amendments": amendment_queries.of_grant,
        "amendment_kind_label": amendments.kind_label,
        "amendment_changes": amendments.changes,
    }


def _form(grant: Grant, kind: str):
    if kind == AmendmentKind.EXTENSION:
        return forms.ExtensionForm()
    if kind == AmendmentKind.REALLOCATION:
        return forms.reallocation_form(budget_lines(grant))
    return forms.tranches_form(unpaid_tranches(grant))


def _proposed(grant: Grant, kind: str, form) -> dict:
    """The change as asked, in plain JSON (kept on the amendment)."""
    if kind == AmendmentKind.EXTENSION:
        return {"end_on": form.new_end.data.isoformat()}
    if kind == AmendmentKind.REALLOCATION:
        return {
            "lines": {
                str(line.id): str(form[forms.line_field(line)].data) for line in budget_lines(grant)
            }
        }
    return {
        "tranches": {
            str(t.id): {
                "percent": form[forms.percent_field(t)].data,
                "due_on": (
                    form[forms.due_field(t)].data.isoformat()
                    if form[forms.due_field(t)].data
                    else None
                ),
            }
            for t in unpaid_tranches(grant)
        }
    }


@bp.route(
    "/<int:grant_id>/amendments/new/<any(extension, reallocation, tranches):kind>",
    methods=["GET", "POST"],
)
@login_required
def new(grant_id: int, kind: str):
    """Ask for an extension, a budget reallocation or a new payment schedule."""
    grant = get_grant_or_404(grant_id)
    if not permissions.can_request_amendment(current_user, grant):
        abort(403)
    try:
        ensure_amendable(grant)
    except AmendmentError as error:
        abort(error.status, description=error.message)
    form = _form(grant, kind)
    problem = None  # a refusal about the change as a whole (the totals), shown at the top
    if form.validate_on_submit():
        try:
            amendment = amendments.request_amendment(
                grant,
                current_user,
                kind,
                _proposed(grant, kind, form),
                form.reason.data,
                clock.now(),
            )
        except AmendmentError as error:
            db.session.rollback()
            if error.status != 400:
                abort(error.status, description=error.message)
            if error.field:
                form[error.field].errors = [*form[error.field].errors, error.message]
            else:
                problem = error.message
        else:
            commit()
            if amendment.state == AmendmentState.APPROVED:
                flash(_("The change is within the call's limit: it is approved."), "success")
            else:
                flash(_("Your request is sent to the secretariat."), "success")
            return redirect(url_for("amendments.detail", amendment_id=amendment.id))
    status = 400 if form.errors or problem else 200
    return render_template(
        "grants/amendments/new.html",
        grant=grant,
        kind=kind,
        form=form,
        problem=problem,
        lines=budget_lines(grant) if kind == AmendmentKind.REALLOCATION else [],
        tranches=unpaid_tranches(grant) if kind == AmendmentKind.TRANCHES else [],
        fields=forms,
        latest_end=latest_end(grant) if grant.end_on else None,
        threshold=grant.proposal.call.reallocation_threshold_percent,
    ), status


def _amendment_or_404(amendment_id: int) -> GrantAmendment:
    amendment = db.session.scalar(
        select(GrantAmendment)
        .where(GrantAmendment.id == amendment_id)
        .options(
            joinedload(GrantAmendment.grant).joinedload(Grant.organisation),
            joinedload(GrantAmendment.requested_by),
            joinedload(GrantAmendment.decided_by),
        )
    )
    if amendment is None or not permissions.can_view_amendment(current_user, amendment):
        abort(404)
    return amendment


@bp.get("/amendments/<int:amendment_id>")
@login_required
def detail(amendment_id: int):
    """One amendment: what it changes (or would), why, and who decided."""
    amendment = _amendment_or_404(amendment_id)
    actions = [t for t in allowed_actions(amendment, current_user) if t.action != "withdraw"]
    return render_template(
        "grants/amendments/detail.html",
        amendment=amendment,
        grant=amendment.grant,
        changes=amendments.changes(amendment),
        actions=actions,
        can_withdraw=check(amendment, "withdraw", current_user) is None,
        form=forms.AmendmentDecisionForm(formdata=None),
    )


@bp.post("/amendments/<int:amendment_id>/decision")
@login_required
def decision(amendment_id: int):
    """Approve, decline (with a reason) or withdraw; the workflow checks who and when."""
    amendment = _amendment_or_404(amendment_id)
    form = forms.AmendmentDecisionForm()
    if not form.validate_on_submit():
        abort(400, description=_("Check the form: %(errors)s", errors=form.errors))
    try:  # a refused transition is shown by the error handler, with its reason and status
        amendments.decide(
            amendment, form.action.data, current_user, form.comment.data or "", clock.now()
        )
    except AmendmentError as error:
        db.session.rollback()
        abort(error.status, description=error.message)
    commit()
    messages = {
        "approve": _("The amendment is approved and the grant is changed."),
        "decline": _("The amendment is declined; the grantee is told why."),
        "withdraw": _("The request is withdrawn."),
    }
    flash(messages[form.action.data], "success")
    return redirect(url_for("amendments.detail", amendment_id=amendment.id))


@bp.get("/amendments/")
@require(permissions.can_decide_amendments)
def index():
    """The amendments waiting for the secretariat, oldest first, a page at a time."""
    page = amendment_queries.pending_page(request.args.get("page"))
    return render_template("grants/amendments/index.html", page=page)


@bp.get("/amendments/export.<any(csv, xlsx):fmt>")
@require(permissions.can_decide_amendments)
def export(fmt: str):
    """The amendments waiting, as CSV or XLSX (the download is audited)."""
    rows = [
        [
            a.grant.reference or a.grant_id,
            a.grant.organisation.name,
            a.grant.proposal.title,
            a.kind,
            a.requested_at.isoformat(),
            a.requested_by.name if a.requested_by else "",
            a.reason,
            mail.amendment_url(a),
        ]
        for a in amendment_queries.all_pending()
    ]
    audit.record_export(current_user, "amendments", fmt, len(rows), {})
    commit()
    return spreadsheets.download(
        amendment_queries.EXPORT_HEADER, rows, fmt=fmt, filename="amendments"
    )


@bp.route("/calls/<int:call_id>/amendments", methods=["GET", "POST"])
@require(permissions.can_decide_amendments)
def settings(call_id: int):
    """The call's limit under which a budget reallocation is approved on request."""
    call = db.session.get(Call, call_id) or abort(404)
    form = forms.AmendmentSettingsForm(
        data={"reallocation_threshold_percent": call.reallocation_threshold_percent}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        amendments.set_reallocation_threshold(
            call, form.reallocation_threshold_percent.data, current_user
        )
        commit()
        flash(_("The amendment settings of this call are saved."), "success")
        return redirect(url_for("amendments.settings", call_id=call.id))
    return render_template("grants/amendments/settings.html", call=call, form=form), (
        400 if form.errors else 200
    )
