"""Each call's figures kept at write time (fund/calls/figures.py): after every kind of change a
proposal, a grant or a tranche can go through, through the ORM or in bulk statements, in random
order on random data, the stored rows equal the figures worked out here in Python from the rows
themselves; a rolled-back change leaves them alone, and `flask fund recount-calls` rebuilds
them."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from click.testing import CliRunner
from sqlalchemy import delete, insert, select, update

from fund import workflow
from fund.admin import overview
from fund.calls import figures
from fund.extensions import db
from fund.models import CallMoney, CallStateCount, Grant, Proposal, ProposalState, Role, Tranche
from fund.models.base import utcnow
from tests.admin.overview_data import make_grant_with_tranches, proposal_in
from tests.conftest import make_call, make_user

STATES = [state.value for state in ProposalState]
_positions = iter(range(1, 10**6))


def stored() -> tuple[dict, dict]:
    """The stored rows: proposals per (call, state), and (awarded, paid) per call."""
    counts = {
        (row.call_id, row.state): row.proposals
        for row in db.session.execute(select(CallStateCount)).scalars()
    }
    money = {
        row.call_id: (Decimal(row.awarded), Decimal(row.paid))
        for row in db.session.execute(select(CallMoney)).scalars()
    }
    return counts, money


def live() -> tuple[dict, dict]:
    """The same figures read the plain way: every proposal, grant and tranche, in Python."""
    db.session.expire_all()
    proposals = db.session.scalars(select(Proposal)).all()
    counts = dict(Counter((p.call_id, p.state) for p in proposals))
    state_of = {p.id: (p.call_id, p.state) for p in proposals}
    money: dict[int, tuple[Decimal, Decimal]] = {}
    for grant in db.session.scalars(select(Grant)):
        call_id, state = state_of[grant.proposal_id]
        if state != ProposalState.AWARDED or grant.state == "cancelled":
            continue
        awarded, paid = money.get(call_id, (Decimal(0), Decimal(0)))
        paid_here = sum((t.paid_amount for t in grant.tranches if t.paid_amount), Decimal(0))
        money[call_id] = (awarded + grant.amount, paid + paid_here)
    return counts, money


class World:
    """Three calls with proposals in random states and grants on some awarded ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.calls = [make_call(title=f"Call {n}") for n in range(3)]
        for call in self.calls:
            for _ in range(4):
                proposal_in(call, rng.choice(["draft", "submitted", "in_review", "reviewed"]))
            make_grant_with_tranches(call, paid=(True, False))

    def call(self):
        return self.rng.choice(self.calls)

    def proposal(self) -> Proposal:
        return self.rng.choice(db.session.scalars(select(Proposal).order_by(Proposal.id)).all())

    def grant(self) -> Grant | None:
        found = db.session.scalars(select(Grant).order_by(Grant.id)).all()
        return self.rng.choice(found) if found else None

    def tranche(self) -> Tranche | None:
        found = db.session.scalars(select(Tranche).order_by(Tranche.id)).all()
        return self.rng.choice(found) if found else None


def add_proposal(w: World) -> None:
    proposal_in(w.call(), w.rng.choice(["draft", "submitted", "in_review"]))


def change_state_on_the_object(w: World) -> None:
    w.proposal().state = w.rng.choice(STATES)
    db.session.commit()


def change_state_in_bulk(w: World) -> None:
    """As fund/workflow's transitions do: an UPDATE with its own WHERE, no flush."""
    proposal = w.proposal()
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.state == proposal.state)
        .values(state=w.rng.choice(STATES))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def change_states_by_key(w: World) -> None:
    """An UPDATE by primary key, one parameter set per row."""
    rows = [{"id": w.proposal().id, "state": w.rng.choice(STATES)} for _ in range(2)]
    db.session.execute(update(Proposal), rows)
    db.session.commit()


def move_calls_by_key(w: World) -> None:
    """An UPDATE by primary key moving two proposals, each to a call of its own."""
    first, second = w.proposal(), w.proposal()
    rows = [{"id": first.id, "call_id": w.call().id}, {"id": second.id, "call_id": w.call().id}]
    db.session.execute(update(Proposal), rows)
    db.session.commit()


def move_to_another_call(w: World) -> None:
    proposal, call = w.proposal(), w.call()
    if w.rng.random() < 0.5:
        proposal.call = call  # the id is set by the flush
    else:
        db.session.execute(
            update(Proposal).where(Proposal.id == proposal.id).values(call_id=call.id)
        )
    db.session.commit()


def delete_proposal(w: World) -> None:
    proposal = w.proposal()
    if db.session.scalar(select(Grant.id).where(Grant.proposal_id == proposal.id)):
        return  # a grant keeps its proposal
    way = w.rng.randrange(3)
    if way == 0:
        db.session.delete(proposal)
    elif way == 1:  # a Core DELETE run through the session
        db.session.execute(delete(Proposal.__table__).where(Proposal.__table__.c.id == proposal.id))
    else:  # the table's own DELETE, its condition on the mapped attribute
        db.session.execute(Proposal.__table__.delete().where(Proposal.id == proposal.id))
    db.session.commit()


def add_grant(w: World) -> None:
    make_grant_with_tranches(w.call(), amount=str(w.rng.randint(1, 90) * 1000))


def change_grant(w: World) -> None:
    grant = w.grant()
    if grant is None:
        return
    choice = w.rng.random()
    if choice < 0.4:
        grant.amount = Decimal(w.rng.randint(1, 90) * 500)
    elif choice < 0.7:  # cancelled, or back, in bulk
        state = "active" if grant.state == "cancelled" else "cancelled"
        db.session.execute(update(Grant).where(Grant.id == grant.id).values(state=state))
    else:
        db.session.delete(grant)
    db.session.commit()


def pay_tranche(w: World) -> None:
    tranche = w.tranche()
    if tranche is None:
        return
    if w.rng.random() < 0.7:
        tranche.paid_amount = None if tranche.paid_amount else tranche.amount
        tranche.paid_on = None if tranche.paid_on else utcnow().date()
    else:
        db.session.execute(
            update(Tranche)
            .where(Tranche.grant_id == tranche.grant_id)
            .values(paid_amount=Tranche.amount)
        )
    db.session.commit()


def insert_tranche_in_bulk(w: World) -> None:
    """An INSERT run through the session, which no flush sees: every call is recounted. Paid
    on a grant that counts (awarded, not cancelled), so that its call's money changes."""
    counting = [
        grant
        for grant in db.session.scalars(select(Grant).order_by(Grant.id))
        if grant.state != "cancelled" and grant.proposal.state == ProposalState.AWARDED
    ]
    if not counting:
        return
    grant = w.rng.choice(counting)
    paid = Decimal(w.rng.randint(1, 9) * 100)
    db.session.execute(
        insert(Tranche),
        [
            {
                "grant_id": grant.id,
                "position": 200 + next(_positions),
                "percent": 10,
                "amount": paid,
                "condition": "signature",
                "paid_amount": paid,
            }
        ],
    )
    db.session.commit()


def rolled_back(w: World) -> None:
    """Changes made and rolled back leave the stored figures as they were."""
    w.proposal().state = w.rng.choice(STATES)
    add_grant_uncommitted = w.grant()
    if add_grant_uncommitted is not None:
        add_grant_uncommitted.amount += 7
    db.session.flush()
    db.session.rollback()


def in_a_savepoint(w: World) -> None:
    """A savepoint rolled back inside a transaction that changed a proposal before it: the
    transaction's own change is still counted at its commit."""
    w.proposal().state = w.rng.choice(STATES)
    db.session.flush()
    savepoint = db.session.begin_nested()
    w.proposal().state = w.rng.choice(STATES)
    db.session.flush()
    savepoint.rollback()
    db.session.commit()


def move_tranche_to_another_grant(w: World) -> None:
    """A bulk UPDATE giving a tranche another grant (of another call, maybe): both calls."""
    tranche, grant = w.tranche(), w.grant()
    if tranche is None or grant is None:
        return
    db.session.execute(
        update(Tranche)
        .where(Tranche.id == tranche.id)
        .values(grant_id=grant.id, position=100 + tranche.id)
    )
    db.session.commit()


CHANGES = (
    add_proposal,
    change_state_on_the_object,
    change_state_in_bulk,
    change_states_by_key,
    move_calls_by_key,
    move_to_another_call,
    delete_proposal,
    add_grant,
    change_grant,
    pay_tranche,
    rolled_back,
    in_a_savepoint,
    move_tranche_to_another_grant,
    insert_tranche_in_bulk,
)


def test_the_stored_figures_equal_the_live_ones_after_random_changes(ctx):
    rng = random.Random(14)
    w = World(rng)
    assert stored() == live()
    done = Counter()
    for _ in range(120):
        change = rng.choice(CHANGES)
        change(w)
        done[change.__name__] += 1
        assert stored() == live(), change.__name__
    assert set(done) == {change.__name__ for change in CHANGES}
    counts, money = stored()
    assert counts and money  # the random data kept some of each


def test_a_workflow_transition_moves_the_count(ctx):
    """The real path: the secretariat's transition (an UPDATE that no flush sees) moves a
    proposal from one state's count to another's, read by the overview."""
    call = make_call(title="Round")
    proposal = proposal_in(call, "submitted")
    admin = make_user(Role.ADMIN)
    db.session.commit()
    assert stored()[0] == {(call.id, "submitted"): 1}
    workflow.transition(proposal, "screen_in", admin)
    db.session.commit()
    assert stored()[0] == {(call.id, "in_review"): 1}
    (figures_row,) = [f for f in overview.calls(utcnow()) if f.call.id == call.id]
    assert figures_row.counts == {"in_review": 1}


def test_recount_calls_rebuilds_the_figures(app, ctx):
    w = World(random.Random(3))
    db.session.execute(delete(CallStateCount.__table__))
    db.session.execute(update(CallMoney).values(paid=1))
    db.session.commit()
    assert stored() != live()
    result = CliRunner().invoke(app.cli, ["fund", "recount-calls"])
    assert result.exit_code == 0, result.output
    assert f"Recounted the figures of {len(w.calls)} call(s)." in result.output
    assert stored() == live()


def test_the_demo_data_is_counted_as_it_is_written(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    counts, money = live()
    assert counts and money and stored() == (counts, money)


def test_recount_leaves_other_calls_alone(ctx):
    """`recount` rewrites only the calls it is given: another call's rows, even wrong ones,
    stay as they were until that call is recounted."""
    first, second = make_call(title="First"), make_call(title="Second")
    proposal_in(first, "submitted")
    proposal_in(second, "submitted")
    db.session.execute(
        update(CallStateCount).where(CallStateCount.call_id == second.id).values(proposals=9)
    )
    figures.recount(db.session.connection(), [first.id])
    db.session.commit()
    counts, _ = stored()
    assert counts == {(first.id, "submitted"): 1, (second.id, "submitted"): 9}
