"""The confirmation page's form: the reason and the due date, asked for once for every row."""

from __future__ import annotations

from wtforms import DateField, TextAreaField
from wtforms.validators import Length, Optional

from fund.forms import DateWithin, FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l


class BulkForm(FlaskForm):
    """Shape only: which fields the chosen action needs is checked by the view."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=1000), NoControlCharacters()],
        description=_l("One reason for every proposal; each organisation receives it by e-mail."),
    )
    due_on = DateField(
        _l("Reviews due on"),
        validators=[Optional(), DateWithin(past_years=1, future_years=5)],
    )
