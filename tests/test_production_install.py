"""The README's production steps, followed on a fresh clone of the committed code, give a working
site: French pages in French, the income groups loaded, the first admin created.

The steps run exactly as the README writes them; only two things differ. `.venv` is a link to the
environment running the tests (installing again would take minutes), and gunicorn binds a free
port. The database is a new, empty one: a SQLite file, or on the PostgreSQL run a new database on
the test server.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from tests.conftest import skip_or_fail
from tests.test_healthz import free_port
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[1]
UPGRADE = ".venv/bin/flask --app wsgi db upgrade"
CREATE_ADMIN = (
    '.venv/bin/flask --app wsgi fund create-user admin@your.org --name "Your Name" --role admin '
    '--password "$ADMIN_PASSWORD"'
)
SERVE = ".venv/bin/gunicorn --workers 3 --bind 127.0.0.1:8000 wsgi:app"
STEP_TIMEOUT = 60  # seconds; each step takes a few


def readme_steps() -> str:
    """The README's production section, with its lines joined as a reader sees them."""
    text_ = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text_.split("## Running it in production", 1)[1].split("\n## ", 1)[0]
    return " ".join(section.split())


def french(phrase: str) -> str:
    with (ROOT / "fund/translations/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle).get(phrase).string


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of the committed code, its .venv a link to the running environment."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        skip_or_fail("the install test needs git and a git checkout of the project")
    if not (Path(sys.prefix) / "bin" / "gunicorn").exists():
        skip_or_fail("the install test needs gunicorn in the test environment")
    head = subprocess.run(
        [git, "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    target = tmp_path / "fund"
    subprocess.run(
        [git, "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=STEP_TIMEOUT
    )
    subprocess.run(
        [git, "-C", str(target), "checkout", "--quiet", "--detach", head],
        check=True,
        timeout=STEP_TIMEOUT,
    )
    (target / ".venv").symlink_to(sys.prefix)
    return target


def production_environment(database_url: str) -> dict[str, str]:
    """The process environment with only the production settings of this test."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("FUND_", "FLASK_"))}
    for name in ("TEST_DATABASE_URL", "DATABASE_URL", "SECRET_KEY", "PYTHONPATH"):
        keep.pop(name, None)
    keep.update(
        FUND_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=database_url,
        PUBLIC_URL="https://fund.example.org",
        ADMIN_PASSWORD="a long enough admin password",
    )
    return keep


def run_step(command: str, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer in time:\n{log.read_text()}")


def test_the_readme_production_steps_give_a_working_french_site(clone, empty_database_url):  # noqa: F811
    steps = readme_steps()
    for command in (UPGRADE, CREATE_ADMIN, SERVE):
        assert command in steps, f"the README no longer says: {command}"
    catalogue = clone / "fund/translations/fr/LC_MESSAGES/messages.mo"
    assert not catalogue.exists()  # compiled catalogues are not in the repository
    env = production_environment(empty_database_url)

    run_step(UPGRADE, clone, env)
    run_step(CREATE_ADMIN, clone, env)
    port = free_port()
    log = clone / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["bash", "-c", "exec " + SERVE.replace("127.0.0.1:8000", f"127.0.0.1:{port}")],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, server, log)
        status, page = get(f"{base}/", **{"Accept-Language": "fr"})
        login_status, login_page = get(f"{base}/account/login", **{"Accept-Language": "fr"})
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)

    assert status == 200 and login_status == 200
    assert '<html lang="fr"' in page
    assert french("Calls for proposals") in page
    assert french("Log in") in login_page
    assert catalogue.is_file()  # compiled by the clone's own code when it started

    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            uganda = conn.scalar(
                text(
                    "SELECT e.income_group FROM income_group_entries e "
                    "JOIN income_group_lists l ON l.id = e.list_id WHERE e.country_code = 'UG'"
                )
            )
            admins = conn.scalar(
                text(
                    "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
                    "WHERE u.email = 'admin@your.org' AND r.role = 'admin'"
                )
            )
    finally:
        engine.dispose()
    assert uganda == "LIC"
    assert admins == 1
