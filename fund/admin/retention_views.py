"""The retention schedule for the secretariat: the rules, the last run, and what the next run
would remove (a dry run, computed on the page)."""

from __future__ import annotations

from flask import Blueprint, render_template

from fund import clock, permissions
from fund.access import require
from fund.admin import retention

bp = Blueprint("retention", __name__, url_prefix="/admin/retention")


@bp.get("/")
@require(permissions.can_manage_users)
def index():
    due = retention.apply(clock.now(), dry_run=True)
    return render_template(
        "admin/retention.html",
        rules=retention.schedule(),
        due=due.counts,
        last=retention.last_run(),
    )
