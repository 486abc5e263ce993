"""The declaration an applicant ticks before submitting: the call's own text (in the reader's
language when the secretariat translated it) or the built-in one, and the form that asks for
the tick."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField
from wtforms.validators import DataRequired

from fund.forms import FlaskForm
from fund.forms_def.localise import LocalCall, reader_language
from fund.i18n import lazy_gettext as _l

# Used when the call gives none; lazy, so each applicant reads it in their own language.
DEFAULT_DECLARATION = _l(
    "On behalf of my organisation, I declare that:\n"
    "the information in this proposal is true and complete to the best of my knowledge;\n"
    "our child-safeguarding policy is in force and applies to everyone working on this "
    "project;\n"
    "we have read the call's terms and consent to them, including the checks the fund makes "
    "and the use of this proposal to decide on it."
)


def declaration_text(call: Any, language: str | None = None) -> str:
    """What the applicant reads and ticks for `call`, in `language` (by default the reader's)."""
    own = LocalCall(call, language or reader_language()).declaration
    return own.strip() if own and own.strip() else str(DEFAULT_DECLARATION)


class DeclarationForm(FlaskForm):
    """The tick box of the check-your-answers page."""

    declaration = BooleanField(
        _l("I have read the declaration above and confirm it on behalf of my organisation."),
        validators=[DataRequired(_l("Tick the declaration to submit the proposal."))],
    )
