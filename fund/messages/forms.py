"""Forms of the message threads and of "Ask for more information": shape only."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from fund.forms import DateWithin, FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l

BODY_MAX = 10_000
MAX_FILES = 5


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label, **kwargs) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=_l("Write the message.")),
            Length(max=BODY_MAX),
            NoControlCharacters(),
        ],
        filters=[strip],
        render_kw={"rows": 5},
        **kwargs,
    )


class MessageForm(FlaskForm):
    class Meta:
        id_prefix = "message-"

    body = _text(_l("Your message"))
    attachments = MultipleFileField(
        _l("Attach files (optional)"),
        description=_l("Up to %(n)d files.", n=MAX_FILES),
    )

    def validate_attachments(self, field) -> None:
        if len([f for f in field.data or [] if getattr(f, "filename", "")]) > MAX_FILES:
            raise ValidationError(_l("Attach at most %(n)d files.", n=MAX_FILES))

    def files(self) -> list:
        """The files actually chosen (a form posted without one sends an empty part)."""
        return [f for f in self.attachments.data or [] if getattr(f, "filename", "")]


class InformationRequestForm(FlaskForm):
    class Meta:
        id_prefix = "request-"

    question = TextAreaField(
        _l("Your question to the applicant"),
        validators=[
            DataRequired(message=_l("Write the question the applicant should answer.")),
            Length(max=BODY_MAX),
            NoControlCharacters(),
        ],
        filters=[strip],
        description=_l("It is sent to the organisation's members as a message in the thread."),
        render_kw={"rows": 6},
    )
    due_on = DateField(
        _l("Answer due by"),
        validators=[
            InputRequired(message=_l("Give the due date as year-month-day.")),
            DateWithin(past_years=1, future_years=1),  # a past date: the workflow says so
        ],
    )


class ReturnForm(FlaskForm):
    class Meta:
        id_prefix = "return-"

    reason = TextAreaField(
        _l("Why it goes back to screening without an answer"),
        validators=[
            DataRequired(message=_l("Give a reason: it is kept in the audit trail.")),
            Length(max=2000),
            NoControlCharacters(),
        ],
        filters=[strip],
        render_kw={"rows": 3},
    )


class ShareForm(FlaskForm):
    """Sharing a message with the reviewers: the CSRF token only."""
