"""Background tasks: run off the caller's thread with an app context and a session of their own,
failures logged (never raised into nobody's hands), and tests can wait for them."""

from __future__ import annotations

import logging
import threading

from flask import current_app
from sqlalchemy import select

from fund import tasks
from fund.extensions import db
from fund.models import User
from tests.conftest import make_user


def test_a_task_runs_in_a_daemon_thread_with_its_own_app_context_and_session(app, ctx):
    """It sees the app, writes through a session that is not the caller's, and commits."""
    caller_session = db.session()
    user = make_user()
    seen = {}

    def rename(user_id: int, name: str) -> None:
        seen["thread"] = threading.current_thread()
        seen["app"] = current_app._get_current_object()
        seen["own session"] = db.session() is not caller_session
        db.session.get(User, user_id).name = name
        db.session.commit()

    thread = tasks.run_in_background(rename, user.id, "Renamed")
    assert tasks.wait(timeout=10)
    assert seen == {"thread": thread, "app": app, "own session": True}
    assert thread.daemon and not thread.is_alive()
    assert db.session.scalar(select(User.name).where(User.id == user.id)) == "Renamed"


def test_a_failing_task_is_logged_and_does_not_disturb_others(app, ctx, caplog):
    def boom() -> None:
        raise RuntimeError("the task broke")

    done = []
    with caplog.at_level(logging.ERROR):
        tasks.run_in_background(boom)
        tasks.run_in_background(done.append, "next one ran")
        assert tasks.wait(timeout=10)
    assert done == ["next one ran"]
    [record] = [r for r in caplog.records if "background task boom failed" in r.getMessage()]
    assert "the task broke" in record.exc_text


def test_wait_gives_up_after_its_timeout_while_a_task_runs(app, ctx):
    release = threading.Event()
    tasks.run_in_background(release.wait, 10)
    assert tasks.running() == 1
    assert tasks.wait(timeout=0.2) is False
    release.set()
    assert tasks.wait(timeout=10) is True
    assert tasks.running() == 0
