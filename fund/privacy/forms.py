"""Forms of the policies' pages: shape only."""

from __future__ import annotations

from flask import current_app
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from fund.forms import FlaskForm, NoControlCharacters
from fund.i18n import lazy_gettext as _l
from fund.policies import MAX_TEXT


class AcceptForm(FlaskForm):
    # The version read: if a newer one was published meanwhile, that one must be read first.
    number = HiddenField()
    submit = SubmitField(_l("I accept"))


class PublishForm(FlaskForm):
    """One text box per language of the app; English is required."""

    submit = SubmitField(_l("Publish as a new version"))

    @classmethod
    def for_languages(cls, **kwargs) -> PublishForm:
        class Form(cls):
            pass

        labels = current_app.config["LANGUAGES"]
        for code in labels:
            validators = [Length(max=MAX_TEXT), NoControlCharacters()]
            validators.insert(0, DataRequired() if code == "en" else Optional())
            setattr(
                Form,
                f"text_{code}",
                TextAreaField(
                    _l("Text in %(language)s", language=labels.get(code, code)),
                    validators=validators,
                    render_kw={"rows": 14},
                ),
            )
        return Form(**kwargs)
