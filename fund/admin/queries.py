"""Reads for the secretariat's pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select

from fund.extensions import db
from fund.models import IncomeGroupList, IncomeGroupOverride, Role, User, UserRole
from fund.paging import RowsPage

PAGE_SIZE = 50


@dataclass(frozen=True)
class UserRow:
    """What the users list shows of an account."""

    id: int
    name: str
    email: str
    email_verified: bool
    active: bool
    roles: tuple[Role, ...]


def users_page(*, q: str = "", role: str = "", status: str = "", page: int = 1) -> RowsPage:
    """One page of users matching the filters, by name (a page past the last is empty): the
    count, the page's five columns and their roles, in three queries of plain rows (loading
    50 accounts and their role rows as objects took most of the page's time)."""
    conditions = []
    if q:  # autoescape: "%" and "_" typed by the user are plain text, not wildcards
        q = q.lower()
        conditions.append(
            or_(
                func.lower(User.name).contains(q, autoescape=True),
                func.lower(User.email).contains(q, autoescape=True),
            )
        )
    if role:
        conditions.append(exists().where(UserRole.user_id == User.id, UserRole.role == role))
    if status == "active":
        conditions.append(User.active.is_(True))
    elif status == "inactive":
        conditions.append(User.active.is_(False))
    total = db.session.scalar(select(func.count()).select_from(User).where(*conditions))
    connection = db.session.connection()
    rows = connection.execute(
        select(User.id, User.name, User.email, User.email_verified_at, User.active)
        .where(*conditions)
        .order_by(User.name, User.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    roles: dict[int, list[Role]] = defaultdict(list)
    if rows:
        held = select(UserRole.user_id, UserRole.role).where(
            UserRole.user_id.in_([row.id for row in rows])
        )
        for user_id, name in connection.execute(held):
            roles[user_id].append(Role(name))
    items = [
        UserRow(
            r.id,
            r.name,
            r.email,
            r.email_verified_at is not None,
            bool(r.active),
            tuple(sorted(roles[r.id])),
        )
        for r in rows
    ]
    return RowsPage(items, page, PAGE_SIZE, total)


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
