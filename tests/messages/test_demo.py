"""The demo shows the message threads: the secretariat's question on a proposal and the
applicant's answer, sent back with a new version; a shared message; a grantee's question."""

from __future__ import annotations

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Message, Proposal, User
from tests.conftest import login


def test_the_demo_has_a_question_answered_and_sent_back_with_its_thread(runner, client):
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    asked = db.session.scalars(
        select(Proposal).join(Message).where(Message.is_information_request.is_(True))
    ).all()
    assert len(asked) == 1
    bodies = db.session.scalars(
        select(Message.is_information_request)
        .where(Message.proposal_id == asked[0].id)
        .order_by(Message.id)
    ).all()
    assert bodies == [True, False]  # the question, then the applicant's reply
    # sent back with a new version, then screened in (the matching demo reviews it)
    assert [v.number for v in asked[0].versions] == [1, 2]
    assert asked[0].state == "in_review"
    assert db.session.scalar(
        select(func.count()).select_from(Message).where(Message.shared_at.is_not(None))
    )
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    login(client, admin)
    page = client.get("/messages/").text
    assert "May we move two sessions" in page
    assert "confirming the districts" in page
