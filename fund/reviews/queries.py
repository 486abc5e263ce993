"""Reads for screening, assignment and the reviewer's queue; each in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, and_, bindparam, cast, func, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from fund import like
from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    Call,
    CallStateCount,
    CriterionScore,
    Organisation,
    Proposal,
    ProposalState,
    Review,
    Role,
    User,
    UserRole,
)
from fund.paging import RowsPage
from fund.reads import read

# The reviewer's queue lives in queue_queries.py; its names stay importable from here.
from fund.reviews.queue_queries import (  # noqa: F401
    QUEUE_PAGE_SIZE,
    Queue,
    queue,
    queue_counts,
)

PAGE_SIZE = 50
# States a screened list can show: everything past the draft.
# Full proposals only: a two-stage call's concept notes have their own page (concept_views.py).
LISTED_STATES = [
    s for s in ProposalState if s != ProposalState.DRAFT and s not in CONCEPT_STAGE_STATES
]


def history(review: Review) -> list[Review]:
    """The same reviewer's reviews of the same proposal in earlier rounds, with their scores."""
    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.proposal_id == review.proposal_id,
                Review.reviewer_id == review.reviewer_id,
                Review.round < review.round,
                Review.removed_at.is_(None),
                Review.conflict_declared_at.is_(None),
            )
            .options(selectinload(Review.scores).selectinload(CriterionScore.criterion))
            .order_by(Review.round.desc())
        )
    )


# --- screening --------------------------------------------------------------------------------


def screening_calls() -> list[tuple[Call, int, int]]:
    """Calls with how many proposals wait for screening and how many are in review (as counted
    at write time: fund/calls/figures.py)."""
    submitted, in_review = aliased(CallStateCount), aliased(CallStateCount)

    def of(counts: Any, state: ProposalState) -> Any:
        return and_(counts.call_id == Call.id, counts.state == state)

    return list(
        db.session.execute(
            select(
                Call,
                func.coalesce(submitted.proposals, 0),
                func.coalesce(in_review.proposals, 0),
            )
            .outerjoin(submitted, of(submitted, ProposalState.SUBMITTED))
            .outerjoin(in_review, of(in_review, ProposalState.IN_REVIEW))
            .order_by(Call.closes_at.desc(), Call.id.desc())
        ).tuples()
    )


class ScreeningCall(NamedTuple):
    """What the screening list shows of its call, as a plain row: the page reads nothing else
    of it, and loading it as an object (its long texts, the ORM's bookkeeping) was work the
    page threw away."""

    id: int
    title: str
    currency: str
    reviewers_per_proposal: int


_SCREENING_CALL = select(Call.id, Call.title, Call.currency, Call.reviewers_per_proposal).where(
    Call.id == bindparam("call_id", type_=Integer)
)


def screening_call(call_id: int) -> ScreeningCall | None:
    """The call `call_id` as the screening list shows it; None if there is no such call."""
    row = read(_SCREENING_CALL, {"call_id": call_id}).first()
    return ScreeningCall._make(row) if row is not None else None


def screening_query(call: Call, *, country: str = "", strategy: str = "", state: str = ""):
    query = (
        select(Proposal)
        .join(Proposal.organisation)
        .options(contains_eager(Proposal.organisation))
        .where(Proposal.call_id == call.id, Proposal.state.in_([s.value for s in LISTED_STATES]))
    )
    if country:
        query = query.where(Organisation.country_code == country)
    if strategy:  # the JSON list as text holds the quoted value; works on SQLite and PostgreSQL
        query = query.where(
            cast(Proposal.strategies, String).contains(f'"{strategy}"', autoescape=True)
        )
    if state:
        query = query.where(Proposal.state == state)
    return query.order_by(Proposal.submitted_at, Proposal.id)


class ScreeningItem(NamedTuple):
    """One proposal of the screening list: the columns it shows, and those the workflow's role
    checks read (`state`, `organisation_id`). A plain tuple: SQLAlchemy's rows look a name up
    on each read, and a page reads each a dozen times."""

    id: int
    reference: str | None
    title: str
    state: str
    organisation_id: int
    language: str
    amount_requested: Decimal
    information_due_at: datetime | None
    organisation: str  # its name
    country_code: str


def screening_page(call: Call | ScreeningCall, *, page: int = 1, **filters: str) -> RowsPage:
    """One page of the call's proposals past the draft, with the filters applied (a page past
    the last is empty): two queries, the matching proposals counted and the page read. The
    page's items are `ScreeningItem`s, not objects."""
    wanted = (
        bool(filters.get("country")),
        bool(filters.get("strategy")),
        bool(filters.get("state")),
    )
    counted, listed = _screening_statements(*wanted)
    values: dict[str, Any] = {"call_id": call.id}
    if filters.get("country"):
        values["country"] = filters["country"]
    if filters.get("strategy"):  # the quoted code, as the JSON list holds it
        values["strategy"] = like.containing(f'"{filters["strategy"]}"')
    if filters.get("state"):
        values["state"] = filters["state"]
    total = read(counted, values).scalar() or 0
    page = max(page, 1)
    rows = read(listed, {**values, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    return RowsPage(list(map(ScreeningItem._make, rows)), page, PAGE_SIZE, total)


@cache
def _screening_statements(country: bool, strategy: bool, state: bool) -> tuple[Any, Any]:
    """The screening list's count and page statements for the filters in use, built once and
    run with the call, the filters' values and the page bound: building them anew on each
    request (and SQLAlchemy working out their cache keys again) took longer than running them.
    The page reads plain rows of only the columns the list shows (and the workflow's role
    checks read: `state`, `organisation_id`), not objects: loading 50 proposals and their
    organisations into the session cost more than the statement itself. Both run through
    `read`, without the ORM's handling of each execution. The count joins the organisations
    only to filter by country: every proposal has one (never deleted), and the join doubled
    the count's time, a lookup for each of the call's thousands of proposals. Without a filter
    on the organisation or the strategies, the count adds up the call's stored counts of the
    states listed instead of walking its thousands of proposals."""
    conditions = [
        Proposal.call_id == bindparam("call_id", type_=Integer),
        Proposal.state.in_([s.value for s in LISTED_STATES]),
    ]
    if country:
        conditions.append(Organisation.country_code == bindparam("country", type_=String))
    if strategy:  # the JSON list as text holds the quoted value; works on SQLite and PostgreSQL
        conditions.append(
            cast(Proposal.strategies, String).like(
                bindparam("strategy", type_=String), escape=like.ESCAPE
            )
        )
    if state:
        conditions.append(Proposal.state == bindparam("state", type_=String))
    if country or strategy:
        counted = select(func.count()).select_from(Proposal)
        if country:  # only the country is the organisation's; every proposal has one
            counted = counted.join(Proposal.organisation)
        counted = counted.where(*conditions)
    else:  # by state alone: the call's counts as stored at write time (fund/calls/figures.py)
        counted = select(func.coalesce(func.sum(CallStateCount.proposals), 0)).where(
            CallStateCount.call_id == bindparam("call_id", type_=Integer),
            CallStateCount.state.in_([s.value for s in LISTED_STATES]),
        )
        if state:
            counted = counted.where(CallStateCount.state == bindparam("state", type_=String))
    listed = (
        select(  # ScreeningItem's columns, in its order
            Proposal.id,
            Proposal.reference,
            Proposal.title,
            Proposal.state,
            Proposal.organisation_id,
            Proposal.language,
            Proposal.amount_requested,
            Proposal.information_due_at,
            Organisation.name.label("organisation"),
            Organisation.country_code,
        )
        .join(Proposal.organisation)
        .where(*conditions)
        .order_by(Proposal.submitted_at, Proposal.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return counted, listed


def screening_rows(call: Call, **filters: str) -> list[Proposal]:
    """Every matching proposal, for the CSV download."""
    return list(db.session.scalars(screening_query(call, **filters)))


def reviewer_counts(proposal_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(assigned, submitted) reviews of the current round per proposal, in one query."""
    if not proposal_ids:
        return {}
    rows = read(_reviewer_counts_statement(), {"ids": list(proposal_ids)}).all()
    return {pid: (assigned, done) for pid, assigned, done in rows}


@cache
def _reviewer_counts_statement() -> Any:
    """reviewer_counts' statement, built once (the ids bound when it runs)."""
    latest = (
        select(Review.proposal_id, func.max(Review.round).label("round"))
        .where(Review.proposal_id.in_(bindparam("ids", expanding=True)))
        .group_by(Review.proposal_id)
        .subquery()
    )
    return (
        select(Review.proposal_id, func.count(), func.count(Review.submitted_at))
        .join(
            latest, (latest.c.proposal_id == Review.proposal_id) & (latest.c.round == Review.round)
        )
        .where(Review.removed_at.is_(None), Review.conflict_declared_at.is_(None))
        .group_by(Review.proposal_id)
    )


# --- assignments of one proposal --------------------------------------------------------------


def assignments(proposal: Proposal) -> list[Review]:
    """Every assignment of the proposal, latest round first, with reviewer and scores."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.proposal_id == proposal.id)
            .options(selectinload(Review.reviewer), selectinload(Review.scores))
            .order_by(Review.round.desc(), Review.id)
        )
    )


def reviewer_numbers(proposal: Proposal) -> dict[int, int]:
    """Each reviewer of the proposal numbered 1, 2, 3 in the order they were first assigned,
    so "Reviewer 2" is the same person on every page that hides the names."""
    return reviewer_numbers_of([proposal.id]).get(proposal.id, {})


def reviewer_numbers_of(proposal_ids: list[int]) -> dict[int, dict[int, int]]:
    """reviewer_numbers() for several proposals in one query: {proposal id: {reviewer id: n}}."""
    first = (
        select(Review.proposal_id, Review.reviewer_id)
        .where(Review.proposal_id.in_(proposal_ids))
        .group_by(Review.proposal_id, Review.reviewer_id)
        .order_by(Review.proposal_id, func.min(Review.id))
    )
    numbers: dict[int, dict[int, int]] = {}
    for proposal_id, reviewer_id in db.session.execute(first):
        own = numbers.setdefault(proposal_id, {})
        own[reviewer_id] = len(own) + 1
    return numbers


def reviewer_choices(exclude: set[int]) -> list[User]:
    """Active reviewers who may be picked (those in `exclude` left out)."""
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REVIEWER.value, User.active.is_(True))
        .order_by(User.name, User.id)
    )
    return [user for user in db.session.scalars(query) if user.id not in exclude]


def people_for_conflicts() -> list[User]:
    """Reviewers and chairs, for the secretariat's "record a conflict" form."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(UserRole.user_id).where(
                        UserRole.role.in_([Role.REVIEWER.value, Role.CHAIR.value])
                    )
                )
            )
            .order_by(User.name, User.id)
        )
    )


def weighted_average(review: Review) -> float | None:
    """The review's scores weighted by the rubric (1-5), if it has every score."""
    criteria = review.proposal.call.criteria
    scores = {s.criterion_id: s.score for s in review.scores}
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    total = sum(c.weight for c in criteria)
    return sum(scores[c.id] * c.weight for c in criteria) / total


def is_overdue(review: Review, today: date) -> bool:
    return review.submitted_at is None and review.due_on < today


# States in which a proposal has (or had) reviewers: screened in and not withdrawn before.
REVIEW_STAGE_STATES = frozenset(
    {
        ProposalState.IN_REVIEW,
        ProposalState.REVIEWED,
        ProposalState.REVISION_REQUESTED,
        ProposalState.AWARDED,
        ProposalState.DECLINED,
    }
)


def has_review_stage(proposal: Proposal) -> bool:
    """Whether the proposal has reached review, so its reviewers page means something."""
    return proposal.state in REVIEW_STAGE_STATES
