"""Running a confirmed bulk action: each row checked again and changed on its own.

A row is checked on the state as committed just before it is changed, and is changed only when
the check passes, so a refused row leaves nothing behind and never stops the others. The run
is kept (BulkRun) for the result page. Flushes; the view commits once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fund import workflow
from fund.bulk.actions import BulkAction, Params, RowRefused
from fund.bulk.selection import Selection
from fund.extensions import db
from fund.models import BulkRun


def run(selection: Selection, action: BulkAction, actor: Any, params: Params, now: datetime):
    """Apply `action` to every chosen row; returns the BulkRun with each row's outcome."""
    outcomes = []
    for row in selection.rows:
        reason = action.check(row, actor, params)
        if reason is None:
            try:
                action.apply(row, actor, params, now)
            except workflow.TransitionRefused as refused:  # raised before anything is written
                reason = refused.reason
            except RowRefused as refused:
                reason = refused.reason
        outcomes.append({"id": row.id, "done": reason is None, "reason": reason or ""})
    bulk_run = BulkRun(
        call_id=selection.call.id if selection.call is not None else None,
        actor_id=actor.id,
        list_name=selection.list_name,
        action=action.name,
        comment=params.comment.strip(),
        outcomes=outcomes,
        created_at=now,
    )
    db.session.add(bulk_run)
    db.session.flush()
    return bulk_run
