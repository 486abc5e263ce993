"""The review form: drafts, submission, and every way of getting it wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, CriterionScore, ReviewStatus, Role
from tests.conftest import login, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call, review_form


@pytest.fixture
def setting(ctx):
    call = make_rubric_call(reviewers=2)
    proposal = make_in_review(call)
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer)
    assign(proposal, make_user(Role.REVIEWER))  # a second reviewer keeps the review open
    return call, proposal, reviewer, review


def _scores(review) -> list[int]:
    return [s.score for s in sorted(review.scores, key=lambda s: s.criterion_id)]


def test_the_form_shows_every_criterion_with_guidance_and_five_radio_buttons(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    for criterion in call.criteria:
        assert criterion.name in page and criterion.guidance in page
        assert page.count(f'name="score_{criterion.id}"') == 5
    assert "Save review" in page and "Submit review" in page
    assert "Confidential comments for the chairs" in page


def test_save_review_keeps_a_partial_draft(client, setting):
    """A draft may leave scores and the recommendation out; it stays editable."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    response = client.post(
        f"/reviews/{review.id}", data=review_form(call, scores=(4, None, 2), recommendation="")
    )
    assert response.headers["Location"] == f"/reviews/{review.id}"
    assert _scores(review) == [4, 2]
    assert review.recommendation is None and review.status is ReviewStatus.IN_PROGRESS
    # saving again replaces, and a score can be cleared
    client.post(f"/reviews/{review.id}", data=review_form(call, scores=(5, 3, None)))
    assert _scores(review) == [5, 3] and review.recommendation == "fund"


def test_submit_review_locks_it(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}", data=review_form(call, action="submit"))
    assert response.status_code == 302
    assert review.status is ReviewStatus.SUBMITTED
    assert _scores(review) == [4, 3, 5]
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_type == "review"))
        == "submit"
    )
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Submitted on" in page and "Submit review" not in page


@pytest.mark.parametrize("bad", ["0", "6", "-1", "3.5", "abc", "99999999999999999999"])
def test_scores_outside_1_to_5_are_refused(client, setting, bad):
    """Refused with 400, a message next to the field, and nothing saved."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    data = review_form(call)
    data[f"score_{call.criteria[0].id}"] = bad
    response = client.post(f"/reviews/{review.id}", data=data)
    assert response.status_code == 400
    assert b"Please correct the following" in response.data
    assert db.session.scalar(select(CriterionScore)) is None


@pytest.mark.parametrize(
    ("scores", "recommendation"),
    [((4, None, 5), "fund"), ((None, None, None), "fund"), ((4, 3, 5), "")],
)
def test_submit_needs_every_score_and_the_recommendation(client, setting, scores, recommendation):
    """Missing pieces are named; the review stays a draft and nothing is saved by the attempt."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    response = client.post(
        f"/reviews/{review.id}",
        data=review_form(call, scores=scores, recommendation=recommendation, action="submit"),
    )
    assert response.status_code == 400
    assert b"To submit, give every score and a recommendation" in response.data
    assert review.status is ReviewStatus.IN_PROGRESS and review.submitted_at is None
    assert db.session.scalar(select(CriterionScore)) is None


def test_an_unknown_recommendation_is_refused(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}", data=review_form(call, recommendation="maybe"))
    assert response.status_code == 400
    assert review.recommendation is None


def test_editing_after_submit_is_refused(client, setting):
    """A second save or submit of a submitted review gets 409 and changes nothing."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    client.post(f"/reviews/{review.id}", data=review_form(call, action="submit"))
    for action in ("save", "submit"):
        response = client.post(
            f"/reviews/{review.id}", data=review_form(call, scores=(1, 1, 1), action=action)
        )
        assert response.status_code == 409
        assert b"can no longer be changed" in response.data
    assert _scores(review) == [4, 3, 5]


def test_the_form_is_refused_before_the_conflict_question_is_answered(client, ctx):
    call = make_rubric_call()
    reviewer = make_user(Role.REVIEWER)
    review = assign(make_in_review(call), reviewer, answered=False)
    login(client, reviewer)
    response = client.post(f"/reviews/{review.id}", data=review_form(call))
    assert response.status_code == 409
    assert db.session.scalar(select(CriterionScore)) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_reviewers_review_by_url_is_not_found(client, setting, method):
    """Another reviewer gets 404 with a clear message, and its scores are never shown."""
    call, _proposal, _reviewer, review = setting
    other = make_user(Role.REVIEWER)
    assign(review.proposal, other)
    login(client, other)
    response = getattr(client, method)(f"/reviews/{review.id}", data=review_form(call))
    assert response.status_code == 404
    assert b"There is no review of yours at this address" in response.data
    assert db.session.scalar(select(CriterionScore)) is None


def test_a_reviewer_never_sees_other_reviewers_names_or_scores(client, setting):
    """Another reviewer's submitted comments and name are not on the reviewer's own page."""
    call, proposal, reviewer, review = setting
    other = make_user(Role.REVIEWER, name="Zelda Otherreviewer")
    other_review = assign(proposal, other)
    login(client, other)
    client.post(
        f"/reviews/{other_review.id}",
        data=review_form(call, action="save", comments_for_applicant="ZELDA SAYS"),
    )
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    queue = client.get("/reviews/").get_data(as_text=True)
    for text in (page, queue):
        assert "Zelda Otherreviewer" not in text and "ZELDA SAYS" not in text
