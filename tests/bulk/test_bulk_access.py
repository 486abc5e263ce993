"""Who may use the bulk pages, what bad input gets, and the pages' constant query counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.bulk import selection
from fund.extensions import db
from fund.models import BulkRun, Conflict, Proposal, Role
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call
from tests.reviews.conftest import make_in_review
from tests.reviews.conftest import make_rubric_call as make_screening_call


@pytest.fixture
def ranking_call(ctx):
    call = make_rubric_call()
    proposals = [make_reviewed(call) for _ in range(2)]
    return call, proposals


def decline_url(call, proposals):
    return f"/bulk/calls/{call.id}/ranking?action=decline" + "".join(
        f"&proposal={p.id}" for p in proposals
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CHAIR, 200), (Role.ADMIN, 403), (Role.REVIEWER, 403), (Role.APPLICANT, 403)],
)
def test_only_chairs_may_decline_in_bulk(client, ranking_call, role, status):
    call, proposals = ranking_call
    login(client, make_user(role))
    assert client.get(decline_url(call, proposals)).status_code == status
    response = client.post(
        f"/bulk/calls/{call.id}/ranking",
        data={"action": "decline", "proposal": [p.id for p in proposals], "reason": "No."},
    )
    assert response.status_code == (302 if status == 200 else status)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.CHAIR, 403), (Role.REVIEWER, 403), (Role.APPLICANT, 403)],
)
def test_only_the_secretariat_may_screen_out_in_bulk(client, ctx, role, status):
    call = make_screening_call()
    proposal = make_in_review(call, state="submitted")
    login(client, make_user(role))
    url = f"/bulk/calls/{call.id}/screening?action=screen_out&proposal={proposal.id}"
    assert client.get(url).status_code == status
    response = client.post(
        f"/bulk/calls/{call.id}/screening",
        data={"action": "screen_out", "proposal": [proposal.id], "reason": "Not eligible."},
    )
    assert response.status_code == (302 if status == 200 else status)


def test_anonymous_visitors_are_sent_to_log_in(client, ranking_call):
    call, proposals = ranking_call
    assert "/login" in client.get(decline_url(call, proposals)).headers["Location"]
    response = client.post(f"/bulk/calls/{call.id}/ranking", data={"action": "decline"})
    assert "/login" in response.headers["Location"]
    assert "/login" in client.get("/bulk/runs/1").headers["Location"]


def test_the_result_page_is_for_who_ran_it_and_the_secretariat(client, ranking_call):
    call, proposals = ranking_call
    chair = make_user(Role.CHAIR)
    login(client, chair)
    response = client.post(
        f"/bulk/calls/{call.id}/ranking",
        data={"action": "decline", "proposal": [proposals[0].id], "reason": "No."},
    )
    url = response.headers["Location"]
    assert client.get(url).status_code == 200
    login(client, make_user(Role.ADMIN))
    assert client.get(url).status_code == 200
    for role in (Role.CHAIR, Role.REVIEWER, Role.APPLICANT):
        login(client, make_user(role))
        assert client.get(url).status_code == 404
    assert client.get("/bulk/runs/99999").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("action=decline", "Tick at least one proposal"),
        ("action=delete&proposal={id}", "Choose one of the actions offered on the list."),
        ("action=screen_out&proposal={id}", "Choose one of the actions offered on the list."),
        ("action=decline&proposal=abc", "The choice of proposals is not valid."),
        (f"action=decline&proposal={2**31}", "The choice of proposals is not valid."),
        ("action=decline&proposal={other}", "Some of the chosen proposals are not on this list."),
        ("action=decline&all=1&state=awarded", "No proposal matches these filters."),
    ],
)
def test_bad_choices_get_a_clear_400(client, ranking_call, query, message):
    call, proposals = ranking_call
    other = make_reviewed(make_rubric_call(title="Another call"))
    login(client, make_user(Role.CHAIR))
    url = f"/bulk/calls/{call.id}/ranking?" + query.format(id=proposals[0].id, other=other.id)
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    post = client.post(
        f"/bulk/calls/{call.id}/ranking",
        data={
            **dict(pair.split("=") for pair in query.format(id=1, other=other.id).split("&")),
            "reason": "No.",
        },
    )
    assert post.status_code == 400
    assert db.session.get(Proposal, other.id).state == "reviewed"


def test_a_proposal_of_an_organisation_the_chair_is_conflicted_with_is_not_on_its_list(
    client, ranking_call
):
    call, proposals = ranking_call
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=proposals[0].organisation_id, reason="Board")
    )
    db.session.commit()
    login(client, chair)
    response = client.get(decline_url(call, proposals))
    assert response.status_code == 400
    assert "Some of the chosen proposals are not on this list." in response.get_data(as_text=True)
    assert db.session.get(Proposal, proposals[0].id).state == "reviewed"


def test_an_unknown_call_or_list_is_404(client, ranking_call):
    login(client, make_user(Role.CHAIR))
    assert client.get("/bulk/calls/99999/ranking?action=decline&proposal=1").status_code == 404
    assert client.get("/bulk/calls/1/grants?action=decline&proposal=1").status_code == 404


def test_more_rows_than_the_cap_are_refused_with_a_message(client, ranking_call, monkeypatch):
    call, proposals = ranking_call
    monkeypatch.setattr(selection, "MAX_ROWS", 1)
    login(client, make_user(Role.CHAIR))
    for url in (
        decline_url(call, proposals),
        f"/bulk/calls/{call.id}/ranking?action=decline&all=1",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "At most 1 proposals can be handled at once." in response.get_data(as_text=True)


def test_an_expired_form_is_a_clear_400(client, ranking_call, csrf):
    call, proposals = ranking_call
    login(client, make_user(Role.CHAIR))
    response = client.post(
        f"/bulk/calls/{call.id}/ranking",
        data={"action": "decline", "proposal": [proposals[0].id], "reason": "No."},
    )
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert db.session.get(Proposal, proposals[0].id).state == "reviewed"


def test_the_confirmation_and_result_pages_make_the_same_queries_for_more_rows(client, ctx):
    call = make_rubric_call(envelope="10000000")
    chair = make_user(Role.CHAIR)
    login(client, chair)

    def confirm_and_run(n):
        chosen = [
            make_reviewed(call, make_organisation(make_user(Role.APPLICANT))) for _ in range(n)
        ]
        with count_queries() as confirmation:
            assert client.get(decline_url(call, chosen)).status_code == 200
        response = client.post(
            f"/bulk/calls/{call.id}/ranking",
            data={"action": "decline", "proposal": [p.id for p in chosen], "reason": "No."},
        )
        with count_queries() as result:
            assert client.get(response.headers["Location"]).status_code == 200
        return len(confirmation), len(result)

    assert confirm_and_run(2) == confirm_and_run(7)
    assert len(db.session.scalars(select(BulkRun)).all()) == 2
