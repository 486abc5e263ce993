"""The incident, replayed over real HTTP: gunicorn (one worker, killed after 5 s of work) and an
SMTP server that accepts connections and never answers. Auto-assigning three reviewers used to
take 3 x MAIL_TIMEOUT and have the worker killed after the data was saved; now the page answers
at once and the mail waits in the outbox with its error."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import MessageStatus, OutgoingMessage, Review, Role
from fund.models.base import utcnow
from tests.conftest import PASSWORD, make_user
from tests.reviews.conftest import make_in_review, make_rubric_call
from tests.smtp_servers import free_port, serve

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
DUE = (utcnow() + timedelta(days=14)).date().isoformat()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # show the 302 itself: where it leads is part of what is checked


class Browser:
    """Just enough of a browser: cookies, the CSRF token of the last page, no redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.token = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            page = response.read().decode()
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        return page

    def post(self, path: str, **fields) -> tuple[int, str]:
        data = urllib.parse.urlencode({"csrf_token": self.token, **fields}).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:  # 302 (not followed) and any 4xx/5xx
            return error.code, error.headers.get("Location", "")


@pytest.fixture
def gunicorn(app, tmp_path):
    """Start gunicorn on the test database with mail going to `port`; give back its address."""
    started = []

    def start(mail_port: int) -> str:
        port = free_port()
        env = dict(
            os.environ,
            FUND_ENV="development",
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            UPLOAD_FOLDER=str(tmp_path / "uploads"),
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(mail_port),
            MAIL_TIMEOUT="3",
            SESSION_COOKIE_SECURE="0",
        )
        command = [GUNICORN, "--workers", "1", "--timeout", "5", "--no-control-socket"]
        command += ["--bind", f"127.0.0.1:{port}"]
        with (tmp_path / "gunicorn.log").open("w") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [*map(str, command), "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        started.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
    log = (tmp_path / "gunicorn.log").read_text()
    assert "WORKER TIMEOUT" not in log and "Traceback" not in log, log


def queued_with_an_error(within: float) -> list[OutgoingMessage]:
    """The messages, once the worker's background try has been recorded on all of them."""
    deadline = time.monotonic() + within
    while True:
        db.session.rollback()
        rows = db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)).all()
        if (rows and all(r.attempts for r in rows)) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_auto_assign_over_http_answers_at_once_while_smtp_hangs(ctx, gunicorn):
    admin = make_user(Role.ADMIN)
    for _ in range(3):
        make_user(Role.REVIEWER)
    proposal = make_in_review(make_rubric_call(reviewers=3))
    with serve("hanging") as server:
        browser = Browser(gunicorn(server.port))
        browser.get("/account/login")
        assert browser.post("/account/login", email=admin.email, password=PASSWORD)[0] == 302
        browser.get(f"/screening/proposals/{proposal.id}/assignments")
        started = time.monotonic()
        status, location = browser.post(
            f"/screening/proposals/{proposal.id}/auto-assign", due_on=DUE
        )
        elapsed = time.monotonic() - started
        assert status == 302 and location.startswith("/screening/"), (status, location)
        assert elapsed < 2
        messages = queued_with_an_error(within=15)
    assert db.session.scalar(select(func.count()).select_from(Review)) == 3
    assert len(messages) == 3
    for message in messages:
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
        assert "timed out" in message.last_error
