"""The builder's drag and drop: one POST that puts a question or a section at a new place.

The script of the builder page (fund/static/form_builder.js) sends it with Accept:
application/json and refreshes the list from the page; a plain form post gets the page back
(post/redirect/get). The up and down buttons (fund/calls/form_views.py) stay for keyboards and
browsers without JavaScript.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import permissions
from fund.access import require
from fund.calls import form_builder
from fund.calls.form_builder_forms import MoveForm
from fund.calls.views import bp
from fund.extensions import db
from fund.models import Call
from fund.outbox import commit


@bp.post("/<int:call_id>/form/move", defaults={"kind": "proposal"})
@bp.post("/<int:call_id>/forms/<any(report, concept):kind>/move")
@require(permissions.can_manage_calls)
def move_in_form(call_id: int, kind: str):
    """Put the question or section dropped at its new place (refused with a 400 and why)."""
    call = db.get_or_404(Call, call_id)
    form = MoveForm()
    if not form.validate():
        abort(400, description=" ".join(str(m) for f in form for m in f.errors))
    form_builder.place(
        call, current_user, form.item.data, form.section.data or "", form.position.data, kind=kind
    )
    commit()
    message = _("The form's order is saved.")
    if request.accept_mimetypes.best == "application/json":
        return {"saved": True, "message": message}
    flash(message, "success")
    return redirect(url_for("calls.proposal_form", call_id=call.id, kind=kind, _anchor="questions"))
