"""The builder's "Start from the INSPIRE indicators template" button (report form only)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import permissions
from fund.access import require
from fund.calls.report_template import start_from_indicators
from fund.calls.views import bp
from fund.extensions import db
from fund.models import Call
from fund.outbox import commit


@bp.post("/<int:call_id>/forms/report/template")
@require(permissions.can_manage_calls)
def report_form_from_template(call_id: int):
    """Fill an empty report form with the INSPIRE indicators (refused once reports are in)."""
    call = db.get_or_404(Call, call_id)
    start_from_indicators(call, current_user)  # a refusal is the builder's 400 page
    commit()
    flash(_("The report form now asks the INSPIRE indicators. Adjust it as you need."), "success")
    return redirect(url_for("calls.proposal_form", call_id=call.id, kind="report"))
