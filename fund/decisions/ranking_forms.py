"""The ranking's filter and column choices, written in Python: the options of its status and
strategy filters and the checkboxes of its "Columns" form.

The template went through each state, strategy and column on every view, looked each label up
in the catalogue and escaped it, for lists that change only with the language. Here each list
is written once per language (`_written`), and per view only the chosen option or the ticked
boxes are picked. The markup is what decisions/ranking.html wrote (tests/decisions/
test_ranking_forms.py holds it to the template's loops).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from fund.decisions.columns import COLUMNS, Choice
from fund.jinja_env import escape_output as e
from fund.models import Strategy
from fund.strategies import strategy_label
from fund.workflow import state_label

# The status filter's choices, in the order it offers them ("all": every submitted state).
STATES = ("reviewed", "in_review", "revision_requested", "awarded", "declined", "all")

Written = dict[str, tuple[str, str]]  # by value: (as written, as written when chosen)


def _option(value: str, label: str, chosen: bool) -> str:
    mark = "selected" if chosen else ""
    return f'<option value="{e(value)}" {mark}>{label}</option>'


def _checkbox(key: str, label: str, ticked: bool) -> str:
    mark = "checked" if ticked else ""
    return (
        f'<li><input type="checkbox" id="col-{key}" name="cols" value="{key}" {mark}>\n'
        f'<label for="col-{key}">{label}</label></li>'
    )


def _strategy(code: str) -> tuple[str, str]:
    label = e(strategy_label(code))
    return _option(code, label, False), _option(code, label, True)


@cache
def _written(locale: str) -> tuple[Written, Written, Written]:
    """The states' options, the strategies' options and the columns' checkboxes, each by its
    value, in `locale` (the one in force when it is first asked: the key only tells the
    languages apart). Translations are trusted markup, as the template's `_()` makes them;
    labels are escaped as the template escaped them."""
    states = {}
    for value in STATES:
        label = Markup(_("all")) if value == "all" else e(state_label(value))
        states[value] = (_option(value, label, False), _option(value, label, True))
    strategies = {code.value: _strategy(code.value) for code in Strategy}
    columns = {}
    for column in COLUMNS:
        label = e(column.label)
        columns[column.key] = (
            _checkbox(column.key, label, False),
            _checkbox(column.key, label, True),
        )
    return states, strategies, columns


def _pick(written: Written, values: Iterable[str], chosen: Iterable[str]) -> Markup:
    return Markup("\n".join([written[value][value in chosen] for value in values]))


def state_options(state: str) -> Markup:
    """The status filter's options, `state` selected."""
    return _pick(_written(str(get_locale()))[0], STATES, (state,))


def strategy_options(codes: Iterable[str], strategy: str) -> Markup:
    """The strategy filter's options (after its "any"): the call's strategies `codes`, in their
    order, `strategy` selected. A code that names no strategy shows as it is."""
    written = _written(str(get_locale()))[1]
    return Markup(
        "\n".join([(written.get(code) or _strategy(code))[code == strategy] for code in codes])
    )


def column_checkboxes(choice: Choice) -> Markup:
    """The "Columns" form's boxes, in table order, those of `choice` ticked."""
    return _pick(_written(str(get_locale()))[2], [column.key for column in COLUMNS], choice)


def download_urls(call_id: int, args: dict[str, str]) -> tuple[str, str]:
    """The ranking's CSV and XLSX downloads with the page's query string `args` (all but the
    address's own parts): one `url_for`, the second address the first with its other ending."""
    args = {name: value for name, value in args.items() if name not in ("call_id", "fmt")}
    csv = url_for("decisions.ranking_export", call_id=call_id, fmt="csv", **args)
    path, mark, query = csv.partition("?")
    return csv, f"{path.removesuffix('.csv')}.xlsx{mark}{query}"
