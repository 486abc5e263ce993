"""Delivery of the outbox: after each request's commit (off the request), and by `flask fund
send-mail`.

No request waits on the mail server: `commit()` commits, then hands the messages the request
queued to a background thread (`MAIL_SEND_AFTER_COMMIT=thread`, the default), or leaves them to
the cron job (`off`); `inline` sends before returning, for commands and tests.

A batch goes over one SMTP connection whose socket has its own MAIL_TIMEOUT. Each message is
claimed (a compare-and-set from queued to sending, stamped with the claim time) just before it
goes, and its result is recorded only while that claim still holds (a compare-and-set on status
and claim time), so two senders never both send one message and a late sender never overwrites
a newer one. A claim left by a sender that died is released after `lease()`. A failure is
recorded and retried with exponential back-off; after OUTBOX_MAX_ATTEMPTS tries the message is
marked failed, and stays in the table for an operator to see and requeue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import Flask, current_app, has_request_context
from sqlalchemy import ColumnElement, or_, select, update

from fund import tasks
from fund.extensions import db
from fund.models import MessageStatus, OutgoingMessage
from fund.models.base import utcnow
from fund.smtp import connect, is_message_refusal, message_for

SEND_MODES = ("thread", "inline", "off")
# Between its claim and its result, a sender on an open connection waits on the server at most
# six times (MAIL, RCPT, DATA, the body, the final reply, RSET after a refusal), each bounded by
# MAIL_TIMEOUT; two more cover the database write and clocks of different servers.
LEASE_TIMEOUTS = 8
MIN_LEASE = timedelta(seconds=60)


def init_app(app: Flask) -> None:
    """Refuse to start with an unknown MAIL_SEND_AFTER_COMMIT (a typo would silently stop mail)."""
    mode = app.config.get("MAIL_SEND_AFTER_COMMIT", "thread")
    if mode not in SEND_MODES:
        raise RuntimeError(
            f"MAIL_SEND_AFTER_COMMIT must be one of {', '.join(SEND_MODES)}, not {mode!r}"
        )


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def lease() -> timedelta:
    """How long a claim holds before `send_due` gives the message back to the queue."""
    timeout = timedelta(seconds=current_app.config["MAIL_TIMEOUT"])
    return max(MIN_LEASE, LEASE_TIMEOUTS * timeout)


def commit() -> None:
    """Commit the request's transaction, then have the mail it queued sent off the request.

    Views call this instead of `db.session.commit()`. The user's action is saved whatever the
    mail server does; what cannot be sent now stays queued for `send-mail`.
    """
    pending = db.session.info.pop("outbox", [])
    db.session.commit()
    if not pending:
        return
    mode = current_app.config.get("MAIL_SEND_AFTER_COMMIT", "thread")
    if mode == "thread" and has_request_context():
        tasks.run_in_background(deliver, list(pending))
    elif mode != "off":  # inline, and commands (a daemon thread would die with the command)
        try:
            deliver(pending)
        except Exception:  # the user's action is committed; the cron job will retry
            db.session.rollback()
            current_app.logger.exception("sending after commit failed; left in the outbox")


def deliver(message_ids: Iterable[int], now: datetime | None = None) -> tuple[int, int]:
    """Send the given queued messages that are due over one connection.

    Returns (sent, failed tries). `now` fixes the clock (tests); by default each claim is
    stamped with the time it is made. When the server cannot be reached, every message of the
    batch records the failed try; when it fails during the batch, the message being sent
    records it and the ones not yet tried stay queued as they were.
    """
    due = _due(list(message_ids), now or utcnow())
    if not due:
        return 0, 0
    try:
        connection = connect()
    except Exception as error:  # refused, timed out, TLS or login failed
        current_app.logger.warning("mail server unreachable: %s", error)
        failed = sum(_fail_unsent(message_id, now, error) for message_id in due)
        return 0, failed
    sent = failed = 0
    try:
        for message_id in due:
            claimed_at = _claim(message_id, now)
            if claimed_at is None:  # another sender has it, or has sent it
                continue
            message = db.session.get(OutgoingMessage, message_id, populate_existing=True)
            db.session.commit()  # hold no transaction open while the server answers
            try:
                connection.send(message_for(message))
            except Exception as error:
                _record_failure(message_id, claimed_at, now or utcnow(), error)
                failed += 1
                if not is_message_refusal(error):  # the connection is gone: stop the batch
                    break
            else:
                _record_sent(message_id, claimed_at, now or utcnow())
                sent += 1
    finally:
        connection.close()
    return sent, failed


def send_due(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send every queued message whose next try is due (the cron job)."""
    moment = now or utcnow()
    db.session.execute(  # claims left by a sender that died
        update(OutgoingMessage)
        .where(
            OutgoingMessage.status == MessageStatus.SENDING,
            or_(
                OutgoingMessage.claimed_at.is_(None),
                OutgoingMessage.claimed_at < moment - lease(),
            ),
        )
        .values(status=MessageStatus.QUEUED)
    )
    db.session.commit()
    ids = db.session.scalars(
        select(OutgoingMessage.id)
        .where(
            OutgoingMessage.status == MessageStatus.QUEUED,
            OutgoingMessage.next_attempt_at <= moment,
        )
        .order_by(OutgoingMessage.id)
        .limit(limit)
    ).all()
    return deliver(ids, now)


def requeue_failed(now: datetime | None = None) -> int:
    """Give every failed message a fresh set of tries (after the SMTP problem is fixed)."""
    result = db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.status == MessageStatus.FAILED)
        .values(status=MessageStatus.QUEUED, attempts=0, next_attempt_at=now or utcnow())
    )
    db.session.commit()
    return result.rowcount


def _due(message_ids: list[int], now: datetime) -> list[int]:
    """The ids, in order, of those messages still queued and due (no connection for none)."""
    if not message_ids:
        return []
    rows = db.session.scalars(
        select(OutgoingMessage.id)
        .where(
            OutgoingMessage.id.in_(message_ids),
            OutgoingMessage.status == MessageStatus.QUEUED,
            OutgoingMessage.next_attempt_at <= now,
        )
        .order_by(OutgoingMessage.id)
    ).all()
    db.session.commit()  # end the read transaction before talking to the server
    return list(rows)


def _claim(message_id: int, now: datetime | None) -> datetime | None:
    """Take the message for this sender; the claim time, or None if it is not ours to send.

    These updates "fetch" the rows they change, so a copy of the message already in this
    session (sending inline, or from a command) shows the new state, not the one it was read in.
    """
    claimed_at = now or utcnow()
    result = db.session.execute(
        update(OutgoingMessage)
        .where(
            OutgoingMessage.id == message_id,
            OutgoingMessage.status == MessageStatus.QUEUED,
            OutgoingMessage.next_attempt_at <= claimed_at,
        )
        .values(status=MessageStatus.SENDING, claimed_at=claimed_at)
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()
    return claimed_at if result.rowcount == 1 else None


def _still_ours(message_id: int, claimed_at: datetime) -> tuple[ColumnElement[bool], ...]:
    """The condition under which this sender may record its result: its claim still holds."""
    return (
        OutgoingMessage.id == message_id,
        OutgoingMessage.status == MessageStatus.SENDING,
        OutgoingMessage.claimed_at == claimed_at,
    )


def _record_sent(message_id: int, claimed_at: datetime, now: datetime) -> None:
    result = db.session.execute(
        update(OutgoingMessage)
        .where(*_still_ours(message_id, claimed_at))
        .values(
            status=MessageStatus.SENT,
            sent_at=now,
            last_error="",
            attempts=OutgoingMessage.attempts + 1,  # counts other senders' tries too
        )
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()
    if result.rowcount != 1:
        current_app.logger.error(
            "message %s was sent after its claim had lapsed; another sender may send it again",
            message_id,
        )


def _record_failure(message_id: int, claimed_at: datetime, now: datetime, error: Exception) -> None:
    attempts = 1 + db.session.scalar(
        select(OutgoingMessage.attempts).where(OutgoingMessage.id == message_id)
    )
    gave_up = attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    values = {"attempts": attempts, "last_error": f"{type(error).__name__}: {error}"[:2000]}
    if gave_up:
        values["status"] = MessageStatus.FAILED
    else:
        values["status"] = MessageStatus.QUEUED
        values["next_attempt_at"] = now + backoff(attempts)
    db.session.execute(
        update(OutgoingMessage)
        .where(*_still_ours(message_id, claimed_at))
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()


def _fail_unsent(message_id: int, now: datetime | None, error: Exception) -> int:
    """Record a try that could not reach the server, if the message is still ours to try."""
    claimed_at = _claim(message_id, now)
    if claimed_at is None:
        return 0
    _record_failure(message_id, claimed_at, now or utcnow(), error)
    return 1
