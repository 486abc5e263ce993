"""Open data pages: the public list of grants awarded with its 360Giving downloads (JSON, CSV,
XLSX: anyone may take them), and the secretariat's choice to leave a grant unnamed."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from fund import clock, permissions
from fund.access import require
from fund.extensions import db, limiter
from fund.models import Grant
from fund.opendata import flat, package, queries, services
from fund.opendata.forms import AwardedFilterForm, PublishingForm
from fund.outbox import commit
from fund.strategies import strategy_label

bp = Blueprint("opendata", __name__, url_prefix="/grants")

MIMETYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _open_data_limit() -> str:
    return current_app.config["RATELIMIT_OPEN_DATA"]


@bp.get("/awarded")
def awarded():
    """The grants the fund has awarded and names in open data, newest first."""
    calls, countries = queries.filter_choices()
    form = AwardedFilterForm(request.args, calls=calls, countries=countries)
    if not form.validate():
        abort(400, description=_("Choose a call and a country from the lists."))
    pagination = queries.page(
        call_id=int(form.call.data) if form.call.data else None,
        country=form.country.data or "",
        number=form.page.data or 1,
    )
    return render_template(
        "opendata/awarded.html", form=form, pagination=pagination, strategy_label=strategy_label
    )


@bp.get("/awarded.<any(json, csv, xlsx):fmt>")
@limiter.limit(_open_data_limit)
def download(fmt: str):
    """Every published grant as a 360Giving data package (JSON), or its flat CSV or XLSX."""
    grants = package.published_grants()
    if not grants:
        abort(404, description=_("No grant has been published yet."))
    data = package.package(grants, package.Publisher.from_config(), clock.now())
    body = json.dumps(data, ensure_ascii=False, indent=1) if fmt == "json" else flat.flat(data, fmt)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="grants-awarded.{fmt}"'},
    )


@bp.post("/<int:grant_id>/publishing")
@require(permissions.can_manage_grants)
def publishing(grant_id: int):
    """Name the grant in open data, or stop naming it, with the reason."""
    grant = db.get_or_404(Grant, grant_id)
    form = PublishingForm()
    if not form.validate():
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        abort(400, description=errors)
    services.set_publishing(grant, form.published.data, form.reason.data or "", current_user)
    commit()
    flash(
        _("The grant is named in open data.")
        if grant.published
        else _("The grant is no longer named in open data."),
        "success",
    )
    return redirect(url_for("grants.detail", grant_id=grant.id, _anchor="open-data"))
