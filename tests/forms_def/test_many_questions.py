"""The pages that read a call's own questions take as many SQL queries with 30 questions of mixed
types as with 1 (DESIGN.md section 7): the edit form, a refused save, the printable version, the
review page and the chairs' ranking (which also takes as many for 20 proposals as for 2).

Every call's form starts with the standard sections: the core questions and five long texts
(answered too); the 30 (`MANY`) are the call's own beside them, cycling through every type
(the page-size budget has room for them, fund/forms_def/budget.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from fund.extensions import db
from fund.forms_def.definition import answerable, questions
from fund.forms_def.schema import CHOICE_TYPES
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import Proposal, Role
from fund.proposals import submission
from tests.conftest import count_queries, login, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review
from tests.forms_def.mixed import KINDS, answer_all, mixed_questions
from tests.proposals.drafting import form_data
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews.conftest import assign

STANDARD_TEXTS = set(STANDARD_TEXT_IDS.values())
MANY = 30  # own questions, answered beside the standard five texts


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def own_questions(proposal: Proposal) -> list[dict]:
    """The call's own questions (not the core ones nor the standard texts), in form order."""
    return [q for q in answerable(proposal.call.proposal_form) if q["id"] not in STANDARD_TEXTS]


def answered_draft(count: int) -> Proposal:
    """A complete draft answering the five standard texts and `count` questions of the call's
    own, cycling through every type."""
    proposal = complete_proposal()
    mixed_questions(proposal.call, count)
    proposal.answers = answer_all(proposal.call)
    db.session.commit()
    asked = [q["type"] for q in own_questions(proposal)]
    assert len(proposal.answers) == count + len(STANDARD_TEXTS)
    assert set(asked) == set(KINDS[:count])
    return proposal


def submitted(count: int) -> Proposal:
    proposal = answered_draft(count)
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    return proposal


def posted_answers(proposal: Proposal) -> dict[str, Any]:
    """The stored answers as the form sends them back (a choice: the ids ticked)."""
    data: dict[str, Any] = {}
    for q in answerable(proposal.call.proposal_form):
        value = proposal.answers[q["id"]]
        data[q["id"]] = value["choices"] if q["type"] in CHOICE_TYPES else value
    return data


def queries(client, user, request: Callable[[], Any], status: int, shown: str = "") -> int:
    """SQL statements of `request`, sent a second time (the first warms the session's caches);
    the page must show `shown` (the last question's label: every answer was rendered)."""
    login(client, user)
    request()
    with count_queries() as statements:
        response = request()
    assert response.status_code == status
    assert shown in response.get_data(as_text=True)
    return len(statements)


def last_label(proposal: Proposal) -> str:
    return list(questions(proposal.call.proposal_form))[-1]["label"]


def edit_page(client, count: int) -> int:
    proposal = answered_draft(count)
    url = f"/proposals/{proposal.id}/edit"
    return queries(client, a_member(proposal), lambda: client.get(url), 200, last_label(proposal))


def refused_save(client, count: int) -> int:
    """A save refused for an over-long answer to the first own question (a short text): the form
    comes back with every answer."""
    proposal = answered_draft(count)
    data = form_data(proposal, **posted_answers(proposal))
    first = own_questions(proposal)[0]["id"]
    data[first] = "x" * 1001  # the short text's limit is 200; longer than any
    url = f"/proposals/{proposal.id}/edit"
    send = lambda: client.post(url, data=data)  # noqa: E731
    return queries(client, a_member(proposal), send, 400, "Use at most 200 characters")


def printable_version(client, count: int) -> int:
    proposal = submitted(count)
    url = f"/proposals/{proposal.id}/versions/1"
    return queries(client, a_member(proposal), lambda: client.get(url), 200, last_label(proposal))


def review_page(client, count: int) -> int:
    proposal = submitted(count)
    proposal.state = "in_review"
    reviewer = make_user(Role.REVIEWER)
    db.session.commit()
    url = f"/reviews/{assign(proposal, reviewer).id}"
    return queries(client, reviewer, lambda: client.get(url), 200, last_label(proposal))


@pytest.mark.parametrize(
    "page",
    [edit_page, refused_save, printable_version, review_page],
    ids=["edit form", "refused save", "printable version", "review page"],
)
def test_a_page_takes_as_many_queries_for_30_questions_as_for_1(client, page):
    assert page(client, 1) == page(client, MANY)


def ranking_queries(client, count: int, proposals: int) -> int:
    """The ranking of a call whose `proposals` proposals answer `count` questions each and have
    two reviews each."""
    call = make_rubric_call(title=f"Call with {count} questions, {proposals} proposals")
    mixed_questions(call, count)
    reviewers = [make_user(Role.REVIEWER) for _ in range(2)]
    for n in range(proposals):
        proposal = make_reviewed(call, title=f"Proposal {n}")
        proposal.answers = answer_all(call)
        db.session.commit()
        for reviewer in reviewers:
            review(proposal, reviewer, (1 + n % 5, 1 + (n * 3) % 5))
    url = f"/decisions/calls/{call.id}"
    return queries(client, make_user(Role.CHAIR), lambda: client.get(url), 200)


def test_the_ranking_takes_as_many_queries_for_30_questions_and_20_proposals(client):
    small = ranking_queries(client, 1, 2)
    assert ranking_queries(client, MANY, 2) == small
    assert ranking_queries(client, 1, 20) == small
    assert ranking_queries(client, MANY, 20) == small


def test_the_ranking_never_reads_the_answers(client):
    """The ranking needs no answers: reading every proposal's (kilobytes each, on a call of
    thousands) would slow it down for nothing (bench/ranking_questions.py measures it)."""
    call = make_rubric_call()
    mixed_questions(call, MANY)
    proposal = make_reviewed(call)
    proposal.answers = answer_all(call)
    db.session.commit()
    review(proposal, make_user(Role.REVIEWER), (4, 4))
    login(client, make_user(Role.CHAIR))
    with count_queries() as statements:
        assert client.get(f"/decisions/calls/{call.id}").status_code == 200
    assert any("FROM proposals" in s for s in statements)
    assert not [s for s in statements if "proposals.answers" in s]
