"""Reads for organisation pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fund.extensions import db
from fund.models import Membership, Organisation, User
from fund.permissions import member_organisation_ids


def mine(user: Any) -> dict[str, Any]:
    """The user's organisations, by name."""
    ids = member_organisation_ids(user)
    organisations = (
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        ).all()
        if ids
        else []
    )
    return {"organisations": organisations}


def members(organisation: Organisation) -> list[tuple[User, Membership]]:
    """Members with when they joined, in joining order (one query)."""
    return list(
        db.session.execute(
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id)
            .order_by(Membership.joined_at, Membership.id)
        ).tuples()
    )
