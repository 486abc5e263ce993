"""Forms for screening, assignment, conflicts and the review itself: shape only."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask_babel import get_locale
from markupsafe import Markup
from wtforms import DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fund.countries import country_choices
from fund.forms import (
    DateWithin,
    FlaskForm,
    LeanSelect,
    NoControlCharacters,
    option_html,
    record_id,
)
from fund.i18n import lazy_gettext as _l
from fund.models import Recommendation
from fund.strategies import STRATEGY_LABELS
from fund.workflow import state_label

REASON = [DataRequired(message=_l("Give a reason.")), Length(max=1000), NoControlCharacters()]
COMMENTS = [Optional(), Length(max=10_000), NoControlCharacters()]

SCORE_RANGE = _l("Give a whole number from 1 to 5.")

RECOMMENDATION_LABELS = {
    Recommendation.FUND: _l("Fund"),
    Recommendation.FUND_WITH_CHANGES: _l("Fund with changes"),
    Recommendation.DO_NOT_FUND: _l("Do not fund"),
}


# WTForms' own message for a value not among a select's choices, translated by WTForms'
# catalogue (self.gettext) as its SelectField does; not one of the application's strings.
WTFORMS_INVALID_CHOICE = "Not a valid choice."


class FixedOptions(LeanSelect):
    """A `FixedFilterField`'s select, the same HTML as WTForms': its options are written once
    per language (and "any" label), and per request only the chosen one is marked. Rendering
    the 250 countries one by one was about a tenth of the screening page; the strategies and
    states, their choices built and each label looked up in the catalogue on every request,
    another twentieth."""

    def __call__(self, field, **kwargs):
        options = _options(field.choices_of, str(get_locale()), str(field.any_label))
        chosen = field.data
        return Markup(
            self.open_tag(field, **kwargs)
            + "".join(selected if value == chosen else plain for value, plain, selected in options)
            + "</select>"
        )


@cache
def _options(
    choices_of: Callable[[], list[tuple[str, str]]], locale: str, any_label: str
) -> tuple[tuple[str, str, str], ...]:
    """(value, option, option selected) for "any" and each of `choices_of()`, in `locale`
    (the one in force when it is first asked: the key only tells the lists apart)."""
    return tuple(
        (value, option_html(value, label, False), option_html(value, label, True))
        for value, label in [("", any_label), *choices_of()]
    )


@cache
def _codes(choices_of: Callable[[], list[tuple[str, str]]]) -> frozenset[str]:
    return frozenset(code for code, _label in choices_of())


class FixedFilterField(SelectField):
    """ "Any" ("") or one of the codes of `choices_of()`, its (code, label) pairs in the current
    language: the codes are the same on every request, only the labels' language changes. It is
    validated against the codes and drawn by `FixedOptions`, each list worked out once per
    language, where WTForms went through every choice twice a request. `choices_of` is a
    function kept for the process (the lists are kept per function)."""

    widget = FixedOptions()

    def __init__(self, label, any_label, choices_of=None, **kwargs):
        super().__init__(label, validators=[Optional()], **kwargs)
        self.any_label = any_label
        self.choices_of = choices_of

    def iter_choices(self):
        # Only asked by code that wants the choices themselves; the widget does not.
        self.choices = [("", self.any_label), *self.choices_of()]
        return super().iter_choices()

    def pre_validate(self, form):
        if self.data and self.data not in _codes(self.choices_of):
            raise ValidationError(self.gettext(WTFORMS_INVALID_CHOICE))


def strategy_choices() -> list[tuple[str, str]]:
    """Each INSPIRE strategy as (code, name) in the current language."""
    return [(s.value, str(label)) for s, label in STRATEGY_LABELS.items()]


@cache
def state_choices(states: tuple[str, ...]) -> Callable[[], list[tuple[str, str]]]:
    """A `choices_of` for a filter of `states`: (state, label) in the current language; one
    function for each set of states, so that its options are kept."""
    return lambda: [(state, state_label(state)) for state in states]


class ScreeningFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    country = FixedFilterField(
        _l("Country of the organisation"), _l("Any country"), country_choices
    )
    strategy = FixedFilterField(_l("INSPIRE strategy"), _l("Any strategy"), strategy_choices)
    state = FixedFilterField(_l("State"), _l("Any state"))
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices_of = state_choices(tuple(s.value for s in states))


class ScreenInForm(FlaskForm):
    pass


class ScreenOutForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason the proposal is not eligible"),
        validators=REASON,
        description=_l("The applicant receives this text by e-mail."),
    )


class DueDateForm(FlaskForm):
    due_on = DateField(
        _l("Due date"),
        validators=[
            InputRequired(message=_l("Give the due date as year-month-day.")),
            DateWithin(past_years=1, future_years=5),  # from today on: the service says so
        ],
    )


class AddReviewerForm(DueDateForm):
    class Meta:
        id_prefix = "add-"  # shown beside the automatic assignment's own due date

    reviewer_id = SelectField(_l("Reviewer"), coerce=record_id, validators=[InputRequired()])


class ReassignForm(DueDateForm):
    reviewer_id = SelectField(_l("New reviewer"), coerce=record_id, validators=[InputRequired()])


class EmptyForm(FlaskForm):
    """A POST carrying only its CSRF token (remove, no conflict)."""


class ConflictForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the conflict of interest"),
        validators=REASON,
        description=_l("Only the secretariat sees this."),
    )


class RecordConflictForm(ConflictForm):
    user_id = SelectField(_l("Person"), coerce=record_id, validators=[InputRequired()])


class ReviewForm(FlaskForm):
    """Built per call: one radio group `score_<criterion id>` per criterion of the rubric."""

    recommendation = RadioField(_l("Recommendation"), validators=[Optional()])
    comments_for_applicant = TextAreaField(
        _l("Comments for the applicant"),
        validators=COMMENTS,
        description=_l("Shared with the applicant without your name."),
    )
    confidential_comments = TextAreaField(
        _l("Confidential comments for the chairs"),
        validators=COMMENTS,
        description=_l("Only the chairs and the secretariat see these."),
    )

    @classmethod
    def for_criteria(cls, criteria, *args, **kwargs) -> ReviewForm:
        """A form class with a score field per criterion, instantiated."""

        class Form(cls):
            pass

        for criterion in criteria:
            setattr(
                Form,
                f"score_{criterion.id}",
                RadioField(
                    criterion.name,
                    coerce=int,
                    validators=[Optional(), NumberRange(min=1, max=5, message=SCORE_RANGE)],
                    description=criterion.guidance,
                    validate_choice=False,
                ),
            )
        form = Form(*args, **kwargs)
        form.criteria = list(criteria)
        # Choices are set on the bound fields: WTForms deprecates tuples given to the class.
        form.recommendation.choices = [
            (r.value, label) for r, label in RECOMMENDATION_LABELS.items()
        ]
        for _criterion, field in form.score_fields():
            field.choices = [(n, str(n)) for n in range(1, 6)]
        return form

    def score_fields(self):
        return [(c, self[f"score_{c.id}"]) for c in self.criteria]

    def review_data(self) -> dict:
        return {
            "scores": {c.id: f.data for c, f in self.score_fields()},
            "recommendation": self.recommendation.data or None,
            "comments_for_applicant": self.comments_for_applicant.data or "",
            "confidential_comments": self.confidential_comments.data or "",
        }
