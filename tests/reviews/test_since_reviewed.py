"""A reviewer back for a later round sees what changed since the version they reviewed, the
call's own questions included (answers changed, added, removed, as text), above the proposal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import ProposalVersion, Review, Role
from fund.models.base import utcnow
from fund.rules import proposal_content as content
from tests.conftest import count_queries, login, make_user
from tests.forms_def.mixed import answer_all, mixed_questions
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


def freeze(proposal, number: int, when) -> None:
    db.session.add(
        ProposalVersion(
            proposal_id=proposal.id,
            number=number,
            content=content.snapshot(proposal),
            created_at=when,
        )
    )
    db.session.commit()


def back_for_round_two(questions: int = 10, change=None):
    """Version 1 answered `questions` questions; the reviewer submitted a review of it in round
    1; version 2 (the answers changed by `change`) came after; round 2 assigns them again."""
    start = utcnow() - timedelta(days=30)
    call = make_rubric_call()
    ids = mixed_questions(call, questions)
    proposal = make_in_review(call)
    proposal.answers = answer_all(call)
    db.session.commit()
    freeze(proposal, 1, start)
    reviewer = make_user(Role.REVIEWER)
    first = assign(proposal, reviewer)
    first.recommendation, first.submitted_at = "fund", start + timedelta(days=5)
    db.session.commit()
    freeze(proposal, 2, start + timedelta(days=1))  # a version the reviewer did read
    answers = dict(proposal.answers)
    if change:
        change(answers, ids)
    proposal.answers = answers
    db.session.commit()
    freeze(proposal, 3, start + timedelta(days=20))
    return proposal, reviewer, assign(proposal, reviewer, round_=2), ids


def change_two(answers, ids):
    answers[ids[0]] = "A reworded short answer"
    del answers[ids[6]]  # the yes/no question left unanswered


def test_a_returning_reviewer_sees_the_answers_changed_since_their_review(client):
    proposal, reviewer, review, ids = back_for_round_two(change=change_two)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "What changed since you reviewed version 2" in page
    since = page.split('id="since-reviewed"')[1].split("</section>")[0]
    assert f'<a href="#content-{ids[0]}">Question 1</a>' in since and "answer changed" in since
    assert "<dd>A short answer</dd>" in since and "<dd>A reworded short answer</dd>" in since
    assert "Question 7" in since and "answer removed" in since and "<dd>Yes</dd>" in since
    assert "Question 2" not in since  # unchanged answers are not listed


def test_a_returning_reviewer_is_told_when_nothing_changed(client):
    proposal, reviewer, review, ids = back_for_round_two()
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    since = page.split('id="since-reviewed"')[1].split("</section>")[0]
    assert "What changed since you reviewed version 2" in page and "No changes." in since


@pytest.mark.parametrize("submitted", [False, True])
def test_a_first_round_or_another_reviewer_sees_no_such_section(client, submitted):
    """Nothing to compare for a reviewer new to the proposal in round 2, nor in round 1."""
    proposal, _reviewer, review, ids = back_for_round_two(change=change_two)
    newcomer = make_user(Role.REVIEWER)
    other = assign(proposal, newcomer, round_=2 if submitted else 1)
    login(client, newcomer)
    page = client.get(f"/reviews/{other.id}").get_data(as_text=True)
    assert "Safe schools" in page and 'id="since-reviewed"' not in page


def test_a_review_removed_in_round_one_gives_nothing_to_compare(client):
    proposal, reviewer, review, ids = back_for_round_two(change=change_two)
    first = db.session.scalar(db.select(Review).where(Review.round == 1))
    first.removed_at = utcnow()
    db.session.commit()
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert 'id="since-reviewed"' not in page


def test_the_page_takes_as_many_queries_with_30_questions_changed_as_with_1(client):
    def queries(count: int) -> int:
        def change_all(answers, ids):
            answers.update({qid: None for qid in ids})

        proposal, reviewer, review, ids = back_for_round_two(count, change_all)
        login(client, reviewer)
        client.get(f"/reviews/{review.id}")
        with count_queries() as statements:
            page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
        assert page.count("answer removed") == count
        return len(statements)

    assert queries(1) == queries(30)
