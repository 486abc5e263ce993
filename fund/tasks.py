"""Work that runs after the response, in a daemon thread with its own app context.

A request hands over work nobody should wait for (sending the mail it queued, slow work whose
duration must not show in the response time) with `run_in_background(func, *args)`. The thread
pushes a fresh app context, so `db.session` there is its own session (Flask-SQLAlchemy scopes
sessions per app context) and is removed when the context ends; pass it ids, never ORM objects
of the request's session. The thread is a daemon: a worker that stops kills it, so the work must
be safe to lose and be picked up again by a cron job (the outbox is).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app

_lock = threading.Lock()
_running: set[threading.Thread] = set()


def run_in_background(func: Callable[..., Any], *args: Any, **kwargs: Any) -> threading.Thread:
    """Start `func(*args, **kwargs)` in a daemon thread with an app context of the current app.

    An exception in `func` is logged, never raised: the response has gone, nobody could see it.
    """
    app = current_app._get_current_object()

    def run() -> None:
        try:
            with app.app_context():
                try:
                    func(*args, **kwargs)
                except Exception:
                    app.logger.exception("background task %s failed", func.__name__)
        finally:
            with _lock:
                _running.discard(thread)

    thread = threading.Thread(target=run, name=f"fund-{func.__name__}", daemon=True)
    with _lock:
        _running.add(thread)
    thread.start()
    return thread


def running() -> int:
    """How many background tasks have not finished yet."""
    with _lock:
        return len(_running)


def wait(timeout: float | None = None) -> bool:
    """Block until every background task has finished; False if `timeout` seconds ran out.

    For tests (no thread may outlive the test that started it) and for commands that must not
    exit while their work is under way; requests never call it.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _lock:
            threads = list(_running)  # a task may start another: look again until none is left
        if not threads:
            return True
        for thread in threads:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            thread.join(remaining)
