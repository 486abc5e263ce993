"""What the session hooks that keep figures at write time share (fund/reviews/waiting_hook.py,
fund/calls/figures_hook.py): the keys a transaction touched, noted in the session and recounted
just before it commits (`Noted`), and what a bulk UPDATE, DELETE or INSERT run through the
session is about to change (`bulk_change`). No flush sees such a statement (fund/workflow's
transitions are UPDATEs of this kind), so a hook looks at it in `do_orm_execute`, before it
runs, and reads the rows it will change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session


@dataclass(frozen=True)
class Noted:
    """The keys (reviewers, calls) whose figures a transaction touched, kept in its session's
    `info` under `name`, and recounted just before it commits: `recount(connection, keys)`, or
    `recount_all(connection)` when a change's keys could not be found."""

    name: str
    recount: Callable[[Connection, Iterable[Any]], Any]
    recount_all: Callable[[Connection], Any]

    def keys(self, session: Session) -> set:
        """The keys noted so far (add to it)."""
        return session.info.setdefault(f"{self.name}.keys", set())

    def every_key(self, session: Session) -> None:
        """Note that everything is to be recounted."""
        session.info[f"{self.name}.all"] = True

    def pending(self, session: Session, empty: Callable[[], Any]) -> Any:
        """What a flush keeps for after it (rows whose keys are set only by the flush)."""
        return session.info.setdefault(f"{self.name}.pending", empty())

    def take_pending(self, session: Session) -> Any:
        return session.info.pop(f"{self.name}.pending", None)

    def before_commit(self, session: Session) -> None:
        """Recount what this transaction touched."""
        session.flush()  # the last changes first: their keys are noted by the flush
        everything = session.info.pop(f"{self.name}.all", False)
        keys = session.info.pop(f"{self.name}.keys", None)
        if everything:
            self.recount_all(session.connection())
        elif keys:
            self.recount(session.connection(), keys)

    def forget(self, session: Session, previous_transaction: Any) -> None:
        """A rolled-back transaction's keys are not recounted; a savepoint's rollback keeps them
        (the transaction around it may have touched them too: recounting more is harmless)."""
        if previous_transaction.nested:
            return
        for part in ("pending", "keys", "all"):
            session.info.pop(f"{self.name}.{part}", None)

    def install(self, session: Any, **listeners: Callable) -> None:
        """Listen to `session` (the app's scoped session) with `listeners` (by event name) and
        this object's own commit and rollback listeners; idempotent."""
        listeners |= {"before_commit": self.before_commit, "after_soft_rollback": self.forget}
        for name, listener in listeners.items():
            if not event.contains(session, name, listener):
                event.listen(session, name, listener)


@dataclass(frozen=True)
class BulkChange:
    """A bulk statement on one of the tables a hook watches."""

    table: Table
    kind: str  # "update", "delete" or "insert"
    # the columns an UPDATE sets, by name, with their values (bound values unwrapped); an
    # UPDATE by primary key, one parameter set per row, has its rows' values merged in
    values: dict[str, Any]
    # its condition; None when it has none, when its rows are given by primary key, and for
    # an INSERT (whose rows the hook cannot read before it runs: it recounts everything)
    where: Any
    # the primary keys of an UPDATE by primary key, else None
    keys: list[Any] | None

    @property
    def is_update(self) -> bool:
        return self.kind == "update"

    def sets(self, names: tuple[str, ...]) -> bool:
        """Whether the statement adds or deletes rows, or sets one of the columns `names`."""
        return not self.is_update or any(name in self.values for name in names)


def bulk_change(orm_execute_state: ORMExecuteState, tables: Any) -> BulkChange | None:
    """The bulk UPDATE, DELETE or INSERT `orm_execute_state` runs, if it is on one of `tables`
    (found by table, so a Core statement on the table run through the session counts too)."""
    state = orm_execute_state
    if state.is_update:
        kind = "update"
    elif state.is_delete:
        kind = "delete"
    elif state.is_insert:
        kind = "insert"
    else:
        return None
    statement = state.statement
    # the statement's table as declared (an entity's statement names it with annotations);
    # not `entity_description`, which fails on a table's own DELETE whose condition names a
    # mapped attribute (`Proposal.__table__.delete().where(Proposal.id == ...)`)
    table = statement.table._deannotate()
    if table not in tables:
        return None
    if kind == "insert":
        return BulkChange(table, kind, {}, None, None)
    values = _values(statement)
    rows = state.parameters
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
    return BulkChange(table, kind, values, where, keys)


def _values(statement: Any) -> dict[str, Any]:
    values = {}
    for key, value in (getattr(statement, "_values", None) or {}).items():
        name = getattr(key, "key", key)
        values[name] = getattr(value, "value", value)
    return values
