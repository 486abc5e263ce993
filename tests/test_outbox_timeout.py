"""An SMTP server that accepts the connection but never answers does not hang a request."""

import socket
import threading
import time

from fund import outbox
from fund.extensions import db
from fund.models import MessageStatus
from fund.notifications import queue_email


def test_silent_smtp_server_times_out_and_leaves_message_queued(app, ctx, monkeypatch):
    """The send gives up after MAIL_TIMEOUT and the message waits for the next try."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    state = app.extensions["mail"]
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", port)
    monkeypatch.setattr(state, "suppress", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    message = queue_email("someone@example.org", "password_changed")
    db.session.commit()
    started = time.monotonic()
    sent, failed = outbox.deliver([message.id])
    elapsed = time.monotonic() - started
    listener.close()
    for conn, _ in accepted:
        conn.close()
    assert (sent, failed) == (0, 1)
    assert elapsed < 5
    db.session.refresh(message)
    assert message.status == MessageStatus.QUEUED
    assert "timed out" in message.last_error.lower() or "timeout" in message.last_error.lower()
    assert socket.getdefaulttimeout() is None
