"""Payment pages: an organisation's bank details (members enter them, the secretariat approves
them), the payments awaiting a second person's approval, and the bank file of approved ones."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import audit, clock, permissions, spreadsheets
from fund.access import require
from fund.extensions import db
from fund.models import BankDetails, Organisation
from fund.outbox import commit
from fund.payments import exports, queries, services
from fund.payments.forms import BankDetailsForm, DecideForm, ExportForm
from fund.workflow import TransitionRefused

bp = Blueprint("payments", __name__)


def _refused(error: TransitionRefused | services.PaymentError):
    """Roll back and answer with the reason the user sees."""
    db.session.rollback()
    abort(error.status, description=getattr(error, "reason", None) or error.message)


@bp.route("/organisations/<int:organisation_id>/bank-details", methods=["GET", "POST"])
@login_required
def bank_details(organisation_id: int):
    """Members enter or change the bank details (shown masked); admins see them to approve."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not permissions.can_view_bank_details(current_user, organisation):
        abort(404)
    details = queries.bank_details_of(organisation.id)
    can_edit = permissions.can_edit_bank_details(current_user, organisation)
    form = BankDetailsForm(
        data={"bank_country": details.bank_country if details else organisation.country_code}
        if request.method == "GET"
        else None
    )
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            values = {name: form[name].data for name in services.FIELDS}
            saved = services.save_bank_details(organisation, current_user, values, clock.now())
            commit()
            flash(
                _("The bank details are saved and wait for the secretariat's approval.")
                if saved
                else _("Nothing changed."),
                "success",
            )
            return redirect(url_for("payments.bank_details", organisation_id=organisation.id))
    return render_template(
        "payments/bank_details.html",
        organisation=organisation,
        details=details,
        form=form if can_edit else None,
        approve_form=DecideForm(formdata=None),
    ), 400 if form.errors else 200


@bp.post("/payments/bank-details/<int:details_id>/approve")
@require(permissions.can_approve_bank_details)
def approve_bank_details(details_id: int):
    """The secretariat approves bank details entered or changed by a member."""
    details = db.session.get(BankDetails, details_id) or abort(404)
    if not DecideForm().validate_on_submit():
        abort(400, description=_("The form expired. Reload the page and try again."))
    try:
        services.approve_bank_details(details, current_user, clock.now())
    except TransitionRefused as error:
        _refused(error)
    commit()
    flash(
        _("The bank details of %(name)s are approved.", name=details.organisation.name), "success"
    )
    back = url_for("payments.index")
    if request.form.get("back") == "organisation":
        back = url_for("payments.bank_details", organisation_id=details.organisation_id)
    return redirect(back)


@bp.get("/payments/")
@require(permissions.can_see_payments)
def index():
    """What waits for a second person: payments recorded, and bank details changed."""
    return render_template(
        "payments/index.html",
        payments=queries.awaiting_payments(),
        bank_details=queries.awaiting_bank_details(),
        limit=queries.AWAITING_MAX,
        decide_form=DecideForm(formdata=None),
        export_form=ExportForm(formdata=None),
        can_approve=permissions.can_approve_payments(current_user),
        can_export=permissions.can_export_payments(current_user),
        can_approve_bank=permissions.can_approve_bank_details(current_user),
    )


@bp.post("/payments/<int:payment_id>/approve")
@require(permissions.can_approve_payments)
def approve(payment_id: int):
    """A second person approves the payment: the tranche counts as paid from now on."""
    payment = queries.get_payment(payment_id) or abort(404)
    if not DecideForm().validate_on_submit():
        abort(400, description=_("The form expired. Reload the page and try again."))
    try:
        services.approve_payment(payment, current_user, clock.now())
    except (TransitionRefused, services.PaymentError) as error:
        _refused(error)
    commit()
    flash(_("The payment of %(reference)s is approved.", reference=payment.reference), "success")
    return redirect(url_for("payments.index"))


@bp.post("/payments/<int:payment_id>/reject")
@require(permissions.can_approve_payments)
def reject(payment_id: int):
    """A second person rejects the payment, with the reason; the tranche can be recorded again."""
    payment = queries.get_payment(payment_id) or abort(404)
    form = DecideForm()
    if not form.validate_on_submit():
        abort(400, description=_("Check the reason: %(errors)s", errors=form.errors))
    try:
        services.reject_payment(payment, current_user, form.reason.data or "", clock.now())
    except TransitionRefused as error:
        _refused(error)
    commit()
    flash(_("The payment of %(reference)s is rejected.", reference=payment.reference), "success")
    return redirect(url_for("payments.index"))


@bp.get("/payments/export.<any(csv, xlsx):fmt>")
@require(permissions.can_export_payments)
def export(fmt: str):
    """Approved payments paid within the dates chosen, for the bank; the download is audited."""
    form = ExportForm(request.args)
    if not form.validate():
        abort(
            400,
            description=_(
                "Check the dates: %(errors)s",
                errors="; ".join(
                    f"{form[name].label.text}: {' '.join(map(str, errs))}"
                    for name, errs in form.errors.items()
                ),
            ),
        )
    payments = queries.approved_payments(form.start.data, form.end.data)
    rows = exports.rows(payments)
    audit.record_export(
        current_user,
        "approved payments",
        fmt,
        len(rows),
        {"paid_from": form.start.data, "paid_until": form.end.data},
    )
    commit()
    return spreadsheets.download(exports.HEADER, rows, fmt=fmt, filename="approved-payments")
