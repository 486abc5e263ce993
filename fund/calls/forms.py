"""The call form: shape only (types, ranges, lists). The call's rules live in services.py.

Times are entered as local date-times in a chosen time zone and handed to the service in UTC.
Rows of the rubric, the tranches and the interim reports are added and removed by buttons that
send the form back to be shown again, so it works without JavaScript.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fund.admin.forms import FISCAL_YEAR
from fund.calls.decision_settings import (
    LETTER_LABELS,
    LETTER_OUTCOMES,
    LETTER_PARTS,
    letter_name,
)
from fund.calls.form_fields import (
    CriterionForm,
    CriterionGuidanceForm,
    MultiCheckboxField,
    OneOf,
    PointsField,
    TrancheForm,
    amount,
    currency_choices,
    letter_field,
    optional_when,
    when,
    whole,
)
from fund.calls.rules import FIELD_LABELS as LABELS
from fund.calls.rules import currency_codes
from fund.decisions.letters import default_letter
from fund.forms import FlaskForm, NoControlCharacters, WholeNumberField
from fund.i18n import lazy_gettext as _l
from fund.models import IncomeGroup
from fund.organisation_labels import TYPE_LABELS
from fund.strategies import STRATEGY_LABELS
from fund.templating import INCOME_GROUP_LABELS
from fund.timezones import ALIASES, OTHER, all_zones, canonical, short_choices, zone_named

MAX_CRITERIA = 12
MAX_TRANCHES = 6
MAX_INTERIM_REPORTS = 10
# Left as they are when an edit does not send them (a checkbox not sent means "unticked").
KEPT_UNLESS_SENT = ("disagreement_threshold", "main_language", *LETTER_LABELS)

# What the placeholders of a decision letter stand for (fund/decisions/letters.py fills them).
PLACEHOLDER_HINTS = {
    "organisation": _l("the organisation's name"),
    "title": _l("the proposal's title"),
    "reference": _l("the proposal's reference, e.g. INS-2027-0042"),
    "amount": _l("the amount awarded, in figures"),
    "currency": _l("the call's currency, e.g. USD"),
    "reasons": _l("what the chairs write when they decide"),
    "reviewer_comments": _l("the reviewers' comments for the applicant, numbered, never named"),
    "deadline": _l("when the call closes (a concept note's invitation gives it)"),
}

ROW_FIELDS = ("criteria", "tranche_template", "interim_reports")


class CallForm(FlaskForm):
    title = StringField(
        LABELS["title"], validators=[DataRequired(), Length(max=200), NoControlCharacters()]
    )
    description = TextAreaField(
        LABELS["description"],
        description=_l("What the call funds and why; shown to applicants before they register."),
        validators=[DataRequired(), Length(max=20000), NoControlCharacters()],
    )
    declaration = TextAreaField(
        LABELS["declaration"],
        description=_l(
            "What applicants tick before they submit: that the information is true, that their "
            "child-safeguarding policy is in force and that they consent to the call's terms. "
            "Leave it empty for the built-in declaration, which each applicant reads in their "
            "own language."
        ),
        validators=[Length(max=5000), NoControlCharacters()],
    )
    main_language = SelectField(
        LABELS["main_language"],
        default="en",
        description=_l("The language the texts on this form are written in."),
        validate_choice=False,
    )
    languages = MultiCheckboxField(
        LABELS["languages"],
        description=_l(
            "Applicants can read the call and write their proposals in these. Give the texts in "
            "the other languages on the call's Translations pages; a text not translated is shown "
            "in the main language."
        ),
    )
    # A short list of the fund's regions (fund/timezones.py); any other zone is typed below.
    timezone = SelectField(
        LABELS["timezone"],
        validate_choice=False,
        validators=[OneOf(lambda: all_zones() | {OTHER}, _l("Choose a time zone from the list."))],
    )
    zone_aliases = ALIASES  # for app.js, which may get an older name from the browser
    timezone_other = StringField(
        _l("Other time zone"),
        description=_l(
            "Only if you chose “Other time zone” above: its name in the time-zone database, "
            "e.g. America/Caracas."
        ),
        validators=[Optional(), Length(max=64)],
    )
    opens_at = when(LABELS["opens_at"])
    closes_at = when(LABELS["closes_at"])
    two_stage = BooleanField(
        LABELS["two_stage"],
        description=_l(
            "Organisations first send a short concept note (the concept-note questions); the "
            "secretariat and the chairs shortlist them, and only those invited then submit the "
            "full proposal before the call closes. Fixed once anything is submitted."
        ),
    )
    concept_closes_at = optional_when(
        LABELS["concept_closes_at"],
        description=_l("For a two-stage call: after the call opens and before it closes."),
    )
    currency = SelectField(
        LABELS["currency"],
        validate_choice=False,
        validators=[OneOf(currency_codes, _l("Choose a currency from the list."))],
    )
    budget_envelope = amount(LABELS["budget_envelope"])
    min_award = amount(LABELS["min_award"])
    max_award = amount(LABELS["max_award"])
    max_duration_months = whole(LABELS["max_duration_months"], 1, 60)
    eligible_income_groups = MultiCheckboxField(
        LABELS["eligible_income_groups"],
        description=_l("By the World Bank's classification of the organisation's country."),
    )
    unclassified_eligible = BooleanField(LABELS["unclassified_eligible"])
    eligible_org_types = MultiCheckboxField(LABELS["eligible_org_types"])
    strategies = MultiCheckboxField(LABELS["strategies"])
    fiscal_year = StringField(
        LABELS["fiscal_year"],
        description=_l("The World Bank list that decides which countries are eligible."),
        validators=[DataRequired(), FISCAL_YEAR],
    )
    reviewers_per_proposal = whole(LABELS["reviewers_per_proposal"], 1, 10)
    chair_approvals_needed = whole(LABELS["chair_approvals_needed"], 1, 5)
    disagreement_threshold = PointsField(
        LABELS["disagreement_threshold"],
        default=Decimal("15"),
        description=_l(
            "The ranking flags a proposal for disagreement when the standard deviation of its "
            "reviewers' weighted scores (on the 0-100 scale) is above this number of points. "
            "For example, two reviewers 30 points apart have a standard deviation of 15. From 0 "
            "to 50; the usual setting is 15."
        ),
    )
    hide_reviewer_names = BooleanField(
        LABELS["hide_reviewer_names"],
        description=_l(
            "Chairs then see “Reviewer 1”, “Reviewer 2” and so on, on the decision "
            "page and the review summary; the secretariat still sees the names. "
            "Applicants never see reviewers' names."
        ),
    )
    letter_award_subject = letter_field("award", "subject")
    letter_award_body = letter_field("award", "body")
    letter_decline_subject = letter_field("decline", "subject")
    letter_decline_body = letter_field("decline", "body")
    letter_request_revision_subject = letter_field("request_revision", "subject")
    letter_request_revision_body = letter_field("request_revision", "body")
    letter_concept_invited_subject = letter_field("concept_invited", "subject")
    letter_concept_invited_body = letter_field("concept_invited", "body")
    letter_concept_declined_subject = letter_field("concept_declined", "subject")
    letter_concept_declined_body = letter_field("concept_declined", "body")
    criteria = FieldList(
        FormField(CriterionForm), label=LABELS["criteria"], max_entries=MAX_CRITERIA
    )
    # Once the rubric is fixed: only the descriptions and meanings, one row per criterion.
    criterion_guidance = FieldList(
        FormField(CriterionGuidanceForm),
        label=LABELS["criterion_guidance"],
        max_entries=MAX_CRITERIA,
    )
    tranche_template = FieldList(
        FormField(TrancheForm), label=LABELS["tranche_template"], max_entries=MAX_TRANCHES
    )
    interim_reports = FieldList(
        WholeNumberField(
            _l("Interim report due, months after the project starts"),
            validators=[InputRequired(), NumberRange(min=1, max=59, message=_l("From 1 to 59."))],
        ),
        label=_l("Interim reports"),
        max_entries=MAX_INTERIM_REPORTS,
    )
    final_report_days = whole(_l("Final report due, days after the project ends"), 0, 365)
    submit = SubmitField(_l("Save call"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._list_zones()
        self.currency.choices = currency_choices()
        self.eligible_income_groups.choices = [
            (g.value, INCOME_GROUP_LABELS[g]) for g in IncomeGroup if g != IncomeGroup.UNCLASSIFIED
        ]
        self.eligible_org_types.choices = [(t.value, label) for t, label in TYPE_LABELS.items()]
        self.strategies.choices = [(s.value, label) for s, label in STRATEGY_LABELS.items()]
        self.main_language.choices = list(current_app.config["LANGUAGES"].items())
        self.languages.choices = list(current_app.config["LANGUAGES"].items())

    def _list_zones(self) -> None:
        """The short list, with the zone the form holds (the call's, the user's) in it."""
        self.timezone.data = canonical(self.timezone.data)
        self.timezone.choices = [
            *short_choices([self.timezone.data]),
            (OTHER, _l("Other time zone…")),
        ]

    def _resolve_other_zone(self) -> bool:
        """With "Other time zone" chosen, the zone typed in its own field becomes the choice."""
        if "timezone" not in self or self.timezone.data != OTHER:
            return True
        zone = zone_named(self.timezone_other.data)
        if zone is None:
            message = _("Type the name of a time zone, e.g. America/Caracas.")
            self.timezone_other.errors = [*self.timezone_other.errors, message]
            return False
        self.timezone.data = zone
        self._list_zones()  # shown again with another error: the typed zone stays chosen
        return True

    @staticmethod
    def data_from(values: dict[str, Any]) -> dict[str, Any]:
        """Form data for a call's values (see rules.call_values), times in its zone."""
        zone = ZoneInfo(values["timezone"])
        data = dict(values)
        for name in ("opens_at", "closes_at", "concept_closes_at"):
            if values.get(name) is not None:
                data[name] = values[name].astimezone(zone).replace(tzinfo=None)
        data["criterion_guidance"] = [
            {"guidance": c["guidance"], "levels": c.get("levels") or []} for c in values["criteria"]
        ]
        data["interim_reports"] = [
            r["months_after_start"] for r in values["reporting_template"] if r["kind"] == "interim"
        ]
        data["final_report_days"] = next(
            (r["days_after_end"] for r in values["reporting_template"] if r["kind"] == "final"), 60
        )
        for outcome in LETTER_OUTCOMES:  # the call's own letter, else the built-in one to edit
            own = (values.get("letter_templates") or {}).get(outcome) or {}
            for part, built_in in zip(LETTER_PARTS, default_letter(outcome), strict=True):
                data[letter_name(outcome, part)] = own.get(part) or built_in
        return data

    def values(self) -> dict[str, Any]:
        """The validated form as values for the service; times in UTC."""
        values = {
            name: self[name].data
            for name in LABELS
            if name in self
            and name
            not in (
                "opens_at",
                "closes_at",
                "concept_closes_at",
                "criteria",
                "criterion_guidance",
                "title",
                "description",
                "declaration",
            )
        }
        zone = ZoneInfo(self.timezone.data)
        for name in ("opens_at", "closes_at"):
            if name in self:
                values[name] = to_utc(self[name].data, zone)
        if "concept_closes_at" in self:
            concept = self.concept_closes_at.data
            # a single-stage call keeps no concept deadline
            keep = concept is not None and values.get("two_stage", True)
            values["concept_closes_at"] = to_utc(concept, zone) if keep else None
        for name in ("title", "description"):
            values[name] = self[name].data.strip()
        values["declaration"] = (self.declaration.data or "").strip()
        for name in ("eligible_income_groups", "eligible_org_types", "strategies"):
            if name in self:  # in the order of the list, however they were sent
                chosen = set(self[name].data)
                values[name] = [value for value, _label in self[name].choices if value in chosen]
        # The main language is always one of the call's, ticked or not.
        chosen = {*self.languages.data, self.main_language.data}
        values["languages"] = [code for code, _name in self.languages.choices if code in chosen]
        if "criteria" in self:
            values["criteria"] = [
                {
                    "name": row.form.name.data.strip(),
                    "guidance": row.form.guidance.data.strip(),
                    "weight": row.form.weight.data,
                    "levels": [(level or "").strip() for level in row.form.levels.data],
                }
                for row in self.criteria
            ]
        if "criterion_guidance" in self:
            values["criterion_guidance"] = [
                {
                    "guidance": row.form.guidance.data.strip(),
                    "levels": [(level or "").strip() for level in row.form.levels.data],
                }
                for row in self.criterion_guidance
            ]
        values["tranche_template"] = [
            {"percent": row.form.percent.data, "condition": row.form.condition.data}
            for row in self.tranche_template
        ]
        values["reporting_template"] = [
            {"kind": "interim", "months_after_start": m} for m in sorted(self.interim_reports.data)
        ] + [{"kind": "final", "days_after_end": self.final_report_days.data}]
        values["letter_templates"] = {
            outcome: {part: self[letter_name(outcome, part)].data for part in LETTER_PARTS}
            for outcome in LETTER_OUTCOMES
        }
        return values

    def validate_main_language(self, field) -> None:
        # gettext now rather than a lazy message: the page's error summary lists plain strings.
        if field.data not in current_app.config["LANGUAGES"]:
            raise ValidationError(_("Choose a language from the list."))

    def validate(self, extra_validators=None) -> bool:
        for name in ROW_FIELDS:  # rows added but left empty are ignored, not errors
            if name in self:
                self[name].entries = [row for row in self[name].entries if not _blank(row)]
        valid = super().validate(extra_validators)
        return self._resolve_other_zone() and valid

    def keep_only_sent(self, names, sent) -> None:
        """Drop the fields among `names` that the request did not send (locked fields)."""
        sent_fields = {key.split("-", 1)[0] for key in sent}
        for name in names:
            if name in self and name not in sent_fields:
                del self[name]

    def use_rubric_rows(self, locked: bool, sent=None) -> None:
        """The full rubric rows while the rubric may change; once it is fixed, only its
        descriptions and meanings, left as they are when the request does not send them."""
        if not locked:
            del self["criterion_guidance"]
        elif sent is not None:
            self.keep_only_sent(("criterion_guidance",), sent)

    def keep_unsent(self, names, sent, current: dict[str, Any]) -> None:
        """Give the fields among `names` that the request did not send their `current` value
        (form data, see data_from), so that an edit leaves them as they were."""
        for name in names:
            if name not in sent:
                self[name].data = current[name]

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the service's messages next to the fields they concern."""
        for name, message in errors.items():
            target = "interim_reports" if name == "reporting_template" else name
            if target in self:
                self[target].errors = [*self[target].errors, message]

    def change_rows(self, action: str) -> bool:
        """Apply an "Add ..." or "Remove" row button; False if `action` is not one we know."""
        verb, _sep, rest = action.partition(":")
        name, _sep, position = rest.partition(":")
        if name not in ROW_FIELDS or name not in self:
            return False
        rows = list(self[name].data)
        if verb == "add" and not position and len(rows) < self[name].max_entries:
            rows.append(
                {"percent": None, "condition": "signature"} if name == "tranche_template" else None
            )
        elif (
            verb == "remove"
            and position.isascii()
            and position.isdigit()
            and (int(position) < len(rows))
        ):
            del rows[int(position)]
        else:
            return False
        field = self[name]
        field.entries, field.last_index = [], -1
        for row in rows:
            field.append_entry(row)
        return True


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as an aware UTC datetime."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def _blank(row) -> bool:
    if isinstance(row, FormField):
        return all(_blank(f) for f in row.form if not isinstance(f, SelectField))
    if isinstance(row, FieldList):
        return all(_blank(f) for f in row.entries)
    return not (row.raw_data and str(row.raw_data[0]).strip())
