#!/usr/bin/env python3
"""Set up and run the INSPIRE Fund app, or its test suite, on a fresh machine.

    python3 dev.py serve   # virtualenv, dependencies, database, demo data, http://127.0.0.1:5000
    python3 dev.py test    # virtualenv, dependencies, the suite on SQLite, then on PostgreSQL

Only the standard library is used here, so it runs before anything is installed. The PostgreSQL
run starts a throwaway server (initdb + pg_ctl, as the postgres user when run as root) in a
temporary folder on 127.0.0.1 and a free port, and stops it afterwards. Where PostgreSQL or
Chromium is missing, those tests are skipped with a message; with FUND_REQUIRE_ALL=1 (CI) they
fail instead.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None, check: bool = True, **kwargs):
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check, **kwargs)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install `requirements` unless they are installed already."""
    if sys.version_info < (3, 11):  # noqa: UP036  (this file must run on older Pythons to say so)
        sys.exit("Python 3.11 or newer is needed (this is {}.{}).".format(*sys.version_info[:2]))
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        run(sys.executable, "-m", "venv", VENV)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    say(f"installing {requirements}")
    run(
        PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements
    )
    stamp.write_text(digest.hexdigest())


def compile_translations() -> None:
    if any((ROOT / "fund" / "translations").glob("*/LC_MESSAGES/*.po")):
        run(BIN / "pybabel", "--quiet", "compile", "-d", ROOT / "fund" / "translations")


def flask_env() -> dict:
    env = dict(os.environ)
    env.setdefault("FUND_ENV", "development")
    env["FLASK_APP"] = "wsgi"
    return env


def serve() -> None:
    ensure_venv("requirements.txt")
    compile_translations()
    env = flask_env()
    say("migrating the database (flask db upgrade)")
    run(BIN / "flask", "db", "upgrade", env=env)
    probe = run(
        PYTHON, "-c", "from fund.demo import has_users_cli; has_users_cli()", env=env, check=False
    )
    if probe.returncode == 3:
        say("adding demo data (flask fund seed-demo)")
        run(BIN / "flask", "fund", "seed-demo", env=env)
    say("serving on http://127.0.0.1:5000 (Ctrl+C stops)")
    run(BIN / "flask", "run", "--host", "127.0.0.1", "--port", "5000", env=env, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first."""
    # Debian's own binaries first: /usr/bin/pg_ctl there is a wrapper for managed clusters.
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    candidates += sorted(glob.glob("/usr/local/opt/postgresql*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb") and shutil.which("pg_ctl")
    return Path(found).parent if found else None


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary folder, for one test run."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fund-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # initdb and pg_ctl refuse root
            shutil.chown(self.dir, user="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(
            self.as_user + [str(a) for a in args],
            check=True,
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> str:
        say(f"starting a throwaway PostgreSQL on 127.0.0.1:{self.port}")
        self._run(
            self.bindir / "initdb",
            "-D",
            str(self.data),
            "-U",
            "fund",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.dir} -F",
            "start",
        )
        self._run(
            self.bindir / "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "fund",
            "fund_test",
        )
        return f"postgresql+psycopg://fund@127.0.0.1:{self.port}/fund_test"

    def stop(self) -> None:
        subprocess.run(
            self.as_user
            + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def workers(pytest_args: list[str]) -> list[str]:
    """pytest-xdist options: one worker process per CPU (FUND_TEST_WORKERS overrides; 0 runs in
    this process), unless the arguments choose for themselves (-n, or -p no:xdist)."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) for a in pytest_args) or (
        "no:xdist" in pytest_args
    ):
        return []
    count = int(os.environ.get("FUND_TEST_WORKERS") or os.cpu_count() or 1)
    return ["-n", str(count)] if count > 1 else []


def test(pytest_args: list[str]) -> int:
    ensure_venv("requirements-dev.txt")
    compile_translations()
    pytest_args = workers(pytest_args) + pytest_args
    require_all = os.environ.get("FUND_REQUIRE_ALL") == "1"
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    say("running the suite on SQLite")
    sqlite = run(PYTHON, "-m", "pytest", *pytest_args, env=env, check=False).returncode
    bindir = postgres_bin()
    if bindir is None:
        message = "PostgreSQL not found (install postgresql): the PostgreSQL run is skipped"
        if require_all:
            say(message + " - refused because FUND_REQUIRE_ALL=1")
            return 1
        say(message)
        return sqlite
    server = ThrowawayPostgres(bindir)
    try:
        env["TEST_DATABASE_URL"] = server.start()
        time.sleep(0.2)
        say("running the suite on PostgreSQL")
        postgres = run(PYTHON, "-m", "pytest", *pytest_args, env=env, check=False).returncode
    finally:
        server.stop()
    say(
        f"SQLite run: {'passed' if sqlite == 0 else 'FAILED'}; "
        f"PostgreSQL run: {'passed' if postgres == 0 else 'FAILED'}"
    )
    return sqlite or postgres


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        print(__doc__)
        return 2
    if sys.argv[1] == "serve":
        serve()
        return 0
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
