"""Reads for the portfolio: which grants count (every awarded grant, cancelled ones left out,
narrowed by the filters: `counted_grants`, shared with fund/portfolio/groupings.py, which reads
their money figures) and the results of accepted reports, in a fixed number of queries whatever the
number of grants.

Published or not, every grant counts here: the portfolio shows aggregates only, never a grant
or an organisation by name. A grant's year and period are those of its award (the day the
grant was made); its country, region and income group those of the organisation it went to
(the income group as recorded when the proposal was submitted).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import Select, Text, bindparam, cast, func, select

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import (
    Call,
    Grant,
    GrantState,
    ProgressReport,
    Proposal,
    ReportReach,
    ReportState,
)
from fund.reads import read

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "world_bank_income_groups.csv"
# The report questions whose answers are summed across grants.
NUMERIC_TYPES = frozenset({"number"})


@dataclass(frozen=True)
class Filters:
    """Which grants the portfolio counts: one call or all, awarded within a period or ever."""

    call_id: int | None = None
    start: date | None = None
    end: date | None = None  # the last day counted

    def as_dict(self) -> dict[str, str]:
        """The filters as the query string names them ("" when not set)."""
        return {
            "call": str(self.call_id or ""),
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
        }


@cache
def regions() -> dict[str, str]:
    """ISO alpha-2 -> the region the shipped World Bank list puts the country in."""
    with REGIONS_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["iso2"]: row["region"] for row in csv.DictReader(handle)}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def counted_grants(query: Select, filters: Filters, *, joined: bool = True) -> Select:
    """`query` (which selects from grants, joined to their proposals unless `joined` is
    false) narrowed to the grants counted: the filters set are bound parameters (`call_id`,
    `start`, `end`, given by `bound_values`), so one statement serves every value."""
    query = query.where(Grant.state != GrantState.CANCELLED.value)
    if filters.call_id is not None:
        if not joined:
            # Proposals' rows are large: they are read only when a call narrows the grants.
            query = query.join(Grant.proposal)
        query = query.where(Proposal.call_id == bindparam("call_id"))
    if filters.start is not None:
        query = query.where(Grant.created_at >= bindparam("start"))
    if filters.end is not None:
        query = query.where(Grant.created_at < bindparam("end"))
    return query


def bound_values(filters: Filters) -> dict[str, object]:
    """The bound parameters of `counted_grants` for `filters`."""
    values: dict[str, object] = {}
    if filters.call_id is not None:
        values["call_id"] = filters.call_id
    if filters.start is not None:
        values["start"] = _midnight(filters.start)
    if filters.end is not None:
        values["end"] = _midnight(filters.end + timedelta(days=1))
    return values


def shape_of(filters: Filters) -> Filters:
    """Which filters are set, standing for all the filters set alike: each statement below is
    built once per shape (at most eight) and kept, so SQLAlchemy keeps its cache key and
    compiled form instead of building the statement again on every view."""
    return Filters(
        0 if filters.call_id is not None else None,
        date.min if filters.start is not None else None,
        date.min if filters.end is not None else None,
    )


@lru_cache(maxsize=1024)
def strategies_of(text: str | None) -> tuple[str, ...]:
    """A proposal's strategies from their JSON text: grants share a few dozen combinations, so
    each is decoded once instead of once per grant."""
    return tuple(json.loads(text) or ()) if text else ()


def _accepted_reports(shape: Filters) -> Select:
    return counted_grants(
        select(ProgressReport.id)
        .join(ProgressReport.grant)
        .where(ProgressReport.state == ReportState.ACCEPTED.value),
        shape,
        joined=False,
    )


@cache
def _reach_statement(shape: Filters) -> Select:
    reports = _accepted_reports(shape).subquery()
    # `report_id + 0` keeps SQLite from looking each accepted report's rows up by report_id,
    # which leaves every row to sort for the grouping: it reads instead the index on (sex,
    # age_band, report_id, count) in its order, each group's rows side by side. (On PostgreSQL
    # it only rules out the report_id index: report_reach's few small columns are read whole
    # and the accepted reports hashed.)
    return (
        select(ReportReach.sex, ReportReach.age_band, func.sum(ReportReach.count))
        .where((ReportReach.report_id + 0).in_(select(reports.c.id)))
        .group_by(ReportReach.sex, ReportReach.age_band)
    )


def _read(statement: Select, filters: Filters) -> list:
    """The rows of one of the statements above with `filters` bound (fund/reads.py: they
    select columns, never an entity)."""
    return read(statement, bound_values(filters)).all()


def reach(filters: Filters) -> dict[tuple[str, str], int]:
    """(sex, age band) -> people reached, summed over the accepted reports of counted grants."""
    rows = _read(_reach_statement(shape_of(filters)), filters)
    return {(sex, band): int(total or 0) for sex, band, total in rows}


@dataclass(frozen=True)
class Indicator:
    """One numeric report question summed across grants."""

    question_id: str
    label: str
    total: Decimal
    grants: int


def _number(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_UNREAD = object()  # an answer's text not yet read as a number (or no form read yet)


def _numeric_questions(form_text: str | None) -> list[tuple[str, str]]:
    """(id, label) of each numeric question of a frozen form given as JSON text."""
    form = json.loads(form_text) if form_text else {}
    return [
        (q["id"], q.get("label", q["id"]))
        for q in forms.questions(form or {})
        if q["type"] in NUMERIC_TYPES
    ]


@cache
def _indicators_statement(shape: Filters) -> Select:
    # The frozen form comes as text: most reports share a handful of forms, each read once. The
    # answers come as text too, decoded by `indicators` itself (json.loads, as the column's type
    # would, all at once).
    return (
        _accepted_reports(shape)
        .with_only_columns(
            ProgressReport.grant_id,
            cast(ProgressReport.form, Text),
            cast(ProgressReport.answers, Text),
        )
        .order_by(ProgressReport.accepted_at.desc(), ProgressReport.id.desc())
    )


def indicators(filters: Filters) -> list[Indicator]:
    """Every numeric question of the accepted reports' frozen forms, summed across them, in
    the order the forms ask them; a question keeps the label of the newest report asking it."""
    numeric: dict[str, list[str]] = {}  # form text -> ids of its numeric questions
    labels: dict[str, str] = {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    grants: dict[str, set[int]] = defaultdict(set)
    # Answers are kept as text and repeat (small counts): each text is read as a number once.
    numbers: dict[str, Decimal | None] = {}
    last_form: object = _UNREAD
    asked: list[str] = []
    rows = _read(_indicators_statement(shape_of(filters)), filters)
    # Every report's answers decoded in one json.loads, as the items of one JSON array (each
    # text is a JSON document the column stored): one call of the decoder, not one a report.
    decoded = json.loads("[" + ",".join([text or "null" for _id, _form, text in rows]) + "]")
    for (grant_id, form_text, _text), answers in zip(rows, decoded, strict=True):
        # Reports of one call share its form, a few KB of text: a row with the last row's form
        # keeps its questions without hashing the text again.
        if form_text != last_form:
            last_form = form_text
            asked = numeric.get(form_text)
            if asked is None:
                # The first (newest) report asking a question gives its label.
                questions = _numeric_questions(form_text)
                for qid, label in questions:
                    labels.setdefault(qid, label)
                asked = numeric[form_text] = [qid for qid, _label in questions]
        if not answers:
            continue
        for qid in asked:
            answer = answers.get(qid)
            if answer.__class__ is str:
                value = numbers.get(answer, _UNREAD)
                if value is _UNREAD:
                    value = numbers[answer] = _number(answer)
            else:
                value = _number(answer)
            if value is not None:
                totals[qid] += value
                grants[qid].add(grant_id)
    return [
        Indicator(qid, label, totals[qid], len(grants[qid]))
        for qid, label in labels.items()
        if grants[qid]
    ]


def _call_choices_statement() -> Select:
    # EXISTS stops at a call's first grant instead of walking all its proposals.
    made_a_grant = (
        select(Proposal.id)
        .join(Grant, Grant.proposal_id == Proposal.id)
        .where(Proposal.call_id == Call.id)
        .exists()
    )
    return select(Call.id, Call.title).where(made_a_grant).order_by(Call.title, Call.id)


_CALL_CHOICES = _call_choices_statement()  # built once: see `shape_of`


def call_choices() -> list[tuple[int, str]]:
    """The calls that have made a grant, for the filter (one query)."""
    return [(id_, title) for id_, title in db.session.execute(_CALL_CHOICES)]
