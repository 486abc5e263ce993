"""The concept-note form of a two-stage call: the core fields and the call's concept questions."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from fund.countries import country_choices
from fund.forms_def.localise import local_form
from fund.forms_def.validate import AnswerForm, call_scope
from fund.i18n import lazy_gettext as _l
from fund.models import Call, Strategy
from fund.numbers import parse_id
from fund.proposals.forms import MultiCheckboxField, text_field
from fund.strategies import strategy_label


class ConceptForm(FlaskForm):
    """The concept note as drafted; the call's concept questions are in `custom`."""

    lock_version = HiddenField()
    title = text_field(_l("Title"), "title", area=False, required=True)
    summary = text_field(
        _l("Summary"), "summary", description=_l("What the project will do, with whom, and why.")
    )
    strategies = MultiCheckboxField(
        _l("INSPIRE strategies addressed"),
        unknown_message=_l("%(value)s is not one of the strategies this call covers."),
    )
    countries = MultiCheckboxField(
        _l("Countries of implementation"),
        unknown_message=_l("%(value)s is not a country code we know."),
        description=_l("Tick each country where the project will take place."),
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategies.choices = [
            (s.value, strategy_label(s)) for s in Strategy if s.value in (call.strategies or [])
        ]
        self.countries.choices = country_choices()
        formdata = kwargs.get("formdata", request.form if self.is_submitted() else None)
        stored = getattr(kwargs.get("obj"), "concept_answers", None)
        self.custom = AnswerForm(
            local_form(call, column="concept_form"),
            formdata=formdata,
            stored=stored,
            scope=call_scope(call),
        )

    def validate(self, extra_validators=None) -> bool:
        """The core fields and the call's concept questions, every error found at once."""
        fixed = super().validate(extra_validators)
        return self.custom.validate() and fixed

    def validate_lock_version(self, field) -> None:
        if parse_id(field.data) is None:
            raise ValidationError(_l("The form has lost its version number. Reload the page."))

    def expected_version(self) -> int:
        return parse_id(self.lock_version.data)

    def concept_data(self) -> dict:
        """The typed values the concept service stores."""
        return {
            "title": self.title.data or "",
            "summary": self.summary.data or "",
            "strategies": list(self.strategies.data or []),
            "countries": list(self.countries.data or []),
            "concept_answers": dict(self.custom.answers),
        }
