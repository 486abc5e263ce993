"""Account pages. Views load, check, validate, call one service, commit once, then redirect."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from fund.auth import services
from fund.auth.forms import (
    ChangePasswordForm,
    ConfirmLinkForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from fund.extensions import limiter
from fund.i18n import browser_timezone
from fund.models import LinkPurpose
from fund.outbox import commit
from fund.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an applicant account; a verification link goes to the address given."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = (
            request.accept_languages.best_match(list(current_app.config["LANGUAGES"])) or "en"
        )
    if form.validate_on_submit():
        try:
            user = services.register(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                locale=form.locale.data,
                timezone=browser_timezone(),
            )
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            commit()
            login_user(user)
            flash(
                _(
                    "Welcome! We sent a link to %(email)s: open it to confirm your address.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail address or the password is not correct."))
        elif not user.active:
            form.email.errors.append(
                _("This account has been deactivated. Contact the fund's secretariat.")
            )
        else:
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    """End the session (a POST, so a link or a prefetch cannot log anyone out)."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """GET shows a button; only the POST uses the link (mail scanners only GET)."""
    form = ConfirmLinkForm()
    try:
        services.find_link(LinkPurpose.VERIFY_EMAIL, token)
    except services.AccountError as error:
        return render_template("auth/link_invalid.html", reason=str(error)), 410
    if form.validate_on_submit():
        services.verify_email(token)
        commit()
        flash(_("Thank you: your e-mail address is confirmed."), "success")
        # The link may be opened on a device where the person is not signed in.
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for("main.dashboard"))
    return render_template("auth/verify.html", form=form)


@bp.post("/verify/resend")
@login_required
def resend_verification():
    """Send a new verification link to the signed-in user."""
    if ResendVerificationForm().validate_on_submit() and not current_user.email_verified:
        services.send_verification(current_user)
        commit()
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        commit()
        flash(
            _(
                "If an account uses %(email)s, a link to choose a new password is on its way.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password with a link from an e-mail; only the POST uses the link."""
    try:
        services.find_link(LinkPurpose.RESET_PASSWORD, token)
    except services.AccountError as error:
        return render_template("auth/link_invalid.html", reason=str(error)), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        commit()
        login_user(user)
        flash(_("Your password is changed and you are logged in."), "success")
        return redirect(url_for("main.dashboard"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name, language and time zone."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            name=form.name.data,
            locale=form.locale.data,
            timezone=form.timezone.data,
        )
        commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template(
        "auth/profile.html", form=form, resend_form=ResendVerificationForm()
    ), 400 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            commit()
            login_user(current_user._get_current_object())  # keep this session, end the others
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.errorhandler(services.AccountError)
def account_error(error: services.AccountError):
    """A link used up or expired between showing the page and pressing its button."""
    return render_template("auth/link_invalid.html", reason=str(error)), 400
