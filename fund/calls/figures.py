"""Each call's figures, counted at write time (DESIGN.md section 7: derived figures are stored
when written, not recomputed per view).

`call_state_counts` holds, per call and state, how many of its proposals are in that state;
`call_money` holds, per call, the amounts of its grants not cancelled (on its awarded
proposals) and what was paid on them. A session hook (fund/calls/figures_hook.py) notes the
calls each transaction touches (a proposal, a grant or a tranche written) and calls `recount`
for them just before it commits; `flask fund recount-calls` rebuilds both tables
(`recount_all`) after rows were written around the app.

A call's rows are always recomputed from the proposals and grants, never adjusted by a
difference: a missed or repeated recount can leave them late, never wrong for good.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, cast, delete, func, insert, select
from sqlalchemy.engine import Connection

from fund.models import (
    Call,
    CallMoney,
    CallStateCount,
    Grant,
    GrantState,
    Proposal,
    ProposalState,
    Tranche,
)

# The advisory locks transactions that recount a call take turns on (PostgreSQL): this key and
# the call's id. Not used by another lock of the app (fund/decisions/scores.py SCORES_LOCK is
# 7301, fund/reviews/waiting.py COUNTS_LOCK 7302).
FIGURES_LOCK = 7303
COUNTS = CallStateCount.__table__
MONEY = CallMoney.__table__


def counted(call_ids: Iterable[int] | None = None):
    """The rows of `call_state_counts` worked out from the proposals: for `call_ids`, or all."""
    statement = select(Proposal.call_id, Proposal.state, func.count()).group_by(
        Proposal.call_id, Proposal.state
    )
    if call_ids is not None:
        statement = statement.where(Proposal.call_id.in_(sorted(call_ids)))
    return statement


def summed(call_ids: Iterable[int] | None = None):
    """The rows of `call_money` worked out from the grants: for `call_ids`, or all.

    A grant is made for an award, and an awarded proposal stays awarded (a final state), so the
    calls' awarded proposals are found on the index by call and state; each grant's payments are
    summed on the tranches' index by grant."""
    paid = (
        select(func.sum(Tranche.paid_amount)).where(Tranche.grant_id == Grant.id).scalar_subquery()
    )
    statement = (
        select(
            Proposal.call_id,
            func.coalesce(func.sum(Grant.amount), 0),
            func.coalesce(func.sum(paid), 0),
        )
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(Proposal.state == ProposalState.AWARDED, Grant.state != GrantState.CANCELLED)
        .group_by(Proposal.call_id)
    )
    if call_ids is not None:
        statement = statement.where(Proposal.call_id.in_(sorted(call_ids)))
    return statement


def take_turns(connection: Connection, call_ids: list[int]) -> None:
    """On PostgreSQL, wait until no other transaction is recounting one of `call_ids`
    (transaction-scoped advisory locks, taken in the ids' order so that two transactions can
    close no circle of waits). Without them two transactions recounting the same call would each
    delete the rows they see and insert theirs: the second insert fails on the key. Taken just
    before the commit, after every other lock the transaction takes; the second transaction
    then reads the first one's committed rows. SQLite has one writer at a time anyway."""
    if connection.dialect.name != "postgresql":
        return
    for call_id in call_ids:  # the (int, int) form: both keys cast, whatever the driver binds
        keys = cast(FIGURES_LOCK, Integer), cast(call_id, Integer)
        connection.execute(select(func.pg_advisory_xact_lock(*keys)))


def recount(connection: Connection, call_ids: Iterable[int]) -> None:
    """Recompute the rows of `call_ids` from their proposals and grants, in the caller's
    transaction (four statements, whatever the number of calls)."""
    ids = sorted({call_id for call_id in call_ids if call_id is not None})
    if not ids:
        return
    take_turns(connection, ids)
    connection.execute(delete(COUNTS).where(COUNTS.c.call_id.in_(ids)))
    connection.execute(insert(COUNTS).from_select(("call_id", "state", "proposals"), counted(ids)))
    connection.execute(delete(MONEY).where(MONEY.c.call_id.in_(ids)))
    connection.execute(insert(MONEY).from_select(("call_id", "awarded", "paid"), summed(ids)))


def recount_all(connection: Connection) -> int:
    """Rebuild both tables from the proposals and grants (every call, taking every call's turn);
    returns the number of calls recounted."""
    call_ids = list(connection.scalars(select(Call.id).order_by(Call.id)))
    recount(connection, call_ids)
    return len(call_ids)
