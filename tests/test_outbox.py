"""The mail outbox: a failing SMTP server never fails the user's action, messages are retried
with back-off, delivered exactly once, and rendered in the recipient's language."""

from __future__ import annotations

import email
import email.policy
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fund import create_app, notifications, outbox, tasks
from fund.extensions import db, mail
from fund.models import MessageStatus, OutgoingMessage, Role, User
from fund.models.base import utcnow
from fund.smtp import TimedConnection
from tests.conftest import PASSWORD, make_user
from tests.conftest import outbox as queued
from tests.conftest import test_settings as settings_for
from tests.smtp_servers import free_port, serve


@pytest.fixture
def make_app(app, tmp_dir):
    """Another app on the same database, with its own settings (here: where mail goes)."""
    made = []

    def make(**settings):
        other = create_app(settings_for(tmp_dir, **settings))
        made.append(other)
        return other

    yield make
    assert tasks.wait(timeout=30)  # mail sent after a commit uses the app's engine
    for other in made:
        with other.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def smtp_sink():
    """A real SMTP server on 127.0.0.1 and a free port."""
    with serve("good") as server:
        yield server


def register(client, email: str):
    return client.post(
        "/account/register",
        data={
            "name": "Awa Diallo",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "locale": "fr",
        },
    )


def queue(recipient="someone@example.org", event="password_changed", **kwargs):
    """A committed message in the outbox, as a view would leave it."""
    message = notifications.queue_email(recipient, event, **kwargs)
    db.session.commit()
    db.session.info.pop("outbox", None)
    return message


def stored(message_id: int) -> OutgoingMessage:
    """The row as the database has it now."""
    return db.session.get(OutgoingMessage, message_id, populate_existing=True)


def send_mail(app):
    """Run `flask fund send-mail` in `app` (not in the test's app, whose mail is suppressed)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["fund", "send-mail"])


def refuse(connection, message):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


# --- SMTP down, then up -----------------------------------------------------------------------


def test_registering_succeeds_while_the_smtp_server_is_down(ctx, make_app):
    """The account is created and the user redirected; the verification mail stays queued with
    one failed attempt (made after the response), the error, and a next try in the future."""
    down = make_app(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    before = utcnow()
    response = register(down.test_client(), "awa@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert tasks.wait(timeout=10)
    assert db.session.scalar(select(User.id).where(User.email == "awa@example.org"))
    [message] = queued(recipient="awa@example.org")
    assert message.event == "verify_email"
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error
    assert message.next_attempt_at > before + timedelta(seconds=30)


def test_send_mail_delivers_a_queued_message_once_when_the_server_is_back(
    ctx, make_app, smtp_sink, monkeypatch
):
    """`flask fund send-mail` waits for the back-off, then delivers exactly once; a second run
    sends nothing."""
    down = make_app(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    assert register(down.test_client(), "awa@example.org").status_code == 302
    assert tasks.wait(timeout=10)
    [message] = queued(recipient="awa@example.org")

    up = make_app(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    result = send_mail(up)
    assert result.exit_code == 0, result.output
    assert "Sent 0 message(s)" in result.output  # the back-off is not over yet
    assert smtp_sink.received == []

    later = message.next_attempt_at + timedelta(seconds=1)
    monkeypatch.setattr(outbox, "utcnow", lambda: later)
    result = send_mail(up)
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s); 0 failed" in result.output
    [envelope] = smtp_sink.received
    assert envelope.rcpt_tos == ["awa@example.org"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["Subject"] == message.subject
    row = stored(message.id)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")
    assert row.sent_at == later

    result = send_mail(up)
    assert "Sent 0 message(s)" in result.output
    assert len(smtp_sink.received) == 1


def test_a_message_is_sent_right_after_the_commit_when_the_server_is_up(ctx, make_app, smtp_sink):
    """With SMTP up, the mail goes right after the request (from its background thread);
    send-mail then finds nothing."""
    up = make_app(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    assert register(up.test_client(), "awa@example.org").status_code == 302
    assert tasks.wait(timeout=10)
    [message] = queued(recipient="awa@example.org")
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert [e.rcpt_tos for e in smtp_sink.received] == [["awa@example.org"]]
    result = send_mail(up)
    assert "Sent 0 message(s)" in result.output
    assert len(smtp_sink.received) == 1


# --- never twice ------------------------------------------------------------------------------


def test_delivering_the_same_message_twice_sends_it_once(ctx):
    message = queue()
    with mail.record_messages() as sent:
        assert outbox.deliver([message.id]) == (1, 0)
        assert outbox.deliver([message.id]) == (0, 0)
        assert outbox.send_due() == (0, 0)
    assert [m.recipients for m in sent] == [["someone@example.org"]]
    assert stored(message.id).status == MessageStatus.SENT


@pytest.mark.parametrize("claimed_ago", [timedelta(0), timedelta(seconds=119)])
def test_a_message_claimed_by_another_sender_is_left_alone(ctx, claimed_ago):
    """While another sender holds the claim (its lease: 2 minutes with MAIL_TIMEOUT=15),
    nobody else sends it."""
    assert outbox.lease() == timedelta(minutes=2)
    message = queue()
    now = utcnow()
    db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message.id)
        .values(status=MessageStatus.SENDING, claimed_at=now - claimed_ago)
    )
    db.session.commit()
    with mail.record_messages() as sent:
        assert outbox.deliver([message.id], now) == (0, 0)
        assert outbox.send_due(now) == (0, 0)
    assert sent == []
    assert stored(message.id).status == MessageStatus.SENDING


def test_a_stale_claim_is_released_after_its_lease_and_sent_once(ctx):
    """A sender that died mid-send releases its claim when the lease ends (2 minutes with
    MAIL_TIMEOUT=15); send_due sends it then, once."""
    message = queue()
    claimed_at = utcnow()
    db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message.id)
        .values(status=MessageStatus.SENDING, claimed_at=claimed_at)
    )
    db.session.commit()
    with mail.record_messages() as sent:
        assert outbox.send_due(claimed_at + timedelta(minutes=2)) == (0, 0)
        assert outbox.send_due(claimed_at + timedelta(minutes=2, seconds=1)) == (1, 0)
        assert outbox.send_due(claimed_at + timedelta(hours=1)) == (0, 0)
    assert len(sent) == 1
    assert stored(message.id).status == MessageStatus.SENT


def test_a_message_not_yet_due_is_not_sent(ctx):
    message = queue()
    db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message.id)
        .values(next_attempt_at=utcnow() + timedelta(minutes=5))
    )
    db.session.commit()
    with mail.record_messages() as sent:
        assert outbox.deliver([message.id]) == (0, 0)
        assert outbox.send_due() == (0, 0)
    assert sent == []
    assert stored(message.id).status == MessageStatus.QUEUED


def test_delivery_counts_attempts_made_by_other_senders(ctx):
    """The attempt count comes from the database, not from a copy loaded before another
    sender's failed try."""
    message = queue()  # stays in this session's identity map with attempts=0
    with Session(db.engine) as other_sender:
        other_sender.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == message.id)
            .values(attempts=3, last_error="SMTPServerDisconnected: gone")
        )
        other_sender.commit()
    assert outbox.deliver([message.id]) == (1, 0)
    row = stored(message.id)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 4, "")


# --- retries ----------------------------------------------------------------------------------


def test_back_off_doubles_and_the_message_fails_after_the_last_attempt(ctx, app, monkeypatch):
    """Waits of 1, 2, 4 ... minutes; after OUTBOX_MAX_ATTEMPTS failures the message is failed,
    kept with its last error, and no longer tried."""
    monkeypatch.setattr(TimedConnection, "send", refuse)
    message = queue()
    max_attempts = app.config["OUTBOX_MAX_ATTEMPTS"]
    now = message.next_attempt_at
    waits = []
    for attempt in range(1, max_attempts + 1):
        assert outbox.deliver([message.id], now - timedelta(seconds=1)) == (0, 0)  # not due
        assert outbox.deliver([message.id], now) == (0, 1)
        row = stored(message.id)
        assert row.attempts == attempt
        assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        if attempt < max_attempts:
            assert row.status == MessageStatus.QUEUED
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits == [timedelta(minutes=2**n) for n in range(max_attempts - 1)]
    assert row.status == MessageStatus.FAILED
    assert outbox.send_due(now + timedelta(days=30)) == (0, 0)
    row = stored(message.id)
    assert (row.status, row.attempts) == (MessageStatus.FAILED, max_attempts)


def test_back_off_is_capped_at_six_hours():
    assert outbox.backoff(1) == timedelta(minutes=1)
    assert outbox.backoff(4) == timedelta(minutes=8)
    assert outbox.backoff(30) == timedelta(hours=6)


def test_commit_keeps_the_users_work_when_sending_breaks(ctx, monkeypatch):
    """Whatever goes wrong after the commit, the data stays and the message stays queued."""

    def broken(message_ids, now=None):
        raise RuntimeError("the mail code crashed")

    monkeypatch.setattr(outbox, "deliver", broken)
    user = User(email="kept@example.org", name="Kept", password_hash="x")
    db.session.add(user)
    notifications.queue_email(user, "password_changed")
    outbox.commit()
    db.session.remove()
    assert db.session.scalar(select(User.id).where(User.email == "kept@example.org"))
    [message] = queued(recipient="kept@example.org")
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)


def test_commit_sends_what_the_transaction_queued(ctx):
    """Outside a request (a command such as send-reminders), the mail goes before commit()
    returns: a background thread would die with the command."""
    user = make_user(Role.APPLICANT)
    notifications.queue_email(user, "password_changed")
    with mail.record_messages() as sent:
        outbox.commit()
    assert [m.recipients for m in sent] == [[user.email]]
    assert queued()[0].status == MessageStatus.SENT


# --- rendering and deduplication --------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_locale", "forced", "expected"),
    [("fr", None, "fr"), ("es", None, "es"), ("en", None, "en"), ("en", "pt", "pt")],
)
def test_a_message_is_rendered_in_the_recipients_language(ctx, user_locale, forced, expected):
    user = make_user(Role.APPLICANT, locale=user_locale)
    message = queue(user, locale=forced)
    assert message.recipient == user.email
    assert f'<html lang="{expected}">' in message.body_html
    assert user.name in message.body_text and user.name in message.body_html


def test_a_bare_address_gets_english(ctx):
    message = queue("nobody@example.org")
    assert '<html lang="en">' in message.body_html


def test_a_dedupe_key_queues_a_message_at_most_once_ever(ctx):
    """A second queueing with the same key returns None, even after the first was sent."""
    user = make_user(Role.APPLICANT)
    first = queue(user, dedupe_key="reminder:review:1")
    assert first is not None
    assert (
        notifications.queue_email(user, "password_changed", dedupe_key="reminder:review:1") is None
    )
    outbox.deliver([first.id])
    assert (
        notifications.queue_email(user, "password_changed", dedupe_key="reminder:review:1") is None
    )
    assert (
        notifications.queue_email(user, "password_changed", dedupe_key="reminder:review:2")
        is not None
    )
    assert len(queued()) == 2


def test_requeue_mail_gives_failed_messages_new_tries(app, ctx, runner):
    """After the SMTP server is fixed, the operator's command sends what had failed."""
    from fund.extensions import db
    from fund.models import MessageStatus
    from fund.notifications import queue_email

    message = queue_email("someone@example.org", "password_changed")
    message.status = MessageStatus.FAILED
    message.attempts = 6
    message.last_error = "ConnectionRefusedError"
    db.session.commit()
    result = runner.invoke(args=["fund", "requeue-mail"])
    assert result.exit_code == 0
    assert "Requeued 1 failed message(s)." in result.output
    db.session.refresh(message)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    sent = runner.invoke(args=["fund", "send-mail"])
    assert "Sent 1 message(s)" in sent.output
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT
