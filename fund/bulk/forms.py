"""The bulk confirmation page's form (the reason and the due date, asked once for every row)
and the broadcast form."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from fund.forms import DateWithin, FlaskForm, NoControlCharacters, record_id
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


def call_or_none(value) -> int:
    """A call's id (one a column can hold), or 0 for "no call"; anything else is not a choice."""
    return 0 if value in (None, "", "0", 0) else record_id(value)


class BroadcastForm(FlaskForm):
    """The audience and, added per language by `broadcast_form`, a subject and body each."""

    audience = SelectField(_l("Who receives it"), validators=[InputRequired()])
    call_id = SelectField(
        _l("Call"),
        coerce=call_or_none,
        validators=[Optional()],
        description=_l("Needed for every audience but the active grantees."),
    )


def broadcast_form(languages: dict[str, str], default: str, **kwargs) -> BroadcastForm:
    """A BroadcastForm with a subject and body for each of `languages` (code: name); those of
    `default` are required, the others optional (a recipient without them gets the default)."""

    class Form(BroadcastForm):
        pass

    for code, name in languages.items():
        needed = [InputRequired(message=_l("Give the text in this language."))]
        checks = needed if code == default else [Optional()]
        setattr(
            Form,
            f"subject_{code}",
            StringField(
                _l("Subject (%(language)s)", language=name),
                validators=[*checks, Length(max=200), NoControlCharacters()],
            ),
        )
        setattr(
            Form,
            f"body_{code}",
            TextAreaField(
                _l("Message (%(language)s)", language=name),
                validators=[*checks, Length(max=10_000)],
            ),
        )
    return Form(**kwargs)
