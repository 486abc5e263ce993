"""The portfolio's tables, built from the groups of fund/portfolio/groupings.py and the reads
of fund/portfolio/queries.py: one shape shared by the page, its charts and its CSV/XLSX
downloads, so all of them show the same figures and the same "<5" cells
(fund/portfolio/suppression.py).

Money is never added across currencies: each currency has its own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fund.countries import country_name
from fund.i18n import lazy_gettext as _l
from fund.i18n import request_translations
from fund.income_groups import INCOME_GROUP_LABELS
from fund.models import AgeBand, Sex
from fund.organisations.forms import TYPE_LABELS
from fund.portfolio.queries import Indicator
from fund.portfolio.suppression import hidden_cells, is_small, shown
from fund.rules.report_content import AGE_BAND_LABELS, SEX_LABELS
from fund.strategies import strategy_label


def _(string: str, **variables: object) -> str:
    """Flask-Babel's gettext (same text, same formatting) through the request's memoised
    catalogue: the tables translate about a hundred texts a page, and Flask-Babel finds the
    catalogue again for each one."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


TOTAL = "__total__"
# The keys of the two tables of reports' results (the money tables' are their dimensions').
REACH = "reach"
INDICATORS = "indicators"
REGION_LABELS = {
    "Africa": _l("Africa"),
    "Americas": _l("Americas"),
    "Asia": _l("Asia"),
    "Europe": _l("Europe"),
    "Oceania": _l("Oceania"),
}


@dataclass
class Column:
    """A column's heading and kind: "label", "count" (may be "<5"), "money" or "number"."""

    heading: str
    kind: str


@dataclass
class Table:
    """A table of the page: its rows as shown (counts already "<5" where hidden)."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[list[object]]
    footer: list[object] | None = None
    # Per currency, (label, amount) of each row: what the bar chart and the map draw.
    bars: dict[str, list[tuple[str, Decimal, str]]] = field(default_factory=dict)
    note: str = ""

    def body(self) -> list[tuple[object, list[tuple[bool, object]]]]:
        """Each row as the page writes it: its label, then (is money, value) for each cell."""
        money = [column.kind == "money" for column in self.columns[1:]]
        return [(row[0], list(zip(money, row[1:], strict=True))) for row in self.rows]

    def footer_cells(self) -> tuple[object, list[tuple[bool, object]]]:
        """The total row as `body` writes a row (the table has a footer)."""
        money = [column.kind == "money" for column in self.columns[1:]]
        footer = self.footer or [""]
        return footer[0], list(zip(money, footer[1:], strict=True))

    def download_rows(self) -> list[list[object]]:
        """The rows and the total row, as the CSV/XLSX download writes them."""
        return self.rows + ([self.footer] if self.footer else [])


@dataclass(frozen=True)
class Dimension:
    """What a money table groups the grants by (fund/portfolio/groupings.py does the grouping,
    under the same key): its caption and heading, and a value's label."""

    key: str
    caption: str
    heading: str
    label: Callable[[object], str]
    additive: bool = True  # False when a grant may fall under several values


def _dimensions() -> list[Dimension]:
    """The money tables' groupings, in the order the page shows them."""
    return [
        Dimension(
            "call",
            _("Grants by call"),
            _("Call"),
            lambda v: v[0],
        ),
        Dimension("year", _("Grants by year of award"), _("Year"), str),
        Dimension(
            "country",
            _("Grants by country of the organisation"),
            _("Country"),
            country_name,
        ),
        Dimension(
            "region",
            _("Grants by region"),
            _("Region"),
            lambda v: str(REGION_LABELS.get(v, _("Not known"))),
        ),
        Dimension(
            "income_group",
            _("Grants by World Bank income group"),
            _("Income group"),
            lambda v: str(INCOME_GROUP_LABELS.get(v, _("Not known"))),
        ),
        Dimension(
            "strategy",
            _("Grants by INSPIRE strategy"),
            _("Strategy"),
            strategy_label,
            additive=False,
        ),
        Dimension(
            "org_type",
            _("Grants by type of organisation"),
            _("Type of organisation"),
            lambda v: str(TYPE_LABELS.get(v, v)),
        ),
    ]


def dimension(key: str) -> Dimension | None:
    """The money table's grouping of that key, or None."""
    return next((found for found in _dimensions() if found.key == key), None)


def grouped_table(
    dimension: Dimension,
    count: dict[object, int],
    sums: dict[tuple[object, str], list[Decimal]],
    grants: int,
    codes: list[str],
    totals: dict[str, tuple[Decimal, Decimal]],
) -> Table:
    """The table of `dimension` from its groups: the grants per value, [awarded, paid] per
    (value, currency), the number of grants and the sums per currency (for the footer)."""
    awarded = {key: both[0] for key, both in sums.items()}
    paid = {key: both[1] for key, both in sums.items()}
    # Each label is worked out once (country names and translations are not free).
    labels = {value: dimension.label(value) for value in count}
    values = sorted(count, key=lambda v: labels[v].casefold())
    columns = [Column(dimension.heading, "label"), Column(_("Grants"), "count")]
    for code in codes:
        columns.append(Column(_("Awarded (%(currency)s)", currency=code), "money"))
        columns.append(Column(_("Paid (%(currency)s)", currency=code), "money"))
    figures = {value: count[value] for value in values}
    figures[TOTAL] = grants
    # A table whose counts add up to the number of grants is a line, its total the headline
    # figure even where the table prints none (strategies, when every grant names one).
    additive = dimension.additive or sum(count.values()) == grants
    hidden = hidden_cells(figures, [[*values, TOTAL]] if additive else [])
    zero = Decimal("0")
    rows = []
    for value in values:
        row: list[object] = [labels[value], shown(count[value], value in hidden)]
        for code in codes:
            row += [awarded.get((value, code), zero), paid.get((value, code), zero)]
        rows.append(row)
    footer = None
    if dimension.additive:
        footer = [_("Total"), shown(grants, TOTAL in hidden)]
        for code in codes:
            footer += list(totals.get(code, (Decimal("0"), Decimal("0"))))
    grants_note = _("%(n)s grants")  # translated once, filled in per value
    notes = {v: grants_note % {"n": shown(count[v], v in hidden)} for v in values}
    # every value in every currency's chart, 0 where it has none (as its table row shows it)
    bars = {
        code: [(labels[v], awarded.get((v, code), zero), notes[v]) for v in values]
        for code in codes
    }
    note = "" if dimension.additive else _("A grant may serve several strategies: no total.")
    return Table(dimension.key, dimension.caption, columns, rows, footer, bars, note)


def grouped_tables(
    groups: Mapping[str, tuple[dict[object, int], dict[tuple[object, str], list[Decimal]]]],
    grants: int,
    codes: list[str],
    totals: dict[str, tuple[Decimal, Decimal]],
) -> list[Table]:
    """The table of each dimension, in the order the page shows them, from groups already made:
    (count, sums) per dimension key."""
    return [
        grouped_table(dimension, *groups[dimension.key], grants, codes, totals)
        for dimension in _dimensions()
    ]


def headline_of(grants: int, organisations: int) -> dict[str, object]:
    """The number of grants and of organisations, "<5" when small."""
    return {
        "grants": shown(grants, is_small(grants)),
        "organisations": shown(organisations, is_small(organisations)),
    }


def reach_table(reach: dict[tuple[str, str], int]) -> Table:
    """People reached by age band (rows) and sex (columns) with their totals; the row, column
    and grand totals take part in the secondary suppression (each row and column is a line)."""
    sexes, bands = list(Sex), list(AgeBand)
    values: dict[object, int] = {}
    for band in bands:
        for sex in sexes:
            values[band, sex] = reach.get((sex.value, band.value), 0)
        values[band, TOTAL] = sum(values[band, sex] for sex in sexes)
    for sex in sexes:
        values[TOTAL, sex] = sum(values[band, sex] for band in bands)
    values[TOTAL, TOTAL] = sum(values[TOTAL, sex] for sex in sexes)
    lines = [[(band, s) for s in [*sexes, TOTAL]] for band in [*bands, TOTAL]]
    lines += [[(b, sex) for b in [*bands, TOTAL]] for sex in [*sexes, TOTAL]]
    hidden = hidden_cells(values, lines)

    def line(key: object, label: str) -> list[object]:
        return [label] + [shown(values[key, s], (key, s) in hidden) for s in [*sexes, TOTAL]]

    columns = [Column(_("Age"), "label")]
    columns += [Column(str(SEX_LABELS[sex]), "count") for sex in sexes]
    columns.append(Column(_("Total"), "count"))
    return Table(
        REACH,
        _("People reached, from accepted reports, by age and sex"),
        columns,
        [line(band, str(AGE_BAND_LABELS[band])) for band in bands],
        line(TOTAL, _("Total")),
    )


def indicator_table(items: list[Indicator]) -> Table:
    """Each numeric indicator of the report forms summed across grants (a sum under 5 and a
    number of grants under 5 are shown as "<5")."""
    columns = [
        Column(_("Indicator"), "label"),
        Column(_("Total"), "count"),
        Column(_("Grants reporting"), "count"),
    ]
    rows: list[list[object]] = [
        [item.label, _sum_shown(item.total), shown(item.grants, is_small(item.grants))]
        for item in items
    ]
    return Table(INDICATORS, _("Indicators from accepted reports"), columns, rows)


def _sum_shown(total: Decimal) -> object:
    if 0 < total < 5:
        return shown(1, True)
    return int(total) if total == total.to_integral_value() else total
