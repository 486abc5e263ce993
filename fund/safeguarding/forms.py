"""Safeguarding forms: shape only."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from fund.forms import FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l

TEXT_MAX = 20_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ConcernForm(FlaskForm):
    about = StringField(
        _l("Which organisation, activity or place is it about?"),
        validators=[DataRequired(), Length(max=300), NoControlCharacters()],
        filters=[strip],
    )
    description = TextAreaField(
        _l("What happened, or what worries you"),
        validators=[DataRequired(), Length(max=TEXT_MAX), NoControlCharacters()],
        filters=[strip],
        description=_l(
            "What you saw or heard, when and where, and who was involved, as far as you know. "
            "Do not investigate yourself, and do not name a child unless you must."
        ),
        render_kw={"rows": 10},
    )
    submit = SubmitField(_l("Send to the safeguarding leads"))


class ActionForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        validators=[DataRequired(), Length(max=TEXT_MAX), NoControlCharacters()],
        filters=[strip],
    )
    submit = SubmitField(_l("Add to the record"))


class CloseForm(FlaskForm):
    outcome = TextAreaField(
        _l("Outcome"),
        validators=[DataRequired(), Length(max=TEXT_MAX), NoControlCharacters()],
        filters=[strip],
    )
    submit = SubmitField(_l("Close the concern"))


class ReopenForm(FlaskForm):
    submit = SubmitField(_l("Reopen the concern"))
