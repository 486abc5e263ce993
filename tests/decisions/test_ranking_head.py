"""The ranking's table head written in Python (fund/decisions/ranking_cells.py `head_html`) is
the HTML the template's macros wrote, for every column, sort, direction and language.

REFERENCE is the head as decisions/ranking.html wrote it before, with its macros `sort_header`
and `header`: both are rendered and compared once the whitespace between tags is set aside.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from fund.decisions import columns
from fund.decisions.ranking_cells import head_html
from fund.decisions.ranking_filters import SORT_KEYS, Filters

REFERENCE = """
{%- macro sort_header(label, key) -%}
  {%- set current = filters.sort == key -%}
  {%- set descending = not (current and filters.descending) -%}
  <th scope="col" aria-sort="{{ ('descending' if filters.descending else 'ascending') if current else 'none' }}">
    <a href="{{ url_for('decisions.ranking', call_id=call_id, **dict(kept, sort=key, order='desc' if descending else 'asc')) }}">{{ label }}
    {%- if current %}<span aria-hidden="true"> {{ "▼" if filters.descending else "▲" }}</span>{% endif %}</a></th>
{%- endmacro %}
{%- macro header(column) -%}
  {%- if column.sort %}{{ sort_header(column.label, column.sort) }}{% else %}<th scope="col">{{ column.label }}</th>{% endif -%}
{%- endmacro %}
<th scope="col">{{ _("Compare") }}</th>
{{ sort_header(_("Proposal"), "reference") }}
{% for column in columns.shown %}{{ header(column) }}{% endfor %}
"""  # noqa: E501 (the template's own lines)

CHOICES = [
    columns.Choice(columns.DEFAULT, explicit=False),
    columns.Choice((), explicit=True),
    columns.Choice(tuple(column.key for column in columns.COLUMNS), explicit=True),
]
FILTERS = [
    Filters(),
    Filters(sort="reference", descending=False),
    Filters(state="all", country="KE", strategy="norms", disagreement_only=True, sort="country"),
    *(Filters(sort=key, descending=n % 2 == 0) for n, key in enumerate(SORT_KEYS)),
]


def same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_the_head_is_written_as_the_template_wrote_it(app, language):
    with app.test_request_context("/"), force_locale(language):
        for choice in CHOICES:
            for filters in FILTERS:
                kept = choice.with_args(filters.as_args())
                expected = render_template_string(
                    REFERENCE, columns=choice, filters=filters, kept=kept, call_id=7
                )
                written = head_html(choice, filters, kept, 7)
                assert same_markup(written) == same_markup(expected), (choice, filters)
        kept = CHOICES[2].with_args(FILTERS[2].as_args())
        everything = head_html(CHOICES[2], FILTERS[2], kept, 7)
    assert everything.count("<th ") == 2 + len(columns.COLUMNS)
    assert "country=KE" in everything and "&amp;" in everything  # the filters kept, escaped
    if language == "fr":
        assert "Comparer" in everything
