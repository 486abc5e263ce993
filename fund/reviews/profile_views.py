"""The reviewer profile: kept by the reviewer, read by the secretariat."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund.access import require
from fund.extensions import db
from fund.models import Role, User
from fund.outbox import commit
from fund.permissions import can_edit_reviewer_profile, can_view_reviewer_profiles
from fund.reviews import profiles
from fund.reviews.matching_forms import ReviewerProfileForm, parse_absences
from fund.reviews.services import ReviewError
from fund.strategies import strategy_label

bp = Blueprint("reviewer_profile", __name__)


def _form_from(profile) -> ReviewerProfileForm:
    if profile is None:
        return ReviewerProfileForm(formdata=None, languages=[current_user.locale or "en"])
    return ReviewerProfileForm(
        formdata=None,
        languages=profile.languages,
        strategies=profile.strategies,
        regions=profile.regions,
        countries=profile.countries,
        max_per_call=profile.max_per_call,
        unavailable="\n".join(f"{a} {b}" for a, b in profile.unavailable),
    )


@bp.get("/reviews/profile")
@require(can_edit_reviewer_profile)
def edit():
    """The reviewer's own profile, as a form."""
    return render_template(
        "pool/profile_form.html", form=_form_from(profiles.profile_of(current_user))
    )


@bp.post("/reviews/profile")
@require(can_edit_reviewer_profile)
def save():
    form = ReviewerProfileForm()
    if not form.validate_on_submit():
        return render_template("pool/profile_form.html", form=form), 400
    data = profiles.ProfileData(
        languages=form.languages.data,
        strategies=form.strategies.data or [],
        countries=form.countries.data or [],
        regions=form.regions.data or [],
        max_per_call=form.max_per_call.data,
        unavailable=parse_absences(form.unavailable.data),
    )
    try:
        profiles.save_profile(current_user, data, current_user)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template("pool/profile_form.html", form=form), error.status
    commit()
    flash(_("Your reviewer profile is saved."), "success")
    return redirect(url_for("reviewer_profile.edit"))


@bp.get("/screening/reviewers/<int:user_id>")
@require(can_view_reviewer_profiles)
def show(user_id: int):
    """A reviewer's profile as the secretariat reads it."""
    user = db.get_or_404(User, user_id)
    if Role.REVIEWER not in user.roles:
        abort(404)
    profile = profiles.profile_of(user)
    return render_template(
        "pool/profile.html",
        person=user,
        profile=profile,
        reads=sorted(profiles.languages_read(user, profile)),
        strategy_label=strategy_label,
        periods=profiles.unavailable_periods(profile),
    )
