"""Two people deciding one amendment at once (PostgreSQL, real threads): exactly one decision
goes through, and an approved extension moves the grant's dates once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from fund import workflow
from fund.extensions import db
from fund.grants import amendments
from fund.grants.amendment_plans import AmendmentError
from fund.models import Grant, GrantAmendment, ProgressReport, Role, User
from fund.models.base import utcnow
from tests.conftest import make_user
from tests.grants.conftest import build_grant


def _decide(app, amendment_id, action, user_id, barrier, results, name) -> None:
    """One contender: its own app context, hence its own session and connection."""
    with app.app_context():
        try:
            amendment = db.session.get(GrantAmendment, amendment_id)
            actor = db.session.get(User, user_id)
            # load the grant, its reports and tranches before the start line
            amendments.changes(amendment)
            list(amendment.grant.reports), list(amendment.grant.tranches)
            list(amendment.grant.proposal.budget_lines)
            barrier.wait(timeout=10)
            try:
                amendments.decide(amendment, action, actor, "Racing.", utcnow())
                db.session.commit()
                results[name] = "applied"
            except (workflow.TransitionRefused, AmendmentError) as refused:
                db.session.rollback()
                results[name] = refused.status
        except Exception as error:  # reported by the test, not lost in the thread
            results[name] = error
        finally:
            db.session.remove()


def _at_once(app, contenders: list[tuple[int, str, int, str]]) -> dict:
    """Run each (amendment id, action, user id, name) decision in its own thread, all released
    at one barrier; their outcomes by name."""
    barrier = threading.Barrier(len(contenders))
    results: dict = {}
    threads = [
        threading.Thread(
            target=_decide, args=(app, amendment_id, action, user_id, barrier, results, name)
        )
        for amendment_id, action, user_id, name in contenders
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a contender is stuck"
    return results


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("approve", "admin"), ("approve", "other_admin")),
        (("approve", "admin"), ("withdraw", "member")),
    ],
    ids=lambda race: "-".join(race),
)
def test_two_decisions_at_once_let_exactly_one_through(app, postgresql_only, first, second):
    with app.app_context():
        world = build_grant()
        ids = {
            "member": world.member.id,
            "admin": world.admin.id,
            "other_admin": make_user(Role.ADMIN).id,
        }
        old_end, final_due = world.grant.end_on, world.final.due_on
        amendment = amendments.request_amendment(
            world.grant,
            world.member,
            "extension",
            {"end_on": (old_end + timedelta(days=30)).isoformat()},
            "Rains.",
            utcnow(),
        )
        db.session.commit()
        amendment_id, grant_id, final_id = amendment.id, world.grant.id, world.final.id
        db.session.remove()

    results = _at_once(
        app,
        [
            (amendment_id, action, ids[who], f"{index}:{action}")
            for index, (action, who) in enumerate((first, second))
        ],
    )
    assert sorted(map(str, results.values())) == ["409", "applied"], results
    with app.app_context():
        state = db.session.get(GrantAmendment, amendment_id).state
        grant = db.session.get(Grant, grant_id)
        final = db.session.get(ProgressReport, final_id)
        moved = 30 if state == "approved" else 0
        assert grant.end_on == old_end + timedelta(days=moved)
        assert final.due_on == final_due + timedelta(days=moved)
        db.session.remove()


def test_two_amendments_of_one_grant_approved_at_once_take_turns(app, postgresql_only):
    """Two extensions asked separately (30 and 60 days) and approved by two admins at the same
    moment: the second is checked and planned against the grant as the first left it. So the
    history is a chain (the second's "before" is the first's "after"), and the grant is what
    the last approved one says; a later end asked first makes the other one refused."""
    with app.app_context():
        world = build_grant()
        other_admin = make_user(Role.ADMIN)
        old_end = world.grant.end_on
        asked = [
            amendments.request_amendment(
                world.grant,
                world.member,
                "extension",
                {"end_on": (old_end + timedelta(days=days)).isoformat()},
                f"{days} days of rain.",
                utcnow(),
            )
            for days in (30, 60)
        ]
        db.session.commit()
        ids = [a.id for a in asked]
        admins = [world.admin.id, other_admin.id]
        grant_id, final_id, final_due = world.grant.id, world.final.id, world.final.due_on
        db.session.remove()

    results = _at_once(
        app,
        [
            (amendment_id, "approve", admin_id, str(amendment_id))
            for amendment_id, admin_id in zip(ids, admins, strict=True)
        ],
    )
    assert "applied" in results.values() and all(
        r in ("applied", 400, 409) for r in results.values()
    ), results
    with app.app_context():
        decided = [db.session.get(GrantAmendment, i) for i in ids]
        approved = sorted(
            (a for a in decided if a.state == "approved"), key=lambda a: a.before["end_on"]
        )  # in the order they took the lock
        assert approved[0].before["end_on"] == old_end.isoformat()
        for earlier, later in zip(approved, approved[1:], strict=False):
            assert later.before["end_on"] == earlier.after["end_on"]
        grant = db.session.get(Grant, grant_id)
        assert grant.end_on.isoformat() == approved[-1].after["end_on"]
        moved = grant.end_on - old_end
        assert db.session.get(ProgressReport, final_id).due_on == final_due + moved
        db.session.remove()
