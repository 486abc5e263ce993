"""The lists behind the secretariat's overview that no other page shows (reviews overdue or due
this week, tranches due for payment), and "Remind now" on a late review. The overview itself is
the admin's part of the dashboard (fund/main/dashboard.py)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fund import clock, permissions
from fund.access import require
from fund.admin import late_reviews as late
from fund.admin import overview
from fund.admin.views import bp
from fund.extensions import db
from fund.models import Review, User
from fund.numbers import parse_id
from fund.outbox import commit
from fund.per_value import PerValue
from fund.reviews.forms import EmptyForm
from fund.reviews.reminders import remind_now
from fund.reviews.services import ReviewError


def _page() -> int:
    page = parse_id(request.args.get("page", "1"))
    if page is None:
        abort(400, description=_("The page number must be a whole number from 1."))
    return page


def _review_filters() -> tuple[str, int | None]:
    """`when` (overdue or week) and the reviewer's id, or a 400 that says what is wrong."""
    when = request.args.get("when", "overdue")
    if when not in late.REVIEW_WHEN:
        abort(400, description=_("Choose reviews that are overdue or due this week."))
    reviewer = request.args.get("reviewer", "")
    reviewer_id = parse_id(reviewer) if reviewer else None
    if reviewer and reviewer_id is None:
        abort(400, description=_("The reviewer must be given by their number."))
    return when, reviewer_id


@bp.get("/overview/reviews")
@require(permissions.can_see_overview)
def late_reviews():
    """Reviews overdue or due this week, for one reviewer or all, each with "Remind now"."""
    when, reviewer_id = _review_filters()
    reviewer = db.get_or_404(User, reviewer_id) if reviewer_id is not None else None
    today = clock.now().date()
    return render_template(
        "admin/late_reviews.html",
        when=when,
        reviewer=reviewer,
        today=today,
        week_end=today + timedelta(days=late.WEEK_DAYS),
        page=late.review_rows(when, today, reviewer_id, _page()),
        remind_form=EmptyForm(),
        # translated once per distinct number of days, not once per row
        days_late=PerValue(lambda days: ngettext("%(num)d day late", "%(num)d days late", days)),
    )


@bp.post("/overview/reviews/<int:review_id>/remind")
@require(permissions.can_remind_reviewers)
def remind(review_id: int):
    """Send the reviewer a reminder now, at most once a day, then back to the list."""
    review = db.get_or_404(Review, review_id)
    when, reviewer_id = _review_filters()
    if not EmptyForm().validate_on_submit():
        abort(400, description=_("The form had expired. Reload the page and try again."))
    try:
        sent = remind_now(review, current_user, clock.now())
    except ReviewError as error:
        abort(error.status, description=error.message)
    commit()
    if sent:
        flash(_("Reminder sent to %(name)s.", name=review.reviewer.name), "success")
    else:
        flash(
            _(
                "%(name)s was already reminded today; no second reminder was sent.",
                name=review.reviewer.name,
            ),
            "warning",
        )
    back = {"when": when, "reviewer": reviewer_id} if reviewer_id else {"when": when}
    return redirect(url_for("admin.late_reviews", **back) + f"#review-{review.id}")


@bp.get("/overview/payments")
@require(permissions.can_see_overview)
def payments_due():
    """Tranches whose condition is met and whose date has come, not yet paid."""
    return render_template(
        "admin/payments_due.html",
        page=overview.tranche_rows(clock.now().date(), _page()),
    )
