"""The portfolio's table rows and chart bars written in Python (fund/portfolio/markup.py, issue
14) are, character for character, what the templates wrote: for every table of the page, with
and without rows and filters, in each language, and for labels that need escaping or cutting.

TABLE is the macro of templates/portfolio/_table.html as it was, BARS the loop of _charts.html."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from fund.money import money
from fund.per_value import PerValue
from fund.portfolio import charts, markup, summary
from fund.portfolio.queries import Filters
from fund.portfolio.tables import Column, Table

TABLE = """
{%- macro figures(table) %}
  {#- A wide table scrolls in its box: keyboard users reach it with Tab (named by its caption). #}
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="caption-{{ table.key }}">
    <table id="table-{{ table.key }}">
      <caption id="caption-{{ table.key }}">{{ table.caption }}</caption>
      <thead>
        <tr>{% for column in table.columns %}<th scope="col"{% if column.kind != "label" %} class="num"{% endif %}>{{ column.heading }}</th>{% endfor %}</tr>
      </thead>
      <tbody>
        {% for label, cells in table.body() %}
          <tr><th scope="row">{{ label }}</th>{% for is_money, value in cells %}<td class="num">{{ amount_text[value] if is_money else value }}</td>{% endfor %}</tr>
        {% else %}
          <tr><td colspan="{{ table.columns|length }}">{{ _("Nothing to show for these filters.") }}</td></tr>
        {% endfor %}
      </tbody>
      {% if table.footer and table.rows %}
        <tfoot>
          {% set label, cells = table.footer_cells() %}
          <tr><th scope="row">{{ label }}</th>{% for is_money, value in cells %}<td class="num">{{ amount_text[value] if is_money else value }}</td>{% endfor %}</tr>
        </tfoot>
      {% endif %}
    </table>
  </div>
  {% if table.note %}<p class="muted">{{ table.note }}</p>{% endif %}
  <p class="downloads" id="downloads-{{ table.key }}">{{ _("Download this table:") }}
    <a href="{{ url_for('portfolio.download', key=table.key, fmt='csv', **download_args) }}">CSV</a>,
    <a href="{{ url_for('portfolio.download', key=table.key, fmt='xlsx', **download_args) }}">XLSX</a></p>
{% endmacro -%}
{{ figures(table) }}"""  # noqa: E501 (the template's own lines)
BARS = """
    {%- for bar in chart.bars %}
      <g transform="translate(0 {{ bar.y }})">
        <text x="{{ chart.label_width - 6 }}" y="13" text-anchor="end">{{ bar.label|truncate(34, True) }}</text>
        <rect x="{{ chart.label_width }}" y="2" width="{{ bar.width }}" height="14" fill="#3182bd"></rect>
        <text x="{{ chart.label_width + bar.width + 6 }}" y="13">{{ amount[bar.value] }} ({{ bar.note }})</text>
      </g>
    {% endfor -%}
"""  # noqa: E501

ODD = Table(
    "odd",
    "Odd labels",
    [Column("Label", "label"), Column("Grants", "count"), Column("Awarded", "money")],
    [
        ["<b>Fish & chips</b> \"quoted\" and 'single'", "<5", Decimal("1234.5")],
        ["A label much longer than thirty-four characters, cut", 12, Decimal("0")],
        ["Exactly thirty-four characters, ok", 0, Decimal("99999999.99")],
    ],
    ["Total <all>", 17, Decimal("100001234.49")],
    {
        "USD": [
            ("<b>Fish & chips</b>", Decimal("1234.5"), "<5 grants"),
            ("A label much longer than thirty-four characters, cut", Decimal("0"), "12 & more"),
        ]
    },
)


def rendered(app, source: str, **values) -> str:
    return app.jinja_env.from_string(source).render(**values)


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_the_tables_and_bars_are_what_the_templates_wrote(app, small_portfolio, language):
    with app.test_request_context("/"), force_locale(language):
        page = summary.portfolio(Filters())
        amount_text = PerValue(lambda amount: money(amount, None))
        empty = summary.portfolio(Filters(None, date(2030, 1, 1), None)).all_tables()
        tables = [*page.all_tables(), *empty, ODD]
        for table in tables:
            for kept in ({}, {"call": "3", "start": "2026-01-01"}):
                expected = rendered(
                    app, TABLE, table=table, amount_text=amount_text, download_args=kept
                )
                written = markup.table_writer(amount_text, kept)(table)
                assert written == expected.strip(), table.key
            for code, items in table.bars.items():
                chart = charts.bar_chart(items)
                amount = PerValue(lambda value, code=code: money(value, code))
                expected = rendered(app, BARS, chart=chart, amount=amount)
                assert markup.bars_html(chart, amount) == expected, (table.key, code)
    odd = markup.body_html(ODD, amount_text)
    assert "&lt;b&gt;Fish &amp; chips&lt;/b&gt; &#34;quoted&#34; and &#39;single&#39;" in odd
    assert "A label much longer than thirty..." in markup.bars_html(
        charts.bar_chart(ODD.bars["USD"]), PerValue(str)
    )
