"""`fund.reads.read`: a column statement's rows on the session's connection, in the request's
transaction, as `db.session.execute` gives them (fund/reads.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Role, User
from fund.reads import read
from tests.conftest import make_user

NAMES = select(User.id, User.name).order_by(User.id)
COUNT = select(func.count()).select_from(User).where(User.name.like("Reader%"))


def test_rows_are_those_the_session_gives(ctx):
    for number in range(3):
        make_user(Role.REVIEWER, name=f"Reader {number}")
    db.session.commit()
    assert read(NAMES).all() == db.session.execute(NAMES).all()
    assert read(COUNT).scalar() == db.session.scalar(COUNT) == 3
    row = read(NAMES).first()
    assert (row.id, row.name) == tuple(db.session.execute(NAMES).first())


def test_it_reads_in_the_session_transaction_what_was_flushed(ctx):
    db.session.add(User(email="flushed@example.org", name="Reader flushed", password_hash="x"))
    db.session.flush()  # not committed: only the session's own transaction sees it
    assert read(COUNT).scalar() == 1
    db.session.rollback()
    assert read(COUNT).scalar() == 0


def test_it_does_not_flush_first(ctx):
    """What a service has not flushed yet is not read (the limit its docstring states)."""
    db.session.add(User(email="pending@example.org", name="Reader pending", password_hash="x"))
    assert read(COUNT).scalar() == 0
    assert db.session.scalar(COUNT) == 1  # the session's own execute flushes first
    db.session.rollback()
