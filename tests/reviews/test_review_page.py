"""The review page as a reviewer scores: each criterion a fieldset with its weight and the
meaning of each score, the proposal's full answers beside the form, the running total and how
complete the review is; and nothing of the proposal for a conflicted reviewer."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.models import BudgetLine, Conflict, Criterion, ProposalVersion, Role
from fund.rules import proposal_content as content
from tests.conftest import answer_standard, count_queries, login, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call, review_form

LEVELS = ["Missing", "Thin", "Adequate", "Strong", "Outstanding"]


def with_meanings(call) -> None:
    """Give every criterion of `call` its own five meanings ("INSPIRE fit 1: Missing" ...)."""
    for criterion in call.criteria:
        criterion.levels = [f"{criterion.name} {n}: {text}" for n, text in enumerate(LEVELS, 1)]
    db.session.commit()


def fill(proposal, *, lines: int = 2) -> None:
    """Answers a reviewer needs beside the form: timeline, measurement and a budget."""
    proposal.summary = "Teachers and parents together."
    answer_standard(
        proposal,
        timeline="Months 1-3: training. Months 4-12: clubs.",
        measurement="A survey of pupils before and after.",
    )
    proposal.budget_lines = [
        BudgetLine(position=i, category="activities", description=f"Line {i}", amount=1000 + i)
        for i in range(lines)
    ]
    db.session.commit()


@pytest.fixture
def setting(ctx):
    call = make_rubric_call(reviewers=2)
    with_meanings(call)
    proposal = make_in_review(call)
    fill(proposal)
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer)
    assign(proposal, make_user(Role.REVIEWER))
    return call, proposal, reviewer, review


def fieldset(page: str, criterion) -> str:
    """The HTML of the fieldset of `criterion` on the review page."""
    match = re.search(rf'<fieldset[^>]*id="score_{criterion.id}".*?</fieldset>', page, re.S)
    assert match, f"no fieldset for {criterion.name}"
    return match.group(0)


def chosen(fieldset_html: str) -> str:
    """The text of the "Your score" line of a criterion's fieldset."""
    match = re.search(r'<p class="chosen-meaning"[^>]*>(.*?)</p>', fieldset_html, re.S)
    assert match, "no chosen-meaning line"
    return " ".join(match.group(1).split())


def test_each_meaning_is_inside_the_label_of_its_radio(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    for criterion in call.criteria:
        for n, meaning in enumerate(criterion.levels):
            label = re.search(
                rf'<label class="score-level" for="score_{criterion.id}-{n}">(.*?)</label>',
                page,
                re.S,
            )
            assert label, (criterion.name, n)
            assert f'value="{n + 1}"' in label.group(1)
            assert f'<span class="score-number">{n + 1}</span>' in label.group(1)
            assert meaning in label.group(1)


def test_each_weight_is_in_the_legend_of_its_own_criterion(client, setting):
    """The weight was printed after each fieldset, so it read as the next criterion's."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    for criterion in call.criteria:
        legend = re.search(r"<legend>(.*?)</legend>", fieldset(page, criterion), re.S).group(1)
        assert criterion.name in legend and f"(weight {criterion.weight}%)" in legend
        assert criterion.guidance in fieldset(page, criterion)


def test_the_chosen_meaning_is_shown_after_saving(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    client.post(f"/reviews/{review.id}", data=review_form(call, scores=(4, None, 2)))
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    first, second, third = call.criteria
    assert chosen(fieldset(page, first)) == f"Your score: 4 – {first.levels[3]}"
    assert chosen(fieldset(page, second)) == "Not scored yet."
    assert chosen(fieldset(page, third)) == f"Your score: 2 – {third.levels[1]}"


def test_completeness_and_weighted_total_follow_the_saved_scores(client, setting):
    """Rubric weights 40, 35, 25: a 4 and a 2 make (40*3 + 25*1) / 4 = 36.25 points."""
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").text
    assert "0 of 3 criteria scored" in page and "0 of 100 points" in page
    client.post(f"/reviews/{review.id}", data=review_form(call, scores=(4, None, 2)))
    page = client.get(f"/reviews/{review.id}").text
    assert "2 of 3 criteria scored" in page and "36.25 of 100 points" in page


def test_a_refused_save_shows_the_totals_of_what_was_sent(client, setting):
    call, _proposal, reviewer, review = setting
    login(client, reviewer)
    data = review_form(call, scores=(5, 5, None), comments_for_applicant="x" * 10_001)
    response = client.post(f"/reviews/{review.id}", data=data)
    assert response.status_code == 400
    assert "2 of 3 criteria scored" in response.text and "75 of 100 points" in response.text


def test_the_proposals_full_answers_are_beside_the_form(client, setting):
    """Budget, timeline and measurement on the review page itself; the printable link stays."""
    _call, proposal, reviewer, review = setting
    login(client, reviewer)
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    proposal_column = page[page.index('class="review-proposal"') : page.index('id="review-form"')]
    for text in (
        "Months 1-3: training. Months 4-12: clubs.",
        "A survey of pupils before and after.",
        "Line 0",
        "Line 1",
        "$2,001.00",  # the budget's total, written the reader's way
    ):
        assert text in proposal_column
    assert f'href="/proposals/{proposal.id}"' in page and "Full proposal" in page


def test_the_reviewer_reads_the_version_submitted_not_later_edits(client, setting):
    _call, proposal, reviewer, review = setting
    frozen = content.snapshot(proposal)
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=1, content=frozen))
    answer_standard(proposal, timeline="Changed after the submission.")
    db.session.commit()
    login(client, reviewer)
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    assert "Months 1-3: training." in page and "Changed after the submission." not in page


def test_before_answering_the_conflict_question_nothing_of_the_proposal_shows(client, ctx):
    call = make_rubric_call()
    proposal = make_in_review(call)
    fill(proposal)
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer, answered=False)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").text
    assert "No conflict" in page
    for text in ("Months 1-3", "A survey of pupils", "Line 0", "Teachers and parents"):
        assert text not in page


def test_a_reviewer_conflicted_with_the_organisation_sees_nothing(client, setting):
    """A conflict recorded after "No conflict" (e.g. by the secretariat) hides the page."""
    _call, proposal, reviewer, review = setting
    db.session.add(
        Conflict(user_id=reviewer.id, organisation_id=proposal.organisation_id, reason="Board")
    )
    db.session.commit()
    login(client, reviewer)
    response = client.get(f"/reviews/{review.id}")
    assert response.status_code == 404
    for text in ("Months 1-3", "A survey of pupils", "Line 0"):
        assert text not in response.text


def _grow(call, proposal, criteria: int, lines: int) -> None:
    """A rubric of `criteria` criteria (weights adding up to 100) and `lines` budget lines."""
    weights = [100 // criteria] * criteria
    weights[0] += 100 - sum(weights)
    for score in list(call.criteria):
        db.session.delete(score)
    db.session.flush()
    call.criteria = [
        Criterion(position=i, name=f"Criterion {i}", guidance="Why", weight=w, levels=LEVELS)
        for i, w in enumerate(weights)
    ]
    db.session.commit()
    fill(proposal, lines=lines)


@pytest.mark.parametrize("with_version", [False, True])
def test_the_page_needs_as_many_queries_for_a_big_rubric_and_budget_as_for_a_small(
    client, ctx, with_version
):
    def queries(criteria: int, lines: int) -> int:
        call = make_rubric_call()
        proposal = make_in_review(call)
        _grow(call, proposal, criteria, lines)
        if with_version:
            db.session.add(
                ProposalVersion(
                    proposal_id=proposal.id, number=1, content=content.snapshot(proposal)
                )
            )
            db.session.commit()
        reviewer = make_user(Role.REVIEWER)
        review = assign(proposal, reviewer)
        review.scores = []
        db.session.commit()
        login(client, reviewer)
        client.get(f"/reviews/{review.id}")  # warm: the first request of a session does more
        with count_queries() as statements:
            response = client.get(f"/reviews/{review.id}")
        assert response.status_code == 200
        assert f"Line {lines - 1}" in response.text
        return len(statements)

    assert queries(criteria=2, lines=1) == queries(criteria=10, lines=25)


def test_points_are_exact_decimals():
    from fund.reviews.page import scoring

    class C:
        def __init__(self, id_, weight):
            self.id, self.weight = id_, weight

    result = scoring([C(1, 33), C(2, 33), C(3, 34)], {1: 5, 2: 2, 3: None})
    assert (result.scored, result.criteria, result.points) == (2, 3, Decimal("41.25"))


def test_the_calls_own_questions_are_answered_beside_the_form(client, setting):
    """An answer to a question the secretariat added is on the review page, from the version
    submitted, next to the scoring."""
    call, proposal, reviewer, review = setting
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Children's participation")
    question = form_builder.add_question(
        call, admin, section, "long_text", "How will children take part safely?", []
    )
    proposal.answers = {question: "With trained facilitators and parents' consent."}
    db.session.add(
        ProposalVersion(proposal_id=proposal.id, number=1, content=content.snapshot(proposal))
    )
    db.session.commit()
    login(client, reviewer)
    page = html.unescape(client.get(f"/reviews/{review.id}").text)
    proposal_column = page[page.index('class="review-proposal"') : page.index('id="review-form"')]
    assert "How will children take part safely?" in proposal_column
    assert "With trained facilitators and parents' consent." in proposal_column
