"""One page of rows already in hand or counted apart: the attributes of Flask-SQLAlchemy's
Pagination that templates/_macros/pagination.html reads, for lists that db.paginate cannot cut
(rows worked out in Python, column selects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PER_PAGE = 50


@dataclass
class RowsPage:
    """Page `page` (from 1) of `total` rows, `per_page` a page; `items` are its rows."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first row in the whole list."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def clamp_page(page: Any, total: int, per_page: int = PER_PAGE) -> int:
    """`page` as a page number within 1..the last page (1 for anything that is not a number)."""
    try:
        page = int(page)
    except (TypeError, ValueError):
        return 1
    last = max(1, -(-total // per_page))
    return min(max(page, 1), last)


def page_of(rows: list[Any], page: Any, per_page: int = PER_PAGE) -> RowsPage:
    """Cut page `page` out of the whole list `rows` (already filtered and sorted)."""
    number = clamp_page(page, len(rows), per_page)
    start = (number - 1) * per_page
    return RowsPage(rows[start : start + per_page], number, per_page, len(rows))
