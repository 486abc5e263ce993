"""The ranking's columns: a compact set shown by default, the others on demand.

The choice travels in the query string (`?cols=country,mean,requested`), so the "Columns"
control is a plain GET form and sort links, page links and filters all keep it. Without `cols`
the defaults show; `cols=` alone (every box unticked) shows only the proposal itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from fund.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Column:
    """One optional column of the ranking table."""

    key: str  # its name in ?cols=
    label: Any  # a lazy string, translated when shown
    sort: str | None  # the sort key its header sorts by (ranking_filters.py SORT_KEYS)
    default: bool  # part of the compact default


# In the table's order. The proposal (reference and title, with the "Compare" tick) is always
# shown, so it is not a choice. The defaults fit a 1280 px screen without sideways scrolling.
COLUMNS = (
    Column("organisation", _l("Organisation"), "organisation", False),
    Column("country", _l("Country"), "country", True),
    Column("strategies", _l("Strategies"), None, False),
    Column("reviews", _l("Reviews"), "reviews", False),
    Column("normalised", _l("Normalised"), "normalised", True),
    Column("mean", _l("Mean"), "mean", True),
    Column("median", _l("Median"), "median", False),
    Column("std_dev", _l("Std dev"), "std_dev", False),
    Column("range", _l("Range"), "spread", False),
    Column("disagreement", _l("Disagreement"), None, True),
    Column("recommendations", _l("Recommendations"), "fund", False),
    Column("requested", _l("Requested"), "amount_requested", True),
    Column("running_total", _l("Running total"), None, True),
    Column("state", _l("Status"), None, True),
)
BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT = tuple(column.key for column in COLUMNS if column.default)


class UnknownColumn(ValueError):
    """A `cols` value that names no column: the page answers 400 with this message."""


@dataclass(frozen=True)
class Choice:
    """The columns to show, in table order, and whether the viewer chose them (`cols` given)."""

    keys: tuple[str, ...]
    explicit: bool

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    @property
    def shown(self) -> list[Column]:
        return [BY_KEY[key] for key in self.keys]

    def as_arg(self) -> str | None:
        """The `cols` value that keeps this choice in a link, or None to leave it out (the
        defaults need no parameter)."""
        return ",".join(self.keys) if self.explicit else None

    def with_args(self, args: dict[str, str]) -> dict[str, str]:
        """`args` (a query string's parameters) plus `cols` when the columns were chosen."""
        return {**args, "cols": ",".join(self.keys)} if self.explicit else dict(args)


def choice_from_args(args: Any) -> Choice:
    """The columns asked for: `cols` may repeat (the form's checkboxes) or be comma-separated
    (links); raises UnknownColumn naming the first unknown name."""
    if "cols" not in args:
        return Choice(DEFAULT, explicit=False)
    asked = {
        name.strip() for value in args.getlist("cols") for name in value.split(",") if name.strip()
    }
    unknown = sorted(asked - BY_KEY.keys())
    if unknown:
        raise UnknownColumn(
            _(
                "The ranking has no column called “%(name)s”. Its columns are: %(names)s.",
                name=unknown[0][:40],
                names=", ".join(BY_KEY),
            )
        )
    return Choice(tuple(column.key for column in COLUMNS if column.key in asked), explicit=True)
