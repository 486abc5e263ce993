"""Form pieces shared across areas."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

import flask_wtf
from babel import support
from flask import current_app, has_request_context
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms import DecimalField, IntegerField, widgets
from wtforms.csrf.core import CSRFTokenField
from wtforms.i18n import messages_path
from wtforms.validators import Length, ValidationError
from wtforms.widgets.core import clean_key

from fund import clock
from fund.dates import add_years
from fund.i18n import lazy_gettext as _l
from fund.numbers import ID_MAX, parse_decimal, parse_id, parse_whole

PASSWORD_MIN = 10
PASSWORD_MAX = 200


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, fit for pages that show several forms: ids stay unique on the page.

    The hidden CSRF field has no id (every form on a page carries one; nothing points at it),
    and a form whose fields share names with another form on its page sets `Meta.id_prefix`:
    its ids (and so its labels' `for`) change, its field names, and what it posts, do not.
    """

    class Meta:
        id_prefix = ""

        def bind_field(self, form, unbound_field, options):
            if self.id_prefix:
                options = {**options, "id": f"{self.id_prefix}{options['prefix']}{options['name']}"}
            return super().bind_field(form, unbound_field, options)

        def render_field(self, field, render_kw):
            if isinstance(field, CSRFTokenField):
                render_kw = {**render_kw, "id": False}  # False leaves the attribute out
            widget = field.widget
            if type(widget) is widgets.Select:  # the lean one writes the same HTML
                field.widget = LeanSelect(multiple=widget.multiple)
            elif isinstance(widget, widgets.Input) and widget.html_params is not _attributes:
                # inputs write their attributes through `html_params`, which each may replace:
                # this field's own copy writes them without WTForms' string formatter
                field.widget = copy.copy(widget)
                field.widget.html_params = _attributes
            return super().render_field(field, render_kw)

        def get_translations(self, form):
            """WTForms' own messages in the request's language. Flask-WTF reads the catalogue
            file again on every request; it is read once per language here."""
            if not has_request_context():
                return super().get_translations(form)
            return _wtforms_catalogue(str(get_locale()))


class LeanSelect(widgets.Select):
    """WTForms' select, writing its tag and each plain option straight out: a country list's 250
    options went through WTForms' general attribute writer (a string formatter) one by one, and
    each select asked for the signature of its option writer, a fifth of a filter page's time.
    The HTML is the same (attributes in WTForms' sorted order); grouped choices go WTForms' way."""

    def __call__(self, field, **kwargs):
        if field.has_groups():
            return super().__call__(field, **kwargs)
        html = [self.open_tag(field, **kwargs)]
        html.extend(self.render_option(choice) for choice in field._iter_choices_normalized())
        html.append("</select>")
        return Markup("".join(html))

    def open_tag(self, field, **kwargs) -> str:
        """The `<select ...>` tag of `field` with `kwargs` as attributes, as WTForms writes it."""
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", None)
        if flags is not None:
            for name in dir(flags):  # the flags a validator set (required), as WTForms does
                if name in self.validation_attrs and name not in kwargs:
                    kwargs[name] = getattr(flags, name)
        return f"<select {_attributes(name=field.name, **kwargs)}>"

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        return Markup(option_html(value, choice.label, choice.selected))


def option_html(value: str, label: str | None, selected: bool) -> str:
    """A plain `<option>` as WTForms writes it (the value stands in for an empty label)."""
    mark = "selected " if selected else ""
    return f'<option {mark}value="{escape(value)}">{escape(label or value)}</option>'


def _attributes(**kwargs: Any) -> str:
    """WTForms' `html_params` without its string formatter: sorted names, `class_` and
    `data_x` spelt as HTML spells them, True alone, False left out, values escaped (a quote in
    a value already marked safe too)."""
    written = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = clean_key(key)
        if value is True:
            written.append(name)
        else:
            written.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(written)


@cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def password_length():
    return Length(
        min=PASSWORD_MIN,
        max=PASSWORD_MAX,
        message=_l(
            "Use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX
        ),
    )


class NoControlCharacters:
    """Refuses control characters (other than new lines and tabs) in text."""

    def __call__(self, form, field) -> None:
        if field.data and any(ord(ch) < 32 and ch not in "\n\r\t" for ch in field.data):
            raise ValidationError(_l("Remove the invisible control characters from this text."))


def language_choices() -> list[tuple[str, str]]:
    return list(current_app.config["LANGUAGES"].items())


# --- numbers: plain figures that fit their column, or a field error (never a 500) -------------


class _PlainFigures:
    """Turns what was typed into the field's value with `parse`, or into the field's message;
    an empty box is no value (the validators decide whether one is required)."""

    message: str

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = None
        raw = (valuelist[0] or "").strip()
        if raw:
            try:
                self.data = self.parse(raw)
            except ValueError:
                raise ValueError(self.message) from None


class NumberField(_PlainFigures, DecimalField):
    """A decimal written in plain figures (no exponent, NaN or infinity) that fits a
    Numeric(14, 2) column, or a field error saying how to write it. Every amount and points
    field of the app is one of these, so what one refuses, all refuse."""

    def __init__(self, label=None, validators=None, *, whole_digits: int = 12, message=None, **kw):
        kw.setdefault("places", 2)
        super().__init__(label, validators, **kw)
        self.whole_digits = whole_digits
        self.message = message or _l("Give an amount in figures, e.g. 1250.50.")

    def parse(self, raw: str) -> Decimal:
        return parse_decimal(raw, self.whole_digits)


class WholeNumberField(_PlainFigures, IntegerField):
    """A whole number in plain digits within `low`..`high` (by default what an integer column
    holds), or a field error; the field's NumberRange, if any, then gives its own message."""

    def __init__(
        self, label=None, validators=None, *, low=-ID_MAX, high=ID_MAX, message=None, **kw
    ):
        super().__init__(label, validators, **kw)
        self.low, self.high = low, high
        self.message = message or _l("Give a whole number, e.g. 12.")

    def parse(self, raw: str) -> int:
        return parse_whole(raw, self.low, self.high)


def record_id(value) -> int:
    """`coerce` for select lists of records: an id a column can hold, else "not a choice"."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX:
        return value
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


class DateWithin:
    """A date from `past_years` before to `future_years` after today: one someone could mean.

    Year 9999 passes a date field, then breaks whatever is computed from it (a grant's schedule,
    a reminder); here it is a field error naming the dates allowed.
    """

    def __init__(self, *, past_years: int, future_years: int) -> None:
        self.past_years, self.future_years = past_years, future_years

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        day = field.data.date() if isinstance(field.data, datetime) else field.data
        today = clock.now().date()
        first, last = add_years(today, -self.past_years), add_years(today, self.future_years)
        if not first <= day <= last:
            raise ValidationError(
                _(
                    "Give a date between %(first)s and %(last)s.",
                    first=format_date(first, "medium"),
                    last=format_date(last, "medium"),
                )
            )
