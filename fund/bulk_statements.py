"""What a bulk UPDATE or DELETE run through the session is about to change, for the session
hooks that keep figures at write time (fund/reviews/waiting_hook.py, fund/calls/figures_hook.py).
No flush sees such a statement (fund/workflow's transitions are UPDATEs of this kind), so a hook
looks at it in `do_orm_execute`, before it runs, and reads the rows it will change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import ORMExecuteState


@dataclass(frozen=True)
class BulkChange:
    """A bulk statement on one of the tables a hook watches."""

    table: Table
    is_delete: bool
    # the columns an UPDATE sets, by name, with their values (bound values unwrapped); an
    # UPDATE by primary key, one parameter set per row, has its rows' values merged in
    values: dict[str, Any]
    # its condition; None when it has none, or when its rows are given by primary key
    where: Any
    # the primary keys of an UPDATE by primary key, else None
    keys: list[Any] | None

    def sets(self, names: tuple[str, ...]) -> bool:
        """Whether the statement deletes rows or sets one of the columns `names`."""
        return self.is_delete or any(name in self.values for name in names)


def bulk_change(orm_execute_state: ORMExecuteState, tables: Any) -> BulkChange | None:
    """The bulk UPDATE or DELETE `orm_execute_state` runs, if it is on one of `tables` (found
    by table, so a Core statement on the table run through the session counts too)."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return None
    statement = orm_execute_state.statement
    table = (statement.entity_description or {}).get("table")
    if table is None or table not in tables:
        return None
    values = _values(statement)
    rows = orm_execute_state.parameters
    keys = None
    where = statement.whereclause
    if isinstance(rows, list):  # an UPDATE by primary key, one parameter set per row
        key = table.primary_key.columns[0].key
        keys = [row.get(key) for row in rows]
        for row in rows:
            values.update(row)
        where = None
    elif rows:
        values.update(rows)
    return BulkChange(table, orm_execute_state.is_delete, values, where, keys)


def _values(statement: Any) -> dict[str, Any]:
    values = {}
    for key, value in (getattr(statement, "_values", None) or {}).items():
        name = getattr(key, "key", key)
        values[name] = getattr(value, "value", value)
    return values
