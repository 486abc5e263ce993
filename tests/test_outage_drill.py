"""The database-outage drill: a real PostgreSQL server is stopped under a running app and started
again. Meanwhile every visitor, signed in or not, gets 503 with Retry-After and the friendly page;
afterwards the same visitor gets its pages again, without restarting the app.

It runs on the PostgreSQL run of the suite (TEST_DATABASE_URL set) on a server of its own, so the
suite's server is never stopped.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fund import create_app
from fund.extensions import db
from fund.models import Role
from tests.conftest import FreshContextClient, login, make_user, skip_or_fail
from tests.conftest import test_settings as settings_for
from tests.test_outage import assert_unavailable_page

STEP_TIMEOUT = 30  # seconds for one initdb, start or stop; the whole drill takes a few


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DrillServer:
    """A PostgreSQL server in a temporary folder on 127.0.0.1, which can be stopped and started."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fund-drill-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
            shutil.chown(self.dir, user="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / program), *args],
            check=True,
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=STEP_TIMEOUT,
        )

    def create(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "fund", "-A", "trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "fund", "drill")
        return f"postgresql+psycopg://fund@127.0.0.1:{self.port}/drill"

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F"
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.SubprocessError:
            pass  # already stopped, or never started
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def drill_server(postgresql_only) -> Iterator[DrillServer]:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if not candidates:
        skip_or_fail("the outage drill needs PostgreSQL's pg_ctl (/usr/lib/postgresql/*/bin)")
    server = DrillServer(Path(candidates[0]).parent)
    yield server
    server.remove()


@pytest.fixture
def drill_app(drill_server, tmp_path):
    """An app on the drill server, errors handled as in production (not raised to the test)."""
    app = create_app(
        settings_for(
            tmp_path, SQLALCHEMY_DATABASE_URI=drill_server.create(), PROPAGATE_EXCEPTIONS=False
        )
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def test_pages_answer_503_while_postgresql_is_stopped_and_200_once_it_is_back(
    drill_app, drill_server
):
    user = make_user(Role.APPLICANT, Role.REVIEWER, Role.ADMIN)
    signed_in, anonymous = drill_app.test_client(), drill_app.test_client()
    login(signed_in, user)
    assert signed_in.get("/dashboard").status_code == 200

    drill_server.stop()
    for path in ("/dashboard", "/account/profile", "/calls/", "/no-such-page"):
        assert_unavailable_page(signed_in.get(path))
    for path in ("/", "/calls/"):
        assert_unavailable_page(anonymous.get(path))

    drill_server.start()
    response = signed_in.get("/dashboard")
    assert response.status_code == 200
    assert user.name in response.get_data(as_text=True)
    assert anonymous.get("/").status_code == 200
