"""One SMTP connection through Flask-Mail, with MAIL_TIMEOUT on its own socket.

Flask-Mail opens `smtplib.SMTP(server, port)` without a timeout, so a server that accepts the
connection and never answers would block its caller forever. Setting the process-wide
`socket.setdefaulttimeout` around the call is not thread-safe (it changes the timeout of every
socket any thread opens meanwhile), so the connection here passes the timeout to smtplib itself.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from fund.models import OutgoingMessage

if TYPE_CHECKING:
    from flask_mail import _Mail  # the settings Flask-Mail keeps in app.extensions["mail"]


class TimedConnection(Connection):
    """Flask-Mail's connection, opened with a timeout and closed even when the server misbehaves.

    Sending on it is Flask-Mail's own `send` (with `MAIL_SUPPRESS_SEND` nothing leaves, and
    `mail.record_messages()` still sees every message).
    """

    def __init__(self, state: _Mail, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, say hello, and log in as Flask-Mail does, each step within the timeout."""
        state = self.mail
        factory = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = factory(state.server, state.port, timeout=self.timeout)
        try:
            host.set_debuglevel(int(state.debug))
            if state.use_tls:
                host.starttls()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host

    def open(self) -> TimedConnection:
        """Connect (unless mail is suppressed); the same as entering the `with` block."""
        return self.__enter__()

    def close(self) -> None:
        """Say goodbye if the server still listens; otherwise just drop the socket."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            self.host.close()
        finally:
            self.host = None

    def __exit__(self, exc_type, exc_value, tb) -> None:
        self.close()


def connect() -> TimedConnection:
    """An open connection to the configured server (nothing is opened when mail is suppressed)."""
    state = current_app.extensions["mail"]
    return TimedConnection(state, current_app.config["MAIL_TIMEOUT"]).open()


def message_for(row: OutgoingMessage) -> Message:
    """The Flask-Mail message for an outbox row."""
    return Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html,
    )


def is_message_refusal(error: Exception) -> bool:
    """Whether the server refused this one message but the connection can carry the next.

    A refused recipient (smtplib has reset the transaction) or a permanent (5xx) refusal of the
    sender or the data concerns the message; anything else (a timeout, a dropped connection, a
    4xx "closing" answer) means the batch cannot go on.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused | BadHeaderError):
        return True
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False
