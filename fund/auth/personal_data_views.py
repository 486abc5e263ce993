"""A person's own data: what the fund holds about them, downloaded as one ZIP."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, stream_with_context
from flask_login import current_user, login_required

from fund import audit, clock
from fund.auth import personal_data
from fund.extensions import limiter
from fund.outbox import commit

bp = Blueprint("my_data", __name__, url_prefix="/account/data")


@bp.get("/")
@login_required
def index():
    """What the download holds, and the button."""
    return render_template(
        "auth/personal_data.html", files=len(personal_data.uploads(current_user))
    )


@bp.post("/download")
@login_required
@limiter.limit("10 per hour")
def download():
    """The ZIP, written while it is sent; the download is in the audit log."""
    now = clock.now()
    data = personal_data.collect(current_user, now)
    files = personal_data.file_entries(personal_data.uploads(current_user))
    audit.record("user", current_user.id, "personal_data_export", actor=current_user)
    commit()
    name = f"inspire-fund-my-data-{now:%Y-%m-%d}.zip"
    response = Response(
        stream_with_context(personal_data.zip_stream(data, files)), mimetype="application/zip"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
