"""Real app servers for tests: gunicorn on 127.0.0.1 and a free port, and a small HTTP client
that keeps cookies (one jar for every server on 127.0.0.1, as a browser keeps them for one
site behind a proxy), does not follow redirects and sends forms and files.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The app as the servers under test run it: the production factory, CSRF off (the client does
# not parse forms for their tokens).
APP = "fund:create_app({'WTF_CSRF_ENABLED': False})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_environment(**settings: str) -> dict[str, str]:
    """This process's environment without the test settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "FUND_", "FLASK_"))}
    env.update({"FUND_ENV": "development", "MAIL_SUPPRESS_SEND": "1", **settings})
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    """Run `flask --app wsgi ...` with `env`; its output, or AssertionError with it."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass
class Gunicorn:
    """One gunicorn server (one worker) and its log."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_gunicorn(env: dict[str, str], log: Path, app: str = APP) -> Gunicorn:
    """Start gunicorn with one worker; wait for it with `wait_until_serving`."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            # No control socket: its default path is one per user, shared by parallel tests.
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--no-control-socket"]
            + ["--bind", f"127.0.0.1:{port}", app],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Gunicorn(port, process, log)


def wait_until_serving(server: Gunicorn, seconds: float = 90) -> None:
    """Until /healthz answers (any status: the app is up); AssertionError with the log if not.
    A worker starts in about two seconds; the bound is for a machine busy with other tests."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"gunicorn stopped:\n{server.log.read_text()}"
        try:
            urllib.request.urlopen(f"{server.url}/healthz", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not answer in time:\n{server.log.read_text()}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer the tests look at


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes


class Browser:
    """Cookies kept across requests and servers; redirects not followed."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def request(self, url: str, data: bytes | None = None, **headers: str) -> Reply:
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self._opener.open(request, timeout=20) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, dict(error.headers), error.read())

    def get(self, url: str, **headers: str) -> Reply:
        return self.request(url, **headers)

    def post(self, url: str, fields: dict[str, str], **headers: str) -> Reply:
        return self.request(url, urllib.parse.urlencode(fields).encode(), **headers)

    def post_files(
        self, url: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Reply:
        """A multipart form: `files` maps a field to (file name, content)."""
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            url, body, **{"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
