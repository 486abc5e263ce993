"""Secretariat forms: shape only."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from fund.countries import country_choices
from fund.forms import DateWithin, FlaskForm, NoControlCharacters, WholeNumberField
from fund.i18n import lazy_gettext as _l

FISCAL_YEAR = Regexp(
    r"^FY20\d\d$", message=_l("Write the fiscal year as FY followed by the year, e.g. FY2027.")
)


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        _l("Name or e-mail contains"),
        validators=[Optional(), Length(max=100), NoControlCharacters()],
    )
    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    # Not shown as a control; the pager's links carry it. Bounded so OFFSET cannot overflow.
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args, role_labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _l("Any role"))] + [
            (r.value, label) for r, label in role_labels.items()
        ]
        self.status.choices = [
            ("", _l("Any status")),
            ("active", _l("active")),
            ("inactive", _l("deactivated")),
        ]


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles"), option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False)
    )
    submit = SubmitField(_l("Save roles"))

    def __init__(self, *args, role_labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [(r.value, label) for r, label in role_labels.items()]


class ActivationForm(FlaskForm):
    submit = SubmitField(_l("Save"))


class IncomeListUploadForm(FlaskForm):
    file = FileField(
        _l("Classification file (CSV)"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l(
            "The World Bank's CLASS list saved as CSV (columns Code and Income group), or a file "
            "in the format the application ships."
        ),
    )
    fiscal_year = StringField(_l("Fiscal year"), validators=[DataRequired(), FISCAL_YEAR])
    source = StringField(
        _l("Where the list comes from"),
        validators=[DataRequired(), Length(max=200), NoControlCharacters()],
        description=_l("e.g. World Bank CLASS.xlsx of 1 July 2027"),
    )
    submit = SubmitField(_l("Load list"))


class OverrideForm(FlaskForm):
    class Meta:
        id_prefix = "override-"  # shown beside the list upload, which has a fiscal year too

    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    income_group = SelectField(_l("Income group to use"), validators=[DataRequired()])
    fiscal_year = StringField(_l("Fiscal year"), validators=[DataRequired(), FISCAL_YEAR])
    reason = StringField(
        _l("Reason"), validators=[DataRequired(), Length(max=500), NoControlCharacters()]
    )
    submit = SubmitField(_l("Save override"))

    def __init__(self, *args, group_labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [("", _l("Choose a country"))] + country_choices()
        self.income_group.choices = [(g.value, label) for g, label in group_labels.items()]


class RemoveOverrideForm(FlaskForm):
    submit = SubmitField(_l("Remove override"))


LOG_DATES = DateWithin(past_years=50, future_years=1)


class AuditFilterForm(FlaskForm):
    """The audit log's filters (a GET: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    subject_type = SelectField(_l("Subject"), validators=[Optional()])
    subject_id = WholeNumberField(_l("Subject number"), validators=[Optional()], low=1)
    actor = StringField(
        _l("Done by (name or e-mail contains)"),
        validators=[Optional(), Length(max=100), NoControlCharacters()],
    )
    action = SelectField(_l("Action"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional(), LOG_DATES])
    until = DateField(_l("To"), validators=[Optional(), LOG_DATES])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args, subject_types: list[str], actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_type.choices = [("", _l("Any subject"))] + [
            (value, SUBJECT_LABELS.get(value, value)) for value in subject_types
        ]
        self.action.choices = [("", _l("Any action"))] + [(value, value) for value in actions]

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period comes before its start."))


SUBJECT_LABELS = {
    "call": _l("Call"),
    "proposal": _l("Proposal"),
    "review": _l("Review"),
    "grant": _l("Grant"),
    "report": _l("Report"),
    "organisation": _l("Organisation"),
    "user": _l("User"),
    "income_group_override": _l("Income group override"),
}
