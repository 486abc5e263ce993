"""Comparing 2-4 proposals of the ranking side by side: what it shows, the reviewers it names
(as the decision page does), what it refuses, who may open it, and its query count."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.models import BudgetLine, Conflict, ProposalState, Role, User
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review


@pytest.fixture
def world(ctx):
    """A call with three reviewed proposals, each reviewed by the same two named reviewers."""
    call = make_rubric_call()
    reviewers = [make_user(Role.REVIEWER, name=n) for n in ("Rita Okello", "Sam Mwangi")]
    proposals = []
    for title, scores, recommendation in (
        ("Parents first", [(5, 4), (4, 4)], "fund"),
        ("Radio talks", [(2, 2), (1, 3)], "do_not_fund"),
        ("Teachers protect", [(3, 4), (3, 3)], "fund_with_changes"),
    ):
        proposal = make_reviewed(call, title=title)
        for reviewer, pair in zip(reviewers, scores, strict=True):
            review(proposal, reviewer, pair, recommendation)
        proposals.append(proposal)
    return call, proposals


def compare(client, call, *ids) -> tuple[int, str]:
    response = client.get(
        f"/decisions/calls/{call.id}/compare", query_string=[("proposal", str(i)) for i in ids]
    )
    return response.status_code, response.get_data(as_text=True)


def columns(html: str) -> dict[int, str]:
    """Each compared proposal's column, by proposal id."""
    found = re.findall(
        r'<article class="panel compared" data-proposal="(\d+)">(.*?)</article>', html, re.S
    )
    return {int(pid): body for pid, body in found}


def test_two_proposals_are_shown_side_by_side_in_the_order_ticked(client, world):
    call, (parents, radio, _teachers) = world
    login(client, make_user(Role.CHAIR))
    status, html = compare(client, call, radio.id, parents.id)
    assert status == 200
    assert list(columns(html)) == [radio.id, parents.id]
    assert 'class="comparison of-2"' in html


def test_each_column_has_the_mean_per_criterion_and_the_ranking_statistics(client, world):
    """Parents first: criterion 1 scored 5 and 4 (mean 4.5), criterion 2 4 and 4; weighted
    scores 90 and 75, so the mean (and median) is 82.5 and the range 15.0."""
    call, (parents, radio, _teachers) = world
    login(client, make_user(Role.CHAIR))
    column = columns(compare(client, call, parents.id, radio.id)[1])[parents.id]
    cells = re.findall(r"<tr><td>(Criterion \d)</td><td>(\d+)</td><td>(.*?)</td></tr>", column)
    assert cells == [("Criterion 1", "60", "4.5"), ("Criterion 2", "40", "4.0")]
    assert "82.5 / 82.5" in column  # mean / median
    assert "/ 15.0" in column  # the range
    assert re.search(r"Normalised score</dt><dd>[+-]\d\.\d\d</dd>", column)


def test_each_column_has_the_budget_by_category_and_the_summary(client, world):
    call, (parents, radio, _teachers) = world
    parents.summary = "Parenting groups in Gulu."
    parents.budget_lines = [
        BudgetLine(position=1, category="travel", description="Buses", amount=Decimal("500")),
        BudgetLine(position=2, category="personnel", description="Staff", amount=Decimal("9000")),
        BudgetLine(position=3, category="personnel", description="Aide", amount=Decimal("1000")),
    ]
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    shown = columns(compare(client, call, parents.id, radio.id)[1])
    budget = re.findall(r"<tr><td>(Personnel|Travel)</td><td>(.*?)</td></tr>", shown[parents.id])
    assert budget == [("Personnel", "$10,000.00"), ("Travel", "$500.00")]  # categories' order
    assert "Amount requested: $20,000.00" in shown[parents.id]
    assert "Parenting groups in Gulu." in shown[parents.id]
    assert "Category" not in shown[radio.id]  # no lines, no empty table


def test_each_reviewers_recommendation_is_shown_with_the_name_the_chair_may_see(client, world):
    call, (parents, radio, _teachers) = world
    login(client, make_user(Role.CHAIR))
    shown = columns(compare(client, call, parents.id, radio.id)[1])
    assert "<li>Rita Okello: fund</li>" in shown[parents.id]
    assert "<li>Sam Mwangi: do not fund</li>" in shown[radio.id]


def test_a_call_that_hides_reviewers_names_shows_their_numbers(client, world):
    call, (parents, radio, _teachers) = world
    call.hide_reviewer_names = True
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    status, html = compare(client, call, parents.id, radio.id)
    assert status == 200
    assert "Rita Okello" not in html and "Sam Mwangi" not in html
    assert "<li>Reviewer 1: fund</li>" in columns(html)[parents.id]
    assert "<li>Reviewer 2: do not fund</li>" in columns(html)[radio.id]


def test_only_the_latest_rounds_reviews_count(client, world):
    """A second round replaces the first, as in the ranking."""
    call, (parents, radio, _teachers) = world
    review(parents, make_user(Role.REVIEWER, name="Una Later"), (1, 1), "do_not_fund", round=2)
    login(client, make_user(Role.CHAIR))
    column = columns(compare(client, call, parents.id, radio.id)[1])[parents.id]
    assert "Rita Okello" not in column
    assert "<li>Una Later: do not fund</li>" in column
    assert "<tr><td>Criterion 1</td><td>60</td><td>1.0</td></tr>" in column


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([], "Tick from 2 to 4 proposals to compare them; 0 ticked."),
        (["first"], "Tick from 2 to 4 proposals to compare them; 1 ticked."),
        (["first", "first"], "Tick from 2 to 4 proposals to compare them; 1 ticked."),
        (["first", "second", "third", "x4", "x5"], "5 ticked."),
        (["first", "abc"], "“abc” is not a proposal number."),
        (["first", "-3"], "“-3” is not a proposal number."),
    ],
)
def test_a_wrong_number_of_ticks_or_a_non_number_is_a_400_with_a_message(
    client, world, query, message
):
    call, proposals = world
    extra = [make_reviewed(call) for _ in range(2)] if "x4" in query else []
    values = {"first": proposals[0].id, "second": proposals[1].id, "third": proposals[2].id}
    values.update({f"x{4 + i}": p.id for i, p in enumerate(extra)})
    login(client, make_user(Role.CHAIR))
    status, html = compare(client, call, *[values.get(q, q) for q in query])
    assert status == 400
    assert message in html


def test_ticks_may_come_comma_separated(client, world):
    call, (parents, radio, teachers) = world
    login(client, make_user(Role.CHAIR))
    status, html = compare(client, call, f"{parents.id},{teachers.id}", radio.id)
    assert status == 200
    assert list(columns(html)) == [parents.id, teachers.id, radio.id]


def test_a_proposal_of_another_call_is_not_found(client, world):
    call, (parents, _radio, _teachers) = world
    elsewhere = make_reviewed(make_rubric_call(title="Other call"))
    login(client, make_user(Role.CHAIR))
    status, html = compare(client, call, parents.id, elsewhere.id)
    assert status == 404
    assert f"Proposal #{elsewhere.id} is not in the ranking of this call" in html


@pytest.mark.parametrize("state", [ProposalState.DRAFT, ProposalState.CONCEPT_SUBMITTED])
def test_a_draft_or_concept_note_is_not_found(client, world, state):
    call, (parents, _radio, _teachers) = world
    hidden = make_reviewed(call, state=state)
    login(client, make_user(Role.CHAIR))
    assert compare(client, call, parents.id, hidden.id)[0] == 404


def test_an_id_beyond_any_column_is_not_found(client, world):
    call, (parents, _radio, _teachers) = world
    login(client, make_user(Role.CHAIR))
    assert compare(client, call, parents.id, 2**31)[0] == 404
    assert compare(client, call, parents.id, 10**25)[0] == 404


def test_a_chair_conflicted_with_an_organisation_cannot_compare_its_proposal(client, world):
    """The ranking leaves it out for this chair; so does the comparison (404, as if absent)."""
    call, (parents, radio, teachers) = world
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=radio.organisation_id, reason="Trustee")
    )
    db.session.commit()
    login(client, chair)
    status, html = compare(client, call, parents.id, radio.id)
    assert status == 404
    assert "Radio talks" not in html
    assert compare(client, call, parents.id, teachers.id)[0] == 200


def test_an_unpublished_call_is_not_found(client, world):
    call, (parents, radio, _teachers) = world
    call.published_at = None
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    assert compare(client, call, parents.id, radio.id)[0] == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("applicant", 403),
        ("reviewer", 403),
        ("admin", 200),
        ("chair", 200),
        ("chair_and_reviewer", 200),
    ],
)
def test_who_may_compare(client, world, who, status):
    """Applicants (even the proposal's own organisation) and reviewers get 403; chairs and the
    secretariat compare."""
    call, (_parents, radio, _teachers) = world
    member = make_user(Role.APPLICANT)
    own = make_reviewed(call, make_organisation(member), title="Our own")
    users = {
        "member": member,
        "applicant": make_user(Role.APPLICANT),
        "reviewer": make_user(Role.REVIEWER),
        "admin": make_user(Role.ADMIN),
        "chair": make_user(Role.CHAIR),
        "chair_and_reviewer": make_user(Role.CHAIR, Role.REVIEWER),
    }
    login(client, users[who])
    assert compare(client, call, own.id, radio.id)[0] == status


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    call, (parents, radio, _teachers) = world
    response = client.get(
        f"/decisions/calls/{call.id}/compare?proposal={parents.id}&proposal={radio.id}"
    )
    assert response.status_code == 302
    assert "/account/login" in response.location


def queries_for_comparing(client, call, proposals) -> int:
    # read outside the count: the test's own objects reload after each request
    path, ids = f"/decisions/calls/{call.id}/compare", [("proposal", p.id) for p in proposals]
    with count_queries() as statements:
        response = client.get(path, query_string=ids)
    assert response.status_code == 200
    return len(statements)


def test_the_query_count_does_not_grow_with_the_proposals_compared_or_the_call(client, world):
    call, proposals = world
    fourth = make_reviewed(call, title="Fourth")
    review(fourth, make_user(Role.REVIEWER), (3, 3))
    login(client, make_user(Role.CHAIR))
    two = queries_for_comparing(client, call, proposals[:2])
    assert queries_for_comparing(client, call, [*proposals, fourth]) == two
    for i in range(15):
        more = make_reviewed(call, make_organisation(make_user()), title=f"More {i}")
        review(more, make_user(Role.REVIEWER), (1 + i % 5, 2))
    assert queries_for_comparing(client, call, proposals[:2]) == two


def test_the_comparison_reads_no_reviewers_comments(client, world):
    """Reviews come as the columns the page shows: the comments, confidential ones included,
    stay in the database (the decision page shows them, to whom it may)."""
    call, proposals = world
    login(client, make_user(Role.CHAIR))
    path, ids = f"/decisions/calls/{call.id}/compare", [("proposal", p.id) for p in proposals]
    with count_queries() as statements:
        assert client.get(path, query_string=ids).status_code == 200
    assert any("criterion_scores" in s for s in statements)
    assert not [s for s in statements if "comments" in s]


def test_the_demos_proposals_compare_on_a_page_with_unique_ids(client, runner, ctx):
    """With the demo's data (budget lines, several rounds, a chair who also reviews): the
    comparison of its ranking's first proposals answers, under 100 KB, no id repeated."""
    from tests.test_crawl import id_problems

    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    chair = db.session.scalar(db.select(User).where(User.email == "chair@example.org"))
    login(client, chair)
    calls = client.get("/decisions/").get_data(as_text=True)
    ranking = next(path for path in re.findall(r'href="(/decisions/calls/\d+)"', calls))
    html = client.get(f"{ranking}?state=all").get_data(as_text=True)
    assert not id_problems(html)
    ids = re.findall(r'name="proposal" value="(\d+)"', html)[:4]
    assert len(ids) >= 2
    response = client.get(f"{ranking}/compare", query_string=[("proposal", i) for i in ids])
    assert response.status_code == 200
    assert len(response.data) < 100 * 1024
    assert not id_problems(response.get_data(as_text=True))
    assert len(columns(response.get_data(as_text=True))) == len(ids)


def test_statements_built_once_give_each_chair_and_call_setting_its_own_columns(client, world):
    """The comparison's statements are built once per process, the ids, the call and the chair's
    conflicts bound when they run: chairs with and without a conflict, names shown and hidden,
    in turn, each get their own columns."""
    call, (parents, radio, teachers) = world
    free = make_user(Role.CHAIR)
    conflicted = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=conflicted.id, organisation_id=radio.organisation_id, reason="Trustee")
    )
    db.session.commit()
    for _round in range(2):
        call.hide_reviewer_names = False
        db.session.commit()
        login(client, free)
        status, html = compare(client, call, radio.id, teachers.id)
        assert status == 200 and list(columns(html)) == [radio.id, teachers.id]
        assert "<li>Sam Mwangi: do not fund</li>" in columns(html)[radio.id]
        login(client, conflicted)
        assert compare(client, call, radio.id, teachers.id)[0] == 404
        status, html = compare(client, call, teachers.id, parents.id)
        assert status == 200 and list(columns(html)) == [teachers.id, parents.id]
        call.hide_reviewer_names = True
        db.session.commit()
        status, html = compare(client, call, parents.id, teachers.id)
        assert "Rita Okello" not in html
        assert "<li>Reviewer 1: fund</li>" in columns(html)[parents.id]
