"""The demo shows the message threads: a proposal waiting for an answer, with its thread."""

from __future__ import annotations

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Message, Proposal, User
from tests.conftest import login


def test_the_demo_has_a_proposal_waiting_for_an_answer_with_its_thread(runner, client):
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    waiting = db.session.scalars(
        select(Proposal).where(Proposal.state == "information_requested")
    ).all()
    assert len(waiting) == 1
    bodies = db.session.scalars(
        select(Message.is_information_request).where(Message.proposal_id == waiting[0].id)
    ).all()
    assert bodies == [True, False]  # the question, then the applicant's reply
    assert db.session.scalar(
        select(func.count()).select_from(Message).where(Message.shared_at.is_not(None))
    )
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    login(client, admin)
    page = client.get("/messages/").text
    assert "May we move two sessions" in page
    assert "confirming the districts" in page
