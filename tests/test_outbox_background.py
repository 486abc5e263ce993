"""Sending off the request: the modes of MAIL_SEND_AFTER_COMMIT, one connection per batch, what
a failure in the middle of a batch leaves, and the lease on a claim."""

from __future__ import annotations

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from fund import create_app, notifications, outbox, tasks
from fund.extensions import db, mail
from fund.models import MessageStatus, OutgoingMessage
from fund.models.base import utcnow
from fund.smtp import TimedConnection
from tests.conftest import test_settings as settings_for
from tests.smtp_servers import send_mail_to, serve


def queue_three() -> list[OutgoingMessage]:
    """Three committed messages in the outbox, as a view would leave them."""
    messages = [
        notifications.queue_email(f"person{n}@example.org", "password_changed") for n in (1, 2, 3)
    ]
    db.session.commit()
    db.session.info.pop("outbox", None)
    return messages


def stored(message_id: int) -> OutgoingMessage:
    return db.session.get(OutgoingMessage, message_id, populate_existing=True)


def claim_as_another_sender(message_id: int, claimed_at) -> None:
    db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id)
        .values(status=MessageStatus.SENDING, claimed_at=claimed_at)
    )
    db.session.commit()


# --- after the commit -------------------------------------------------------------------------


def test_commit_in_a_request_returns_before_its_mail_is_sent(app, ctx, monkeypatch):
    """In a request, commit() hands the mail to a background thread and returns at once; the
    thread sends it with its own database session."""
    release = threading.Event()
    senders = []
    real_deliver = outbox.deliver

    def slow_deliver(message_ids, now=None):
        senders.append((threading.current_thread(), id(db.session())))
        release.wait(timeout=5)  # stands for a mail server that takes its time
        return real_deliver(message_ids, now)

    monkeypatch.setattr(outbox, "deliver", slow_deliver)
    notifications.queue_email("someone@example.org", "password_changed")
    with app.test_request_context(), mail.record_messages() as sent:
        started = time.monotonic()
        outbox.commit()
        assert time.monotonic() - started < 1
        [message] = db.session.scalars(db.select(OutgoingMessage)).all()
        assert message.status == MessageStatus.QUEUED
        release.set()
        assert tasks.wait(timeout=10)
    [(thread, session_id)] = senders
    assert thread is not threading.current_thread() and thread.daemon
    assert session_id != id(db.session())
    assert [m.recipients for m in sent] == [["someone@example.org"]]
    assert stored(message.id).status == MessageStatus.SENT


def test_off_leaves_the_mail_to_the_cron_job(app, ctx, monkeypatch):
    """MAIL_SEND_AFTER_COMMIT=off: no thread, nothing sent; `send-mail` sends it later."""
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", "off")
    notifications.queue_email("someone@example.org", "password_changed")
    with app.test_request_context(), mail.record_messages() as sent:
        outbox.commit()
        assert tasks.running() == 0
        assert sent == []
        assert outbox.send_due() == (1, 0)
    assert [m.recipients for m in sent] == [["someone@example.org"]]


def test_an_unknown_sending_mode_is_refused_at_start(tmp_dir):
    """A typo would silently stop all mail after commits; the app refuses to start instead."""
    with pytest.raises(RuntimeError, match="MAIL_SEND_AFTER_COMMIT"):
        create_app(settings_for(tmp_dir, MAIL_SEND_AFTER_COMMIT="threads"))


# --- one connection per batch -----------------------------------------------------------------


def test_a_batch_goes_over_one_connection(app, ctx, monkeypatch):
    with serve("good") as server:
        send_mail_to(app, monkeypatch, server, mode="inline")
        messages = queue_three()
        assert outbox.deliver([m.id for m in messages]) == (3, 0)
    assert server.connections == 1
    assert [r.rcpt_tos for r in server.received] == [[m.recipient] for m in messages]


def test_an_unreachable_server_costs_every_message_of_the_batch_one_try(app, ctx, monkeypatch):
    with serve("refused") as server:
        send_mail_to(app, monkeypatch, server, mode="inline")
        messages = queue_three()
        assert outbox.deliver([m.id for m in messages]) == (0, 3)
    for message in messages:
        row = stored(message.id)
        assert (row.status, row.attempts) == (MessageStatus.QUEUED, 1)
        assert "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at > utcnow()


def test_a_server_failing_mid_batch_leaves_the_untried_messages_queued(ctx, monkeypatch):
    """The first is sent, the second records the failure, the third is untouched and due."""
    first, second, third = queue_three()
    real_send = TimedConnection.send

    def fail_second(connection, message):
        if message.recipients == [second.recipient]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        real_send(connection, message)

    monkeypatch.setattr(TimedConnection, "send", fail_second)
    with mail.record_messages() as sent:
        assert outbox.deliver([first.id, second.id, third.id]) == (1, 1)
    assert [m.recipients for m in sent] == [[first.recipient]]
    assert stored(first.id).status == MessageStatus.SENT
    row = stored(second.id)
    assert (row.status, row.attempts) == (MessageStatus.QUEUED, 1)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    row = stored(third.id)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.QUEUED, 0, "")
    assert row.next_attempt_at == third.next_attempt_at


def test_a_refused_recipient_does_not_stop_the_batch(ctx, monkeypatch):
    """A refusal of one message (here its address) leaves the connection usable for the rest."""
    first, second, third = queue_three()
    real_send = TimedConnection.send

    def refuse_second(connection, message):
        if message.recipients == [second.recipient]:
            raise smtplib.SMTPRecipientsRefused({second.recipient: (550, b"No such user")})
        real_send(connection, message)

    monkeypatch.setattr(TimedConnection, "send", refuse_second)
    with mail.record_messages() as sent:
        assert outbox.deliver([first.id, second.id, third.id]) == (2, 1)
    assert [m.recipients for m in sent] == [[first.recipient], [third.recipient]]
    assert stored(second.id).attempts == 1


# --- the lease on a claim ---------------------------------------------------------------------


@pytest.mark.parametrize(("timeout", "lease"), [(3, 60), (15, 120), (60, 480)])
def test_a_claim_holds_a_minute_or_eight_mail_timeouts(app, monkeypatch, timeout, lease):
    with app.app_context():
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", timeout)
        assert outbox.lease() == timedelta(seconds=lease)


def test_a_claim_left_by_a_dead_sender_returns_to_the_queue_after_a_minute(app, ctx, monkeypatch):
    """With MAIL_TIMEOUT=3 the lease is 60 s: at 60 s the claim holds, at 61 s it is released
    and the message sent, once."""
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 3)
    [message, *_] = queue_three()
    claimed_at = utcnow()
    claim_as_another_sender(message.id, claimed_at)
    with mail.record_messages() as sent:
        assert outbox.send_due(claimed_at + timedelta(seconds=60)) == (2, 0)
        assert stored(message.id).status == MessageStatus.SENDING
        assert outbox.send_due(claimed_at + timedelta(seconds=61)) == (1, 0)
        assert outbox.send_due(claimed_at + timedelta(hours=1)) == (0, 0)
    assert [m.recipients for m in sent].count([message.recipient]) == 1
    assert stored(message.id).status == MessageStatus.SENT


def test_a_sender_whose_claim_lapsed_never_overwrites_the_next_senders_result(app, ctx):
    """Sender A claims, stalls past the lease; B re-claims and sends. A's late result (sent or
    failed) is not recorded over B's, and the attempts are B's alone."""
    [message, *_] = queue_three()
    a_claimed_at = outbox._claim(message.id, None)
    assert a_claimed_at is not None
    later = a_claimed_at + outbox.lease() + timedelta(seconds=1)
    assert outbox.send_due(later) == (3, 0)  # B: releases A's claim, sends all three
    outbox._record_failure(message.id, a_claimed_at, later, OSError("A timed out"))
    outbox._record_sent(message.id, a_claimed_at, later)
    row = stored(message.id)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 1, "")
    assert row.claimed_at == later
