"""Fixtures: the app on a migrated database, a client, login helpers, factories, query counts.

The database is SQLite in a temporary file unless TEST_DATABASE_URL points at PostgreSQL (the
README's test command runs the suite once on each). Every test starts with empty tables. Under
pytest-xdist each worker process has its own SQLite file, or its own database on the PostgreSQL
server (`pytest_configure` below), so the workers never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, text
from werkzeug.security import generate_password_hash

from fund import create_app, tasks
from fund.auth import sessions
from fund.extensions import db, limiter
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import (
    BankDetails,
    Call,
    Grant,
    Membership,
    OutgoingMessage,
    PolicyAcceptance,
    PolicyKind,
    ProgressReport,
    Proposal,
    ReportKind,
    Role,
    User,
    UserRole,
)
from fund.models.base import utcnow
from fund.models.organisation import Organisation

REQUIRE_ALL = os.environ.get("FUND_REQUIRE_ALL") == "1"
PASSWORD = "correct horse battery"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI (FUND_REQUIRE_ALL=1), where every test must run."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (FUND_REQUIRE_ALL=1: this may not be skipped)")
    pytest.skip(reason)


def on_postgresql() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def pytest_configure(config) -> None:
    """An xdist worker on PostgreSQL gets a database of its own on the same server (fund_test_gw0,
    fund_test_gw1 ...), made afresh for the run; TEST_DATABASE_URL then names it, so every test
    and subprocess of this worker uses it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not on_postgresql():
        return
    server_url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{server_url.database}_{worker}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    url = server_url.set(database=name).render_as_string(hide_password=False)
    os.environ["TEST_DATABASE_URL"] = url


def pytest_collection_modifyitems(config, items):
    """Tests of concurrent writers need PostgreSQL's row locks: the SQLite run deselects them
    (the README's test command runs the suite on PostgreSQL too, where they run); tests of
    SQLite's own behaviour (a query plan) are deselected on PostgreSQL the same way."""
    unwanted = "sqlite_only" if on_postgresql() else "postgresql_only"
    deselected = [item for item in items if unwanted in item.fixturenames]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture
def postgresql_only(app):
    """Marks a test that needs PostgreSQL (row locks, true concurrency)."""
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"


@pytest.fixture
def sqlite_only(app):
    """Marks a test of SQLite's own behaviour (e.g. how it stores a row)."""
    with app.app_context():
        assert db.engine.dialect.name == "sqlite"


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite3'}"


def test_settings(tmp_dir: Path, **extra) -> dict:
    """Settings for a test app; Flask-Mail reads MAIL_SUPPRESS_SEND at init, so it goes here."""
    settings = {
        "FUND_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
        "UPLOAD_FOLDER": str(tmp_dir / "uploads"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SUPPRESS_SEND": True,
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "SERVER_NAME": None,
    }
    settings.update(extra)
    return settings


@pytest.fixture(scope="session")
def tmp_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="fund-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def app(tmp_dir):
    """One app for the session, on a database migrated to head."""
    app = create_app(test_settings(tmp_dir))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        empty_tables()  # the migrations load reference data; every test starts from nothing
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(autouse=True)
def _clean(request):
    """Empty every table and reset rate limits after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    # Mail sent after a commit (and other background work) must not outlive its test.
    assert tasks.wait(timeout=30), "a background task was still running 30 s after its test"
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        empty_tables()
        limiter.reset()


def empty_tables() -> None:
    """Delete every row of every table of the app in context."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def ctx(app):
    """An application context for tests that read or write the database directly."""
    with app.app_context():
        yield
        db.session.remove()


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this a request would reuse the test's app context, and with it the test's database
    session and `g` (where Flask-Login keeps the current user). After each request the test's
    own objects are expired, so they read what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def client(app, ctx):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf(app, monkeypatch):
    """Turn CSRF protection on for one test."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


# --- factories --------------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def make_user(
    *roles: Role,
    email: str | None = None,
    name: str | None = None,
    verified: bool = True,
    active: bool = True,
    password: str = PASSWORD,
    locale: str = "en",
    undertaking: bool = True,
) -> User:
    """A saved user (a fast password hash keeps the suite quick). A reviewer has accepted the
    reviewers' undertaking unless `undertaking` is False."""
    n = next(_counter)
    user = User(
        email=email or f"user{n}@example.org",
        name=name or f"User {n}",
        password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
        locale=locale,
        email_verified_at=utcnow() if verified else None,
        active=active,
        role_rows=[UserRole(role=r.value) for r in (roles or (Role.APPLICANT,))],
    )
    db.session.add(user)
    db.session.flush()
    if undertaking and Role.REVIEWER in roles:
        db.session.add(
            PolicyAcceptance(user_id=user.id, kind=PolicyKind.REVIEWER_UNDERTAKING.value, number=0)
        )
    db.session.commit()
    return user


def make_organisation(
    *members: User, name: str | None = None, country_code: str = "UG", org_type: str = "ngo"
) -> Organisation:
    organisation = Organisation(
        name=name or f"Organisation {next(_counter)}",
        country_code=country_code,
        org_type=org_type,
        budget_band="under_50k",
        memberships=[Membership(user_id=m.id) for m in members],
    )
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_bank_details(
    organisation: Organisation, *, state: str = "approved", account: str = "GB82WEST12345698765432"
) -> BankDetails:
    """The organisation's bank details (an IBAN with a valid checksum), approved by default."""
    details = BankDetails(
        organisation_id=organisation.id,
        state=state,
        account_holder=organisation.name,
        bank_name="Westminster Bank",
        account_number=account,
        swift_bic="NWBKGB2L",
        bank_country="GB",
        approved_at=utcnow() if state == "approved" else None,
    )
    db.session.add(details)
    db.session.commit()
    return details


def make_call(*, open_now: bool = True, title: str = "Call 2027", two_stage: bool = False) -> Call:
    """A published call, open now (or closed yesterday); a two-stage one takes concept notes
    for five more days."""
    now = utcnow()
    call = Call(
        title=title,
        published_at=now - timedelta(days=10),
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10) if open_now else now - timedelta(days=1),
    )
    if two_stage:
        call.two_stage = True
        call.concept_closes_at = now + timedelta(days=5) if open_now else now - timedelta(days=2)
    db.session.add(call)
    db.session.commit()
    return call


def make_proposal(
    organisation: Organisation,
    call: Call | None = None,
    *,
    state: str = "draft",
    title: str = "Safe schools",
) -> Proposal:
    proposal = Proposal(
        call=call or make_call(), organisation_id=organisation.id, title=title, state=state
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def answer_standard(proposal: Proposal, **texts: str) -> Proposal:
    """Answer the standard form's long texts (target_groups=..., activities=..., ...)."""
    proposal.answers = {
        **(proposal.answers or {}),
        **{STANDARD_TEXT_IDS[name]: text for name, text in texts.items()},
    }
    return proposal


def make_grant(proposal: Proposal, *, state: str = "pending_agreement") -> Grant:
    grant = Grant(proposal_id=proposal.id, organisation_id=proposal.organisation_id, state=state)
    db.session.add(grant)
    db.session.commit()
    return grant


def make_report(
    grant: Grant, *, kind: str = ReportKind.INTERIM, state: str = "upcoming", due_in_days: int = 30
) -> ProgressReport:
    report = ProgressReport(
        grant_id=grant.id,
        kind=kind,
        state=state,
        due_on=(utcnow() + timedelta(days=due_in_days)).date(),
    )
    db.session.add(report)
    db.session.commit()
    return report


def login(client, user: User) -> None:
    """Sign `user` in on `client` without the login form (the auth tests use the form): a real
    server-side session, as the form would start."""
    sessions.start(user, ip_address="127.0.0.1", user_agent="tests")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def outbox(event: str | None = None, recipient: str | None = None) -> list[OutgoingMessage]:
    """Messages in the outbox, oldest first, optionally for one event or recipient, once the
    work requests left running in the background (fund.tasks) is done."""
    assert tasks.wait(timeout=30), "background work still running after 30 s"
    query = db.select(OutgoingMessage).order_by(OutgoingMessage.id)
    if event:
        query = query.where(OutgoingMessage.event == event)
    if recipient:
        query = query.where(OutgoingMessage.recipient == recipient)
    return list(db.session.scalars(query))


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements this thread runs inside the block (not background mail's)."""
    statements: list[str] = []
    thread = threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == thread:
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
