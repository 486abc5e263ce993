"""The session hook that keeps each call's figures (fund/calls/figures.py) at write time, the way
fund/reviews/waiting_hook.py keeps the waiting reviews' counts.

Each flush notes the calls whose figures may have changed: those of the proposals, grants and
tranches it adds or deletes, and of those it changes in a column the figures depend on (their
call before the flush and after it both). Bulk UPDATE and DELETE statements on those tables,
which no flush sees (fund/workflow's transitions), are looked at before they run: the calls of
the rows they are about to change are read with the same conditions. Just before the commit
those calls' rows are recomputed (`figures.recount`).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from fund.calls import figures
from fund.models import Grant, Proposal, Tranche
from fund.write_hooks import Noted, bulk_change

CALLS = Noted("fund.calls.figures", figures.recount, figures.recount_all)
# Per model, the attributes whose change can change its call's figures (a relationship as well
# as its column: set through the relationship, the id changes only during the flush).
WATCHED = {
    Proposal: ("state", "call_id", "call"),
    Grant: ("state", "amount", "proposal_id", "proposal"),
    Tranche: ("paid_amount", "grant_id", "grant"),
}
TABLES = {model.__table__: model for model in WATCHED}
# The column of a bulk UPDATE that moves rows to another parent, whose call is then touched too.
PARENT = {Proposal: "call_id", Grant: "proposal_id", Tranche: "grant_id"}


def calls_of(model: Any, condition: Any):
    """The statement reading the calls of the rows of `model` that meet `condition`."""
    statement = select(Proposal.call_id)
    if model is not Proposal:
        statement = statement.join(Grant, Grant.proposal_id == Proposal.id)
    if model is Tranche:
        statement = statement.join(Tranche, Tranche.grant_id == Grant.id)
    return statement.where(condition).distinct()


def _note_calls_of(session: Session, ids: dict[Any, set]) -> None:
    """Note the calls of the rows of each model whose ids are given, as the database has them
    now (one query per model with rows)."""
    connection = session.connection()
    for model, model_ids in ids.items():
        model_ids.discard(None)
        if model_ids:
            statement = calls_of(model, model.id.in_(sorted(model_ids)))
            CALLS.keys(session).update(connection.scalars(statement))


def _by_model(objects: Iterable[Any]) -> dict[Any, set]:
    ids: dict[Any, set] = {model: set() for model in WATCHED}
    for obj in objects:
        ids[type(obj)].add(obj.id)
    return ids


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Note the calls of the rows this flush changes or deletes, as they are before it; keep the
    rows it adds or changes to note their calls after it (their ids and parents set by then)."""
    pending = CALLS.pending(session, list)
    before = []
    dirty = session.dirty  # a new set at each access: taken once
    for obj in chain(session.new, dirty, session.deleted):
        names = WATCHED.get(type(obj))
        if names is None:
            continue
        state = inspect(obj)
        if obj in dirty and not any(state.attrs[name].history.has_changes() for name in names):
            continue
        if not state.pending:
            before.append(obj)
        if obj not in session.deleted:
            pending.append(obj)
    if before:
        with session.no_autoflush:
            _note_calls_of(session, _by_model(before))


def _after_flush(session: Session, flush_context: Any) -> None:
    """The calls of the rows the flush added or changed, now that they are written."""
    pending = CALLS.take_pending(session)
    if pending:
        _note_calls_of(session, _by_model(pending))


def _before_bulk(orm_execute_state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE of proposals, grants or tranches: note the calls of the rows it
    is about to change, read with its own conditions (or keys) before it runs, and the call of
    the parent it moves them to. A statement whose rows cannot be found so (no WHERE, a new
    parent given as an expression or row by row, or a bulk INSERT) has every call recounted at
    the commit."""
    change = bulk_change(orm_execute_state, TABLES)
    if change is None:
        return
    model = TABLES[change.table]
    if not change.sets(WATCHED[model]):
        return
    session = orm_execute_state.session
    parent = change.values.get(PARENT[model])
    if change.keys is not None and parent is not None:  # each row may move to another parent
        CALLS.every_key(session)
        return
    if change.keys is not None:
        condition = model.id.in_([key for key in change.keys if key is not None])
    elif change.where is not None:
        condition = change.where
    else:
        CALLS.every_key(session)
        return
    with session.no_autoflush:
        connection = session.connection()
        CALLS.keys(session).update(connection.scalars(calls_of(model, condition)))
        if parent is None:
            return
        if not isinstance(parent, int):
            CALLS.every_key(session)
        elif model is Proposal:
            CALLS.keys(session).add(parent)
        else:  # the new grant's or proposal's call
            parent_model = Grant if model is Tranche else Proposal
            CALLS.keys(session).update(
                connection.scalars(calls_of(parent_model, parent_model.id == parent))
            )


def install(session: Any) -> None:
    """Keep the figures on every flush and bulk statement of `session` (the app's scoped
    session), recounted just before each commit; idempotent. Installed after the waiting
    reviews' hook, so that its locks are taken last."""
    CALLS.install(
        session,
        before_flush=_before_flush,
        after_flush_postexec=_after_flush,
        do_orm_execute=_before_bulk,
    )
