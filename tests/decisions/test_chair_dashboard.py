"""The chairs' dashboard: reviewed proposals waiting per call, and the awards waiting for this
chair's approval; a conflicted chair sees none of that organisation's."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import escape

from fund.extensions import db
from fund.models import Conflict, DecisionApproval, Role
from tests.admin.overview_data import proposal_in
from tests.conftest import count_queries, login, make_call, make_user


def approve(proposal, chair) -> None:
    db.session.add(DecisionApproval(proposal_id=proposal.id, chair_id=chair.id, amount=Decimal(9)))
    db.session.commit()


def panel(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_reviewed_proposals_are_counted_per_call_and_link_to_the_ranking(client):
    call = make_call(title="Round 2027")
    for _ in range(2):
        proposal_in(call, "reviewed")
    proposal_in(call, "in_review")
    login(client, make_user(Role.CHAIR))
    decisions = panel(client.get("/dashboard").text, "chair-decisions")
    assert f'href="/decisions/calls/{call.id}">Round 2027</a>' in decisions
    assert "2 reviewed proposals wait for a decision" in decisions


def test_awards_approved_by_another_chair_wait_for_this_one(client):
    call = make_call()
    call.chair_approvals_needed = 2
    waiting = proposal_in(call, "reviewed")
    mine_done = proposal_in(call, "reviewed")
    chair, other = make_user(Role.CHAIR), make_user(Role.CHAIR)
    approve(waiting, other)
    approve(mine_done, chair)
    login(client, chair)
    approvals = panel(client.get("/dashboard").text, "chair-approvals")
    assert f'href="/decisions/proposals/{waiting.id}"' in approvals
    assert "1 of 2 approvals" in approvals
    assert f'href="/decisions/proposals/{mine_done.id}"' not in approvals


def test_a_conflicted_chair_sees_nothing_of_that_organisation(client):
    call = make_call()
    call.chair_approvals_needed = 2
    proposal = proposal_in(call, "reviewed")
    chair, other = make_user(Role.CHAIR), make_user(Role.CHAIR)
    approve(proposal, other)
    db.session.add(Conflict(user_id=chair.id, organisation_id=proposal.organisation_id, reason="x"))
    db.session.commit()
    login(client, chair)
    html = client.get("/dashboard").text
    assert "No reviewed proposal waits for a decision." in panel(html, "chair-decisions")
    assert "No award waits for your approval." in panel(html, "chair-approvals")


def test_chair_dashboard_queries_do_not_grow(client):
    chair = make_user(Role.CHAIR)
    other = make_user(Role.CHAIR)
    login(client, chair)

    def add_call() -> None:
        call = make_call()
        call.chair_approvals_needed = 2
        for _ in range(3):
            approve(proposal_in(call, "reviewed"), other)

    add_call()
    client.get("/dashboard")
    with count_queries() as small:
        assert client.get("/dashboard").status_code == 200
    for _ in range(3):
        add_call()
    with count_queries() as large:
        assert client.get("/dashboard").status_code == 200
    assert len(large) == len(small)


def test_chairs_with_different_conflicts_each_see_their_own_in_turn(client):
    """The panels' statements are built once per process and the chair's id and conflicts
    bound each time: three chairs in turn (two conflicted with different organisations, one
    with none) each see their own counts and approvals."""
    call = make_call(title="Round 2027")
    call.chair_approvals_needed = 3
    first, second, third = (proposal_in(call, "reviewed") for _ in range(3))
    plain, left, right, approver = (make_user(Role.CHAIR) for _ in range(4))
    for proposal in (first, second, third):
        approve(proposal, approver)
    approve(third, right)
    db.session.add(Conflict(user_id=left.id, organisation_id=first.organisation_id, reason="x"))
    db.session.add(Conflict(user_id=right.id, organisation_id=second.organisation_id, reason="x"))
    db.session.commit()

    def seen(chair) -> tuple[str, set[int]]:
        login(client, chair)
        html = client.get("/dashboard").text
        approvals = panel(html, "chair-approvals")
        listed = {
            p.id for p in (first, second, third) if f"/decisions/proposals/{p.id}" in approvals
        }
        return panel(html, "chair-decisions"), listed

    for _ in range(2):  # twice round: nothing of one chair's values stays in the statements
        decisions, listed = seen(plain)
        assert "3 reviewed proposals wait for a decision" in decisions
        assert listed == {first.id, second.id, third.id}
        decisions, listed = seen(left)
        assert "2 reviewed proposals wait for a decision" in decisions
        assert listed == {second.id, third.id}
        decisions, listed = seen(right)
        assert "2 reviewed proposals wait for a decision" in decisions
        assert listed == {first.id}  # not the one of its conflict, nor the one it approved


def test_an_award_waiting_shows_each_column_in_its_place(client):
    """The rows are unpacked in the order of the statement's columns: each part of the line
    must still show its own column, escaped."""
    call = make_call(title="Round <2027> & more")
    call.chair_approvals_needed = 3
    proposal = proposal_in(call, "reviewed")
    proposal.title = "Wells & <pumps>"
    chair = make_user(Role.CHAIR)
    for _ in range(2):
        approve(proposal, make_user(Role.CHAIR))
    login(client, chair)
    approvals = panel(client.get("/dashboard").text, "chair-approvals")
    organisation = escape(proposal.organisation.name)
    assert (
        f'<li><a href="/decisions/proposals/{proposal.id}">{proposal.reference}: '
        f"{escape(proposal.title)}</a> ({organisation}, {escape(call.title)}): "
        "2 of 3 approvals</li>"
    ) in approvals
