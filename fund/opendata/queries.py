"""Reads for the public list of grants awarded: published, not cancelled grants only."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from fund.countries import country_name
from fund.extensions import db
from fund.models import Call, Grant, GrantState, Organisation, Proposal

PAGE_SIZE = 50


def _public() -> Select:
    return (
        select(Grant)
        .join(Grant.proposal)
        .join(Proposal.call)
        .join(Grant.organisation)
        .where(Grant.state != GrantState.CANCELLED.value, Grant.published.is_(True))
    )


def page(*, call_id: int | None, country: str, number: int):
    """One page of the public list, newest first, each grant with its proposal, call and
    organisation (no query per row)."""
    query = _public().options(
        contains_eager(Grant.proposal).contains_eager(Proposal.call),
        contains_eager(Grant.organisation),
    )
    if call_id is not None:
        query = query.where(Proposal.call_id == call_id)
    if country:
        query = query.where(Organisation.country_code == country)
    query = query.order_by(Grant.created_at.desc(), Grant.id.desc())
    return db.paginate(query, page=number, per_page=PAGE_SIZE, error_out=False)


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The calls and the countries of the published grants, for the filters."""
    calls = db.session.execute(
        _public().with_only_columns(Call.id, Call.title).distinct().order_by(Call.title)
    ).all()
    codes = db.session.scalars(
        _public().with_only_columns(Organisation.country_code).distinct()
    ).all()
    countries = sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])
    return [(str(id_), title) for id_, title in calls], countries
