"""Demo screening and reviews: a reviewed proposal, one in review with a conflict."""

from __future__ import annotations

from datetime import timedelta

from fund import clock


def seed_reviews(users: dict, proposals: list) -> None:
    """Screening and review demo data, in the current transaction.

    Screens in the submitted proposals except the last one (left for the
    screening list); the first one screened in gets three submitted reviews and so is
    `reviewed`; the next one stays `in_review` with a draft review due this week, a declared
    conflict and an assignment not started and overdue. Call it at the end of seed() with
    seed()'s `users` and the proposals seed_proposals returned.
    """
    from fund import workflow
    from fund.models import ProposalState
    from fund.reviews import assignment, conflicts
    from fund.reviews import services as reviews

    admin = users["admin@example.org"]
    submitted = [p for p in proposals if p.state == ProposalState.SUBMITTED]
    to_review = submitted[:-1] if len(submitted) > 1 else submitted
    for proposal in to_review:
        workflow.transition(proposal, "screen_in", admin)
    due = (clock.now() + timedelta(days=14)).date()
    panel = [
        users[e] for e in ("reviewer@example.org", "reviewer3@example.org", "chair@example.org")
    ]
    if to_review:  # all three reviews submitted: the proposal moves to `reviewed`
        proposal = to_review[0]
        proposal.call.reviewers_per_proposal = len(panel)
        assigned = [assignment.assign_reviewer(proposal, r, due, admin) for r in panel]
        for n, (reviewer, review) in enumerate(zip(panel, assigned, strict=True)):
            conflicts.answer_no_conflict(review, reviewer)
            reviews.save_review(
                review,
                {
                    "scores": {c.id: 3 + (c.position + n) % 3 for c in proposal.call.criteria},
                    "recommendation": ("fund", "fund_with_changes", "fund")[n],
                    "comments_for_applicant": "A clear plan with realistic activities.",
                    "confidential_comments": "The team has done similar work before.",
                },
                reviewer,
                submit=True,
            )
    if len(to_review) > 1:  # in review: a draft, a declared conflict, one not started
        proposal = to_review[1]
        this_week = (clock.now() + timedelta(days=4)).date()
        draft = assignment.assign_reviewer(
            proposal, users["reviewer@example.org"], this_week, admin
        )
        conflicts.answer_no_conflict(draft, draft.reviewer)
        first = proposal.call.criteria[0] if proposal.call.criteria else None
        reviews.save_review(
            draft,
            {
                "scores": {first.id: 4} if first else {},
                "recommendation": None,
                "comments_for_applicant": "Draft: the activities section reads well so far.",
            },
            draft.reviewer,
            submit=False,
        )
        conflicted = assignment.assign_reviewer(
            proposal, users["reviewer2@example.org"], due, admin
        )
        conflicts.declare_conflict(
            conflicted, "I advised this organisation last year.", conflicted.reviewer
        )
        late = assignment.assign_reviewer(proposal, users["reviewer3@example.org"], due, admin)
        # Assigned weeks ago and not started: overdue, so the secretariat's overview has a late
        # review to chase ("Remind now"); the draft above is due this week. A due date in the
        # past cannot be chosen in the app, hence the direct write.
        late.due_on = (clock.now() - timedelta(days=5)).date()
