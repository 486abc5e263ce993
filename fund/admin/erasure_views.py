"""The secretariat's queue of erasure requests: confirm (the person is anonymised) or keep the
data, saying why."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fund import clock, confirmation, permissions, storage
from fund.access import require
from fund.auth import erasure
from fund.auth.forms import KeepDataForm
from fund.confirmation import Confirmation
from fund.extensions import db
from fund.models import ErasureRequest, ErasureState
from fund.outbox import commit

bp = Blueprint("erasure_admin", __name__, url_prefix="/admin/erasure-requests")


def _pending_or_404(request_id: int) -> ErasureRequest:
    request = db.session.get(ErasureRequest, request_id)
    if request is None:
        abort(404)
    if request.state != ErasureState.PENDING.value:
        abort(409, description=_("This request has been answered already."))
    return request


def _page(keep_forms=None, status: int = 200):
    requests = db.session.scalars(
        select(ErasureRequest)
        .options(selectinload(ErasureRequest.user))
        .order_by(
            (ErasureRequest.state == ErasureState.PENDING.value).desc(),
            ErasureRequest.requested_at.desc(),
        )
        .limit(100)
    ).all()
    keep_forms = keep_forms or {}
    return render_template(
        "admin/erasure_requests.html",
        requests=requests,
        keep_forms={
            r.id: keep_forms.get(r.id) or KeepDataForm(formdata=None, prefix=f"keep{r.id}")
            for r in requests
        },
    ), status


@bp.get("/")
@require(permissions.can_manage_users)
def index():
    """Requests waiting first, then the latest answered."""
    return _page()


@bp.post("/<int:request_id>/confirm")
@require(permissions.can_manage_users)
def confirm(request_id: int):
    """Anonymise the person (after a confirmation step: it cannot be undone)."""
    request = _pending_or_404(request_id)
    if not confirmation.confirmed():
        return confirmation.ask(
            Confirmation(
                title=_("Erase the account of %(name)s?", name=request.user.name),
                consequences=[
                    _(
                        "Their name and e-mail address are removed from everything the fund "
                        "holds; the account becomes “%(placeholder)s” and can no longer be used.",
                        placeholder=erasure.placeholder(request.user),
                    ),
                    _("Proposals, reviews, decisions and grants they took part in stay."),
                    _("This cannot be undone."),
                ],
                button=_("Erase the account"),
                cancel_url=url_for("erasure_admin.index"),
            )
        )
    files = erasure.confirm(request, current_user, clock.now())
    commit()
    storage.delete_after_commit(files)
    flash(_("The account is erased."), "success")
    return redirect(url_for("erasure_admin.index"))


@bp.post("/<int:request_id>/keep")
@require(permissions.can_manage_users)
def keep(request_id: int):
    """Keep the data and tell the person why."""
    request = _pending_or_404(request_id)
    form = KeepDataForm(prefix=f"keep{request.id}")
    if not form.validate():
        return _page({request.id: form}, 400)
    erasure.keep(request, current_user, form.explanation.data, clock.now())
    commit()
    flash(_("The person is told what is kept and why."), "success")
    return redirect(url_for("erasure_admin.index"))
