"""Time the busy pages over HTTP: gunicorn (2 sync workers) on 127.0.0.1, driven by `wrk`.

    .venv/bin/python bench/over_http.py [--proposals 10000 --reviews 30000 --seconds 5]
    .venv/bin/python bench/over_http.py --database-url postgresql+psycopg://user@127.0.0.1:5432/db

Builds the database of bench/pages.py (a throwaway SQLite file, or the empty PostgreSQL
database given), serves it with gunicorn on a free port, signs a session cookie per role with
the app's own session interface, checks each page answers 200 to that cookie, then runs
`wrk -t2 -c16 -d<seconds>s --latency` on every page in turn, `--rounds` times, and prints each
page's median round (requests/s, p50, p99), every round's requests/s, the non-2xx count and
the ratio to the bare route. It stops gunicorn itself, whatever happens, and exits 0.
Not a test, not in CI. (Named over_http, not http: a bench/http.py would shadow the standard
library's `http` for everything the script imports.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from flask_migrate import upgrade  # noqa: E402
from pages import Builder, settings  # noqa: E402

from fund import create_app  # noqa: E402
from fund.auth import sessions  # noqa: E402
from fund.extensions import db  # noqa: E402
from fund.models import User  # noqa: E402

SETTINGS_VARIABLE = "FUND_BENCH_SETTINGS"
SECRET_KEY = "bench-only-secret-key-not-for-production"


def served_app():
    """The app gunicorn serves: the bench settings (from the environment) and the bare route."""
    app = create_app(json.loads(os.environ[SETTINGS_VARIABLE]))
    app.add_url_rule("/_bench_bare", "bench_bare", lambda: "bare")
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pages(call: int) -> list[tuple[str, str, str | None]]:
    """(label, path, role) of each page timed; the first is the bare route, the second the
    50-row list the targets refer to."""
    return [
        ("bare Flask page", "/_bench_bare", None),
        ("50-row list (/admin/users)", "/admin/users", "admin"),
        ("reviewer queue", "/reviews/", "reviewer"),
        ("chair ranking, biggest call", f"/decisions/calls/{call}", "chair"),
        ("screening list, biggest call", f"/screening/calls/{call}", "admin"),
        ("grants list", "/grants/", "admin"),
        ("reports inbox", "/reports/", "admin"),
        ("dashboard admin+chair+reviewer", "/dashboard", "everything"),
        ("overview (admin dashboard)", "/dashboard", "admin"),
        ("chair dashboard", "/dashboard", "chair"),
    ]


def cookies(app, users: dict[str, int]) -> dict[str, str]:
    """A signed session cookie per role, as the login would set (a server-side sign-in row
    and the session's `_user_id`)."""
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    signed = {}
    with app.app_context():
        for who, user_id in users.items():
            token = sessions.start(db.session.get(User, user_id))
            value = serializer.dumps({"_user_id": f"{user_id}:{token}", "_fresh": True})
            signed[who] = f"{name}={value}"
        db.session.commit()
    return signed


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {process.returncode})")
        try:
            urllib.request.urlopen(base + "/_bench_bare", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def status_of(url: str, cookie: str | None) -> int:
    """The status of one request, redirects not followed (a 302 to the login is a failure)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str, cookie: str | None, seconds: int, threads: int, connections: int) -> dict:
    """requests/s, p50 and p99 (ms), requests and non-2xx/3xx responses of one wrk run."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command + [url], capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    found = {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", output),
        "p50": re.search(r"^\s+50%\s+(\S+)", output, re.M),
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M),
        "requests": re.search(r"(\d+) requests in", output),
        "bad": re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output),
        "errors": re.search(r"Socket errors:(.*)", output),
    }
    return {
        "rps": float(found["rps"].group(1)) if found["rps"] else 0.0,
        "p50": milliseconds(found["p50"].group(1)) if found["p50"] else float("nan"),
        "p99": milliseconds(found["p99"].group(1)) if found["p99"] else float("nan"),
        "requests": int(found["requests"].group(1)) if found["requests"] else 0,
        "bad": int(found["bad"].group(1)) if found["bad"] else 0,
        "errors": found["errors"].group(1).strip() if found["errors"] else "",
    }


def build(config: dict, proposals: int, reviews: int, seed: int) -> tuple[dict, int]:
    """Migrate and fill the database; the users' ids and the biggest call's id."""
    app = create_app(config)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        builder = Builder(proposals, reviews, seed)
        users = builder.build()
        db.session.remove()
    print(f"database built in {time.perf_counter() - started:.1f} s", flush=True)
    signed = cookies(app, users)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    return signed, builder.biggest_call


def serve(config: dict, port: int, workers: int, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, **{SETTINGS_VARIABLE: json.dumps(config)})
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 (closed with the folder)
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--chdir",
            str(HERE),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "over_http:served_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its workers below
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure_rounds(base: str, timed: list, args: argparse.Namespace) -> list[dict]:
    """Each page's figures over `args.rounds` rounds, each round running wrk once on every page
    in turn: the machine's speed drifts over seconds here, and timing each page in one block of
    its own let the drift land on some pages and not others (a page's ratio moved by a third
    from one run to the next). A page's req/s, p50 and p99 are those of its median round (by
    req/s); its non-2xx responses are counted over every round."""
    runs: list[list[dict]] = [[] for _ in timed]
    for _round in range(args.rounds):
        for index, (_label, path, _who, cookie) in enumerate(timed):
            runs[index].append(
                run_wrk(base + path, cookie, args.seconds, args.threads, args.connections)
            )
    results = []
    for page_runs in runs:
        ordered = sorted(page_runs, key=lambda run: run["rps"])
        middle = ordered[len(ordered) // 2]
        results.append(
            {
                **middle,
                "rounds": [run["rps"] for run in page_runs],
                "bad": sum(run["bad"] for run in page_runs),
                "errors": "; ".join(run["errors"] for run in page_runs if run["errors"]),
            }
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--seconds", type=int, default=5, help="wrk's -d per page and round")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds, each running wrk once on every page"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk's -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk's -c")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)")
        return 0

    folder = Path(tempfile.mkdtemp(prefix="fund-http-bench-"))
    process = None
    try:
        config = settings(folder) | {"SECRET_KEY": SECRET_KEY, "PUBLIC_URL": "http://127.0.0.1"}
        if args.database_url:
            config["SQLALCHEMY_DATABASE_URI"] = args.database_url
        signed, call = build(config, args.proposals, args.reviews, args.seed)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = serve(config, port, args.workers, folder)
        wait_until_up(base, process)
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"gunicorn {args.workers} sync workers on {base}, {database}; wrk -t{args.threads} "
            f"-c{args.connections} -d{args.seconds}s per page, {args.rounds} rounds; "
            f"load average {os.getloadavg()[0]:.2f}\n"
        )
        timed = []
        for label, path, who in pages(call):
            cookie = signed.get(who) if who else None
            status = status_of(base + path, cookie)
            if status != 200:
                print(f"{label:32} {who or 'anonymous':10} {status:>6}  not timed")
                continue
            timed.append((label, path, who, cookie))
        results = measure_rounds(base, timed, args)
        bare = results[0]["rps"]
        print(
            f"{'page':32} {'role':10} {'req/s':>8} {'x bare':>7} {'rounds req/s':>24} "
            f"{'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
        )
        for (label, _path, who, _cookie), result in zip(timed, results, strict=True):
            flag = f"  socket errors:{result['errors']}" if result["errors"] else ""
            rounds = " ".join(f"{rps:.0f}" for rps in result["rounds"])
            print(
                f"{label:32} {who or 'anonymous':10} {result['rps']:>8.1f} "
                f"{result['rps'] / bare:>7.3f} {rounds:>24} {result['p50']:>8.1f} "
                f"{result['p99']:>8.1f} {result['bad']:>8}{flag}"
            )
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
