"""Account pages. Views load, check, validate, call one service, commit once, then redirect."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from fund import tasks
from fund.auth import services, sessions, two_factor, two_factor_views
from fund.auth.forms import (
    ChangePasswordForm,
    ConfirmLinkForm,
    EndOtherSessionsForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from fund.extensions import db, limiter
from fund.i18n import browser_timezone
from fund.models import LinkPurpose, LoginSession, Role
from fund.outbox import commit
from fund.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def _register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


def _per_address_limit() -> str:
    return current_app.config["RATELIMIT_PER_EMAIL"]


def _posted_email() -> str:
    """The rate-limit key for limits per e-mail address: the address the form was sent with."""
    return "email:" + services.normalise_email(request.form.get("email", ""))[:254]


def _sign_in(user, remember: bool = False) -> None:
    """Start a server-side session for `user` on this browser (the view commits it)."""
    sessions.start(
        user,
        remember=remember,
        ip_address=request.remote_addr or "",
        user_agent=request.user_agent.string,
    )
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit(_per_address_limit, methods=["POST"], key_func=_posted_email)
def register():
    """Create an applicant account; a verification link goes to the address given.

    The answer is the same whether or not the address already has an account (its owner is
    e-mailed instead), so the page cannot be used to find out who has one.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = (
            request.accept_languages.best_match(list(current_app.config["LANGUAGES"])) or "en"
        )
    if form.validate_on_submit():
        try:
            services.register(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                locale=form.locale.data,
                timezone=browser_timezone(),
            )
            commit()
        except IntegrityError:  # a parallel request registered the same address first
            db.session.rollback()
        flash(
            _(
                "Thank you. We sent a message to %(email)s: open the link in it to confirm "
                "your address, then log in with the password you chose.",
                email=services.normalise_email(form.email.data),
            ),
            "success",
        )
        return redirect(url_for("auth.login", next=safe_next(request.args.get("next"), "") or None))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            commit()  # the count of wrong passwords for the account, if there is one
            form.password.errors.append(_("The e-mail address or the password is not correct."))
        elif not user.active:
            services.refuse_login(user, "account deactivated")
            commit()
            form.email.errors.append(
                _("This account has been deactivated. Contact the fund's secretariat.")
            )
        elif two_factor.has_second_factor(user):
            next_url = safe_next(request.args.get("next"), url_for("main.dashboard"))
            two_factor_views.start_pending(user, form.remember.data, next_url)
            commit()  # the count of wrong passwords starts again
            return redirect(url_for("two_factor.code"))
        else:
            _sign_in(user, remember=form.remember.data)
            commit()
            flash(_("You are logged in."), "success")
            if two_factor.must_enrol(user):
                flash(_("Your role needs two-factor sign-in: set it up to go on."), "info")
                return redirect(url_for("two_factor.setup"))
            if Role.REVIEWER in user.roles and not two_factor.has_second_factor(user):
                # reviewers read confidential proposals: invited, not held
                flash(
                    _(
                        "You read confidential proposals: protect your account with "
                        "two-factor sign-in (Profile, then Set up two-factor sign-in)."
                    ),
                    "info",
                )
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    """End the session on the server and in the browser, remember-me cookie included (a POST,
    so a link or a prefetch cannot log anyone out)."""
    if current_user.is_authenticated:
        sessions.end(current_user)
        commit()
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
@limiter.limit(_per_address_limit, methods=["POST"], key_func=_posted_email)
def forgot_password():
    """Ask for a reset link; the answer, and the time it takes, are the same whether or not the
    address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # After the response, so it takes the same time whether or not the account exists.
        tasks.run_in_background(_send_reset_link, form.email.data)
        flash(
            _(
                "If an account uses %(email)s, a link to choose a new password is on its way.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def _send_reset_link(email: str) -> None:
    """The work of a reset request, in the background: the link (if the account exists), the
    commit, and the e-mail."""
    services.request_password_reset(email)
    commit()


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
        _sign_in(user)
        commit()
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
        "auth/profile.html",
        form=form,
        resend_form=ResendVerificationForm(),
        sessions_form=EndOtherSessionsForm(),
        login_sessions=sessions.active(current_user),
        current_key_hash=LoginSession.hash(current_user.session_key or ""),
    ), 400 if form.errors else 200


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    """Log out of every other browser and device (a lost phone, a shared computer)."""
    if EndOtherSessionsForm().validate_on_submit():
        ended = services.end_other_sessions(current_user)
        commit()
        flash(
            ngettext(
                "You are logged out of %(num)d other session.",
                "You are logged out of %(num)d other sessions.",
                ended,
            ),
            "success",
        )
    return redirect(url_for("auth.profile"))


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
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.errorhandler(services.AccountError)
def account_error(error: services.AccountError):
    """A link used up or expired between showing the page and pressing its button."""
    return render_template("auth/link_invalid.html", reason=str(error)), 400
