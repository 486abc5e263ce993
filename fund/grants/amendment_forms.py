"""Forms for grant amendments: shape only (fund/grants/amendment_plans.py checks the sums)."""

from __future__ import annotations

from decimal import Decimal

from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from fund.forms import DateWithin, FlaskForm, NoControlCharacters, NumberField, WholeNumberField
from fund.grants.forms import money_validators
from fund.i18n import lazy_gettext as _l
from fund.models import BudgetLine, Tranche

REASON_MAX = 2000


class AmendmentForm(FlaskForm):
    """What every request says: why the change is needed."""

    reason = TextAreaField(
        _l("Why is this change needed?"),
        validators=[
            DataRequired(message=_l("Say why the change is needed.")),
            Length(max=REASON_MAX),
            NoControlCharacters(),
        ],
    )


class ExtensionForm(AmendmentForm):
    new_end = DateField(
        _l("New end date"),
        validators=[
            InputRequired(message=_l("Give the date as year-month-day.")),
            DateWithin(past_years=1, future_years=10),
        ],
    )


def line_field(line: BudgetLine) -> str:
    return f"line_{line.id}"


def reallocation_form(lines: list[BudgetLine], **kwargs) -> AmendmentForm:
    """One amount per budget line, filled in with the current amounts."""

    class Form(AmendmentForm):
        pass

    for line in lines:
        setattr(
            Form,
            line_field(line),
            NumberField(
                _l("New amount for %(line)s", line=line.description or line.category),
                validators=[
                    InputRequired(message=_l("Give an amount, 0 or more.")),
                    *money_validators(Decimal("0")),
                ],
                default=line.amount,
            ),
        )
    return Form(**kwargs)


def percent_field(tranche: Tranche) -> str:
    return f"percent_{tranche.id}"


def due_field(tranche: Tranche) -> str:
    return f"due_{tranche.id}"


def tranches_form(tranches: list[Tranche], **kwargs) -> AmendmentForm:
    """A percentage and a due date (optional) per unpaid tranche, filled in as they are."""

    class Form(AmendmentForm):
        pass

    for tranche in tranches:
        setattr(
            Form,
            percent_field(tranche),
            WholeNumberField(
                _l("Percentage of tranche %(n)d", n=tranche.position),
                validators=[
                    InputRequired(message=_l("Give a whole number from 1 to 100.")),
                    NumberRange(min=1, max=100, message=_l("Give a whole number from 1 to 100.")),
                ],
                default=tranche.percent,
            ),
        )
        setattr(
            Form,
            due_field(tranche),
            DateField(
                _l("Due date of tranche %(n)d", n=tranche.position),
                validators=[Optional(), DateWithin(past_years=5, future_years=10)],
                default=tranche.due_on,
            ),
        )
    return Form(**kwargs)


class AmendmentDecisionForm(FlaskForm):
    """Approve, decline (with a reason) or withdraw."""

    action = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=REASON_MAX), NoControlCharacters()],
    )


class AmendmentSettingsForm(FlaskForm):
    """A call's limit under which a budget reallocation is approved on request."""

    reallocation_threshold_percent = WholeNumberField(
        _l("Budget reallocations approved on request (percentage of the grant)"),
        validators=[
            InputRequired(message=_l("Give a whole number from 0 to 100.")),
            NumberRange(min=0, max=100, message=_l("Give a whole number from 0 to 100.")),
        ],
        description=_l(
            "A reallocation that moves at most this share of the grant between budget lines is "
            "approved at once; a larger one waits for the secretariat. 0 sends every "
            "reallocation to the secretariat."
        ),
    )
