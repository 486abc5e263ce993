"""Organisation forms: shape only."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from fund import income_groups
from fund.forms import DateWithin, FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l
from fund.organisation_labels import BUDGET_LABELS, TYPE_LABELS
from fund.storage import allowed_extensions_text


def strip(value):
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(), Length(max=200), NoControlCharacters()],
    )
    country_code = SelectField(
        _l("Country where it is registered"),
        validators=[DataRequired()],
        description=_l(
            "Each country shows its World Bank income group, which decides which calls it can "
            "apply to."
        ),
    )
    org_type = SelectField(_l("Type of organisation"), validators=[DataRequired()])
    registration_scheme = StringField(
        _l("Registration scheme (optional)"),
        validators=[Optional(), Length(max=40), NoControlCharacters()],
        description=_l("The register your organisation is on, e.g. KE-NGO for Kenya's NGO board."),
    )
    registration_number = StringField(
        _l("Registration number (optional)"),
        validators=[Optional(), Length(max=80), NoControlCharacters()],
    )
    website = StringField(
        _l("Website (optional)"),
        validators=[
            Optional(),
            Length(max=300),
            NoControlCharacters(),
            URL(message=_l("Give a full address, starting with https://")),
        ],
    )
    budget_band = SelectField(_l("Annual budget"), validators=[DataRequired()])
    safeguarding_policy = FileField(
        _l("Child-safeguarding policy (optional now, needed to apply)"),
        description=_l("One file: %(types)s.", types=allowed_extensions_text()),
    )
    safeguarding_review_date = DateField(
        _l("Date the policy was last reviewed"),
        validators=[Optional(), DateWithin(past_years=30, future_years=1)],
    )
    safeguarding_focal_point = StringField(
        _l("Safeguarding focal point (name and role)"),
        validators=[Optional(), Length(max=200), NoControlCharacters()],
    )
    submit = SubmitField(_l("Save organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [
            ("", _l("Choose a country"))
        ] + income_groups.country_choices_with_groups()
        self.org_type.choices = [(t.value, label) for t, label in TYPE_LABELS.items()]
        self.budget_band.choices = [(b.value, label) for b, label in BUDGET_LABELS.items()]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's e-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[strip],  # addresses pasted from mail programs come with spaces
    )
    submit = SubmitField(_l("Send invitation"))


class AcceptInvitationForm(FlaskForm):
    submit = SubmitField(_l("Join the organisation"))
