"""The reviewer's queue: its three sections counted in one query and a page of each read in
one more, as plain rows of the few columns the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, func, literal_column, select, union_all

from fund.models import Organisation, Proposal, ProposalState, Review, WaitingReviewCount
from fund.paging import RowsPage, clamp_page
from fund.reads import read

# The reviewer's home shows a page of each of its three sections: short on a slow phone.
QUEUE_PAGE_SIZE = 20

# The sections in the order of the page; the number tells a section's rows apart in the union.
SECTIONS = ("to_start", "in_progress", "submitted")


@dataclass
class Queue:
    """A page of each section of the reviewer's home (to start and in progress, due first;
    submitted, latest first), 20 a page: a reviewer with hundreds of assignments still gets a
    short page. Each row has review_id, round, due_on, submitted_at, title, reference,
    language, organisation (its name) and country_code."""

    to_start: RowsPage
    in_progress: RowsPage
    submitted: RowsPage

    @property
    def counts(self) -> dict[str, int]:
        return {
            "to_start": self.to_start.total,
            "in_progress": self.in_progress.total,
            "submitted": self.submitted.total,
        }


def _mine() -> tuple:
    """The reviewer's (bound when run) assignments still standing: not removed, no conflict
    declared."""
    return (
        Review.reviewer_id == bindparam("reviewer_id", type_=Integer),
        Review.removed_at.is_(None),
        Review.conflict_declared_at.is_(None),
    )


def _owed() -> tuple:
    """An assignment still to do: not submitted, and its proposal still in review."""
    return (Review.submitted_at.is_(None), Proposal.state == ProposalState.IN_REVIEW)


def _section_conditions() -> dict[str, tuple]:
    """What puts an assignment in each section."""
    waiting = _owed()
    return {
        "to_start": (*waiting, Review.no_conflict_at.is_(None)),
        "in_progress": (*waiting, Review.no_conflict_at.is_not(None)),
        "submitted": (Review.submitted_at.is_not(None),),
    }


def _orders() -> dict[str, tuple]:
    due_first = (Review.due_on, Review.id)
    return {
        "to_start": due_first,
        "in_progress": due_first,
        "submitted": (Review.submitted_at.desc(), Review.id.desc()),
    }


def _totals(user: Any) -> dict[str, int]:
    """How many assignments each section holds (one query)."""
    rows = read(_totals_statement(), {"reviewer_id": user.id}).all()
    return {name: sum(int(row[i] or 0) for row in rows) for i, name in enumerate(SECTIONS)}


# The statements are built once and run with the reviewer and the pages bound: building them
# anew on each request (and SQLAlchemy working out their cache keys again) took longer than
# running them.


@cache
def _totals_statement() -> Any:
    """The sections counted in two parts: the open ones joined to their proposal's state (read
    from its index), the submitted ones on their own. A single pass joining every assignment
    to its proposal read each proposal's whole row, a few ms for a reviewer's hundreds of
    submitted reviews."""
    open_ = (
        select(
            func.count().filter(Review.no_conflict_at.is_(None)),
            func.count().filter(Review.no_conflict_at.is_not(None)),
            literal_column("0"),
        )
        .select_from(Review)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(*_mine(), *_owed())
    )
    submitted = (
        select(literal_column("0"), literal_column("0"), func.count())
        .select_from(Review)
        .where(*_mine(), *_section_conditions()["submitted"])
    )
    return union_all(open_, submitted)


def _pages(user: Any, numbers: dict[str, int], totals: dict[str, int]) -> dict[str, list]:
    """Page `numbers[name]` of each section that has rows, in one query, put back in each
    section's order here (a union keeps no order)."""
    shown = tuple(name for name in SECTIONS if totals[name])
    pages: dict[str, list] = {name: [] for name in SECTIONS}
    if not shown:
        return pages
    values = {f"offset_{name}": (numbers[name] - 1) * QUEUE_PAGE_SIZE for name in shown}
    for row in read(_pages_statement(shown), {"reviewer_id": user.id, **values}):
        pages[SECTIONS[row.section]].append(row)
    for name in ("to_start", "in_progress"):
        pages[name].sort(key=lambda row: (row.due_on, row.review_id))
    pages["submitted"].sort(key=lambda row: (row.submitted_at, row.review_id), reverse=True)
    return pages


@cache
def _pages_statement(shown: tuple[str, ...]) -> Any:
    """A page of each of the sections `shown`, each cut by its own ORDER BY and LIMIT in a
    subquery (its offset bound when run), in a UNION ALL."""
    conditions, orders = _section_conditions(), _orders()
    parts = [
        select(
            literal_column(str(SECTIONS.index(name))).label("section"),
            Review.id.label("review_id"),
            Review.round,
            Review.due_on,
            Review.submitted_at,
            Proposal.title,
            Proposal.reference,
            Proposal.language,
            Organisation.name.label("organisation"),
            Organisation.country_code,
        )
        .select_from(Review)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .where(*_mine(), *conditions[name])
        .order_by(*orders[name])
        .limit(QUEUE_PAGE_SIZE)
        .offset(bindparam(f"offset_{name}", type_=Integer))
        .subquery()
        for name in shown
    ]
    return union_all(*(select(part) for part in parts))


def queue(user: Any, to_start_page: Any = 1, in_progress_page: Any = 1, submitted_page: Any = 1):
    """A page of each section of the reviewer's home: open assignments to start and in
    progress (due first, so overdue ones lead), and submitted ones (latest first).

    Two queries whatever the numbers (one when there is nothing): the sections counted, and
    a page of each. Removed and conflicted assignments are not shown.
    """
    totals = _totals(user)
    asked = dict(zip(SECTIONS, (to_start_page, in_progress_page, submitted_page), strict=True))
    numbers = {name: clamp_page(asked[name], totals[name], QUEUE_PAGE_SIZE) for name in SECTIONS}
    pages = _pages(user, numbers, totals)
    return Queue(
        *(RowsPage(pages[name], numbers[name], QUEUE_PAGE_SIZE, totals[name]) for name in SECTIONS)
    )


_QUEUE_COUNTS = select(
    WaitingReviewCount.started, WaitingReviewCount.due_on, WaitingReviewCount.reviews
).where(WaitingReviewCount.reviewer_id == bindparam("reviewer_id", type_=Integer))


def queue_counts(user: Any) -> dict[str, int]:
    """Open assignments to start and in progress, and how many are overdue (one query, on the
    counts kept at write time by fund/reviews/waiting.py: a row per due date, not one per
    assignment)."""
    from fund import clock

    today = clock.now().date()
    counts = {"to_start": 0, "in_progress": 0, "overdue": 0}
    for started, due_on, number in read(_QUEUE_COUNTS, {"reviewer_id": user.id}):
        counts["in_progress" if started else "to_start"] += number
        counts["overdue"] += number if due_on < today else 0
    return counts
