"""Form pieces shared across areas."""

from __future__ import annotations

import flask_wtf
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import Length, ValidationError

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
            return super().render_field(field, render_kw)


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
