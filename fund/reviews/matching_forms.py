"""Forms of the reviewer profile, the call's pool and the assignment suggestion: shape only."""

from __future__ import annotations

from datetime import date

from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from fund.countries import country_choices
from fund.forms import FlaskForm, NoControlCharacters, WholeNumberField, language_choices, record_id
from fund.i18n import lazy_gettext as _l
from fund.portfolio.tables import REGION_LABELS
from fund.reviews.forms import DueDateForm
from fund.strategies import STRATEGY_LABELS

ABSENCES_MAX = 20


def checkboxes(label, **kwargs) -> SelectMultipleField:
    return SelectMultipleField(
        label, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False), **kwargs
    )


def parse_absences(text: str) -> list[tuple[date, date]]:
    """Lines "2027-03-01 2027-03-15" (first and last day) into pairs; ValueError names the line."""
    periods = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace(",", " ").replace("–", " ").split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            periods.append((date.fromisoformat(parts[0]), date.fromisoformat(parts[1])))
        except ValueError:
            raise ValueError(number) from None
    return periods


class AbsencesValid:
    def __call__(self, form, field) -> None:
        try:
            periods = parse_absences(field.data)
        except ValueError as error:
            raise ValidationError(
                _l(
                    "Line %(n)d: give the first and the last day as 2027-03-01 2027-03-15.",
                    n=error.args[0],
                )
            ) from None
        if len(periods) > ABSENCES_MAX:
            raise ValidationError(_l("Give at most %(n)d periods.", n=ABSENCES_MAX))
        if any(last < first for first, last in periods):
            raise ValidationError(_l("A period must end on or after its first day."))


class ReviewerProfileForm(FlaskForm):
    languages = checkboxes(
        _l("Languages you can review in"),
        validators=[InputRequired(message=_l("Choose at least one language."))],
    )
    strategies = checkboxes(_l("INSPIRE strategies you know well"), validators=[Optional()])
    regions = checkboxes(_l("Regions you know well"), validators=[Optional()])
    countries = SelectMultipleField(
        _l("Countries you know well"),
        validators=[Optional()],
        description=_l("Hold Ctrl (or Cmd) to choose several."),
    )
    max_per_call = WholeNumberField(
        _l("Most proposals you can review per call"),
        validators=[Optional(), NumberRange(min=0, max=500)],
        low=0,
        high=500,
        description=_l("Leave empty for no limit of your own."),
    )
    unavailable = TextAreaField(
        _l("Periods when you cannot review"),
        validators=[Optional(), NoControlCharacters(), AbsencesValid()],
        description=_l("One period per line, first and last day: 2027-03-01 2027-03-15."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices()
        self.strategies.choices = [(s.value, label) for s, label in STRATEGY_LABELS.items()]
        self.regions.choices = list(REGION_LABELS.items())
        self.countries.choices = country_choices()


class InviteForm(FlaskForm):
    reviewer_id = SelectField(_l("Reviewer"), coerce=record_id, validators=[InputRequired()])


class AnswerForm(FlaskForm):
    """Accept or decline: `action` comes from the button pressed (never rendered as a field)."""

    action = HiddenField()


class SuggestForm(DueDateForm):
    """The due date of the assignment to preview (a GET: it changes nothing)."""

    class Meta:
        csrf = False


class ApplyForm(DueDateForm):
    """Apply the suggestion shown: `shown` is its fingerprint, so nothing else gets applied."""

    class Meta:
        id_prefix = "apply-"

    shown = HiddenField(validators=[InputRequired()])
