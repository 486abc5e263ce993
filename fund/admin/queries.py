"""Reads for the secretariat's pages."""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from fund.extensions import db
from fund.models import IncomeGroupList, IncomeGroupOverride, User, UserRole

PAGE_SIZE = 50


def users_page(*, q: str = "", role: str = "", status: str = "", page: int = 1):
    """One page of users matching the filters (roles come with them in one more query)."""
    query = select(User)
    if q:  # autoescape: "%" and "_" typed by the user are plain text, not wildcards
        q = q.lower()
        query = query.where(
            or_(
                func.lower(User.name).contains(q, autoescape=True),
                func.lower(User.email).contains(q, autoescape=True),
            )
        )
    if role:
        query = query.where(exists().where(UserRole.user_id == User.id, UserRole.role == role))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return db.paginate(
        query.order_by(User.name, User.id), page=page, per_page=PAGE_SIZE, error_out=False
    )


def income_lists(limit: int = 20) -> list[IncomeGroupList]:
    """The lists loaded, newest first."""
    return list(
        db.session.scalars(
            select(IncomeGroupList)
            .order_by(IncomeGroupList.loaded_at.desc(), IncomeGroupList.id.desc())
            .limit(limit)
        )
    )


def overrides() -> list[IncomeGroupOverride]:
    return list(
        db.session.scalars(
            select(IncomeGroupOverride).order_by(
                IncomeGroupOverride.fiscal_year.desc(), IncomeGroupOverride.country_code
            )
        )
    )
