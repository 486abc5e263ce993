"""The nginx front of deploy/nginx/fund.conf, run with Debian's nginx in front of gunicorn on
127.0.0.1: the app's security headers pass through, text is compressed, hashed static files are
cached for a year (and served from nginx's cache), the app sees the client's address and not
nginx's, and a request over the upload limit gets the app's friendly 413 page.

The site file runs as it is, inside a minimal nginx.conf of the test's; only its port numbers
and its cache folder are changed (each substitution must match exactly once, so a reshaped file
fails here rather than going untested).
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask_migrate import upgrade

from config import Config
from fund import create_app
from fund.extensions import db
from fund.models import Role
from tests.auth.test_rate_limit_workers import wait_for_port
from tests.conftest import PASSWORD, make_user, skip_or_fail
from tests.conftest import test_settings as app_settings
from tests.live_servers import (
    ROOT,
    Gunicorn,
    app_environment,
    free_port,
    start_gunicorn,
    wait_until_serving,
)

SITE = ROOT / "deploy" / "nginx" / "fund.conf"
CLIENT = "127.0.0.2"  # the visitor's address: loopback, but not the one nginx connects from
MAIN_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
"""


def site_config(app_port: int, port: int, cache: Path) -> str:
    """deploy/nginx/fund.conf with the test's ports and cache folder."""
    text = SITE.read_text()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/var/cache/nginx/fund ", f"{cache} "),
    ):
        assert text.count(old) == 1, f"deploy/nginx/fund.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@dataclass
class Front:
    port: int
    app: Gunicorn
    database: str  # the app's SQLite file
    email: str

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str):
        """One request to nginx from the visitor's address; (response, body)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(CLIENT, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """gunicorn (production settings, one proxy trusted) and nginx in front of it."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        skip_or_fail("nginx is not installed (Debian package nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    database = f"sqlite:///{tmp / 'app.sqlite3'}"
    helper = create_app(app_settings(tmp, SQLALCHEMY_DATABASE_URI=database))
    email = f"visitor-{secrets.token_hex(4)}@example.org"
    with helper.app_context():
        upgrade()
        make_user(Role.APPLICANT, email=email)
        db.session.remove()
        db.engine.dispose()
    env = app_environment(
        FUND_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=database,
        PUBLIC_URL="https://fund.example.org",
        TRUSTED_PROXIES="1",
        RATELIMIT_STORAGE_URI=f"sqlite:///{tmp / 'limits.sqlite3'}",
        UPLOAD_FOLDER=str(tmp / "uploads"),
    )
    app = start_gunicorn(env, tmp / "gunicorn.log")
    port = free_port()
    root_user = "user root;" if os.geteuid() == 0 else ""  # test folders are private to root
    conf = MAIN_CONF.format(tmp=tmp, user=root_user, site=site_config(app.port, port, tmp / "c"))
    (tmp / "nginx.conf").write_text(conf)
    server = subprocess.Popen(
        [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-e", str(tmp / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(app)
        try:
            wait_for_port(port, server)
        except AssertionError:
            log = tmp / "error.log"
            raise AssertionError(log.read_text() if log.exists() else "no nginx") from None
        yield Front(port, app, str(tmp / "app.sqlite3"), email)
    finally:
        server.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        app.stop()


def test_the_apps_security_headers_pass_through(front):
    response, _ = front.request("GET", "/")
    assert response.status == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["Server"] == "nginx"  # no version number


@pytest.mark.parametrize("path", ["/", "/account/login"])
def test_pages_travel_gzip_compressed(front, path):
    plain, plain_body = front.request("GET", path)
    response, body = front.request("GET", path, **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(body) < len(plain_body) / 2
    assert gzip.decompress(body).startswith(b"<!doctype html>")
    assert plain.headers.get("Content-Encoding") is None


def test_hashed_static_files_are_cached_for_a_year_and_served_from_nginx(front):
    _, page = front.request("GET", "/")
    stylesheet = re.search(rb'href="(/static/app\.[0-9a-f]{12}\.css)"', page).group(1).decode()
    first, css = front.request("GET", stylesheet, **{"Accept-Encoding": "gzip"})
    again, css_again = front.request("GET", stylesheet, **{"Accept-Encoding": "gzip"})
    assert first.status == again.status == 200
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.headers["Content-Encoding"] == "gzip"
    assert (first.headers["X-Cache-Status"], again.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert css_again == css and b"{" in gzip.decompress(css)
    # Pages are never kept by nginx.
    page_response, _ = front.request("GET", "/")
    assert page_response.headers.get("X-Cache-Status") is None


def test_the_app_sees_the_visitors_address_and_not_a_forged_one(front):
    """With TRUSTED_PROXIES=1 the sign-in is recorded with the address nginx saw; an
    X-Forwarded-For the visitor made up is not believed."""
    form = urllib.parse.urlencode({"email": front.email, "password": PASSWORD}).encode()
    response, _ = front.request(
        "POST",
        "/account/login",
        form,
        **{
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert response.status == 302, response.status
    with closing(sqlite3.connect(front.database)) as database:
        addresses = [row[0] for row in database.execute("SELECT ip_address FROM login_sessions")]
    assert addresses == [CLIENT]


def test_the_upload_limit_matches_the_app_and_refuses_with_the_friendly_page(front):
    """nginx's limit is the app's MAX_CONTENT_LENGTH; over it, the answer is the app's own 413
    page in the visitor's language, given before any of the body is sent."""
    limit = re.search(r"client_max_body_size (\d+)m;", SITE.read_text()).group(1)
    assert int(limit) * 1024 * 1024 == Config.MAX_CONTENT_LENGTH

    connection = http.client.HTTPConnection("127.0.0.1", front.port, timeout=20)
    try:
        connection.putrequest("POST", "/organisations/new")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(Config.MAX_CONTENT_LENGTH + 1))
        connection.putheader("Accept-Language", "fr")
        connection.endheaders()
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in page
    assert "Files may be at most" not in page  # French, not English
    assert response.headers["X-Frame-Options"] == "DENY"  # the app's page, not nginx's
