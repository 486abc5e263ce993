"""Rate limits hold exactly across the worker processes of a server: gunicorn with two workers
on 127.0.0.1, the default SQLite-file storage and Redis, 30 parallel login tries against a limit
of 10. (Flask-Limiter's memory:// storage counts per process and let 16 of 30 through.)"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import Config
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
TRIES, LIMIT = 30, 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def server_env(tmp_path) -> dict[str, str]:
    """The environment of an app on a migrated SQLite file of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
    env.update(
        FUND_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite3'}",
        RATELIMIT_LOGIN=f"{LIMIT} per minute",
        MAIL_SUPPRESS_SEND="1",
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return env


def count_refusals(env: dict[str, str]) -> tuple[int, int]:
    """Serve the app with two gunicorn workers; 30 login tries, 8 at a time. Returns
    (answered by the app, refused with 429)."""
    port = free_port()
    app = "fund:create_app({'WTF_CSRF_ENABLED': False})"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        body = urllib.parse.urlencode({"email": "x@example.org", "password": "wrong"}).encode()

        def attempt(_: int) -> int:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/account/login", data=body)
            try:
                with urllib.request.urlopen(request, timeout=20) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(attempt, range(TRIES)))
    finally:
        stop(server)
    assert set(statuses) <= {400, 429}, statuses
    return statuses.count(400), statuses.count(429)


def test_the_default_storage_is_shared_by_the_workers_of_a_server():
    """Unless configured otherwise, the limiter counts in a file every worker shares."""
    assert Config.RATELIMIT_STORAGE_URI.startswith("sqlite:////")
    assert Config.RATELIMIT_STORAGE_URI.endswith("instance/ratelimits.sqlite3")


def test_the_limit_holds_exactly_across_two_workers_with_the_file_storage(server_env, tmp_path):
    """With the SQLite-file storage, exactly 10 of 30 parallel tries reach the app."""
    server_env["RATELIMIT_STORAGE_URI"] = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    assert count_refusals(server_env) == (LIMIT, TRIES - LIMIT)


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on 127.0.0.1 and a free port, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(server)


def test_the_limit_holds_exactly_across_two_workers_with_redis(server_env, redis_url):
    """With RATELIMIT_STORAGE_URI=redis://..., as for several servers, the same holds."""
    server_env["RATELIMIT_STORAGE_URI"] = redis_url
    assert count_refusals(server_env) == (LIMIT, TRIES - LIMIT)
