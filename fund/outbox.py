"""Delivery of the outbox: after each request's commit, and by `flask fund send-mail`.

Each message is claimed with a compare-and-set on its status before it is sent, so two senders
(two app servers, or a request and the cron job) never send the same message. A failure is
recorded and retried with exponential back-off; after OUTBOX_MAX_ATTEMPTS tries the message is
marked failed, and stays in the table for an operator to see and requeue.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import or_, select, update

from fund.extensions import db, mail
from fund.models import MessageStatus, OutgoingMessage
from fund.models.base import utcnow

STALE_CLAIM = timedelta(minutes=15)  # a sender that died mid-send releases its claim after this


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def commit() -> None:
    """Commit the request's transaction, then try to send the mail it queued.

    Views call this instead of `db.session.commit()`; a failing SMTP server leaves the messages
    queued for `send-mail` and never fails the request.
    """
    pending = db.session.info.pop("outbox", [])
    db.session.commit()
    if pending:
        try:
            deliver(pending)
        except Exception:  # the user's action is committed; the cron job will retry
            db.session.rollback()
            current_app.logger.exception("sending after commit failed; left in the outbox")


def deliver(message_ids: Iterable[int], now: datetime | None = None) -> tuple[int, int]:
    """Claim and send the given queued messages that are due. Returns (sent, failed tries)."""
    sent = failed = 0
    for message_id in message_ids:
        now_ = now or utcnow()
        if not _claim(message_id, now_):
            continue
        # Read the row afresh: a copy already in this session (objects outlive commits here)
        # would carry the attempts and error of before another sender's tries.
        message = db.session.get(OutgoingMessage, message_id, populate_existing=True)
        try:
            _send(message)
        except Exception as error:  # any SMTP or network failure: record it and retry later
            _record_failure(message, now_, error)
            failed += 1
        else:
            message.status = MessageStatus.SENT
            message.sent_at = now_
            message.last_error = ""
            message.attempts += 1
            sent += 1
        db.session.commit()
    return sent, failed


def _send(message: OutgoingMessage) -> None:
    """Hand one message to the SMTP server, giving up after MAIL_TIMEOUT seconds.

    Flask-Mail opens its connection without a timeout, so a server that drops packets would
    hang the request; the default socket timeout applies to that connection instead.
    """
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT"])
    try:
        mail.send(
            Message(
                subject=message.subject,
                recipients=[message.recipient],
                body=message.body_text,
                html=message.body_html,
            )
        )
    finally:
        socket.setdefaulttimeout(previous)


def send_due(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send every queued message whose next try is due (the cron job)."""
    now = now or utcnow()
    db.session.execute(  # claims left by a sender that died
        update(OutgoingMessage)
        .where(
            OutgoingMessage.status == MessageStatus.SENDING,
            or_(
                OutgoingMessage.claimed_at.is_(None),
                OutgoingMessage.claimed_at < now - STALE_CLAIM,
            ),
        )
        .values(status=MessageStatus.QUEUED)
    )
    db.session.commit()
    ids = db.session.scalars(
        select(OutgoingMessage.id)
        .where(
            OutgoingMessage.status == MessageStatus.QUEUED,
            OutgoingMessage.next_attempt_at <= now,
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


def _claim(message_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(OutgoingMessage)
        .where(
            OutgoingMessage.id == message_id,
            OutgoingMessage.status == MessageStatus.QUEUED,
            OutgoingMessage.next_attempt_at <= now,
        )
        .values(status=MessageStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _record_failure(message: OutgoingMessage, now: datetime, error: Exception) -> None:
    db.session.refresh(message)
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED
    else:
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = now + backoff(message.attempts)
