"""The counts of waiting reviews kept at write time (fund/reviews/waiting.py): after every
change a reviewer's assignments can go through, in random order on random data, the stored
rows equal the reviews counted live (tests/reviews/waiting_reference.py), and so do the
overview's per-reviewer table and each reviewer's panel."""

from __future__ import annotations

import os
import random
from collections import Counter
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import insert, select, update

from fund import clock, workflow
from fund.admin import late_reviews
from fund.extensions import db
from fund.models import Proposal, ProposalState, ProposalVersion, Review, Role, WaitingReviewCount
from fund.proposals.submission import resubmit_proposal, withdraw_proposal
from fund.reviews import assignment, conflicts, services
from fund.reviews.queue_queries import queue_counts
from fund.rules.proposal_content import snapshot
from tests.conftest import make_user
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews import waiting_reference as reference
from tests.reviews.conftest import make_rubric_call

_numbers = iter(range(1, 10**6))


class World:
    """The random data: a call with a rubric, proposals in review, reviewers, an admin, a chair."""

    def __init__(self, rng: random.Random) -> None:
        load_income_groups()
        self.rng = rng
        self.call = make_rubric_call(reviewers=2)
        self.admin = make_user(Role.ADMIN)
        self.chair = make_user(Role.CHAIR)
        self.reviewers = [make_user(Role.REVIEWER) for _ in range(5)]
        self.today = clock.now().date()
        for _ in range(4):
            self.new_proposal()

    def new_proposal(self) -> Proposal:
        proposal = complete_proposal(call=self.call)
        proposal.state = ProposalState.IN_REVIEW
        proposal.reference = f"INS-2027-{next(_numbers):04d}"
        proposal.submitted_at = clock.now()
        proposal.versions.append(ProposalVersion(number=1, content=snapshot(proposal)))
        db.session.flush()
        return proposal

    def proposal(self, *states: str) -> Proposal | None:
        found = db.session.scalars(
            select(Proposal).where(Proposal.state.in_(states)).order_by(Proposal.id)
        ).all()
        return self.rng.choice(found) if found else None

    def review(self, *, started: bool | None = None) -> Review | None:
        """A random assignment still open (not submitted, removed or conflicted)."""
        statement = select(Review).where(
            Review.submitted_at.is_(None),
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
        if started is not None:
            column = Review.no_conflict_at
            statement = statement.where(column.is_not(None) if started else column.is_(None))
        found = db.session.scalars(statement.order_by(Review.id)).all()
        return self.rng.choice(found) if found else None

    def due(self) -> object:
        return self.today + timedelta(days=self.rng.randint(1, 12))

    def other_reviewer(self, review: Review):
        taken = set(
            db.session.scalars(
                select(Review.reviewer_id).where(
                    Review.proposal_id == review.proposal_id, Review.round == review.round
                )
            )
        )
        free = [r for r in self.reviewers if r.id not in taken]
        return self.rng.choice(free) if free else None


def assign(w: World) -> bool:
    proposal = w.proposal("in_review")
    if proposal is None:
        return False
    assignment.assign_reviewer(proposal, w.rng.choice(w.reviewers), w.due(), w.admin)
    return True


def remove(w: World) -> bool:
    review = w.review()
    return bool(review) and not assignment.remove_reviewer(review, w.admin)


def reassign(w: World) -> bool:
    review = w.review()
    other = review and w.other_reviewer(review)
    return bool(other) and bool(assignment.reassign_reviewer(review, other, w.due(), w.admin))


def reviewer_changed_in_place(w: World) -> bool:
    """The assignment's reviewer replaced through the relationship (no id set by hand)."""
    review = w.review()
    other = review and w.other_reviewer(review)
    if not other:
        return False
    review.reviewer = other
    return True


def new_due_date(w: World) -> bool:
    review = w.review()
    return bool(review) and not assignment.change_due_date(review, w.due(), w.admin)


def made_overdue(w: World) -> bool:
    """A due date in the past, set directly as the demo data does (fund/demo/reviews.py)."""
    review = w.review()
    if review is None:
        return False
    review.due_on = w.today - timedelta(days=w.rng.randint(1, 9))
    return True


def bulk_due_date(w: World) -> bool:
    """A bulk UPDATE, which no flush sees."""
    review = w.review()
    if review is None:
        return False
    new = w.today + timedelta(days=w.rng.randint(-5, 5))
    db.session.execute(
        update(Review)
        .where(Review.id == review.id)
        .values(due_on=new)
        .execution_options(synchronize_session=False)
    )
    return True


def conflict(w: World) -> bool:
    review = w.review()
    return bool(review) and bool(
        conflicts.declare_conflict(review, "Former employer", review.reviewer)
    )


def start(w: World) -> bool:
    review = w.review(started=False)
    return bool(review) and not conflicts.answer_no_conflict(review, review.reviewer)


def submit(w: World) -> bool:
    review = w.review(started=True)
    if review is None:
        return False
    scores = {c.id: w.rng.randint(1, 5) for c in review.proposal.call.criteria}
    data = {"scores": scores, "recommendation": "fund"}
    services.save_review(review, data, review.reviewer, submit=True)
    return True


def complete(w: World) -> bool:
    proposal = w.proposal("in_review")
    return bool(proposal) and bool(workflow.transition(proposal, "complete_review", None))


def reopen(w: World) -> bool:
    proposal = w.proposal("reviewed")
    if proposal is None:
        return False
    return bool(workflow.transition(proposal, "reopen_review", w.admin, comment="Another look"))


def revision_and_new_round(w: World) -> bool:
    """A revision asked for, then the applicant's resubmission and the new round it starts."""
    proposal = w.proposal("reviewed")
    if proposal is None:
        return False
    workflow.transition(proposal, "request_revision", w.chair, comment="Cut the budget")
    db.session.flush()
    resubmit_proposal(proposal, a_member(proposal), clock.now())
    return True


def withdraw(w: World) -> bool:
    proposal = w.proposal("in_review", "reviewed")
    if proposal is None:
        return False
    withdraw_proposal(proposal, a_member(proposal), "We found other funding", clock.now())
    w.new_proposal()
    return True


def state_set_directly(w: World) -> bool:
    """A proposal's state written through the ORM (as tests and the demo set up data)."""
    proposal = w.proposal("in_review", "reviewed")
    if proposal is None:
        return False
    proposal.state = "reviewed" if proposal.state == "in_review" else "in_review"
    return True


def deleted(w: World) -> bool:
    review = w.review()
    if review is None:
        return False
    db.session.delete(review)
    return True


OPERATIONS = (
    assign,
    assign,
    assign,
    remove,
    reassign,
    reviewer_changed_in_place,
    new_due_date,
    made_overdue,
    made_overdue,
    bulk_due_date,
    conflict,
    start,
    start,
    submit,
    submit,
    complete,
    reopen,
    revision_and_new_round,
    withdraw,
    state_set_directly,
    deleted,
)


def test_the_stored_counts_equal_the_live_counts_after_random_changes(ctx):
    rng = random.Random(int(os.environ.get("SEED", 14)))
    w = World(rng)
    db.session.commit()
    done: Counter = Counter()
    for step in range(400):
        operation = rng.choice(OPERATIONS)
        try:
            changed = operation(w)
        except (services.ReviewError, workflow.TransitionRefused):
            db.session.rollback()
            continue
        if rng.random() < 0.1:  # some changes are given up: nothing may be counted for them
            db.session.rollback()
        else:
            db.session.commit()
            if changed:
                done[operation.__name__] += 1
        assert reference.stored_rows() == reference.live_rows(), (step, operation.__name__)
    assert set(done) == {op.__name__ for op in OPERATIONS}, done  # each one ran at least once
    # the overview and the panels compared on a few reviews waiting, late and not
    w.new_proposal()
    for operation in (assign,) * 8 + (made_overdue, start) * 3:
        try:
            operation(w)
        except services.ReviewError:  # a reviewer with a conflict: refused, rolled back
            db.session.rollback()
        db.session.commit()
        assert reference.stored_rows() == reference.live_rows()
    assert len(reference.live_rows()) > 3
    assert [tuple(row) for row in late_reviews.reviews_by_reviewer(w.today)] == (
        reference.reviews_by_reviewer(w.today)
    )
    for reviewer in w.reviewers:
        assert queue_counts(reviewer) == reference.queue_counts(reviewer, w.today)


def test_recount_reviews_rebuilds_the_counts(app, ctx):
    """Rows written around the app (here: deleted by hand) come back from the command."""
    w = World(random.Random(5))
    for _ in range(6):
        assign(w)
    db.session.commit()
    expected = reference.live_rows()
    assert expected and reference.stored_rows() == expected
    db.session.execute(WaitingReviewCount.__table__.delete())
    db.session.commit()
    assert reference.stored_rows() == {}
    result = CliRunner().invoke(app.cli, ["fund", "recount-reviews"])
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} row(s)" in result.output
    db.session.expire_all()
    assert reference.stored_rows() == expected


def test_the_demo_data_is_counted_as_it_is_written(runner, ctx):
    """The demo sets due dates and states directly (fund/demo/reviews.py): the counts follow."""
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    live = reference.live_rows()
    assert live and reference.stored_rows() == live
    today = clock.now().date()
    assert [tuple(row) for row in late_reviews.reviews_by_reviewer(today)] == (
        reference.reviews_by_reviewer(today)
    )


def test_bulk_statements_through_the_session_are_counted(ctx):
    """An UPDATE by primary key (rows as parameters), a Core DELETE on the reviews table and an
    INSERT run through the session: no flush sees them, the counts follow all the same."""
    w = World(random.Random(7))
    for _ in range(6):
        assign(w)
    db.session.commit()
    first, second = db.session.scalars(select(Review).order_by(Review.id).limit(2))
    db.session.execute(update(Review), [{"id": first.id, "due_on": w.today - timedelta(days=3)}])
    db.session.commit()
    assert reference.stored_rows() == reference.live_rows()
    db.session.execute(Review.__table__.delete().where(Review.__table__.c.id == second.id))
    db.session.commit()
    assert reference.stored_rows() == reference.live_rows()
    assert (first.reviewer_id, w.today - timedelta(days=3), False) in reference.stored_rows()
    proposal = w.proposal(ProposalState.IN_REVIEW)
    row = {"proposal_id": proposal.id, "reviewer_id": w.reviewers[0].id, "due_on": w.due()}
    db.session.execute(insert(Review), [row])  # an INSERT no flush sees
    db.session.commit()
    assert reference.stored_rows() == reference.live_rows()
