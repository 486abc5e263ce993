"""Proposal forms. Saving a draft checks shape only; completeness is checked on submission."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from flask import current_app, request
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from fund.countries import country_choices
from fund.forms import (
    DateWithin,
    FlaskForm,
    NoControlCharacters,
    NumberField,
    WholeNumberField,
    record_id,
)
from fund.forms_def.definition import file_questions
from fund.forms_def.localise import local_form
from fund.forms_def.standard import core_questions
from fund.forms_def.validate import AnswerForm, call_scope
from fund.i18n import lazy_gettext as _l
from fund.models import BudgetCategory, Call, Strategy
from fund.numbers import parse_id
from fund.rules.limits import (
    BUDGET_LINE_DESCRIPTION_MAX,
    FIELD_LIMITS,
    MAX_BUDGET_LINES,
    TEXT_FIELDS,
)
from fund.strategies import strategy_label

CATEGORY_LABELS = {
    BudgetCategory.PERSONNEL: _l("Personnel"),
    BudgetCategory.ACTIVITIES: _l("Activities and events"),
    BudgetCategory.MATERIALS: _l("Materials and communication"),
    BudgetCategory.TRAVEL: _l("Travel"),
    BudgetCategory.EQUIPMENT: _l("Equipment"),
    BudgetCategory.MONITORING: _l("Monitoring and evaluation"),
    BudgetCategory.ADMINISTRATION: _l("Administration"),
    BudgetCategory.OTHER: _l("Other"),
}

# The control of each core question that has one (budget, strategies and files are groups).
CORE_CONTROLS = {
    "title": "title",
    "summary": "summary",
    "strategies": "strategies",
    "countries": "countries",
    "start_date": "start_date",
    "duration_months": "duration_months",
    "safeguarding": "safeguarding_upload",
}

# One line at most this much, so that the total of MAX_BUDGET_LINES fits the money column.
MAX_LINE_AMOUNT = Decimal("1000000000")
ATTACHMENT_DESCRIPTION_MAX = 200


def normalise_newlines(value):
    """Browsers send new lines as CRLF but count them as one character: store them as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def text_field(label, name: str, *, area: bool = True, required: bool = False, **kwargs):
    validators = (
        [DataRequired(_l("Give the proposal a title, even a working one."))]
        if required
        else [Optional(strip_whitespace=False)]
    )
    validators += [
        Length(
            max=FIELD_LIMITS[name],
            message=_l("Use at most %(max)d characters.", max=FIELD_LIMITS[name]),
        ),
        NoControlCharacters(),
    ]
    field_class = TextAreaField if area else StringField
    return field_class(label, validators=validators, filters=[normalise_newlines], **kwargs)


class FriendlyDecimalField(NumberField):
    """An amount that says how to write the number instead of "Not a valid decimal"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "message", _l("Write the amount with digits and a point for decimals, e.g. 1500.50.")
        )
        super().__init__(*args, **kwargs)


class FriendlyIntegerField(WholeNumberField):
    pass


class FriendlyDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Give the date as year-month-day, e.g. 2027-03-01.")) from None


class Money:
    """A finite, non-negative amount with at most two decimals."""

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if not value.is_finite():
            raise ValidationError(_l("Write the amount with digits, e.g. 1500.50."))
        if value < 0:
            raise ValidationError(_l("An amount cannot be negative."))
        if value > MAX_LINE_AMOUNT:
            raise ValidationError(
                _l("One line can be at most %(max)s.", max=f"{MAX_LINE_AMOUNT:,}")
            )
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(_l("Use at most two decimals."))


class SafeFileName:
    """Refuses a file name with folders or invisible characters: browsers never send such
    names, so the request did not come from the form as shown."""

    def __call__(self, form, field) -> None:
        name = getattr(field.data, "filename", None) or ""
        if not name:
            return
        if "/" in name or "\\" in name or any(unicodedata.category(ch)[0] == "C" for ch in name):
            raise ValidationError(
                _l(
                    "Rename the file before uploading it: its name may not contain folders (/ or "
                    "\\) or invisible characters."
                )
            )


class KnownChoices(SelectMultipleField):
    """Several choices; a value that is not offered gets a message naming it."""

    def __init__(self, *args, unknown_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown_message = unknown_message or _l("%(value)s is not one of the choices.")

    def process_formdata(self, valuelist):
        seen: list[str] = []
        for value in valuelist:
            if value not in seen:
                seen.append(value)
        self.data = seen

    def pre_validate(self, form) -> None:
        offered = {str(value) for value, _label in self.choices or []}
        for value in self.data or []:
            if value not in offered:
                raise ValidationError(self.unknown_message % {"value": value[:60]})


class MultiCheckboxField(KnownChoices):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BudgetLineForm(Form):
    """One row of the budget; a row with neither description nor amount is left out."""

    category = SelectField(
        _l("Category"),
        choices=[SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()],
        validate_choice=False,  # checked below with a clearer message
    )
    description = StringField(
        _l("Description"),
        validators=[
            Optional(strip_whitespace=False),
            Length(
                max=BUDGET_LINE_DESCRIPTION_MAX,
                message=_l("Use at most %(max)d characters.", max=BUDGET_LINE_DESCRIPTION_MAX),
            ),
            NoControlCharacters(),
        ],
    )
    # A text box, not type=number: a browser empties a number box it cannot parse ("1,500").
    amount = FriendlyDecimalField(
        _l("Amount"), places=2, validators=[Optional(), Money()], widget=TextInput()
    )

    def validate_category(self, field) -> None:
        if field.data not in BudgetCategory._value2member_map_:
            raise ValidationError(_l("Choose one of the categories offered."))

    def is_blank(self) -> bool:
        no_amount = not (self.amount.raw_data and (self.amount.raw_data[0] or "").strip())
        return not (self.description.data or "").strip() and no_amount


class ProposalForm(FlaskForm):
    """The whole draft. Buttons other than Save draft are read from the request by the view."""

    lock_version = HiddenField()
    # Left as it is when not sent (the form shows it only for a call in several languages).
    language = SelectField(
        _l("Language of the proposal"),
        description=_l("The language you write in; the secretariat and reviewers see it."),
        validate_choice=False,
    )
    title = text_field(_l("Title"), "title", area=False, required=True)
    summary = text_field(
        _l("Summary"), "summary", description=_l("What the project will do, with whom, and why.")
    )
    strategies = MultiCheckboxField(
        _l("INSPIRE strategies addressed"),
        unknown_message=_l("%(value)s is not one of the strategies this call covers."),
    )
    countries = MultiCheckboxField(
        _l("Countries of implementation"),
        unknown_message=_l("%(value)s is not a country code we know."),
        description=_l("Tick each country where the project will take place."),
    )
    # The submission rules narrow this to today..five years ahead; a draft only needs a date
    # that later computations (the grant's schedule) can work with.
    start_date = FriendlyDateField(
        _l("Start date"), validators=[Optional(), DateWithin(past_years=1, future_years=5)]
    )
    duration_months = FriendlyIntegerField(
        _l("Duration (months)"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=60, message=_l("Give a duration between %(min)d and %(max)d months.")
            ),
        ],
    )
    budget_lines = FieldList(FormField(BudgetLineForm), min_entries=0)
    safeguarding_upload = FileField(
        _l("Child-safeguarding policy for this proposal"), validators=[SafeFileName()]
    )
    attachment_upload = FileField(_l("Add an attachment"), validators=[SafeFileName()])
    attachment_description = StringField(
        _l("What the attachment is (optional)"),
        validators=[
            Optional(strip_whitespace=False),
            Length(
                max=ATTACHMENT_DESCRIPTION_MAX,
                message=_l("Use at most %(max)d characters.", max=ATTACHMENT_DESCRIPTION_MAX),
            ),
            NoControlCharacters(),
        ],
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategies.choices = [
            (s.value, strategy_label(s)) for s in Strategy if s.value in (call.strategies or [])
        ]
        self.countries.choices = country_choices()
        names = current_app.config["LANGUAGES"]
        self.language.choices = [(code, names.get(code, code)) for code in call.languages or []]
        # The questions as the reader reads them: the call's translations, else the template's
        # texts in their language, else the main language's.
        definition = local_form(call)
        self._label_core_fields(definition)
        # The other questions: read from the post, or from the draft's stored answers.
        formdata = kwargs.get("formdata", request.form if self.is_submitted() else None)
        stored = getattr(kwargs.get("obj"), "answers", None)
        self.custom = AnswerForm(
            definition, formdata=formdata, stored=stored, scope=call_scope(call)
        )

    def _label_core_fields(self, definition: dict) -> None:
        """The typed fields take the secretariat's labels and help texts for their questions
        (so the errors and the summary use them too)."""
        for name, question in core_questions(definition).items():
            if name in CORE_CONTROLS:
                control = self[CORE_CONTROLS[name]]
                control.label.text = question["label"]
                control.description = question.get("help") or ""

    def validate(self, extra_validators=None) -> bool:
        """The fixed fields and the call's own questions, every error found at once."""
        fixed = super().validate(extra_validators)
        return self.custom.validate() and fixed

    def file_uploads(self) -> dict:
        """The files chosen for the form's file questions, by question id (none when the
        form is not a post, e.g. an autosave, whose script leaves files out)."""
        if not self.is_submitted():
            return {}
        chosen = {}
        for question in file_questions(self.custom.definition):
            upload = request.files.get(f"{question['id']}-file")
            if upload and upload.filename:
                chosen[question["id"]] = upload
        return chosen

    def validate_language(self, field) -> None:
        if field.data is not None and field.data not in dict(field.choices):
            raise ValidationError(_l("Choose one of the languages this call is given in."))

    def validate_lock_version(self, field) -> None:
        if parse_id(field.data) is None:
            raise ValidationError(_l("The form has lost its version number. Reload the page."))

    def validate_budget_lines(self, field) -> None:
        if len(field.entries) > MAX_BUDGET_LINES:
            raise ValidationError(_l("A budget can have at most %(n)d lines.", n=MAX_BUDGET_LINES))

    def drop_line(self, index: int) -> None:
        """Take out the row a "Remove" button named (by its index in the submitted form)."""
        name = f"{self.budget_lines.name}-{index}"
        self.budget_lines.entries = [e for e in self.budget_lines.entries if e.name != name]

    def blank_lines(self) -> int:
        return sum(1 for entry in self.budget_lines.entries if entry.form.is_blank())

    def expected_version(self) -> int:
        return parse_id(self.lock_version.data)

    def draft_data(self) -> dict:
        """The typed values the draft service stores (blank budget rows left out)."""
        data = {name: self[name].data or "" for name in TEXT_FIELDS}
        data.update(
            strategies=list(self.strategies.data or []),
            countries=list(self.countries.data or []),
            start_date=self.start_date.data,
            duration_months=self.duration_months.data,
            answers=dict(self.custom.answers),
            **({"language": self.language.data} if self.language.data else {}),
            budget_lines=[
                {
                    "category": entry.form.category.data,
                    "description": entry.form.description.data or "",
                    "amount": entry.form.amount.data or Decimal("0"),
                }
                for entry in self.budget_lines.entries
                if not entry.form.is_blank()
            ],
        )
        return data


class StartForm(FlaskForm):
    """Start a proposal to a call for one of the user's organisations."""

    call_id = HiddenField(validators=[DataRequired()])
    organisation_id = SelectField(
        _l("Organisation applying"),
        coerce=record_id,
        validate_choice=False,
        validators=[DataRequired(_l("Choose the organisation applying."))],
    )
    title = text_field(_l("Working title of the proposal"), "title", area=False, required=True)

    def validate_call_id(self, field) -> None:
        if parse_id(field.data) is None:
            raise ValidationError(_l("Choose a call."))
