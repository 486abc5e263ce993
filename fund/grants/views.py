"""Grant pages: the grantee's grants and agreement; the secretariat's grants list, CSV, grant
actions, payments and per-call agreement terms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import audit, clock, confirmation, permissions, spreadsheets
from fund.access import require
from fund.extensions import db
from fund.grants import agreement, confirmations, exports, list_rows, queries, services, status
from fund.grants.forms import (
    AcceptAgreementForm,
    AgreementTemplateForm,
    GrantActionForm,
    GrantFilterForm,
    PaymentForm,
)
from fund.messages import services as message_services
from fund.models import Call, Grant, Role, Tranche
from fund.numbers import parse_id
from fund.outbox import commit
from fund.rules import report_questions
from fund.workflow import TransitionRefused, allowed_actions, state_label

bp = Blueprint("grants", __name__, url_prefix="/grants")


@bp.app_context_processor
def grant_panels() -> dict:
    """How a report stands against its due date, for the grant lists."""
    today = clock.now().date()
    return {
        "report_timing": lambda report: status.report_timing(report, today),
        "timing_labels": status.TIMING_LABELS,
    }


def get_grant_or_404(grant_id: int) -> Grant:
    """The grant if the user may see it; 404 for anyone else's, as for a missing one."""
    grant = queries.get_grant(grant_id)
    if grant is None or not permissions.can_view_grant(current_user, grant):
        abort(404)
    return grant


@bp.get("/")
@login_required
def index():
    """The secretariat's grants list with filters; a grantee's own grants otherwise."""
    if not permissions.can_manage_grants(current_user):
        if not permissions.has_role(current_user, Role.APPLICANT):
            abort(403)
        return render_template(
            "grants/mine.html", grants=queries.grants_of(current_user), today=clock.now().date()
        )
    form = GrantFilterForm(request.args, calls=queries.calls_with_grants())
    if not form.validate():
        abort(400, description=_("Check the filters: %(errors)s", errors=form.errors))
    page = queries.grants_page(_filters(form), form.page.data or 1)
    figures = queries.grant_figures([g.id for g in page.items], clock.now().date())
    return render_template(
        "grants/index.html", form=form, page=page, rows=list_rows.grant_rows(page.items, figures)
    )


def _filters(form: GrantFilterForm) -> dict:
    call = form.call.data
    return {
        "call_id": parse_id(call),
        "state": form.state.data or None,
        "q": (form.q.data or "").strip() or None,
    }


@bp.get("/export.<any(csv, xlsx):fmt>")
@require(permissions.can_manage_grants)
def export(fmt: str):
    """The filtered grants as CSV or XLSX; counts of people under 5 are shown as "<5"."""
    form = GrantFilterForm(request.args, calls=queries.calls_with_grants())
    if not form.validate():
        abort(400, description=_("Check the filters: %(errors)s", errors=form.errors))
    filters = _filters(form)
    rows = list(exports.grants_rows(queries.all_grants(filters), clock.now().date()))
    audit.record_export(current_user, "grants", fmt, len(rows), filters)
    commit()
    return spreadsheets.download(exports.HEADER, rows, fmt=fmt, filename="grants")


@bp.get("/<int:grant_id>")
@login_required
def detail(grant_id: int):
    """One page with what is due and when: agreement, tranches, reports, history."""
    grant = get_grant_or_404(grant_id)
    if message_services.mark_read(grant, current_user, clock.now()):  # the thread is shown
        commit()
    today = clock.now().date()
    columns = report_questions.history_columns(grant)
    return render_template(
        "grants/detail.html",
        grant=grant,
        today=today,
        history=queries.history(grant),
        actions=[t for t in allowed_actions(grant, current_user) if t.action != "accept_agreement"],
        can_accept=any(
            t.action == "accept_agreement" for t in allowed_actions(grant, current_user)
        ),
        action_form=GrantActionForm(formdata=None),
        confirmed_actions=confirmations.CONFIRMED_ACTIONS,
        payment_form=_payment_form_for,
        can_pay=permissions.can_record_payment(current_user, grant),
        status=status,
        can_view_report=lambda r: permissions.can_view_report(current_user, r),
        report_columns=columns,
        report_cells=lambda r: report_questions.history_cells(r, columns, grant.currency),
    )


def _payment_form_for(tranche: Tranche, formdata=None) -> PaymentForm:
    """One payment form per tranche, its fields prefixed so that ids stay unique on the page."""
    return PaymentForm(formdata=formdata, prefix=f"tranche{tranche.id}")


@bp.route("/<int:grant_id>/agreement", methods=["GET", "POST"])
@login_required
def agreement_page(grant_id: int):
    """The terms, and "Accept agreement" for the grantee's members while it is pending."""
    grant = get_grant_or_404(grant_id)
    can_accept = any(t.action == "accept_agreement" for t in allowed_actions(grant, current_user))
    form = AcceptAgreementForm()
    if request.method == "POST":
        if not can_accept:
            abort(403 if grant.state == "pending_agreement" else 409)
        if form.validate_on_submit():
            try:
                services.accept_agreement(
                    grant,
                    current_user,
                    name=form.full_name.data,
                    confirmed=form.confirm.data,
                    ip=request.remote_addr,
                    user_agent=request.user_agent.string,
                    now=clock.now(),
                )
            except TransitionRefused as error:
                db.session.rollback()
                abort(error.status, description=error.reason)
            commit()
            flash(_("The agreement is accepted. Your grant is now active."), "success")
            return redirect(url_for("grants.detail", grant_id=grant.id))
    status_code = 400 if form.errors else 200
    return render_template(
        "grants/agreement.html",
        grant=grant,
        form=form,
        terms=agreement.terms(grant),
        can_accept=can_accept,
    ), status_code


@bp.post("/<int:grant_id>/state")
@require(permissions.can_manage_grants)
def change_state(grant_id: int):
    """Cancel, suspend, reinstate or close a grant, with a reason where the workflow asks one;
    cancelling and closing, which end the grant, once confirmed."""
    grant = get_grant_or_404(grant_id)
    form = GrantActionForm()
    if not form.validate_on_submit():
        abort(400, description=_("Check the form: %(errors)s", errors=form.errors))
    if form.action.data in confirmations.CONFIRMED_ACTIONS and not confirmation.confirmed():
        return confirmation.ask(
            confirmations.change_state(
                grant, form.action.data, current_user, form.reason.data or ""
            )
        )
    try:  # a refused transition is shown by the error handler, with its reason and status
        services.change_state(
            grant, form.action.data, current_user, form.reason.data or "", clock.now()
        )
    except services.GrantError as error:
        db.session.rollback()
        abort(error.status, description=error.message)
    commit()
    flash(
        _(
            "Grant %(reference)s is now %(state)s.",
            reference=grant.reference or grant.id,
            state=state_label(grant.state),
        ),
        "success",
    )
    return redirect(url_for("grants.detail", grant_id=grant_id))


@bp.post("/<int:grant_id>/tranches/<int:tranche_id>/payment")
@login_required
def record_payment(grant_id: int, tranche_id: int):
    """ "Record payment": the date, amount (at most the tranche's) and reference, once
    confirmed."""
    grant = get_grant_or_404(grant_id)
    if not permissions.can_record_payment(current_user, grant):
        abort(403)
    tranche = db.session.get(Tranche, tranche_id)
    if tranche is None or tranche.grant_id != grant.id:
        abort(404)
    form = _payment_form_for(tranche, request.form)
    if not form.validate_on_submit():
        abort(
            400,
            description=_(
                "Check the payment: %(errors)s",
                errors="; ".join(
                    f"{form[name].label.text}: {' '.join(map(str, errs))}"
                    for name, errs in form.errors.items()
                ),
            ),
        )
    if not confirmation.confirmed():
        return confirmation.ask(
            confirmations.payment(
                tranche,
                paid_on=form.paid_on.data,
                amount=form.amount.data,
                reference=form.payment_reference.data,
                now=clock.now(),
            )
        )
    try:
        services.record_payment(
            tranche,
            current_user,
            paid_on=form.paid_on.data,
            amount=form.amount.data,
            reference=form.payment_reference.data,
            now=clock.now(),
        )
    except services.GrantError as error:
        db.session.rollback()
        abort(error.status, description=error.message)
    commit()
    flash(
        _(
            "Payment of tranche %(n)d recorded: it counts as paid once another person approves "
            "it on the Payments page.",
            n=tranche.position,
        ),
        "success",
    )
    return redirect(url_for("grants.detail", grant_id=grant.id))


@bp.route("/calls/<int:call_id>/agreement", methods=["GET", "POST"])
@require(permissions.can_manage_grants)
def agreement_template(call_id: int):
    """The call's agreement terms, with the placeholders that are filled in for each grant."""
    call = db.session.get(Call, call_id) or abort(404)
    form = AgreementTemplateForm(
        data={"template": call.agreement_template or str(agreement.DEFAULT_TERMS)}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        services.set_agreement_template(call, form.template.data or "", current_user, clock.now())
        commit()
        flash(_("The agreement terms of this call are saved."), "success")
        return redirect(url_for("grants.agreement_template", call_id=call.id))
    return render_template(
        "grants/template.html", call=call, form=form, placeholders=agreement.PLACEHOLDERS
    ), 400 if form.errors else 200
