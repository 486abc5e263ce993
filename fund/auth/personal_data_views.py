"""A person's own data: what the fund holds about them, downloaded as one ZIP; and erasing it."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from fund import audit, clock, storage
from fund.auth import erasure, personal_data, two_factor
from fund.auth.forms import EraseAccountForm
from fund.extensions import limiter
from fund.outbox import commit

bp = Blueprint("my_data", __name__, url_prefix="/account/data")


@bp.get("/")
@login_required
def index():
    """What the download holds, and the button; erasing the account."""
    return _page()


def _page(form=None, status: int = 200):
    return render_template(
        "auth/personal_data.html",
        files=len(personal_data.uploads(current_user)),
        erase_form=form or EraseAccountForm(formdata=None),
        pending=erasure.pending_request(current_user),
        enrolled=two_factor.enrolled(current_user),
    ), status


@bp.post("/erase")
@login_required
@limiter.limit("5 per hour")
def erase():
    """Erase the account at once, or, with organisation history, ask the secretariat."""
    form = EraseAccountForm()
    if not form.validate():
        return _page(form, 400)
    user, now = current_user._get_current_object(), clock.now()
    if not user.check_password(form.password.data):
        form.password.errors.append(_("The password is not correct."))
        return _page(form, 400)
    if two_factor.enrolled(user) and not two_factor.confirm_code(user, form.code.data or "", now):
        commit()  # the refused code's audit row
        form.code.errors.append(_("That code is not right, or it was used already."))
        return _page(form, 400)
    if erasure.history(user):
        erasure.ask(user, now)
        commit()
        flash(
            _(
                "Your request is with the secretariat: you took part in proposals, reviews or "
                "grants, some of which the fund may have to keep. It will reply by e-mail."
            ),
            "success",
        )
        return redirect(url_for("my_data.index"))
    files = erasure.anonymise(user, user, now)
    commit()
    storage.delete_after_commit(files)
    logout_user()
    flash(_("Your account is erased. Thank you for having used the fund's application."), "success")
    return redirect(url_for("main.index"))


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
