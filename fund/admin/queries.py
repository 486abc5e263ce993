"""Reads for the secretariat's pages."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, bindparam, exists, func, or_, select

from fund import like
from fund.extensions import db
from fund.models import IncomeGroupList, IncomeGroupOverride, Role, User, UserRole
from fund.paging import RowsPage
from fund.reads import read

PAGE_SIZE = 50


class UserRow(NamedTuple):
    """What the users list shows of an account (a tuple: 50 frozen dataclasses cost more)."""

    id: int
    name: str
    email: str
    email_verified: bool
    active: bool
    roles: tuple[Role, ...]


def _conditions(by_text: bool, by_role: bool, status: str) -> list[Any]:
    """The filters' conditions, their values bound as `q` (a LIKE pattern) and `role`."""
    conditions = []
    if by_text:
        q = bindparam("q", type_=String)
        conditions.append(
            or_(
                func.lower(User.name).like(q, escape=like.ESCAPE),
                func.lower(User.email).like(q, escape=like.ESCAPE),
            )
        )
    if by_role:
        conditions.append(
            exists().where(UserRole.user_id == User.id, UserRole.role == bindparam("role"))
        )
    if status == "active":
        conditions.append(User.active.is_(True))
    elif status == "inactive":
        conditions.append(User.active.is_(False))
    return conditions


@cache
def _users_statement(by_text: bool, by_role: bool, status: str):
    """The page of accounts by name with the whole list's count and each account's roles, in
    one statement: the page's five columns and a window count, cut to the page first, then its
    role rows joined and gathered (one string per account, as the three plain queries read
    them before, in a third of the round trips). Built once per kind of filter, the values
    bound when it runs (`q`, `role`, `limit`, `offset`)."""
    conditions = _conditions(by_text, by_role, status)
    page = (
        select(
            User.id,
            User.name,
            User.email,
            User.email_verified_at,
            User.active,
            func.count().over().label("total"),
        )
        .where(*conditions)
        .order_by(User.name, User.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    return (
        select(page, func.aggregate_strings(UserRole.role, ",").label("roles"))
        .outerjoin(UserRole, UserRole.user_id == page.c.id)
        .group_by(*page.c)
        .order_by(page.c.name, page.c.id)
    )


def users_page(*, q: str = "", role: str = "", status: str = "", page: int = 1) -> RowsPage:
    """One page of users matching the filters, by name (a page past the last is empty): one
    query of plain rows, and a count of its own only for a page past the last (loading 50
    accounts and their role rows as objects took most of the page's time)."""
    kind = (bool(q), bool(role), status)
    values = {
        "q": like.containing(q.lower()),
        "role": role,
        "limit": PAGE_SIZE,
        "offset": (page - 1) * PAGE_SIZE,
    }
    rows = read(_users_statement(*kind), values).all()
    if rows:
        total = rows[0].total
    else:  # no row to carry the window's count: a page past the last, or nobody matches
        count = select(func.count()).select_from(User).where(*_conditions(*kind))
        total = db.session.scalar(count, values)
    items = [
        UserRow(
            r.id,
            r.name,
            r.email,
            r.email_verified_at is not None,
            bool(r.active),
            tuple(sorted(map(Role, r.roles.split(",")))) if r.roles else (),
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
