"""Forms for the agreement, grant actions, payments, the report and its review: shape only."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from fund.forms import DateWithin, FlaskForm, NoControlCharacters, NumberField, WholeNumberField
from fund.forms_def.validate import AnswerForm
from fund.i18n import lazy_gettext as _l
from fund.models import GrantState
from fund.rules.report_content import (
    AGE_BAND_LABELS,
    REACH_CELLS,
    SEX_LABELS,
    TEXT_FIELDS,
    SpendingLine,
    reach_field,
)
from fund.workflow import state_label

TEXT_MAX = 20_000
MONEY_MAX = Decimal("999999999999")
COUNT_MAX = 10_000_000


def money_validators(minimum: Decimal) -> list:
    return [
        NumberRange(
            min=minimum,
            max=MONEY_MAX,
            message=_l("Give an amount of %(min)s or more.", min=minimum),
        ),
    ]


class AcceptAgreementForm(FlaskForm):
    full_name = StringField(
        _l("Your full name"),
        validators=[
            DataRequired(message=_l("Type your full name.")),
            Length(max=200),
            NoControlCharacters(),
        ],
        description=_l("Typing your name here signs the agreement for your organisation."),
    )
    confirm = BooleanField(
        _l("I have read these terms and accept them on behalf of my organisation."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class GrantActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=2000), NoControlCharacters()],
        description=_l("Recorded, and sent to the grantee."),
    )


class PaymentForm(FlaskForm):
    paid_on = DateField(
        _l("Date paid"),
        validators=[
            InputRequired(message=_l("Give the date as year-month-day.")),
            DateWithin(past_years=10, future_years=1),  # not in the future: the service says so
        ],
    )
    amount = NumberField(
        _l("Amount paid"),
        validators=[
            InputRequired(message=_l("Give the amount paid.")),
            *money_validators(Decimal("0.01")),
        ],
    )
    payment_reference = StringField(
        _l("Payment reference"),
        validators=[
            DataRequired(message=_l("Give the bank or transfer reference.")),
            Length(max=100),
            NoControlCharacters(),
        ],
    )


class ReviewReportForm(FlaskForm):
    comment = TextAreaField(
        _l("Comments to the grantee"),
        validators=[Optional(), Length(max=TEXT_MAX), NoControlCharacters()],
        description=_l("Needed when you request changes: say what to change."),
    )


class AgreementTemplateForm(FlaskForm):
    template = TextAreaField(
        _l("Agreement terms"), validators=[Optional(), Length(max=50_000), NoControlCharacters()]
    )


class GrantFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    call = SelectField(_l("Call"), coerce=str, validators=[Optional()])
    state = SelectField(_l("State"), validators=[Optional()])
    q = StringField(
        _l("Organisation, reference or title"), validators=[Optional(), Length(max=100)]
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.call.choices = [("", _l("Any call"))] + [(str(c.id), c.title) for c in calls]
        self.state.choices = [("", _l("Any state"))] + [
            (s.value, state_label(s)) for s in GrantState
        ]


class InboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    call = SelectField(_l("Call"), coerce=str, validators=[Optional()])

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.call.choices = [("", _l("All calls"))] + [(str(c.id), c.title) for c in calls]


def _text(label) -> TextAreaField:
    return TextAreaField(
        label, validators=[Optional(), Length(max=TEXT_MAX), NoControlCharacters()]
    )


class ReportForm(FlaskForm):
    """The progress report; `for_lines` adds a spent amount and explanation per budget line and
    a count per sex and age band, and `custom` holds the call's own report questions (set by
    `with_questions`). Blank is allowed in a draft; submission checks completeness."""

    custom: AnswerForm | None = None

    narrative = _text(TEXT_FIELDS["narrative"])
    activities_done = _text(TEXT_FIELDS["activities_done"])
    challenges = _text(TEXT_FIELDS["challenges"])
    next_steps = _text(TEXT_FIELDS["next_steps"])
    attachment = FileField(_l("Add a file"))
    attachment_description = StringField(
        _l("What the file is"), validators=[Optional(), Length(max=200), NoControlCharacters()]
    )

    @classmethod
    def for_lines(cls, lines: list[SpendingLine], **kwargs) -> ReportForm:
        class Form(cls):
            pass

        for sex, band in REACH_CELLS:
            setattr(
                Form,
                reach_field(sex, band),
                WholeNumberField(
                    _l("%(sex)s, aged %(band)s", sex=SEX_LABELS[sex], band=AGE_BAND_LABELS[band]),
                    validators=[
                        Optional(),
                        NumberRange(
                            min=0, max=COUNT_MAX, message=_l("Give a whole number of 0 or more.")
                        ),
                    ],
                ),
            )
        for line in lines:
            setattr(
                Form,
                f"spent_{line.position}",
                NumberField(
                    _l("Spent on %(line)s", line=line.description or line.category),
                    validators=[Optional(), *money_validators(Decimal("0"))],
                ),
            )
            setattr(
                Form,
                f"explanation_{line.position}",
                _text(
                    _l(
                        "Why spending on %(line)s differs from the plan",
                        line=line.description or line.category,
                    )
                ),
            )
        return Form(**kwargs)

    def with_questions(self, questions: AnswerForm) -> ReportForm:
        self.custom = questions
        return self

    def validate(self, extra_validators=None) -> bool:
        """The fixed fields and the call's own questions, every error found at once."""
        fixed = super().validate(extra_validators)
        return (self.custom is None or self.custom.validate()) and fixed

    def report_data(self, lines: list[SpendingLine]) -> dict:
        """The typed values as save_report takes them."""
        answers = {} if self.custom is None else {"answers": self.custom.answers}
        return {
            **answers,
            **{name: (self[name].data or "").strip() for name in TEXT_FIELDS},
            "reach": {(sex, band): self[reach_field(sex, band)].data for sex, band in REACH_CELLS},
            "spending": {
                line.position: (
                    self[f"spent_{line.position}"].data,
                    (self[f"explanation_{line.position}"].data or "").strip(),
                )
                for line in lines
            },
        }
