"""Forms of the concept-note screening: the list's filter, inviting and declining a note."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from fund.forms import NoControlCharacters
from fund.i18n import lazy_gettext as _l
from fund.reviews.concepts import FILTERS
from fund.reviews.forms import REASON


class ConceptFilterForm(FlaskForm):
    """Which concept notes the list shows (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    show = SelectField(_l("Show"), default="waiting")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show.choices = [(name, label) for name, (_states, label) in FILTERS.items()]


class InviteForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the organisation (optional)"),
        validators=[Optional(), Length(max=1000), NoControlCharacters()],
        description=_l("Put in the invitation letter, e.g. what the full proposal should add."),
    )


class DeclineConceptForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason the concept note is declined"),
        validators=REASON,
        description=_l("The organisation receives this text in its letter."),
    )
