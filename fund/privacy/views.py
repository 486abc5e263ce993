"""Reading and accepting the privacy notice and the reviewers' undertaking; publishing them.

A privacy notice published after someone last accepted one holds them at the accept page, as
two-factor enrolment does: every other page sends them there until they accept (or log out).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions, policies
from fund.access import require
from fund.models import PolicyKind
from fund.outbox import commit
from fund.privacy.forms import AcceptForm, PublishForm
from fund.security import safe_next

bp = Blueprint("policies", __name__)

KINDS = {"privacy": PolicyKind.PRIVACY, "reviewer-undertaking": PolicyKind.REVIEWER_UNDERTAKING}
# What someone asked to accept a new privacy notice may still open.
OPEN_WHILE_ASKED = frozenset(
    {
        "policies.privacy",
        "policies.accept",
        "auth.logout",
        "main.set_language",
        "main.healthz",
        "two_factor.setup",
        "two_factor.code",
    }
)


def _kind(slug: str) -> PolicyKind:
    if slug not in KINDS:
        abort(404)
    return KINDS[slug]


@bp.before_app_request
def new_privacy_notice_first():
    """Send a signed-in user to accept a privacy notice published since they last accepted."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_WHILE_ASKED or endpoint.endswith("static"):
        return None
    if current_user.is_authenticated and policies.must_accept_privacy(current_user):
        return redirect(url_for("policies.accept", slug="privacy", next=request.full_path), 303)
    return None


def _language() -> str:
    return str(get_locale())


@bp.get("/privacy")
def privacy():
    """The privacy notice in force, for anyone."""
    return render_template(
        "policies/show.html", policy=policies.text_for(PolicyKind.PRIVACY, _language())
    )


@bp.route("/policies/<slug>/accept", methods=["GET", "POST"])
@login_required
def accept(slug: str):
    """Read the version in force and accept it; then on to where the person was going."""
    kind = _kind(slug)
    policy = policies.text_for(kind, _language())
    form = AcceptForm()
    next_url = safe_next(request.args.get("next"), url_for("main.dashboard"))
    if form.validate_on_submit():
        if form.number.data != str(policy.number):
            flash(_("A newer version was published while you were reading: read it now."), "info")
            fresh = AcceptForm(formdata=None, number=policy.number)
            return render_template("policies/accept.html", policy=policy, form=fresh), 409
        policies.accept(current_user, kind, policy.number, clock.now())
        commit()
        flash(_("Thank you: your acceptance is recorded."), "success")
        return redirect(next_url)
    if request.method == "GET" and policies.has_accepted(current_user, kind):
        return redirect(next_url)
    form.number.data = policy.number
    return render_template("policies/accept.html", policy=policy, form=form), (
        400 if form.errors else 200
    )


@bp.route("/admin/policies/<slug>", methods=["GET", "POST"])
@require(permissions.can_manage_users)
def edit(slug: str):
    """The secretariat writes the next version, per language, and publishes it."""
    kind = _kind(slug)
    latest = policies.latest(kind)
    form = PublishForm.for_languages()
    if request.method == "GET" and latest is not None:
        for code, text in latest.texts.items():
            if f"text_{code}" in form:
                form[f"text_{code}"].data = text
    if form.validate_on_submit():
        texts = {
            name.removeprefix("text_"): field.data or ""
            for name, field in form._fields.items()
            if name.startswith("text_")
        }
        version = policies.publish(kind, texts, current_user, clock.now())
        commit()
        flash(_("Version %(number)d is published.", number=version.number), "success")
        return redirect(url_for("policies.edit", slug=slug))
    return render_template(
        "policies/edit.html",
        form=form,
        slug=slug,
        kind=kind,
        current=policies.text_for(kind, "en"),
    ), 400 if form.errors else 200
