"""The call form: shape only (types, ranges, lists). The call's rules live in services.py.

Times are entered as local date-times in a chosen time zone and handed to the service in UTC.
Rows of the rubric, the tranches and the interim reports are added and removed by buttons that
send the form back to be shown again, so it works without JavaScript.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from fund.admin.forms import FISCAL_YEAR
from fund.calls.services import FIELD_LABELS as LABELS
from fund.calls.services import TRANCHE_CONDITIONS, currency_codes
from fund.forms import NoControlCharacters
from fund.i18n import timezone_choices
from fund.models import IncomeGroup
from fund.organisations.forms import TYPE_LABELS
from fund.strategies import STRATEGY_LABELS
from fund.templating import INCOME_GROUP_LABELS

MAX_CRITERIA = 12
MAX_TRANCHES = 6
MAX_INTERIM_REPORTS = 10
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows
MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")

TRANCHE_LABELS = {
    "signature": _l("when the grant agreement is signed"),
    "interim_report": _l("when an interim report is accepted"),
    "final_report": _l("when the final report is accepted"),
}
ROW_FIELDS = ("criteria", "tranche_template", "interim_reports")


class MoneyField(DecimalField):
    """An amount in figures with at most two decimals; never a float."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = re.sub(r"[\s\u00a0\u202f]", "", valuelist[0] or "")
        self.data = None
        if not text:
            return
        if text.startswith("-"):
            raise ValueError(_l("Amounts cannot be negative."))
        if not MONEY.fullmatch(text):
            raise ValueError(_l("Enter an amount in figures, e.g. 25000 or 25000.50."))
        self.data = Decimal(text)


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


class CriterionForm(Form):
    name = StringField(
        _l("Criterion"), validators=[DataRequired(), Length(max=200), NoControlCharacters()]
    )
    guidance = TextAreaField(
        _l("Guidance for reviewers"), validators=[Length(max=2000), NoControlCharacters()]
    )
    weight = IntegerField(
        _l("Weight (%)"),
        validators=[InputRequired(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )


class TrancheForm(Form):
    percent = IntegerField(
        _l("Share of the award (%)"),
        validators=[InputRequired(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )
    condition = SelectField(_l("Paid"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition.choices = [(c, TRANCHE_LABELS[c]) for c in TRANCHE_CONDITIONS]


def amount(label) -> MoneyField:
    return MoneyField(label, places=2, validators=[InputRequired(message=_l("Enter an amount."))])


def whole(label, low: int, high: int, description=None) -> IntegerField:
    return IntegerField(
        label,
        description=description,
        validators=[
            InputRequired(message=_l("Enter a whole number.")),
            NumberRange(min=low, max=high,
                        message=_l("From %(low)d to %(high)d.", low=low, high=high)),
        ],
    )


def when(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=[LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        invalid_value_message=_l("Give a date and time, e.g. 2027-03-31 17:00."),
        validators=[InputRequired(message=_l("Give a date and time."))],
    )


def currency_choices() -> list[tuple[str, str]]:
    locale = get_locale() or "en"
    return sorted(
        ((code, f"{code} – {get_currency_name(code, locale=locale)}") for code in currency_codes()),
        key=lambda c: c[0],
    )


class CallForm(FlaskForm):
    title = StringField(
        LABELS["title"], validators=[DataRequired(), Length(max=200), NoControlCharacters()]
    )
    description = TextAreaField(
        LABELS["description"],
        description=_l("What the call funds and why; shown to applicants before they register."),
        validators=[DataRequired(), Length(max=20000), NoControlCharacters()],
    )
    timezone = SelectField(
        LABELS["timezone"],
        validate_choice=False,
        validators=[OneOf(lambda: {zone for zone, _name in timezone_choices()},
                          _l("Choose a time zone from the list."))],
    )
    opens_at = when(LABELS["opens_at"])
    closes_at = when(LABELS["closes_at"])
    currency = SelectField(
        LABELS["currency"],
        validate_choice=False,
        validators=[OneOf(currency_codes, _l("Choose a currency from the list."))],
    )
    budget_envelope = amount(LABELS["budget_envelope"])
    min_award = amount(LABELS["min_award"])
    max_award = amount(LABELS["max_award"])
    max_duration_months = whole(LABELS["max_duration_months"], 1, 60)
    eligible_income_groups = MultiCheckboxField(
        LABELS["eligible_income_groups"],
        description=_l("By the World Bank's classification of the organisation's country."),
    )
    unclassified_eligible = BooleanField(LABELS["unclassified_eligible"])
    eligible_org_types = MultiCheckboxField(LABELS["eligible_org_types"])
    strategies = MultiCheckboxField(LABELS["strategies"])
    fiscal_year = StringField(
        LABELS["fiscal_year"],
        description=_l("The World Bank list that decides which countries are eligible."),
        validators=[DataRequired(), FISCAL_YEAR],
    )
    reviewers_per_proposal = whole(LABELS["reviewers_per_proposal"], 1, 10)
    chair_approvals_needed = whole(LABELS["chair_approvals_needed"], 1, 5)
    criteria = FieldList(FormField(CriterionForm), label=LABELS["criteria"],
                         max_entries=MAX_CRITERIA)
    tranche_template = FieldList(FormField(TrancheForm), label=LABELS["tranche_template"],
                                 max_entries=MAX_TRANCHES)
    interim_reports = FieldList(
        IntegerField(
            _l("Interim report due, months after the project starts"),
            validators=[InputRequired(), NumberRange(min=1, max=59,
                                                     message=_l("From 1 to 59."))],
        ),
        label=_l("Interim reports"),
        max_entries=MAX_INTERIM_REPORTS,
    )
    final_report_days = whole(_l("Final report due, days after the project ends"), 0, 365)
    submit = SubmitField(_l("Save call"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.currency.choices = currency_choices()
        self.eligible_income_groups.choices = [
            (g.value, INCOME_GROUP_LABELS[g]) for g in IncomeGroup if g != IncomeGroup.UNCLASSIFIED
        ]
        self.eligible_org_types.choices = [(t.value, label) for t, label in TYPE_LABELS.items()]
        self.strategies.choices = [(s.value, label) for s, label in STRATEGY_LABELS.items()]

    @staticmethod
    def data_from(values: dict[str, Any]) -> dict[str, Any]:
        """Form data for a call's values (see services.call_values), times in its zone."""
        zone = ZoneInfo(values["timezone"])
        data = dict(values)
        for name in ("opens_at", "closes_at"):
            if values[name] is not None:
                data[name] = values[name].astimezone(zone).replace(tzinfo=None)
        data["interim_reports"] = [r["months_after_start"] for r in values["reporting_template"]
                                   if r["kind"] == "interim"]
        data["final_report_days"] = next((r["days_after_end"] for r in values["reporting_template"]
                                          if r["kind"] == "final"), 60)
        return data

    def values(self) -> dict[str, Any]:
        """The validated form as values for the service; times in UTC."""
        values = {name: self[name].data for name in LABELS if name in self and
                  name not in ("opens_at", "closes_at", "criteria", "title", "description")}
        zone = ZoneInfo(self.timezone.data)
        for name in ("opens_at", "closes_at"):
            if name in self:
                values[name] = to_utc(self[name].data, zone)
        for name in ("title", "description"):
            values[name] = self[name].data.strip()
        for name in ("eligible_income_groups", "eligible_org_types", "strategies"):
            if name in self:  # in the order of the list, however they were sent
                chosen = set(self[name].data)
                values[name] = [value for value, _label in self[name].choices if value in chosen]
        if "criteria" in self:
            values["criteria"] = [
                {"name": row.form.name.data.strip(), "guidance": row.form.guidance.data.strip(),
                 "weight": row.form.weight.data}
                for row in self.criteria
            ]
        values["tranche_template"] = [
            {"percent": row.form.percent.data, "condition": row.form.condition.data}
            for row in self.tranche_template
        ]
        values["reporting_template"] = [
            {"kind": "interim", "months_after_start": m} for m in sorted(self.interim_reports.data)
        ] + [{"kind": "final", "days_after_end": self.final_report_days.data}]
        return values

    def validate(self, extra_validators=None) -> bool:
        for name in ROW_FIELDS:  # rows added but left empty are ignored, not errors
            if name in self:
                self[name].entries = [row for row in self[name].entries if not _blank(row)]
        return super().validate(extra_validators)

    def keep_only_sent(self, names, sent) -> None:
        """Drop the fields among `names` that the request did not send (locked fields)."""
        sent_fields = {key.split("-", 1)[0] for key in sent}
        for name in names:
            if name in self and name not in sent_fields:
                del self[name]

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the service's messages next to the fields they concern."""
        for name, message in errors.items():
            target = "interim_reports" if name == "reporting_template" else name
            if target in self:
                self[target].errors = [*self[target].errors, message]

    def change_rows(self, action: str) -> bool:
        """Apply an "Add ..." or "Remove" row button; False if `action` is not one we know."""
        verb, _sep, rest = action.partition(":")
        name, _sep, position = rest.partition(":")
        if name not in ROW_FIELDS or name not in self:
            return False
        rows = list(self[name].data)
        if verb == "add" and not position and len(rows) < self[name].max_entries:
            rows.append({"percent": None, "condition": "signature"}
                        if name == "tranche_template" else None)
        elif verb == "remove" and position.isdigit() and int(position) < len(rows):
            del rows[int(position)]
        else:
            return False
        field = self[name]
        field.entries, field.last_index = [], -1
        for row in rows:
            field.append_entry(row)
        return True


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as an aware UTC datetime."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def _blank(row) -> bool:
    fields = row.form if isinstance(row, FormField) else [row]
    return all(
        not (f.raw_data and str(f.raw_data[0]).strip())
        for f in fields if not isinstance(f, SelectField)
    )
