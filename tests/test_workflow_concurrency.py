"""Two transitions racing from one state: exactly one goes through (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from fund import workflow
from fund.extensions import db
from fund.models import AuditEvent, Proposal, ProposalState, Role, User
from tests.conftest import make_organisation, make_proposal, make_user

RACES = [
    (("screen_in", "admin"), ("screen_out", "admin")),
    (("screen_in", "admin"), ("screen_in", "other_admin")),
    (("withdraw", "member"), ("screen_out", "admin")),
]


def _race(
    app,
    proposal_id: int,
    action: str,
    user_id: int,
    barrier: threading.Barrier,
    results: dict,
    name: str,
) -> None:
    """One contender: its own app context, hence its own session and connection."""
    with app.app_context():
        try:
            proposal = db.session.get(Proposal, proposal_id)
            actor = db.session.get(User, user_id)
            workflow.check(proposal, action, actor)  # load everything before the start line
            barrier.wait(timeout=10)
            try:
                workflow.transition(proposal, action, actor, comment="Racing.")
                db.session.commit()
                results[name] = "applied"
            except workflow.TransitionRefused as refused:
                db.session.rollback()
                results[name] = refused.status
        except Exception as error:  # reported by the test, not lost in the thread
            results[name] = error
        finally:
            db.session.remove()


@pytest.mark.parametrize(("first", "second"), RACES, ids=lambda race: "-".join(race))
def test_two_concurrent_transitions_let_exactly_one_through(app, postgresql_only, first, second):
    """Both load the submitted proposal, start together and commit: one is applied, the other
    refused with 409, and there is exactly one audit row."""
    with app.app_context():
        member = make_user(Role.APPLICANT)
        users = {
            "member": member,
            "admin": make_user(Role.ADMIN),
            "other_admin": make_user(Role.ADMIN),
        }
        proposal = make_proposal(make_organisation(member), state=ProposalState.SUBMITTED)
        ids = {name: user.id for name, user in users.items()}
        proposal_id = proposal.id
        db.session.remove()

    barrier = threading.Barrier(2)
    results: dict = {}
    threads = [
        threading.Thread(
            target=_race,
            args=(app, proposal_id, action, ids[who], barrier, results, f"{index}:{action}"),
        )
        for index, (action, who) in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a contender is stuck"

    assert sorted(results.values(), key=str) == [409, "applied"], results
    [winner] = [name for name, outcome in results.items() if outcome == "applied"]
    winning_action = winner.split(":", 1)[1]
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == proposal_id)
        ).all()
        assert [(r.action, r.from_state) for r in rows] == [(winning_action, "submitted")]
        target = workflow.PROPOSAL.transition_for(winning_action).target
        assert db.session.scalar(select(Proposal.state).where(Proposal.id == proposal_id)) == target
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        db.session.remove()
