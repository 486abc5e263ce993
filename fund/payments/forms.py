"""Payment forms: shape only (an IBAN's checksum and a BIC's format are shape)."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from fund.countries import country_choices
from fund.forms import DateWithin, FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l
from fund.payments import banking


def strip(value):
    return value.strip() if isinstance(value, str) else value


class BankDetailsForm(FlaskForm):
    account_holder = StringField(
        _l("Account holder"),
        filters=[strip],
        validators=[DataRequired(), Length(max=200), NoControlCharacters()],
        description=_l("The name the account is held in, as the bank writes it."),
    )
    bank_name = StringField(
        _l("Bank name"),
        filters=[strip],
        validators=[DataRequired(), Length(max=200), NoControlCharacters()],
    )
    account_number = StringField(
        _l("IBAN or account number"),
        filters=[strip],
        validators=[DataRequired(), Length(max=50), NoControlCharacters()],
        description=_l("An IBAN (e.g. GB82 WEST 1234 5698 7654 32) or the local account number."),
    )
    swift_bic = StringField(
        _l("SWIFT/BIC (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=15), NoControlCharacters()],
        description=_l("8 or 11 letters and digits, e.g. DEUTDEFF or DEUTDEFF500."),
    )
    bank_country = SelectField(_l("Country of the bank"), validators=[DataRequired()])
    submit = SubmitField(_l("Save bank details"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bank_country.choices = [("", _l("Choose a country"))] + country_choices()

    def validate_account_number(self, field) -> None:
        if banking.looks_like_iban(field.data):
            if not banking.iban_is_valid(field.data):
                raise ValidationError(
                    _l("This IBAN is not valid: check each character (its checksum fails).")
                )
        elif not banking.account_number_is_valid(field.data):
            raise ValidationError(
                _l("Give an IBAN or an account number of 4 to 34 letters, digits or hyphens.")
            )

    def validate_swift_bic(self, field) -> None:
        if field.data and not banking.bic_is_valid(field.data):
            raise ValidationError(
                _l("A SWIFT/BIC has 8 or 11 letters and digits, its 5th and 6th a country code.")
            )


class DecideForm(FlaskForm):
    """Approve or reject one payment, or approve bank details: the CSRF token, a reason."""

    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[Optional(), Length(max=2000), NoControlCharacters()],
        description=_l("Needed to reject: recorded, and seen by the person who recorded it."),
    )


class ExportForm(FlaskForm):
    """The date range of the bank file (by payment date); both ends included."""

    class Meta:
        csrf = False  # a GET download that changes nothing but the audit log

    start = DateField(
        _l("Paid from"),
        validators=[Optional(), DateWithin(past_years=20, future_years=1)],
    )
    end = DateField(
        _l("Paid until"),
        validators=[Optional(), DateWithin(past_years=20, future_years=1)],
    )

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the range comes before its start."))
