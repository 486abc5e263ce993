"""The portfolio's repeated markup, written in Python: its tables and its charts' bars.

The page has about seventy table rows and fifty bars. Written by Jinja, each cell went through
a loop step, an escaping call and a mapping lookup, and each bar through a dozen such steps: a
fifth of the page's work. Here each row and each bar is one string, each value escaped once,
and the amounts' texts come from the view's mappings (worked out once per value). The markup,
blank space included, is what templates/portfolio/_table.html's macro and _charts.html's loop
wrote (tests/portfolio/test_markup.py holds them to it); what surrounds a chart's bars stays in
_charts.html.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import gettext as _
from jinja2.filters import do_truncate
from markupsafe import Markup

from fund.jinja_env import escape_output as e
from fund.portfolio.charts import BarChart
from fund.portfolio.tables import Table

NUMBER = ' class="num"'  # a column of figures (not the label's)
KEY_MARK = "__table_key__"  # stands for a table's key in its download links, built once
LABEL_LENGTH = 34  # a bar's label is cut to this, as Jinja's `truncate(34, True)` cuts it


def _row(label: object, cells: list[tuple[bool, object]], amount_text: Mapping) -> str:
    """A table's row: its label, then each cell (an amount through `amount_text`)."""
    written = "".join(
        [
            f'<td class="num">{e(amount_text[value]) if is_money else e(value)}</td>'
            for is_money, value in cells
        ]
    )
    return f'<tr><th scope="row">{e(label)}</th>{written}</tr>'


def body_html(table: Table, amount_text: Mapping[Decimal, str]) -> Markup:
    """The rows of `table`'s body, each on its line as the template's loop wrote it."""
    rows = [_row(label, cells, amount_text) for label, cells in table.body()]
    return Markup("".join([f"\n          {row}\n        " for row in rows]))


def footer_html(table: Table, amount_text: Mapping[Decimal, str]) -> Markup:
    """The total row of `table` (which has a footer)."""
    return Markup(_row(*table.footer_cells(), amount_text))


def table_writer(
    amount_text: Mapping[Decimal, str], download_args: Mapping[str, str]
) -> Callable[[Table], Markup]:
    """What writes each table of a page whose filters are `download_args`: its caption, head,
    rows, total row, note and download links."""
    # The links of every table from two `url_for` a page, not two a table: each URL is built
    # once with a mark for the key and escaped in halves. The keys are plain words
    # (fund/portfolio/tables.py), which a URL writes as they are.
    links = [
        url_for("portfolio.download", key=KEY_MARK, fmt=fmt, **download_args).partition(KEY_MARK)
        for fmt in ("csv", "xlsx")
    ]
    (csv_before, _mark, csv_after), (xlsx_before, _mark, xlsx_after) = [
        (e(before), mark, e(after)) for before, mark, after in links
    ]
    nothing = _("Nothing to show for these filters.")  # a translation is trusted markup
    download = _("Download this table:")

    def table_html(table: Table) -> Markup:
        key = e(table.key)
        head = "".join(
            [
                f'<th scope="col"{"" if column.kind == "label" else NUMBER}>'
                f"{e(column.heading)}</th>"
                for column in table.columns
            ]
        )
        if table.rows:
            body = body_html(table, amount_text)
        else:
            body = (
                f'\n          <tr><td colspan="{len(table.columns)}">{nothing}</td></tr>\n        '
            )
        footer = ""
        if table.footer and table.rows:
            footer = (
                f"\n        <tfoot>\n          \n          {footer_html(table, amount_text)}"
                "\n        </tfoot>\n      "
            )
        note = f'<p class="muted">{e(table.note)}</p>' if table.note else ""
        return Markup(
            f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="caption-{key}">\n'
            f'    <table id="table-{key}">\n'
            f'      <caption id="caption-{key}">{e(table.caption)}</caption>\n'
            f"      <thead>\n        <tr>{head}</tr>\n      </thead>\n"
            f"      <tbody>\n        {body}\n      </tbody>\n      {footer}\n    </table>\n"
            f"  </div>\n  {note}\n"
            f'  <p class="downloads" id="downloads-{key}">{download}\n'
            f'    <a href="{csv_before}{key}{csv_after}">CSV</a>,\n'
            f'    <a href="{xlsx_before}{key}{xlsx_after}">XLSX</a></p>'
        )

    return table_html


def bars_html(chart: BarChart, amount: Mapping[Decimal, str]) -> Markup:
    """The bars of `chart`, each a group of its label, bar and amount with its note."""
    environment = current_app.jinja_env
    label_x = chart.label_width - 6
    start = chart.label_width
    return Markup(
        "".join(
            [
                f'\n      <g transform="translate(0 {bar.y})">\n'
                f'        <text x="{label_x}" y="13" text-anchor="end">'
                f"{e(do_truncate(environment, bar.label, LABEL_LENGTH, True))}</text>\n"
                f'        <rect x="{start}" y="2" width="{bar.width}" height="14" fill="#3182bd">'
                "</rect>\n"
                f'        <text x="{start + bar.width + 6}" y="13">'
                f"{e(amount[bar.value])} ({e(bar.note)})</text>\n"
                "      </g>\n    "
                for bar in chart.bars
            ]
        )
    )
