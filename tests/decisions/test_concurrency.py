"""Chairs deciding at the same moment (PostgreSQL, real threads, one connection each): the
envelope is never exceeded, a proposal gets one decision, and simultaneous approvals count."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from fund import workflow
from fund.decisions import services
from fund.extensions import db
from fund.models import Decision, DecisionApproval, Grant, Proposal, ProposalState, Role, User
from fund.models.base import utcnow
from tests.conftest import make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call


def _award(app, proposal_id, chair_id, amount, barrier, results, name):
    """One chair: its own app context, hence its own session and connection."""
    with app.app_context():
        try:
            proposal = db.session.get(Proposal, proposal_id)
            chair = db.session.get(User, chair_id)
            workflow.check(proposal, "award", chair)  # load everything before the start line
            db.session.commit()
            barrier.wait(timeout=10)
            try:
                result = services.award(proposal, chair, Decimal(amount), "", utcnow())
                db.session.commit()
                results[name] = "awarded" if result.decision else "approved"
            except workflow.TransitionRefused as refused:
                db.session.rollback()
                results[name] = refused.status
        except Exception as error:  # reported by the test, not lost in the thread
            results[name] = error
        finally:
            db.session.remove()


def _run(app, contenders):
    barrier = threading.Barrier(len(contenders))
    results: dict = {}
    threads = [
        threading.Thread(target=_award, args=(app, *args, barrier, results, name))
        for name, args in contenders.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_chairs_awarding_at_once_cannot_exceed_the_envelope(app, postgresql_only):
    """Envelope 30,000; two proposals of 20,000 awarded at the same moment: one goes through,
    the other is refused (400), and 20,000 is committed."""
    with app.app_context():
        call = make_rubric_call(envelope="30000")
        first, second = make_reviewed(call, amount="20000"), make_reviewed(call, amount="20000")
        a, b = make_user(Role.CHAIR), make_user(Role.CHAIR)
        contenders = {"a": (first.id, a.id, "20000"), "b": (second.id, b.id, "20000")}
        db.session.remove()
    results = _run(app, contenders)
    assert sorted(map(str, results.values())) == ["400", "awarded"], results
    with app.app_context():
        total = db.session.scalar(select(func.sum(Decision.amount)))
        assert total == Decimal("20000")
        assert db.session.scalar(select(func.count(Grant.id))) == 1


def test_two_chairs_awarding_one_proposal_at_once_make_one_decision(app, postgresql_only):
    with app.app_context():
        proposal = make_reviewed(make_rubric_call(), amount="10000")
        a, b = make_user(Role.CHAIR), make_user(Role.CHAIR)
        contenders = {"a": (proposal.id, a.id, "10000"), "b": (proposal.id, b.id, "10000")}
        db.session.remove()
    results = _run(app, contenders)
    assert sorted(map(str, results.values())) == ["409", "awarded"], results
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1
        assert db.session.scalar(select(func.count(Grant.id))) == 1


def test_two_approvals_given_at_once_complete_the_award(app, postgresql_only):
    """With two approvals needed, simultaneous approvals are counted one after the other: the
    second to get the lock sees the first and makes the award."""
    with app.app_context():
        proposal = make_reviewed(make_rubric_call(approvals=2), amount="10000")
        a, b = make_user(Role.CHAIR), make_user(Role.CHAIR)
        contenders = {"a": (proposal.id, a.id, "10000"), "b": (proposal.id, b.id, "10000")}
        proposal_id = proposal.id
        db.session.remove()
    results = _run(app, contenders)
    assert sorted(results.values()) == ["approved", "awarded"], results
    with app.app_context():
        assert db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id)) == (
            ProposalState.AWARDED
        )
        assert (
            db.session.scalar(
                select(func.count(DecisionApproval.id)).where(
                    DecisionApproval.decision_id.is_not(None)
                )
            )
            == 2
        )
