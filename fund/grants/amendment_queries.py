"""Reads for the amendment pages: a grant's amendments, and those waiting for the secretariat
(a page of them, or all for download), each list in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from fund.extensions import db
from fund.models import AmendmentState, Grant, GrantAmendment, Proposal
from fund.paging import clamp_page

PER_PAGE = 50

EXPORT_HEADER = [
    "grant",
    "organisation",
    "proposal",
    "kind",
    "requested_at",
    "requested_by",
    "reason",
    "url",
]


def of_grant(grant: Grant) -> list[GrantAmendment]:
    """Every amendment of `grant`, newest first, with who asked."""
    return list(
        db.session.scalars(
            select(GrantAmendment)
            .where(GrantAmendment.grant_id == grant.id)
            .options(joinedload(GrantAmendment.requested_by))
            .order_by(GrantAmendment.requested_at.desc(), GrantAmendment.id.desc())
        )
    )


def _pending() -> Select:
    return (
        select(GrantAmendment)
        .where(GrantAmendment.state == AmendmentState.REQUESTED)
        .options(
            joinedload(GrantAmendment.grant).joinedload(Grant.organisation),
            joinedload(GrantAmendment.grant).joinedload(Grant.proposal).load_only(Proposal.title),
            joinedload(GrantAmendment.requested_by),
        )
        .order_by(GrantAmendment.requested_at, GrantAmendment.id)
    )


def pending_page(page: Any):
    """Page `page` of the amendments waiting, oldest first: the first page for anything that
    is not a number, the last for a number past it."""
    total = db.session.scalar(
        select(func.count())
        .select_from(GrantAmendment)
        .where(GrantAmendment.state == AmendmentState.REQUESTED)
    )
    number = clamp_page(page, total, PER_PAGE)
    return db.paginate(_pending(), page=number, per_page=PER_PAGE, error_out=False)


def all_pending() -> list[GrantAmendment]:
    return list(db.session.scalars(_pending()).unique())
