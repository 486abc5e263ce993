"""Account forms: shape only; the rules live in fund/auth/services.py."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from fund.forms import FlaskForm, language_choices, password_length
from fund.i18n import lazy_gettext as _l
from fund.i18n import timezone_choices


def strip_spaces(value):
    """Drop the spaces a phone keyboard or a paste leaves around an address."""
    return value.strip() if isinstance(value, str) else value


def single_line(form, field) -> None:
    """A name or an address is one line: unlike long texts, no line breaks or tabs either."""
    if field.data and any(ord(ch) < 32 for ch in field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120), single_line])
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[strip_spaces],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), password_length()],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    locale = SelectField(_l("Preferred language"), validators=[DataRequired()])
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        # No Email() here (a typo gets the usual answer), but control characters never reach
        # the database: PostgreSQL refuses NUL in a query.
        validators=[DataRequired(), Length(max=254), single_line],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class ConfirmLinkForm(FlaskForm):
    """A button that uses a link from an e-mail (opening the link alone does nothing)."""

    submit = SubmitField(_l("Confirm my e-mail address"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[strip_spaces],
        render_kw={"autocomplete": "username"},
    )
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120), single_line])
    locale = SelectField(_l("Preferred language"), validators=[DataRequired()])
    timezone = SelectField(
        _l("Time zone"),
        validators=[DataRequired()],
        description=_l("Deadlines are shown in this time zone."),
    )
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()
        self.timezone.choices = timezone_choices()


class ResendVerificationForm(FlaskForm):
    submit = SubmitField(_l("Send the link again"))


class EndOtherSessionsForm(FlaskForm):
    """One button: end every sign-in of the account but this one."""

    submit = SubmitField(_l("Log out of all other sessions"))


def _code_field(label, description=None) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(_l("Type the code.")), Length(max=40)],
        description=description,
        filters=[strip_spaces],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class SignInCodeForm(FlaskForm):
    """The second step of signing in."""

    code = _code_field(
        _l("Code"),
        _l(
            "The 6 digits your authenticator app shows now, or one of your recovery codes "
            "(16 letters and digits)."
        ),
    )
    submit = SubmitField(_l("Log in"))


class EnableTwoFactorForm(FlaskForm):
    code = _code_field(_l("Code from the app"), _l("The 6 digits the app shows now."))
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = _code_field(_l("Code from the app, or a recovery code"))
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class RemovePasskeyForm(FlaskForm):
    """Remove a passkey: the password, and a code from the app or (filled in by passkeys.js)
    the answer of another passkey. The view sets the passkey choices."""

    passkey = SelectField(_l("Passkey to remove"), coerce=int, validate_choice=True)
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from the app, or a recovery code"),
        validators=[Length(max=40)],
        filters=[strip_spaces],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )
    assertion = HiddenField(validators=[Length(max=20000)])
    submit = SubmitField(_l("Remove the passkey"))


class NewRecoveryCodesForm(FlaskForm):
    code = _code_field(_l("Code from the app, or a recovery code"))
    submit = SubmitField(_l("Make new recovery codes"))


class EraseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from your app, or a recovery code"),
        validators=[Length(max=40)],
        filters=[strip_spaces],
        description=_l("Only if you use two-factor sign-in."),
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Erase my account"))


class KeepDataForm(FlaskForm):
    explanation = TextAreaField(
        _l("What must be kept, and why (sent to the person)"),
        validators=[DataRequired(), Length(max=5000)],
        filters=[strip_spaces],
    )
    submit = SubmitField(_l("Keep the data and explain"))
