"""Names available in every template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app, has_request_context, url_for
from flask_babel import format_datetime, get_locale
from flask_login import current_user
from wtforms.validators import Length

from fund import permissions, workflow
from fund.countries import country_name
from fund.dates import format_day
from fund.forms_def.display import answer_text
from fund.forms_def.localise import reader_call
from fund.i18n import lazy_gettext as _l
from fund.income_groups import INCOME_GROUP_LABELS
from fund.jinja_env import escape_output
from fund.models import Role
from fund.money import money
from fund.navigation import current_path, page_frame
from fund.once import new_token
from fund.organisation_labels import BUDGET_LABELS, TYPE_LABELS
from fund.strategies import strategy_label

ROLE_LABELS = {
    Role.APPLICANT: _l("applicant"),
    Role.REVIEWER: _l("reviewer"),
    Role.CHAIR: _l("chair"),
    Role.ADMIN: _l("secretariat (admin)"),
    Role.SAFEGUARDING_LEAD: _l("safeguarding lead"),
    Role.OBSERVER: _l("observer (portfolio, read-only)"),
}


# An id no row has (the largest an id column holds), put in a URL once and replaced per row.
URL_MARK = 2**31 - 1


def id_url(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, key=id, **values)` for each row of a list, with one `url_for`:
    building a URL costs more than the rest of a row's cell. The URL is built once with a
    mark for the id, and each row's is the two halves around its own id."""
    before, _, after = url_for(endpoint, **{key: URL_MARK}, **values).partition(str(URL_MARK))
    return lambda row_id: f"{before}{int(row_id)}{after}"


def id_href(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`id_url`, escaped for an HTML attribute: each half is escaped once (a row's id is digits,
    which escaping leaves as they are), not each row's URL."""
    before, _, after = url_for(endpoint, **{key: URL_MARK}, **values).partition(str(URL_MARK))
    before, after = escape_output(before), escape_output(after)
    return lambda row_id: f"{before}{int(row_id)}{after}"


def score(value: float | None, pattern: str = "%.1f") -> str:
    """A statistic of the ranking as shown: one decimal by default, a dash when there is none
    (a filter, not a macro: the ranking shows four or five a row)."""
    return pattern % value if value is not None else "–"


def register(app: Flask) -> None:
    """Add the context processor and filters."""

    # Globals, unlike context-processor names, are visible inside imported macros too.
    app.jinja_env.globals.update(
        Role=Role,
        get_locale=get_locale,
        can=permissions,
        allowed_actions=workflow.allowed_actions,
        state_label=workflow.state_label,
        has_role=lambda role: permissions.has_role(current_user, role),
        field_limit=field_limit,
        own_errors=own_errors,
        once_token=new_token,
        org_type_label=lambda value: TYPE_LABELS.get(value, value),
        budget_band_label=lambda value: BUDGET_LABELS.get(value, value),
        income_group_label=lambda value: INCOME_GROUP_LABELS.get(value, value),
        role_label=lambda value: ROLE_LABELS.get(value, value),
        answer_text=answer_text,  # the concept note's answers (_macros/concept_note.html)
        reader_call=reader_call,  # and its frozen questions in the reader's language
        id_url=id_url,  # one url_for for all the rows of a list
        page_frame=page_frame,  # rendered once per kind of reader (fund/navigation.py)
    )

    @app.context_processor
    def inject() -> dict:
        return {
            "languages": current_app.config["LANGUAGES"],
            # e-mail is also rendered by CLI commands, outside any request
            "current_path": current_path() if has_request_context() else "",
        }

    app.add_template_filter(country_name, "country_name")
    app.add_template_filter(
        lambda value: format_datetime(value, "medium") if value else "", "datetime"
    )
    app.add_template_filter(format_day, "format_date")  # once per day and locale
    app.add_template_filter(strategy_label, "strategy_label")
    app.add_template_filter(score, "score")  # the ranking's statistics
    # every amount shown, e-mail included: `{{ amount|money(currency) }}`
    app.add_template_filter(money, "money")
    # a time kept as ISO text in a frozen snapshot (the concept note's submission)
    app.add_template_filter(
        lambda value: format_datetime(datetime.fromisoformat(value), "medium") if value else "",
        "isodatetime",
    )


def own_errors(field) -> list[str]:
    """A field's own messages: a list of rows (FieldList) also lists each row's errors (a dict
    or a list per row), which its rows show themselves."""
    return [str(error) for error in field.errors if not isinstance(error, dict | list)]


def field_limit(field) -> int | None:
    """The maximum length a field's validators allow, to show it before the user reaches it."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None
