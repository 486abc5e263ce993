"""Two-factor sign-in pages: the code after the password, enrolment, recovery codes, turning
it off. Holders of the roles in TWO_FACTOR_REQUIRED_ROLES who have not enrolled are held at
enrolment: every other page sends them there until they finish."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user

from fund import clock
from fund.auth import passkeys, sessions, two_factor
from fund.auth.forms import (
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    NewRecoveryCodesForm,
    RemovePasskeyForm,
    SignInCodeForm,
)
from fund.extensions import db, limiter
from fund.models import User
from fund.outbox import commit
from fund.security import safe_next

bp = Blueprint("two_factor", __name__, url_prefix="/account")

PENDING = "two_factor_pending"  # the session key of a sign-in waiting for its code
PENDING_FOR = timedelta(minutes=5)
# What a user held at enrolment may still open.
OPEN_WHILE_HELD = frozenset(
    {
        "two_factor.setup",
        "passkeys.register_options",
        "passkeys.register",
        "auth.logout",
        "main.set_language",
        "main.healthz",
        "static",
    }
)


@bp.record_once
def _check_roles(state) -> None:
    """A role name the app does not know in TWO_FACTOR_REQUIRED_ROLES stops the start."""
    with state.app.app_context():
        two_factor.required_roles()


def code_limit() -> str:
    return current_app.config["RATELIMIT_TWO_FACTOR"]


def account_key() -> str:
    """Codes are counted per account: the one waiting for its code, or the one signed in."""
    pending = session.get(PENDING) or {}
    if pending.get("user"):
        return f"two-factor:{pending['user']}"
    if current_user.is_authenticated:
        return f"two-factor:{current_user.id}"
    return f"two-factor:{request.remote_addr}"


def start_pending(user: User, remember: bool, next_url: str) -> None:
    """The password was right: remember who is signing in until the code comes."""
    session[PENDING] = {
        "user": user.id,
        "remember": bool(remember),
        "next": next_url,
        "at": clock.now().timestamp(),
    }


def pending_sign_in() -> tuple[User | None, dict]:
    """The user whose password was right and who owes a second factor, and the sign-in's
    details (remember, next); (None, {}) when there is none or it has run out."""
    pending = session.get(PENDING) or {}
    started = pending.get("at")
    if not pending.get("user") or started is None:
        return None, {}
    if clock.now().timestamp() - float(started) > PENDING_FOR.total_seconds():
        session.pop(PENDING, None)
        return None, {}
    user = db.session.get(User, int(pending["user"]))
    if user is None or not user.active or not two_factor.has_second_factor(user):
        session.pop(PENDING, None)
        return None, {}
    return user, pending


@bp.before_app_request
def hold_until_enrolled():
    """Send a user who must use two-factor sign-in and has not set it up to the set-up page."""
    if request.endpoint is None or request.endpoint in OPEN_WHILE_HELD:
        return None
    if request.endpoint.endswith(".static"):
        return None
    if current_user.is_authenticated and two_factor.must_enrol(current_user):
        return redirect(url_for("two_factor.setup"), 303)
    return None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(code_limit, methods=["POST"], key_func=account_key)
def code():
    """The second step of signing in: a code from the app or a recovery code."""
    user, pending = pending_sign_in()
    if user is None:
        flash(_("Log in again: the time to type the code has run out."), "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        kind = two_factor.check(user, form.code.data, clock.now())
        if kind is None:
            commit()  # the refused code's audit row
            form.code.errors.append(_("That code is not right, or it was used already."))
        else:
            session.pop(PENDING, None)
            sessions.start(
                user,
                remember=pending["remember"],
                ip_address=request.remote_addr or "",
                user_agent=request.user_agent.string,
            )
            login_user(user, remember=pending["remember"])
            commit()
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(
                    ngettext(
                        "You used a recovery code: %(num)d is left. Make new ones on the "
                        "two-factor page if you no longer have the app.",
                        "You used a recovery code: %(num)d are left. Make new ones on the "
                        "two-factor page if you no longer have the app.",
                        left,
                    ),
                    "warning",
                )
            flash(_("You are logged in."), "success")
            return redirect(safe_next(pending.get("next"), url_for("main.dashboard")))
    return render_template(
        "auth/two_factor_code.html",
        form=form,
        codes=two_factor.enrolled(user),
        passkey=passkeys.has_passkey(user),
    ), 400 if form.errors else 200


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@limiter.limit(code_limit, methods=["POST"], key_func=account_key)
def setup():
    """Set up two-factor sign-in (a QR code and the secret as text), or, once it is on, make
    new recovery codes and turn it off."""
    user = current_user
    if two_factor.enrolled(user):
        return _manage_page()
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        codes = two_factor.enable(user, form.code.data, clock.now())
        if codes is not None:
            commit()
            # Shown once, on this answer: a redirect would have to keep them somewhere.
            return render_template("auth/two_factor_codes.html", codes=codes, first=True)
        form.code.errors.append(
            _("That code is not right. Check the phone's clock and type the code shown now.")
        )
    return _setup_page(form, 400 if form.errors else 200)


def security_page(remove_form: RemovePasskeyForm | None = None, status: int = 200):
    """The security page as it stands: setting up codes, or managing them; passkeys on both."""
    if two_factor.enrolled(current_user):
        return _manage_page(remove_form=remove_form, status=status)
    return _setup_page(EnableTwoFactorForm(formdata=None), status, remove_form)


def _passkey_context(remove_form: RemovePasskeyForm | None) -> dict:
    keys = passkeys.passkeys_of(current_user)
    if remove_form is None:
        remove_form = RemovePasskeyForm(prefix="passkey", formdata=None)
    remove_form.passkey.choices = [(key.id, key.name) for key in keys]
    return {"passkeys": keys, "remove_form": remove_form}


def _setup_page(form, status: int, remove_form: RemovePasskeyForm | None = None):
    user = current_user
    secret = two_factor.enrolment_secret(user)
    commit()  # the secret offered stays the same when the page is opened again
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=two_factor.grouped(secret),
        qr=two_factor.qr_svg(two_factor.provisioning_uri(user, secret)),
        held=two_factor.must_enrol(user),
        **_passkey_context(remove_form),
    ), status


def _manage_page(disable_form=None, codes_form=None, remove_form=None, status: int = 200):
    return render_template(
        "auth/two_factor_manage.html",
        disable_form=disable_form or DisableTwoFactorForm(prefix="off", formdata=None),
        codes_form=codes_form or NewRecoveryCodesForm(prefix="renew", formdata=None),
        left=two_factor.recovery_codes_left(current_user),
        required=two_factor.required(current_user),
        **_passkey_context(remove_form),
    ), status


@bp.post("/two-factor/recovery-codes")
@login_required
@limiter.limit(code_limit, key_func=account_key)
def new_recovery_codes():
    """Ten new recovery codes in place of the old ones, confirmed with a code."""
    if not two_factor.enrolled(current_user):
        return redirect(url_for("two_factor.setup"))
    form = NewRecoveryCodesForm(prefix="renew")
    if form.validate_on_submit():
        if two_factor.confirm_code(current_user, form.code.data, clock.now()):
            codes = two_factor.new_recovery_codes(current_user, clock.now())
            commit()
            return render_template("auth/two_factor_codes.html", codes=codes, first=False)
        commit()  # the refused code's audit row
        form.code.errors.append(_("That code is not right, or it was used already."))
    return _manage_page(codes_form=form, status=400)


@bp.post("/two-factor/off")
@login_required
@limiter.limit(code_limit, key_func=account_key)
def disable():
    """Turn two-factor sign-in off, with the password and a code."""
    if not two_factor.enrolled(current_user):
        return redirect(url_for("two_factor.setup"))
    form = DisableTwoFactorForm(prefix="off")
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("The password is not correct."))
        elif not two_factor.confirm_code(current_user, form.code.data, clock.now()):
            commit()  # the refused code's audit row
            form.code.errors.append(_("That code is not right, or it was used already."))
        else:
            two_factor.disable(current_user)
            commit()
            if two_factor.required(current_user):
                flash(
                    _("Two-factor sign-in is off. Your role needs it: set it up again now."),
                    "warning",
                )
            else:
                flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("two_factor.setup"))
    return _manage_page(disable_form=form, status=400)
