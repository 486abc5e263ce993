"""Demo reviewer profiles and the open call's reviewer pool, with a French proposal in review
that only the pool's French readers may be given (Rahul Reviewer reads only English)."""

from __future__ import annotations

from datetime import timedelta

from fund import clock

PROFILES = {
    # e-mail: (languages, strategies, regions, countries, most per call)
    "reviewer@example.org": (["en", "fr"], ["parent_support", "education"], ["Africa"], [], 10),
    "reviewer2@example.org": (["en"], ["laws", "norms"], [], ["UG"], 5),
    "reviewer3@example.org": (["en", "es", "pt"], ["safe_environments"], ["Americas"], [], 8),
    "chair@example.org": (["fr", "en"], ["response_services"], [], ["SN"], 4),
}
POOL = {  # e-mail: the answer given (None: not answered yet)
    "reviewer@example.org": "accept",
    "reviewer2@example.org": "accept",
    "chair@example.org": "accept",
    "reviewer3@example.org": None,
}


def seed_matching(users: dict, proposals: list) -> None:
    """Profiles, the open call's pool, and the Senegalese French proposal screened in.

    Call it after seed_reviews with seed()'s `users` and seed_proposals' proposals.
    """
    from fund import workflow
    from fund.models import ProposalState
    from fund.reviews import pool, profiles

    admin = users["admin@example.org"]
    today = clock.now().date()
    for email, (languages, strategies, regions, countries, most) in PROFILES.items():
        away = []
        if email == "reviewer3@example.org":  # away later on: shown on her profile
            away = [(today + timedelta(days=60), today + timedelta(days=75))]
        data = profiles.ProfileData(languages, strategies, countries, regions, most, away)
        profiles.save_profile(users[email], data, users[email])
    french = next(p for p in proposals if p.language == "fr" and p.state == ProposalState.SUBMITTED)
    workflow.transition(french, "screen_in", admin)
    for email, answer in POOL.items():
        member = pool.invite(french.call, users[email], admin)
        if answer:
            pool.answer(member, answer, users[email])
