"""The secretariat's translations of a call's texts: the form of one language's page (one box
per text of the call) and the service that stores them, with its audit entry."""

from __future__ import annotations

from flask import current_app
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from fund.calls.decision_settings import LETTER_LIMITS
from fund.calls.rubric import LEVEL_MAX
from fund.calls.services import audit
from fund.decisions.letters import placeholder_problem
from fund.extensions import db
from fund.forms import FlaskForm, NoControlCharacters
from fund.forms_def.localise import Text, call_texts
from fund.forms_def.schema import CHOICE_MAX, HELP_MAX, LABEL_MAX
from fund.i18n import lazy_gettext as _l
from fund.models import Call, User

LONG_MAX = 20_000  # as long as the call's description may be


def text_limit(text: Text) -> int:
    """The longest a translation of `text` may be: as long as the main text may be."""
    key = text.key
    if text.long:
        return LONG_MAX
    if key.endswith(".help"):
        return HELP_MAX
    if key.endswith(".label"):
        return LABEL_MAX
    if key == "title" or key.endswith(".name"):
        return 200
    if key.startswith("letter:"):
        return LETTER_LIMITS["subject"]
    if key.startswith("criterion:"):
        return LEVEL_MAX
    return CHOICE_MAX  # a section's title or a choice


class LetterPlaceholders:
    """A translated letter keeps to the placeholders a letter may have."""

    def __call__(self, form, field) -> None:
        problem = placeholder_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class TranslationForm(FlaskForm):
    """One box per text of the call; the fields are added for each call (see `for_call`)."""

    submit = SubmitField(_l("Save translations"))


def translation_form(call: Call, language: str) -> TranslationForm:
    """The form for `language`'s texts of `call`: what was sent, else the texts given so far."""
    texts = call_texts(call)

    class CallTranslationForm(TranslationForm):
        pass

    for number, text in enumerate(texts, start=1):
        validators = [Length(max=text_limit(text)), NoControlCharacters()]
        if text.key.startswith("letter:"):
            validators.append(LetterPlaceholders())
        kind = TextAreaField if text.long else StringField
        setattr(
            CallTranslationForm,
            text.key,
            kind(text.what, validators=validators, id=f"text-{number}"),
        )
    given = (call.translations or {}).get(language) or {}
    form = CallTranslationForm(data={t.key: given.get(t.key, "") for t in texts})
    form.texts = texts
    return form


def language_name(language: str) -> str:
    """A language's own name (Français), as the language menu shows it."""
    return current_app.config["LANGUAGES"].get(language, language)


def save_translations(call: Call, language: str, texts: dict[str, str], actor: User) -> list[str]:
    """Store `language`'s `texts` ({key: text}, an empty text for none) of the call; returns
    the keys that changed. Keys the call no longer has are dropped."""
    known = {t.key for t in call_texts(call)}
    before = dict((call.translations or {}).get(language) or {})
    after = {
        key: value.strip() for key, value in texts.items() if key in known and (value or "").strip()
    }
    changed = sorted(key for key in known if before.get(key, "") != after.get(key, ""))
    if changed:
        # A new dict, so that the JSON column sees the change.
        call.translations = {**(call.translations or {}), language: after}
        audit(call, "translate", actor, f"{language}: {', '.join(changed)}"[:2000])
        db.session.flush()
    return changed
