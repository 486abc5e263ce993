"""Form pieces shared across areas."""

from __future__ import annotations

from flask import current_app
from wtforms.validators import Length, ValidationError

from fund.i18n import lazy_gettext as _l

PASSWORD_MIN = 10
PASSWORD_MAX = 200


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
