"""The chairs' decision forms: shape only (the amount's limits are the workflow's guards)."""

from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fund.forms import FlaskForm, NoControlCharacters, NumberField
from fund.i18n import lazy_gettext as _l

REASONS_MAX = 5000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class AwardForm(FlaskForm):
    amount = NumberField(
        _l("Amount to award"),
        validators=[
            # Not DataRequired: it would replace the field's own "write it in figures" message.
            InputRequired(_l("Give the amount to award.")),
            NumberRange(
                min=Decimal("0.01"),
                max=Decimal("999999999999.99"),
                message=_l("Give an amount above zero."),
            ),
        ],
        description=_l("At most the amount requested and what is left of the envelope."),
    )
    reasons = TextAreaField(
        _l("Reasons for the award (optional; quoted in the letter)"),
        validators=[Optional(), Length(max=REASONS_MAX), NoControlCharacters()],
        filters=[strip],
    )
    # Unticked by default: grants are published unless a chair says naming would put the
    # organisation or the children it works with at risk.
    unnamed = BooleanField(
        _l("Keep this grant out of the fund's open data"),
        description=_l(
            "Awarded grants are listed on the public page of grants and in the 360Giving file. "
            "Tick this if naming the organisation could put it or the people it works with at "
            "risk; it is then counted only in totals."
        ),
    )
    unpublished_reason = TextAreaField(
        _l("Why it stays out of open data (seen by the secretariat only)"),
        # no Optional(): it would stop the chain before the check that a ticked box has a reason
        validators=[Length(max=REASONS_MAX), NoControlCharacters()],
        filters=[strip],
    )

    def validate_unpublished_reason(self, field) -> None:
        if self.unnamed.data and not field.data:
            raise ValidationError(_l("Say why the grant stays out of open data."))


class DeclineForm(FlaskForm):
    reasons = TextAreaField(
        _l("Reasons for declining (quoted in the letter)"),
        validators=[
            DataRequired(_l("Give the reasons: they are sent to the applicant.")),
            Length(max=REASONS_MAX),
            NoControlCharacters(),
        ],
        filters=[strip],
    )


class RevisionForm(FlaskForm):
    reasons = TextAreaField(
        _l("What must change (quoted in the letter)"),
        validators=[
            DataRequired(_l("Say what must change: it is sent to the applicant.")),
            Length(max=REASONS_MAX),
            NoControlCharacters(),
        ],
        filters=[strip],
    )
