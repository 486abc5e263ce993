"""An SMTP server that accepts the connection but never answers does not hang a sender, and the
timeout that ends the wait belongs to that connection, not to every socket of the process."""

import socket
import threading
import time

from fund import outbox
from fund.extensions import db
from fund.models import MessageStatus
from fund.notifications import queue_email
from tests.smtp_servers import send_mail_to, serve


def test_silent_smtp_server_times_out_and_leaves_message_queued(app, ctx, monkeypatch):
    """The send gives up after MAIL_TIMEOUT and the message waits for the next try."""
    with serve("hanging") as server:
        send_mail_to(app, monkeypatch, server, timeout=0.5, mode="inline")
        message = queue_email("someone@example.org", "password_changed")
        db.session.commit()
        started = time.monotonic()
        sent, failed = outbox.deliver([message.id])
        elapsed = time.monotonic() - started
    assert (sent, failed) == (0, 1)
    assert elapsed < 5
    db.session.refresh(message)
    assert message.status == MessageStatus.QUEUED
    assert "timed out" in message.last_error.lower() or "timeout" in message.last_error.lower()
    assert socket.getdefaulttimeout() is None


def test_the_timeout_is_the_connections_own_not_the_process_default(app, ctx, monkeypatch):
    """While a sender waits on a hanging server, sockets other threads open keep the default
    (no timeout): a process-wide default would cut their connections short."""
    with serve("hanging") as server:
        send_mail_to(app, monkeypatch, server, timeout=1.5, mode="inline")
        message = queue_email("someone@example.org", "password_changed")
        db.session.commit()
        results = []

        def sender():
            with app.app_context():
                results.append(outbox.deliver([message.id]))

        thread = threading.Thread(target=sender)
        thread.start()
        deadline = time.monotonic() + 5
        while server.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_meanwhile = socket.getdefaulttimeout()
        thread.join(timeout=10)
    assert server.connections == 1
    assert seen_meanwhile is None
    assert results == [(0, 1)]
