"""Secretariat forms: shape only."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from fund.countries import country_choices
from fund.forms import FlaskForm, NoControlCharacters
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
