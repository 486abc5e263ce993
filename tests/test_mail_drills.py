"""Mail drills: an admin auto-assigns three reviewers while the SMTP server on 127.0.0.1 is
good, slow, hanging or refused, with the real background sending.

Whatever the server does, the page answers at once and the assignments are saved. Good and slow
servers receive each message exactly once; with a refused or hanging one the messages wait in the
outbox with the error, and `flask fund send-mail` delivers each exactly once when the server is
back. MAIL_TIMEOUT is 3 s here; the slow server takes 0.5 s per step (about 7 s for the batch).
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fund import outbox, tasks
from fund.extensions import db
from fund.models import MessageStatus, Review, Role
from fund.models.base import utcnow
from tests.conftest import login, make_user
from tests.conftest import outbox as queued
from tests.reviews.conftest import make_in_review, make_rubric_call
from tests.smtp_servers import send_mail_to, serve

MAIL_TIMEOUT = 3.0
AT_ONCE = 2.0  # seconds: the answer comes well within this, whatever the mail server does
DUE = (utcnow() + timedelta(days=14)).date().isoformat()
ERRORS = {"refused": "Connection refused", "hanging": "timed out"}


@pytest.fixture
def auto_assign(client):
    """Return a function that auto-assigns three reviewers as an admin through the route,
    giving back the response, its duration and the reviewers' addresses."""

    def run():
        admin = make_user(Role.ADMIN)
        reviewers = [make_user(Role.REVIEWER) for _ in range(3)]
        proposal = make_in_review(make_rubric_call(reviewers=3))
        login(client, admin)
        started = time.monotonic()
        response = client.post(
            f"/screening/proposals/{proposal.id}/auto-assign", data={"due_on": DUE}
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 302, response.text
        assert db.session.scalar(select(func.count()).select_from(Review)) == 3
        return elapsed, {r.email for r in reviewers}

    return run


def send_mail(app, later=None, monkeypatch=None):
    """Run `flask fund send-mail`, `later` if given (the back-off must be over)."""
    if later is not None:
        monkeypatch.setattr(outbox, "utcnow", lambda: later)
    result = app.test_cli_runner().invoke(args=["fund", "send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("kind", ["good", "slow"])
def test_with_a_good_or_slow_server_the_page_answers_at_once_and_each_mail_arrives_once(
    app, ctx, auto_assign, monkeypatch, kind
):
    with serve(kind, delay=0.5) as server:
        send_mail_to(app, monkeypatch, server, timeout=MAIL_TIMEOUT)
        elapsed, reviewers = auto_assign()
        assert elapsed < AT_ONCE
        assert tasks.wait(timeout=15)
        assert "Sent 0 message(s)" in send_mail(app)
    assert sorted(r.rcpt_tos[0] for r in server.received) == sorted(reviewers)
    assert server.connections == 1
    for message in queued(event="review_assigned"):
        assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


@pytest.mark.parametrize("kind", ["refused", "hanging"])
def test_with_a_refused_or_hanging_server_the_page_answers_at_once_and_mail_waits(
    app, ctx, auto_assign, monkeypatch, kind
):
    """The try made after the response fails within MAIL_TIMEOUT and is recorded; once the
    server is fixed, send-mail delivers each message exactly once."""
    with serve(kind) as broken:
        send_mail_to(app, monkeypatch, broken, timeout=MAIL_TIMEOUT)
        elapsed, reviewers = auto_assign()
        assert elapsed < AT_ONCE
        assert tasks.wait(timeout=MAIL_TIMEOUT + 10)
    messages = queued(event="review_assigned")
    assert {m.recipient for m in messages} == reviewers
    for message in messages:
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
        assert ERRORS[kind] in message.last_error
        assert message.next_attempt_at > utcnow()
    assert broken.received == []

    with serve("good") as fixed:
        send_mail_to(app, monkeypatch, fixed, timeout=MAIL_TIMEOUT)
        assert "Sent 0 message(s)" in send_mail(app)  # the back-off is not over yet
        later = max(m.next_attempt_at for m in messages) + timedelta(seconds=1)
        assert "Sent 3 message(s); 0 failed" in send_mail(app, later, monkeypatch)
        assert "Sent 0 message(s)" in send_mail(app)
    assert sorted(r.rcpt_tos[0] for r in fixed.received) == sorted(reviewers)
    for message in queued(event="review_assigned"):
        assert (message.status, message.attempts, message.last_error) == (
            MessageStatus.SENT,
            2,
            "",
        )
