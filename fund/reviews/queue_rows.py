"""The reviewer queue's rows, ready to write out: the template called a filter or a function
per cell (the country's name, the due date in the reader's language, the language's name,
the review's link); here each is worked out once per distinct value on the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app

from fund.countries import country_name
from fund.dates import format_day
from fund.paging import RowsPage
from fund.reviews.queue_queries import Queue
from fund.templating import id_url


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One assignment as the queue shows it."""

    url: str  # the review's page
    title: str
    reference: str | None
    organisation: str
    country: str
    language: str
    round: int
    due: str  # the due date in the reader's language
    overdue: bool  # still owed after its due date


def for_display(queue: Queue, today: date) -> Queue:
    """`queue` with each section's rows as QueueRow (same pages and totals)."""
    languages = current_app.config["LANGUAGES"]
    review_url = id_url("reviews.detail", "review_id")
    countries: dict[Any, str] = {}
    days: dict[date, str] = {}

    def row(found: Any) -> QueueRow:
        code, due_on = found.country_code, found.due_on
        if code not in countries:
            countries[code] = country_name(code)
        if due_on not in days:
            days[due_on] = format_day(due_on)
        return QueueRow(
            url=review_url(found.review_id),
            title=found.title,
            reference=found.reference,
            organisation=found.organisation,
            country=countries[code],
            language=languages.get(found.language, found.language),
            round=found.round,
            due=days[due_on],
            overdue=not found.submitted_at and due_on < today,
        )

    def page(section: RowsPage) -> RowsPage:
        return RowsPage(
            [row(found) for found in section.items], section.page, section.per_page, section.total
        )

    return Queue(page(queue.to_start), page(queue.in_progress), page(queue.submitted))
