"""Organisation pages: register, edit, members and invitations, the safeguarding policy file."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import income_groups, permissions, storage
from fund.auth.services import AccountError
from fund.extensions import db
from fund.models import Organisation
from fund.once import once_per_form
from fund.organisations import queries, services
from fund.organisations.forms import AcceptInvitationForm, InviteForm, OrganisationForm
from fund.outbox import commit

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def get_organisation_or_404(organisation_id: int, check=permissions.can_view_organisation):
    """The organisation, if it exists and `check` lets the current user see it (else 404)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not check(current_user, organisation):
        abort(404)
    return organisation


def _details(form: OrganisationForm) -> dict:
    return {name: form[name].data for name in services.DETAIL_FIELDS}


def _policy_not_stored(organisation: Organisation) -> str:
    return _(
        "The details of %(name)s are saved, but the policy file could not be stored on our "
        "side. Nothing is wrong with your file: add it again in a few minutes. If this keeps "
        "happening, tell the fund's secretariat.",
        name=organisation.name,
    )


@bp.get("/")
@login_required
def mine():
    """The organisations the user belongs to."""
    return render_template("organisations/mine.html", **queries.mine(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@once_per_form("organisations.mine")
def create():
    """Register an organisation; its creator becomes its first member."""
    if not permissions.can_create_organisation(current_user):
        abort(403)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(
                current_user, _details(form), form.safeguarding_policy.data or None
            )
        except storage.UploadError as error:
            db.session.rollback()
            form.safeguarding_policy.errors = [str(error)]
        except services.PolicyNotStored as not_stored:
            commit()  # the organisation is registered; only the file has to be sent again
            flash(_policy_not_stored(not_stored.organisation), "warning")
            return redirect(
                url_for("organisations.edit", organisation_id=not_stored.organisation.id)
            )
        else:
            commit()
            flash(_("%(name)s is registered.", name=organisation.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None), (
        400 if form.errors else 200
    )


@bp.get("/<int:organisation_id>")
@login_required
def detail(organisation_id: int):
    """The organisation's details, income group, members and invitations."""
    organisation = get_organisation_or_404(organisation_id)
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        income=income_groups.income_group_for(organisation.country_code),
        members=queries.members(organisation),
        invite_form=InviteForm(),
    )


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    """Change the organisation's details (members only)."""
    organisation = get_organisation_or_404(organisation_id, permissions.can_edit_organisation)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.update_organisation(
                organisation, current_user, _details(form), form.safeguarding_policy.data or None
            )
        except storage.UploadError as error:
            db.session.rollback()
            form.safeguarding_policy.errors = [str(error)]
        except services.PolicyNotStored:
            commit()  # the details are saved; only the file has to be sent again
            flash(_policy_not_stored(organisation), "warning")
            return redirect(url_for("organisations.edit", organisation_id=organisation.id))
        else:
            commit()
            flash(_("The organisation's details are saved."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation), (
        400 if form.errors else 200
    )


@bp.post("/<int:organisation_id>/invitations")
@login_required
def invite(organisation_id: int):
    """E-mail a colleague a one-time link to join."""
    organisation = get_organisation_or_404(organisation_id, permissions.can_edit_organisation)
    if not permissions.can_invite_members(current_user, organisation):
        abort(403, description=_("Confirm your own e-mail address before inviting colleagues."))
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400, description="; ".join(e for errors in form.errors.values() for e in errors))
    try:
        services.invite(organisation, form.email.data, current_user)
    except services.OrganisationError as error:
        abort(400, description=str(error))
    commit()
    flash(_("An invitation is on its way to %(email)s.", email=form.email.data), "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/join/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """GET shows the invitation and a button; only the POST uses the link."""
    try:
        link = services.invitation(token)
    except AccountError as error:
        return render_template("auth/link_invalid.html", reason=str(error)), 410
    form = AcceptInvitationForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            organisation = services.accept_invitation(token, current_user)
        except (services.OrganisationError, AccountError) as error:
            abort(400, description=str(error))
        commit()
        flash(_("You are now a member of %(name)s.", name=organisation.name), "success")
        return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/join.html", link=link, form=form, next=request.path)


@bp.get("/<int:organisation_id>/safeguarding-policy")
@login_required
def policy_file(organisation_id: int):
    """The safeguarding policy, as a download, for members and the secretariat."""
    organisation = get_organisation_or_404(organisation_id)
    stored = organisation.safeguarding_policy_file
    if stored is None or not permissions.can_download_file(current_user, stored):
        abort(404)
    return storage.send(stored)
