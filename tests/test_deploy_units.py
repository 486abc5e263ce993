"""The systemd units of deploy/systemd: the app server runs the README's gunicorn command, and
each timer starts a service that runs an existing `flask fund` command with the app's settings
and user, on the schedule the README gives."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from fund.cli import fund_cli

UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"
JOBS = {
    "send-mail": "*-*-* *:*:00",
    "send-reminders": "*-*-* 07:00:00",
    "apply-retention": "*-*-* 03:30:00",
}


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((UNITS / name).read_text())
    return parser


def test_the_app_unit_runs_gunicorn_as_the_readme_says():
    service = unit("fund.service")["Service"]
    readme = (UNITS.parents[1] / "README.md").read_text()
    command = service["ExecStart"].removeprefix("/srv/fund/")
    assert command == ".venv/bin/gunicorn --workers 3 --bind 127.0.0.1:8000 wsgi:app"
    assert command in readme
    assert service["WorkingDirectory"] == "/srv/fund"
    assert service["EnvironmentFile"] == "/etc/fund/fund.env"
    assert service["User"] == "fund" and service["UMask"] == "0077"
    assert service["ReadWritePaths"] == "/srv/fund/instance"


@pytest.mark.parametrize("job", JOBS)
def test_each_timer_runs_an_existing_command_on_its_schedule(job):
    timer = unit(f"fund-{job}.timer")
    service = unit(f"fund-{job}.service")["Service"]
    assert timer["Timer"]["OnCalendar"] == JOBS[job]
    assert timer["Install"]["WantedBy"] == "timers.target"
    words = shlex.split(service["ExecStart"])
    assert words[:4] == ["/srv/fund/.venv/bin/flask", "--app", "wsgi", "fund"]
    assert words[4:] == [job] and job in fund_cli.commands
    assert service["Type"] == "oneshot"
    assert (service["User"], service["EnvironmentFile"]) == ("fund", "/etc/fund/fund.env")


def test_every_unit_file_is_one_of_these():
    names = {path.name for path in UNITS.iterdir()}
    assert names == {"fund.service"} | {f"fund-{job}.{kind}" for job in JOBS for kind in (
        "service", "timer")}  # fmt: skip
