"""A demo amendment: a grantee's no-cost extension waiting for the secretariat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fund import clock
from fund.extensions import db
from fund.grants import amendments
from fund.models import Grant, Proposal

EXTENDED_GRANT = "Safe routes to school in Gulu"  # active, its interim report due soon


def seed_amendments() -> None:
    """Call after seed_grants: the grantee of EXTENDED_GRANT asks for three more months,
    through the same service as the request page."""
    grant = db.session.scalar(
        select(Grant)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(Proposal.title == EXTENDED_GRANT)
    )
    member = grant.organisation.memberships[0].user
    amendments.request_amendment(
        grant,
        member,
        "extension",
        {"end_on": (grant.end_on + timedelta(days=92)).isoformat()},
        "The rainy season closed the schools for six weeks; the last walking groups need three "
        "more months.",
        clock.now(),
    )
