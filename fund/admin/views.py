"""The secretariat's pages: users and their roles, and the World Bank income groups."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import income_groups, permissions, storage
from fund.access import require
from fund.admin import queries
from fund.admin.forms import (
    ActivationForm,
    IncomeListUploadForm,
    OverrideForm,
    RemoveOverrideForm,
    RolesForm,
    UserFilterForm,
)
from fund.admin.user_rows import user_rows
from fund.auth import services as accounts
from fund.auth import two_factor
from fund.extensions import db
from fund.models import IncomeGroup, IncomeGroupOverride, Role, User
from fund.outbox import commit
from fund.templating import INCOME_GROUP_LABELS, ROLE_LABELS

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_LIST_BYTES = 5 * 1024 * 1024


def _form_errors(form) -> str:
    return "; ".join(
        f"{form[name].label.text}: {e}" for name, errors in form.errors.items() for e in errors
    )


@bp.get("/users")
@require(permissions.can_manage_users)
def users():
    """Every account, filterable by name, role and status."""
    form = UserFilterForm(request.args, role_labels=ROLE_LABELS)
    if not form.validate():
        abort(400, description=_form_errors(form))
    pagination = queries.users_page(
        q=form.q.data or "",
        role=form.role.data or "",
        status=form.status.data or "",
        page=form.page.data or 1,
    )
    # each role's name translated once, not once per row that shows it
    role_names = {role: str(label) for role, label in ROLE_LABELS.items()}
    return render_template(
        "admin/users.html",
        form=form,
        pagination=pagination,
        rows=user_rows(pagination.items, role_names),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(permissions.can_manage_users)
def user(user_id: int):
    """One account: its roles, and activation."""
    account = db.get_or_404(User, user_id)
    form = RolesForm(role_labels=ROLE_LABELS)
    if request.method == "GET":
        form.roles.data = [r.value for r in account.roles]
    if form.validate_on_submit():
        try:
            accounts.set_roles(account, {Role(r) for r in form.roles.data}, current_user)
        except accounts.AccountError as error:
            abort(400, description=str(error))
        commit()
        flash(_("Roles of %(name)s saved.", name=account.name), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return render_template(
        "admin/user.html",
        account=account,
        form=form,
        activation_form=ActivationForm(),
        second_factor=two_factor.has_second_factor(account),
    ), 400 if form.errors else 200


@bp.post("/users/<int:user_id>/<any(activate, deactivate):change>")
@require(permissions.can_manage_users)
def set_active(user_id: int, change: str):
    """Deactivate an account (its sessions end at once) or reactivate it."""
    account = db.get_or_404(User, user_id)
    if not ActivationForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_active(account, change == "activate", current_user)
    except accounts.AccountError as error:
        abort(400, description=str(error))
    commit()
    message = (
        _("%(name)s can log in again.")
        if change == "activate"
        else _("%(name)s is deactivated and logged out everywhere.")
    )
    flash(message % {"name": account.name}, "success")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.post("/users/<int:user_id>/two-factor/reset")
@require(permissions.can_manage_users)
def reset_two_factor(user_id: int):
    """Remove a user's second factor (a lost phone and lost recovery codes): the user is
    logged out everywhere and told by e-mail; the audit log keeps who did it."""
    account = db.get_or_404(User, user_id)
    if not ActivationForm().validate_on_submit():
        abort(400)
    if not two_factor.has_second_factor(account):
        abort(
            409, description=_("%(name)s has no two-factor sign-in to remove.", name=account.name)
        )
    two_factor.reset_by_admin(account, current_user)
    commit()
    flash(
        _(
            "Two-factor sign-in is removed from %(name)s's account; they were logged out and "
            "told by e-mail.",
            name=account.name,
        ),
        "success",
    )
    return redirect(url_for("admin.user", user_id=account.id))


@bp.get("/income-groups", endpoint="income_groups")
@require(permissions.can_manage_income_groups)
def income_groups_page():
    """The lists loaded, the overrides, and forms to load a list or override a country."""
    return _render_income_groups(
        IncomeListUploadForm(), OverrideForm(group_labels=INCOME_GROUP_LABELS)
    )


def _render_income_groups(upload_form, override_form, status: int = 200):
    fiscal_year = income_groups.current_fiscal_year()
    if not upload_form.fiscal_year.data:
        upload_form.fiscal_year.data = fiscal_year
    if not override_form.fiscal_year.data:
        override_form.fiscal_year.data = fiscal_year
    return render_template(
        "admin/income_groups.html",
        fiscal_year=fiscal_year,
        current=income_groups.current_list(),
        lists=queries.income_lists(),
        overrides=queries.overrides(),
        upload_form=upload_form,
        override_form=override_form,
        remove_form=RemoveOverrideForm(),
    ), status


@bp.post("/income-groups/lists")
@require(permissions.can_manage_income_groups)
def load_income_list():
    """Load a newer classification; it becomes current for its fiscal year."""
    form = IncomeListUploadForm()
    override_form = OverrideForm(formdata=None, group_labels=INCOME_GROUP_LABELS)
    if not form.validate_on_submit():
        return _render_income_groups(form, override_form, 400)
    data = form.file.data.read(MAX_LIST_BYTES + 1)
    if len(data) > MAX_LIST_BYTES:  # the CLASS list is about 20 KB; this is not one
        form.file.errors = [
            _(
                "The file is larger than %(size)s; a World Bank list is far smaller.",
                size=storage.size_text(MAX_LIST_BYTES),
            )
        ]
        return _render_income_groups(form, override_form, 400)
    try:
        text = data.decode("utf-8-sig")
        loaded = income_groups.load(
            text, source=form.source.data, fiscal_year=form.fiscal_year.data, loaded_by=current_user
        )
    except (income_groups.IncomeListError, UnicodeDecodeError) as error:
        db.session.rollback()
        message = (
            str(error)
            if isinstance(error, income_groups.IncomeListError)
            else _("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.")
        )
        form.file.errors = [message]
        return _render_income_groups(form, override_form, 400)
    commit()
    flash(
        _(
            "Loaded %(count)d countries for %(fy)s.",
            count=len(loaded.entries),
            fy=loaded.fiscal_year,
        ),
        "success",
    )
    return redirect(url_for("admin.income_groups"))


@bp.post("/income-groups/overrides")
@require(permissions.can_manage_income_groups)
def set_override():
    """Override one country's group for a fiscal year, with a reason."""
    form = OverrideForm(group_labels=INCOME_GROUP_LABELS)
    if not form.validate_on_submit():
        return _render_income_groups(IncomeListUploadForm(formdata=None), form, 400)
    income_groups.set_override(
        form.country_code.data,
        IncomeGroup(form.income_group.data),
        reason=form.reason.data,
        fiscal_year=form.fiscal_year.data,
        actor=current_user,
    )
    commit()
    flash(_("Override saved."), "success")
    return redirect(url_for("admin.income_groups"))


@bp.post("/income-groups/overrides/<int:override_id>/remove")
@require(permissions.can_manage_income_groups)
def remove_override(override_id: int):
    override = db.get_or_404(IncomeGroupOverride, override_id)
    if not RemoveOverrideForm().validate_on_submit():
        abort(400)
    income_groups.remove_override(override, current_user)
    commit()
    flash(_("Override removed."), "success")
    return redirect(url_for("admin.income_groups"))
