"""The call form's building blocks: amounts, points, checkbox lists, the rubric rows (with the
meaning of each score), tranche rows, date-times entered in the call's zone and the parts of a
decision letter. Shape only."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import (
    DateTimeLocalField,
    FieldList,
    Form,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import Label
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from fund.calls.decision_settings import LETTER_LABELS, LETTER_LIMITS, letter_name
from fund.calls.rubric import LEVEL_MAX, SCORES
from fund.calls.rules import TRANCHE_CONDITIONS, currency_codes
from fund.decisions.letters import placeholder_list
from fund.forms import DateWithin, NoControlCharacters, NumberField, WholeNumberField
from fund.i18n import lazy_gettext as _l

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows

TRANCHE_LABELS = {
    "signature": _l("when the grant agreement is signed"),
    "interim_report": _l("when an interim report is accepted"),
    "final_report": _l("when the final report is accepted"),
}


class MoneyField(NumberField):
    """An amount in figures with at most two decimals; never a float. Spaces (thousands
    separators as some keyboards type them) are left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("message", _l("Enter an amount in figures, e.g. 25000 or 25000.50."))
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = re.sub(r"[\s\u00a0\u202f]", "", valuelist[0] or "")
        self.data = None
        if text.startswith("-"):
            raise ValueError(_l("Amounts cannot be negative."))
        super().process_formdata([text])
        if self.data is not None and self.data != self.data.quantize(Decimal("0.01")):
            self.data = None
            raise ValueError(self.message)


class PointsField(NumberField):
    """A number of points with at most two decimals ("12.5" or "12,5"); the service checks its
    range."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("message", _l("Enter a number of points, e.g. 15 or 12.5."))
        kwargs.setdefault("whole_digits", 6)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        super().process_formdata([(valuelist[0] or "").strip().replace(",", ".")])
        if self.data is None or self.data != self.data.quantize(Decimal("0.01")):
            self.data = None
            raise ValueError(self.message)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{Decimal(self.data).normalize():f}"  # 15, not 15.00


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OneOf:
    """The value is one of a known set (a select list's choices, with our own message)."""

    def __init__(self, allowed, message):
        self.allowed, self.message = allowed, message

    def __call__(self, form, field) -> None:
        if field.data not in self.allowed():
            raise ValidationError(self.message)


class CriterionGuidanceForm(Form):
    """What guides reviewers on one criterion: its description and the meaning of each score.
    On its own once the rubric is fixed, since these may still be corrected."""

    guidance = TextAreaField(
        _l("Description for reviewers"), validators=[Length(max=2000), NoControlCharacters()]
    )
    levels = FieldList(
        StringField(
            _l("Meaning of the score"),
            validators=[
                Length(max=LEVEL_MAX, message=_l("Up to %(max)d characters; this has %(length)d.")),
                NoControlCharacters(),
            ],
        ),
        min_entries=len(SCORES),
        max_entries=len(SCORES),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for score, entry in zip(SCORES, self.levels, strict=False):
            entry.label = Label(entry.id, _("Score %(n)d means", n=score))


class CriterionForm(CriterionGuidanceForm):
    name = StringField(
        _l("Criterion"), validators=[DataRequired(), Length(max=200), NoControlCharacters()]
    )
    weight = WholeNumberField(
        _l("Weight (%)"),
        validators=[InputRequired(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )


class TrancheForm(Form):
    percent = WholeNumberField(
        _l("Share of the award (%)"),
        validators=[InputRequired(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )
    condition = SelectField(_l("Paid"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition.choices = [(c, TRANCHE_LABELS[c]) for c in TRANCHE_CONDITIONS]


def amount(label) -> MoneyField:
    return MoneyField(label, places=2, validators=[InputRequired(message=_l("Enter an amount."))])


def whole(label, low: int, high: int, description=None) -> WholeNumberField:
    return WholeNumberField(
        label,
        description=description,
        validators=[
            InputRequired(message=_l("Enter a whole number.")),
            NumberRange(
                min=low, max=high, message=_l("From %(low)d to %(high)d.", low=low, high=high)
            ),
        ],
    )


def optional_when(label, description=None) -> DateTimeLocalField:
    """A date and time that may be left empty (the service says when it is needed)."""
    return DateTimeLocalField(
        label,
        description=description,
        format=[LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        invalid_value_message=_l("Give a date and time, e.g. 2027-03-31 17:00."),
        validators=[Optional(), DateWithin(past_years=10, future_years=10)],
    )


def when(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=[LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        invalid_value_message=_l("Give a date and time, e.g. 2027-03-31 17:00."),
        validators=[
            InputRequired(message=_l("Give a date and time.")),
            DateWithin(past_years=10, future_years=10),
        ],
    )


def letter_field(outcome: str, part: str) -> StringField | TextAreaField:
    """One part (subject or text) of a decision letter; placeholders are checked by the service."""
    kind = StringField if part == "subject" else TextAreaField
    return kind(
        LETTER_LABELS[letter_name(outcome, part)],
        description=(
            _l("Placeholders: %(placeholders)s.", placeholders=placeholder_list())
            if part == "body"
            else None
        ),
        filters=[lambda text: text.replace("\r\n", "\n") if text else text],
        validators=[
            Length(
                max=LETTER_LIMITS[part],
                message=_l("Up to %(max)d characters; this has %(length)d."),
            ),
            NoControlCharacters(),
        ],
        render_kw={"rows": 14} if part == "body" else None,
    )


def currency_choices() -> list[tuple[str, str]]:
    locale = get_locale() or "en"
    return sorted(
        ((code, f"{code} – {get_currency_name(code, locale=locale)}") for code in currency_codes()),
        key=lambda c: c[0],
    )
