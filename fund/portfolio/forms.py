"""The portfolio's filters: shape only."""

from __future__ import annotations

from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from fund.forms import DateWithin, FlaskForm
from fund.i18n import lazy_gettext as _l

PERIOD_DATES = DateWithin(past_years=50, future_years=1)


class PortfolioFilterForm(FlaskForm):
    """Which grants the portfolio counts (a GET: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    call = SelectField(_l("Call"), validators=[Optional()])
    start = DateField(_l("Awarded from"), validators=[Optional(), PERIOD_DATES])
    end = DateField(_l("Awarded until"), validators=[Optional(), PERIOD_DATES])

    def __init__(self, *args, calls: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.call.choices = [("", _l("Every call"))] + [(str(i), title) for i, title in calls]

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the period comes before its start."))
