"""Forms of the open-data pages: shape only."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from fund.forms import FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l


class AwardedFilterForm(FlaskForm):
    """The public list's filters (a GET: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    call = SelectField(_l("Call"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args, calls: list[tuple[str, str]], countries: list[tuple[str, str]], **kw):
        super().__init__(*args, **kw)
        self.call.choices = [("", _l("Any call"))] + calls
        self.country.choices = [("", _l("Any country"))] + countries


class PublishingForm(FlaskForm):
    """Whether the grant is named in open data, and why not."""

    published = BooleanField(_l("Name this grant in open data (the public list and 360Giving)"))
    reason = TextAreaField(
        _l("Why it is not named"),
        # No Optional(): it would stop validate_reason from asking for a reason.
        validators=[Length(max=2000), NoControlCharacters()],
        description=_l(
            "For example: naming the organisation would put its staff or the children it works "
            "with at risk. Only the secretariat sees this."
        ),
    )
    submit = SubmitField(_l("Save"))

    def validate_reason(self, field) -> None:
        if not self.published.data and not (field.data or "").strip():
            raise ValidationError(_l("Say why the grant is not named in open data."))
