"""The same assignment asked for twice, one click after the other or twenty at the same moment,
is made once; the others are told it is already done (a redirect with a message, or a 409),
never a server error. A unique-key conflict anywhere answers 409 like a second click."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fund import create_app
from fund.auth import sessions
from fund.extensions import db
from fund.models import Review, Role, User
from fund.models.base import utcnow
from tests import conftest
from tests.conftest import login, make_user, outbox
from tests.reviews.conftest import assign, make_in_review, make_rubric_call

DUE = (utcnow() + timedelta(days=21)).date().isoformat()
PARALLEL = 20


def reviews() -> int:
    return db.session.scalar(select(func.count(Review.id)))


def add(client, proposal, reviewer):
    return client.post(
        f"/screening/proposals/{proposal.id}/assignments",
        data={"reviewer_id": reviewer.id, "due_on": DUE, "back": "assignments"},
    )


@pytest.fixture
def other(app, tmp_dir):
    """A second app on the test database, to which a test adds routes of its own."""
    other = create_app(conftest.test_settings(tmp_dir))
    yield other
    with other.app_context():
        for engine in db.engines.values():
            engine.dispose()  # its pooled connections would outlive the test


def test_a_unique_key_conflict_is_answered_409_and_the_session_recovers(app, other):
    """The error handler, on any database: the user sees the page a second click gets."""

    @other.post("/twice")
    def twice():
        existing = db.session.scalars(select(User)).one()
        db.session.add(User(email=existing.email, name="Twin", password_hash="-"))
        db.session.flush()
        return "never reached"

    @other.get("/count")
    def count():
        return str(db.session.scalar(select(func.count(User.id))))

    with app.app_context():
        make_user(email="once@example.org")
    client = other.test_client()
    response = client.post("/twice")
    assert response.status_code == 409
    assert "This was done meanwhile" in response.get_data(as_text=True)
    assert client.get("/count").get_data(as_text=True) == "1"


def test_an_integrity_error_asked_for_json_gets_json(other):

    @other.post("/raise")
    def raise_it():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    response = other.test_client().post("/raise", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json()["error"] == "This has changed meanwhile"


def test_adding_a_reviewer_twice_assigns_once_and_says_so(client):
    proposal = make_in_review(make_rubric_call())
    reviewer = make_user(Role.REVIEWER, name="Ruth Reviewer")
    login(client, make_user(Role.ADMIN))
    assert add(client, proposal, reviewer).status_code == 302
    second = add(client, proposal, reviewer)
    assert second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Ruth Reviewer is already assigned to this proposal." in page
    assert reviews() == 1
    assert len(outbox("review_assigned")) == 1


def test_auto_assigning_twice_adds_nobody_the_second_time(client):
    proposal = make_in_review(make_rubric_call(reviewers=2))
    for _ in range(3):
        make_user(Role.REVIEWER)
    login(client, make_user(Role.ADMIN))
    url = f"/screening/proposals/{proposal.id}/auto-assign"
    assert client.post(url, data={"due_on": DUE, "back": "assignments"}).status_code == 302
    second = client.post(url, data={"due_on": DUE, "back": "assignments"})
    assert second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already has every reviewer it needs" in page
    assert reviews() == 2
    assert len(outbox("review_assigned")) == 2


def test_reassigning_to_someone_already_assigned_is_refused_and_changes_nothing(client):
    proposal = make_in_review(make_rubric_call(reviewers=2))
    first = assign(proposal, make_user(Role.REVIEWER))
    second = assign(proposal, make_user(Role.REVIEWER, name="Rosa Reviewer"))
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/screening/assignments/{first.id}/reassign",
        data={"reviewer_id": second.reviewer_id, "due_on": DUE},
    )
    assert response.status_code == 409
    assert "Rosa Reviewer is already assigned" in response.get_data(as_text=True)
    assert db.session.get(Review, first.id).removed_at is None
    assert reviews() == 2


# --- twenty at the same moment (PostgreSQL: real concurrency, one connection each) -----------


def signed_in(user: User) -> str:
    """The session identity of a server-side sign-in of `user`, for clients to share."""
    sessions.start(user)
    db.session.commit()
    return user.get_id()


def race(app, admin_id: str, url: str, data: dict) -> list:
    """PARALLEL clients, each logged in as the admin, POST the same form at the same moment."""
    barrier = threading.Barrier(PARALLEL)
    results: list = []

    def one():
        client = app.test_client()
        try:
            with client.session_transaction() as session:
                session["_user_id"] = admin_id
                session["_fresh"] = True
            barrier.wait(timeout=10)
            results.append(client.post(url, data=data).status_code)
        except Exception as error:  # reported by the test, not lost in the thread
            results.append(error)

    threads = [threading.Thread(target=one) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_twenty_identical_assignments_at_once_make_one(app, postgresql_only):
    with app.app_context():
        proposal = make_in_review(make_rubric_call())
        reviewer = make_user(Role.REVIEWER)
        admin_id = signed_in(make_user(Role.ADMIN))
        url = f"/screening/proposals/{proposal.id}/assignments"
        data = {"reviewer_id": reviewer.id, "due_on": DUE}
        db.session.remove()
    results = race(app, admin_id, url, data)
    assert len(results) == PARALLEL
    assert set(results) <= {302, 200, 409}, results
    with app.app_context():
        assert reviews() == 1
        assert len(outbox("review_assigned")) == 1


def test_twenty_identical_auto_assignments_at_once_fill_the_proposal_once(app, postgresql_only):
    with app.app_context():
        proposal = make_in_review(make_rubric_call(reviewers=3))
        for _ in range(5):
            make_user(Role.REVIEWER)
        admin_id = signed_in(make_user(Role.ADMIN))
        url = f"/screening/proposals/{proposal.id}/auto-assign"
        db.session.remove()
    results = race(app, admin_id, url, {"due_on": DUE})
    assert len(results) == PARALLEL
    assert set(results) <= {302, 200, 409}, results
    with app.app_context():
        assert reviews() == 3
        assert len(outbox("review_assigned")) == 3
