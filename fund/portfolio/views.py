"""The portfolio page and the downloads of its tables (admins, chairs and observers)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from fund import audit, permissions, spreadsheets
from fund.access import require
from fund.i18n import current_locale
from fund.money import money_writer
from fund.outbox import commit
from fund.per_value import PerValue
from fund.portfolio import charts, markup, queries, summary
from fund.portfolio.forms import PortfolioFilterForm
from fund.portfolio.queries import Filters

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")


def _filters() -> tuple[PortfolioFilterForm, Filters]:
    """The filters of the query string; 400 with what is wrong when they do not hold."""
    form = PortfolioFilterForm(request.args, calls=queries.call_choices())
    if not form.validate():
        problems = "; ".join(
            f"{form[name].label.text}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        abort(400, description=_("Check the filters. %(problems)s", problems=problems))
    call = form.call.data
    return form, Filters(int(call) if call else None, form.start.data, form.end.data)


@bp.get("")
@require(permissions.can_view_portfolio)
def index():
    """Where the money went and what it did: tables, bar charts and a map, aggregates only."""
    form, filters = _filters()
    portfolio = summary.portfolio(filters)
    # Each amount is written once per distinct value, in the reader's locale found once: the
    # tables' figures (no sign: the column names the currency) and each chart's currency
    # (`money_writer`: the formatted texts looked up by the locale's name).
    reader = current_locale()
    download_args = {name: value for name, value in filters.as_dict().items() if value}
    return render_template(
        "portfolio/index.html",
        form=form,
        portfolio=portfolio,
        bar_chart=charts.bar_chart,
        bars_html=markup.bars_html,
        table_html=markup.table_writer(PerValue(money_writer(None, reader)), download_args),
        amount_in={code: PerValue(money_writer(code, reader)) for code in portfolio.currencies},
    )


@bp.get("/<key>.<any(csv, xlsx):fmt>")
@require(permissions.can_view_portfolio)
def download(key: str, fmt: str):
    """One table of the page as CSV or XLSX, with the same "<5" cells; the download is audited."""
    _form, filters = _filters()
    table = summary.table(filters, key)
    if table is None:
        abort(404, description=_("The portfolio has no such table."))
    rows = table.download_rows()
    audit.record_export(current_user, f"portfolio {key}", fmt, len(rows), filters.as_dict())
    commit()
    header = [column.heading for column in table.columns]
    return spreadsheets.download(header, rows, fmt=fmt, filename=f"portfolio-{key}")
