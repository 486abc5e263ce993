"""With the demo data, automatic assignment gives the French proposal only to French readers:
never to Rahul Reviewer, who reads only English."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fund.extensions import db
from fund.models import Proposal, Review, Role, User
from fund.models.base import utcnow
from fund.reviews import assignment, profiles, suggestions

DUE = (utcnow() + timedelta(days=14)).date()


def test_the_demo_french_proposal_never_goes_to_a_reviewer_who_reads_only_english(runner, ctx):
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    french = db.session.scalar(
        select(Proposal).where(Proposal.language == "fr", Proposal.state == "in_review")
    )
    english_only = db.session.scalar(select(User).where(User.email == "reviewer2@example.org"))
    assert profiles.languages_read(english_only, profiles.profile_of(english_only)) == {"en"}
    made = suggestions.suggest(french.call, assignment.proposals_in_review(french.call_id), DUE)
    [row] = [row for row in made.rows if row.proposal.id == french.id]
    assert {p.reviewer.email for p in row.picks} == {"reviewer@example.org", "chair@example.org"}
    assert "1 place(s) left empty" in row.shortfall  # the call wants three; two read French
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    suggestions.apply(made, admin)
    db.session.commit()
    for review in db.session.scalars(
        select(Review).join(Proposal).where(Proposal.language == "fr")
    ):
        reviewer = review.reviewer
        assert Role.REVIEWER in reviewer.roles
        assert "fr" in profiles.languages_read(reviewer, profiles.profile_of(reviewer))
        assert reviewer.id != english_only.id
