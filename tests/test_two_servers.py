"""Two identical app servers, as behind a load balancer: two gunicorn processes (one worker
each) sharing one PostgreSQL database, one redis-server for the rate limits and one S3 store
(moto) for uploads, and nothing else. A file uploaded through one is downloaded through the
other; wrong passwords alternated between them are counted together; two `send-mail` runs at
the same moment send each queued message exactly once.

PostgreSQL only (the SQLite run deselects these tests): several servers on one SQLite file is
not a set-up the app supports. The servers start once for the module; the database is migrated
and the accounts made in this process, so only the servers and the senders are new processes.
Every wait in it is bounded: a server's start (90 s, for a machine busy with other tests),
each request (20 s) and the two senders (40 s).
"""

# Fixtures imported from other modules are named as test arguments: not redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import email
import os
import secrets
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fund import create_app
from fund.extensions import db
from fund.models import AuditEvent, Organisation, OutgoingMessage, Role, User
from tests.auth.test_rate_limit_workers import stop, wait_for_port
from tests.conftest import make_user, skip_or_fail
from tests.conftest import test_settings as app_settings
from tests.live_servers import (
    ROOT,
    Browser,
    Gunicorn,
    app_environment,
    free_port,
    start_gunicorn,
    wait_until_serving,
)
from tests.organisations.conftest import PDF, organisation_form
from tests.s3_store import s3_server, s3_settings  # noqa: F401
from tests.smtp_servers import ScriptedServer, serve

PASSWORD = "correct horse battery staple"
ACCOUNT_LIMIT = 4  # wrong passwords that pause an account
ADDRESS_LIMIT = 8  # login tries per client address per minute, whatever the server
MESSAGES = 12


@dataclass
class Site:
    """Everything the tests reach: the two servers, the database, Redis, the mail sink."""

    a: Gunicorn
    b: Gunicorn
    env: dict[str, str]
    helper: Flask  # an app in this process on the same database, to make accounts
    database: object  # an SQLAlchemy engine on the shared database
    redis_port: int
    bucket: str
    smtp: ScriptedServer
    folders: list[Path]

    def forget_login_tries(self) -> None:
        """Start a test with no login tries counted (the limits live in Redis)."""
        import redis

        with redis.Redis(host="127.0.0.1", port=self.redis_port) as client:
            client.flushall()

    def log_in(self, browser: Browser, server: Gunicorn, address: str, password: str) -> int:
        fields = {"email": address, "password": password}
        return browser.post(f"{server.url}/account/login", fields).status


@pytest.fixture(scope="module")
def shared_database() -> str:
    """A new database on the PostgreSQL server of TEST_DATABASE_URL, dropped afterwards."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    name = f"fund_two_servers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory) -> int:
    """A throwaway redis-server on 127.0.0.1 and a free port, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield port
    finally:
        stop(server)


@pytest.fixture(scope="module")
def site(shared_database, redis_port, s3_server, tmp_path_factory) -> Site:
    folder = tmp_path_factory.mktemp("two-servers")
    bucket = s3_server.new_bucket()
    with serve("slow", delay=0.03) as smtp:  # slow enough for the two senders to overlap
        env = app_environment(
            DATABASE_URL=shared_database,
            SECRET_KEY=secrets.token_hex(32),
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}",
            RATELIMIT_LOGIN=f"{ADDRESS_LIMIT} per minute",
            LOGIN_FAILURE_LIMIT=str(ACCOUNT_LIMIT),
            MAIL_SEND_AFTER_COMMIT="off",  # mail waits for the send-mail runs
            MAIL_SUPPRESS_SEND="0",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(smtp.port),
            **s3_settings(s3_server, bucket),
        )
        helper = create_app(app_settings(folder, SQLALCHEMY_DATABASE_URI=shared_database))
        with helper.app_context():
            upgrade()
        folders = [folder / "uploads-a", folder / "uploads-b"]
        servers = []
        database = create_engine(shared_database)
        try:
            for name, uploads in zip("ab", folders, strict=True):
                own = {**env, "UPLOAD_FOLDER": str(uploads)}
                servers.append(start_gunicorn(own, folder / f"gunicorn-{name}.log"))
            for server in servers:
                wait_until_serving(server)
            yield Site(*servers, env, helper, database, redis_port, bucket, smtp, folders)
        finally:
            for server in servers:
                server.stop()
            database.dispose()
            with helper.app_context():
                db.engine.dispose()


def new_applicant(site: Site) -> str:
    address = f"applicant-{secrets.token_hex(4)}@example.org"
    with site.helper.app_context():
        make_user(Role.APPLICANT, email=address, password=PASSWORD)
        db.session.remove()
    return address


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(
    postgresql_only, site, s3_server
):
    site.forget_login_tries()
    address = new_applicant(site)
    browser = Browser()
    assert site.log_in(browser, site.a, address, PASSWORD) == 302
    form = organisation_form(name=f"Org {secrets.token_hex(4)}")
    sent = browser.post_files(
        f"{site.a.url}/organisations/new", form, {"safeguarding_policy": ("policy.pdf", PDF)}
    )
    assert sent.status == 302, sent.body[-2000:]
    with Session(site.database) as session:
        organisation_id = session.scalar(
            select(Organisation.id).where(Organisation.name == form["name"])
        )

    url = f"/organisations/{organisation_id}/safeguarding-policy"
    download = browser.get(site.b.url + url)
    assert download.status == 200
    assert download.body == PDF
    assert download.headers["Content-Length"] == str(len(PDF))
    # The bytes went to the shared store, not to either server's disk.
    assert len(s3_server.keys(site.bucket)) >= 1
    assert not any(folder.exists() and any(folder.iterdir()) for folder in site.folders)
    # The permission check is the same on the other server: a stranger is sent to log in.
    assert Browser().get(site.b.url + url).status == 302


def test_login_limits_count_the_tries_made_on_both_servers(postgresql_only, site):
    """Wrong passwords alternated between the servers pause the account at the configured
    number; the per-address limit (in Redis) also counts the tries of both."""
    site.forget_login_tries()
    address = new_applicant(site)
    browser = Browser()
    servers = [site.a, site.b]
    for attempt in range(ACCOUNT_LIMIT - 1):
        assert site.log_in(browser, servers[attempt % 2], address, "wrong password") == 400
    with Session(site.database) as session:
        user = session.scalar(select(User).where(User.email == address))
        assert (user.failed_logins, user.login_locked_until) == (ACCOUNT_LIMIT - 1, None)

    assert site.log_in(browser, servers[(ACCOUNT_LIMIT - 1) % 2], address, "wrong again") == 400
    # Paused: the right password is refused too, on either server.
    assert site.log_in(browser, site.a, address, PASSWORD) == 400
    assert site.log_in(browser, site.b, address, PASSWORD) == 400
    with Session(site.database) as session:
        user = session.scalar(select(User).where(User.email == address))
        assert user.login_locked_until is not None
        locks = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_locked")
            .where(AuditEvent.subject_id == user.id)
        ).all()  # fmt: skip
        assert len(locks) == 1

    tries_so_far = ACCOUNT_LIMIT + 2
    statuses = [
        site.log_in(browser, servers[n % 2], "nobody@example.org", "x")
        for n in range(ADDRESS_LIMIT - tries_so_far + 2)
    ]
    assert statuses == [400] * (ADDRESS_LIMIT - tries_so_far) + [429, 429]


def test_two_send_mail_runs_at_once_send_each_message_exactly_once(postgresql_only, site):
    with Session(site.database) as session:
        for n in range(MESSAGES):
            session.add(
                OutgoingMessage(
                    recipient=f"person{n}@example.org",
                    subject=f"Message {n} {secrets.token_hex(4)}",
                    body_text="Hello.",
                    body_html="<p>Hello.</p>",
                    event="test",
                )
            )
        session.commit()
        queued = Counter(
            session.scalars(
                select(OutgoingMessage.subject).where(OutgoingMessage.status == "queued")
            )
        )
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "fund", "send-mail"]
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=site.env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=40)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    received = Counter(email.message_from_bytes(m.content)["Subject"] for m in site.smtp.received)
    assert received == queued  # every message once: none twice, none missing
    with Session(site.database) as session:
        statuses = session.scalars(select(OutgoingMessage.status).distinct()).all()
    assert statuses == ["sent"]
