"""The secretariat's "Messages" list: threads whose last message is the organisation's."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import Message, Role
from fund.models.base import utcnow
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.grants.conftest import build_grant
from tests.messages.conftest import reads_english, write
from tests.reviews.conftest import make_in_review, make_rubric_call


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("member", 403), ("chair", 403), ("reviewer", 403), ("anonymous", 302)],
)
def test_only_the_secretariat_reads_the_messages_list(client, people, role, status):
    people.as_role(client, role)
    assert client.get("/messages/").status_code == status


def test_the_list_shows_threads_waiting_for_an_answer_with_their_unread_messages(client, people):
    """Waiting: the last message is the organisation's; answered threads are not listed."""
    write(people.proposal, people.member, "First question", secretariat=False)
    write(people.proposal, people.member, "Second question", secretariat=False)
    answered = make_in_review(people.proposal.call, state="submitted", title="Answered one")
    write(answered, answered.organisation.memberships[0].user, "Old question", secretariat=False)
    write(answered, people.admin, "Our answer", secretariat=True)
    reads_english(people.admin)
    login(client, people.admin)
    page = client.get("/messages/").text
    assert "Second question" in page and "2 unread" in page
    assert "Answered one" not in page
    assert "1 thread waits for an answer" in page


def test_opening_the_thread_leaves_it_listed_as_read_until_answered(client, people):
    write(people.proposal, people.member, "A question", secretariat=False)
    reads_english(people.admin)
    login(client, people.admin)
    client.get(f"/proposals/{people.proposal.id}")
    assert "read, not answered" in client.get("/messages/").text
    client.post(
        f"/messages/proposals/{people.proposal.id}",
        data={"body": "Our answer"},
        content_type="multipart/form-data",
    )
    assert "0 threads wait" in client.get("/messages/").text


@pytest.mark.parametrize("page", ["0", "-3"])
def test_a_page_out_of_range_is_refused_with_a_message(client, people, page):
    reads_english(people.admin)
    login(client, people.admin)
    response = client.get(f"/messages/?page={page}")
    assert response.status_code == 400
    assert "There is no such page." in response.text


def _threads(n: int, call) -> None:
    for i in range(n):
        member = make_user(Role.APPLICANT)
        proposal = make_in_review(
            call, make_organisation(member), state="submitted", title=f"Proposal {i}"
        )
        write(proposal, member, f"Question {i}", secretariat=False)
    world = build_grant()
    db.session.add(
        Message(
            grant_id=world.grant.id,
            author_id=world.member.id,
            body="Tranche?",
            from_secretariat=False,
            created_at=utcnow(),
        )
    )
    db.session.commit()


def test_the_list_makes_as_many_queries_for_many_threads_as_for_one(client, ctx):
    admin = make_user(Role.ADMIN)
    call = make_rubric_call()
    _threads(1, call)
    login(client, admin)
    client.get("/messages/")
    with count_queries() as few:
        assert client.get("/messages/").status_code == 200
    _threads(12, call)
    with count_queries() as many:
        page = client.get("/messages/").text
    assert "Question 11" in page and "Tranche?" in page
    assert len(many) == len(few)
