"""Column reads for the busy pages, without the ORM's handling of each execution.

`db.session.execute` runs every statement through the ORM: its execution options, events,
autoflush and result handling, about 0.1 ms a statement on the bench even when the statement
selects plain columns and loads no object. A dashboard runs a dozen such statements. `read`
runs them on the session's own connection, in the request's transaction, and returns the same
rows.

Only for statements that select columns, never an entity (those need the ORM), and for reads
of what is already flushed: it does not flush the session first. Services flush what they
change, and pages read before changing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable

from fund.extensions import db


def read(statement: Executable, values: Mapping[str, Any] | None = None) -> CursorResult:
    """The result of a column `statement` with its bound `values`, on the session's connection."""
    return db.session.connection().execute(statement, values or {})
