"""The ranking's filter options and column boxes written in Python (fund/decisions/
ranking_forms.py) are the HTML the template's loops wrote, for every choice and language.

REFERENCE holds the loops as decisions/ranking.html wrote them before: both are rendered and
compared once the whitespace between tags is set aside.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from fund.decisions import columns, ranking_forms
from fund.models import Strategy
from fund.strategies import strategy_label

REFERENCE = """
<select>
{% for value in ["reviewed", "in_review", "revision_requested", "awarded", "declined", "all"] %}
  <option value="{{ value }}" {{ "selected" if filters.state == value }}>{{ _("all") if value == "all" else state_label(value) }}</option>
{% endfor %}
</select>
<select>
{% for code in call.strategies %}
  <option value="{{ code }}" {{ "selected" if filters.strategy == code }}>{{ strategy_label(code) }}</option>
{% endfor %}
</select>
<ul>
{% for column in all_columns %}
  <li><input type="checkbox" id="col-{{ column.key }}" name="cols" value="{{ column.key }}" {{ "checked" if column.key in columns }}>
    <label for="col-{{ column.key }}">{{ column.label }}</label></li>
{% endfor %}
</ul>
"""  # noqa: E501 (the template's own lines)

EVERY_STRATEGY = [strategy.value for strategy in Strategy]
CASES = [
    ("reviewed", EVERY_STRATEGY, "", columns.DEFAULT),
    ("all", EVERY_STRATEGY, "norms", ()),
    ("declined", ["education", "laws"], "laws", tuple(c.key for c in columns.COLUMNS)),
    ("in_review", [], "", ("state", "country")),
    # a strategy the call lists but that names none shows as it is, escaped
    ("awarded", ["norms", "<gone>"], "<gone>", ("mean",)),
]


def same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def written(state, codes, strategy, keys) -> str:
    choice = columns.Choice(keys, explicit=True)
    return (
        f"<select>{ranking_forms.state_options(state)}</select>"
        f"<select>{ranking_forms.strategy_options(codes, strategy)}</select>"
        f"<ul>{ranking_forms.column_checkboxes(choice)}</ul>"
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_the_choices_are_written_as_the_template_wrote_them(app, language):
    with app.test_request_context("/"), force_locale(language):
        for state, codes, strategy, keys in CASES:
            expected = render_template_string(
                REFERENCE,
                filters={"state": state, "strategy": strategy},
                call={"strategies": codes},
                strategy_label=strategy_label,
                all_columns=columns.COLUMNS,
                columns=columns.Choice(keys, explicit=True),
            )
            assert same_markup(written(state, codes, strategy, keys)) == same_markup(expected)
        everything = written("all", EVERY_STRATEGY, "norms", columns.DEFAULT)
        unknown = written("awarded", ["<gone>"], "", ())
    assert everything.count(" selected>") == 2
    assert everything.count(" checked>") == len(columns.DEFAULT)
    assert "&lt;gone&gt;" in unknown
    if language == "fr":
        assert ">tous<" in everything
