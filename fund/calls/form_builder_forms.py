"""The builder's forms: shape only (lengths, numbers, dates); the form's rules are the
service's (fund/calls/form_builder.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import current_app
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fund.forms import FlaskForm, NoControlCharacters, WholeNumberField
from fund.forms_def.display import FILE_KIND_LABELS, TYPE_LABELS
from fund.forms_def.schema import (
    CHOICE_MAX,
    FILE_MAX_MB,
    HELP_MAX,
    LABEL_MAX,
    MAX_CHOICES,
    MAX_QUESTIONS,
    TABLE_MAX_ROWS,
    TEXT_LIMITS,
)
from fund.i18n import lazy_gettext as _l

DECIMAL_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$"
MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def _label_field(label):
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Write the question.")),
            Length(max=LABEL_MAX, message=_l("Use at most %(max)d characters.", max=LABEL_MAX)),
            NoControlCharacters(),
        ],
    )


def choice_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SectionForm(FlaskForm):
    """A section's title (adding one, or renaming it)."""

    title = StringField(
        _l("Section title"),
        validators=[
            DataRequired(_l("Give the section a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.", max=200)),
            NoControlCharacters(),
        ],
    )


class AddQuestionForm(FlaskForm):
    """A new question: its type, its wording, and for a choice question its answers."""

    type = SelectField(
        _l("Type of answer"),
        choices=[SelectChoice(value, label) for value, label in TYPE_LABELS.items()],
        validate_choice=False,
    )
    label = _label_field(_l("Question"))
    choices = TextAreaField(
        _l("Answers to choose from, one per line (choice questions only)"),
        validators=[NoControlCharacters()],
    )

    def validate_type(self, field) -> None:
        if field.data not in TYPE_LABELS:
            raise ValidationError(_l("Choose a type of answer from the list."))

    def validate_choices(self, field) -> None:
        lines = choice_lines(field.data)
        if self.type.data in ("single_choice", "multiple_choice") and not lines:
            raise ValidationError(_l("Give at least one answer to choose from."))
        _check_choice_lines(lines)


def _check_choice_lines(lines: list[str]) -> None:
    if len(lines) > MAX_CHOICES:
        raise ValidationError(_l("Give at most %(n)d answers.", n=MAX_CHOICES))
    if any(len(line) > CHOICE_MAX for line in lines):
        raise ValidationError(_l("Keep each answer to %(n)d characters.", n=CHOICE_MAX))


class QuestionForm(FlaskForm):
    """Everything about one question; the page shows the fields its type uses."""

    label = _label_field(_l("Question"))
    help = TextAreaField(
        _l("Help text (optional)"),
        validators=[
            Optional(),
            Length(max=HELP_MAX, message=_l("Use at most %(max)d characters.", max=HELP_MAX)),
            NoControlCharacters(),
        ],
    )
    required = BooleanField(_l("An answer is required to submit"))
    max = WholeNumberField(
        _l("Longest answer"),
        validators=[
            Optional(),
            NumberRange(min=1, max=TEXT_LIMITS["characters"], message=_l("Give 1 to %(max)d.")),
        ],
    )
    unit = SelectField(
        _l("Counted in"),
        choices=[SelectChoice("characters", _l("characters")), SelectChoice("words", _l("words"))],
        validate_choice=False,  # anything but words counts characters (see limits())
    )
    decimals = WholeNumberField(
        _l("Decimals allowed"),
        validators=[Optional(), NumberRange(min=0, max=4, message=_l("Give 0 to 4."))],
    )
    low = StringField(_l("Lowest value allowed (optional)"), validators=[Optional()])
    high = StringField(_l("Highest value allowed (optional)"), validators=[Optional()])
    other = BooleanField(_l("Offer “Other, please say”"))
    multiple = BooleanField(_l("Several countries may be chosen"))
    max_rows = WholeNumberField(
        _l("Most rows an applicant may give"),
        validators=[
            Optional(),
            NumberRange(min=1, max=TABLE_MAX_ROWS, message=_l("Give 1 to %(max)d.")),
        ],
    )
    totals = BooleanField(_l("Show the totals of the number and money columns"))
    new_choices = TextAreaField(
        _l("More answers to choose from, one per line"),
        validators=[Optional(), NoControlCharacters()],
    )
    kinds = SelectMultipleField(
        _l("Kinds of file accepted"),
        choices=[SelectChoice(value, label) for value, label in FILE_KIND_LABELS.items()],
        validate_choice=False,  # checked in check_bounds, with a clearer message
    )
    max_mb = WholeNumberField(
        _l("Largest file, in MB"),
        validators=[
            Optional(),
            NumberRange(min=1, max=FILE_MAX_MB, message=_l("Give 1 to %(max)d.")),
        ],
    )

    def validate_new_choices(self, field) -> None:
        _check_choice_lines(choice_lines(field.data))

    def limits(self, kind: str, current: dict[str, Any]) -> dict[str, Any] | None:
        """The limits as typed for a question of type `kind` (None for a type without any)."""
        if kind in ("short_text", "long_text"):
            limits = {"max": self.max.data or current["max"]}
            if kind == "long_text":
                limits["unit"] = "words" if self.unit.data == "words" else "characters"
            return limits
        if kind == "number":
            return {
                "min": _blank_none(self.low.data),
                "max": _blank_none(self.high.data),
                "decimals": self.decimals.data if self.decimals.data is not None else 0,
            }
        if kind in ("date", "money"):
            return {"min": _blank_none(self.low.data), "max": _blank_none(self.high.data)}
        if kind == "country":
            return {"multiple": bool(self.multiple.data)}
        if kind == "table":
            return {
                "max_rows": self.max_rows.data or current["max_rows"],
                "totals": bool(self.totals.data),
            }
        if kind == "file":
            return {
                "kinds": [k for k in FILE_KIND_LABELS if k in (self.kinds.data or [])],
                "max_mb": self.max_mb.data or current["max_mb"],
            }
        return None

    def check_bounds(self, kind: str) -> bool:
        """Numbers as numbers and dates as dates, a file question's kinds and size within what
        the app accepts; a message on the field otherwise."""
        if kind == "file":
            return self._check_file_limits()
        ok = True
        for field in (self.low, self.high):
            value = _blank_none(field.data)
            if value is None:
                continue
            if kind == "number" and not re.fullmatch(DECIMAL_PATTERN, value):
                field.errors = [*field.errors, str(_l("Give a number, e.g. 0 or 12.5."))]
                ok = False
            elif kind == "money" and not re.fullmatch(MONEY_PATTERN, value):
                field.errors = [*field.errors, str(_l("Give an amount, e.g. 0 or 1500.50."))]
                ok = False
            elif kind == "date":
                try:
                    date.fromisoformat(value) if len(value) == 10 else date.fromisoformat("x")
                except ValueError:
                    field.errors = [*field.errors, str(_l("Give a date, e.g. 2027-03-01."))]
                    ok = False
        return ok

    def _check_file_limits(self) -> bool:
        ok = True
        ticked = self.kinds.data or []
        if not ticked or any(value not in FILE_KIND_LABELS for value in ticked):
            self.kinds.errors = [*self.kinds.errors, str(_l("Tick at least one kind of file."))]
            ok = False
        largest = upload_limit_mb()
        if self.max_mb.data is not None and self.max_mb.data > largest:
            message = _l("The app accepts files of at most %(n)d MB.", n=largest)
            self.max_mb.errors = [*self.max_mb.errors, str(message)]
            ok = False
        return ok


def upload_limit_mb() -> int:
    """The largest size a file question may allow: the app's upload limit, in whole MB."""
    return max(1, current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024))


def _blank_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class MoveForm(FlaskForm):
    """A drop in the builder: which question or section, into which section, at which place."""

    item = StringField(validators=[DataRequired(_l("Say what to move.")), Length(max=10)])
    section = StringField(validators=[Optional(), Length(max=10)])
    position = WholeNumberField(
        validators=[
            InputRequired(_l("Say where to put it.")),
            NumberRange(min=0, max=MAX_QUESTIONS, message=_l("That place is not in the form.")),
        ],
        low=0,
        high=MAX_QUESTIONS,
    )
