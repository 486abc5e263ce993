"""Automatic assignment from the call's pool: the language rule, exclusions, absences,
capacity, expertise, the reasons shown, and the places the pool cannot fill."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import Conflict, PoolMember, Review, ReviewerProfile, Role
from fund.models.base import utcnow
from fund.reviews import assignment, suggestions
from fund.reviews.services import ReviewError
from tests.conftest import make_organisation, make_user
from tests.reviews.conftest import make_in_review, make_rubric_call

DUE = (utcnow() + timedelta(days=14)).date()


def reviewer(name: str, languages=("en",), **profile):
    user = make_user(Role.REVIEWER, name=name)
    db.session.add(ReviewerProfile(user_id=user.id, languages=list(languages), **profile))
    db.session.commit()
    return user


def picks(suggestion) -> dict[int, set[str]]:
    return {row.proposal.id: {p.reviewer.name for p in row.picks} for row in suggestion.rows}


def test_a_french_proposal_goes_only_to_reviewers_who_read_french(ctx):
    call = make_rubric_call(reviewers=2)
    for n in range(4):
        reviewer(f"English {n}", ("en",))
    reviewer("Bilingual", ("en", "fr"))
    reviewer("French", ("fr",))
    french = make_in_review(call)
    french.language = "fr"
    db.session.commit()
    made = suggestions.suggest(call, [french], DUE)
    assert picks(made)[french.id] == {"Bilingual", "French"}
    assert "reads Français" in made.rows[0].picks[0].reasons[0]


def test_when_nobody_reads_the_language_the_row_says_so_and_nobody_is_picked(ctx):
    call = make_rubric_call(reviewers=2)
    reviewer("English", ("en",))
    proposal = make_in_review(call)
    proposal.language = "pt"
    db.session.commit()
    row = suggestions.suggest(call, [proposal], DUE).rows[0]
    assert row.picks == []
    assert "Nobody in the pool reads Português" in row.shortfall


def test_members_conflicts_absences_and_full_reviewers_are_left_out(ctx):
    call = make_rubric_call(reviewers=3)
    member = reviewer("Member")
    conflicted = reviewer("Conflicted")
    away = reviewer("Away", unavailable=[[DUE.isoformat(), (DUE + timedelta(days=3)).isoformat()]])
    full = reviewer("Full", max_per_call=0)
    free = reviewer("Free")
    organisation = make_organisation(make_user(Role.APPLICANT), member)
    proposal = make_in_review(call, organisation)
    db.session.add(
        Conflict(
            user_id=conflicted.id,
            organisation_id=organisation.id,
            reason="Former employer",
            declared_by_id=conflicted.id,
            declared_at=utcnow(),
        )
    )
    db.session.commit()
    row = suggestions.suggest(call, [proposal], DUE).rows[0]
    assert {p.reviewer.name for p in row.picks} == {"Free"}
    assert "2 place(s) left empty" in row.shortfall
    assert {member.id, conflicted.id, away.id, full.id}.isdisjoint(p.reviewer.id for p in row.picks)
    assert free.id in {p.reviewer.id for p in row.picks}


def test_expertise_wins_and_the_reason_names_it_with_the_load_against_the_maximum(ctx):
    call = make_rubric_call(reviewers=1)
    reviewer("Generalist")
    reviewer("Expert", strategies=["parent_support"], max_per_call=8)
    proposal = make_in_review(call, strategies=["parent_support"])
    pick = suggestions.suggest(call, [proposal], DUE).rows[0].picks[0]
    assert pick.reviewer.name == "Expert"
    assert pick.reasons == [
        "reads English",
        "knows “Parent and caregiver support”",
        "1 of 8 assigned",
    ]


def test_a_country_or_its_region_counts_as_expertise(ctx):
    call = make_rubric_call(reviewers=1)
    reviewer("Elsewhere", regions=["Europe"])
    reviewer("Africanist", regions=["Africa"])
    proposal = make_in_review(call)
    proposal.countries = ["UG"]
    db.session.commit()
    pick = suggestions.suggest(call, [proposal], DUE).rows[0].picks[0]
    assert pick.reviewer.name == "Africanist"
    assert "knows the country or region" in pick.reasons


def test_a_call_with_a_pool_draws_only_on_those_who_accepted(ctx):
    call = make_rubric_call(reviewers=3)
    accepted, declined, waiting = reviewer("Accepted"), reviewer("Declined"), reviewer("Waiting")
    reviewer("Not invited")
    for user, state in ((accepted, "accepted"), (declined, "declined"), (waiting, "invited")):
        db.session.add(PoolMember(call_id=call.id, user_id=user.id, state=state))
    db.session.commit()
    made = suggestions.suggest(call, [make_in_review(call)], DUE)
    assert made.own_pool
    assert {p.reviewer.name for p in made.rows[0].picks} == {"Accepted"}


def test_without_a_pool_every_active_reviewer_is_drawn_on(ctx):
    call = make_rubric_call(reviewers=2)
    reviewer("One"), reviewer("Two")
    made = suggestions.suggest(call, [make_in_review(call)], DUE)
    assert not made.own_pool and len(made.rows[0].picks) == 2


def test_a_reviewer_without_a_profile_reads_its_accounts_language_only(ctx):
    call = make_rubric_call(reviewers=1)
    make_user(Role.REVIEWER, name="French account", locale="fr")
    english = make_in_review(call)
    row = suggestions.suggest(call, [english], DUE).rows[0]
    assert row.picks == [] and row.shortfall


def test_automatic_assignment_never_breaks_the_language_rule(ctx):
    """The direct "Assign reviewers" path refuses rather than give French to English readers."""
    admin = make_user(Role.ADMIN)
    call = make_rubric_call(reviewers=1)
    reviewer("English only", ("en",))
    proposal = make_in_review(call)
    proposal.language = "fr"
    db.session.commit()
    with pytest.raises(ReviewError) as refused:
        assignment.auto_assign([proposal], DUE, admin)
    assert "Nobody in the pool reads Français" in refused.value.message
    db.session.rollback()
    assert db.session.scalars(select(Review)).all() == []


def test_apply_assigns_exactly_the_suggestion(ctx):
    admin = make_user(Role.ADMIN)
    call = make_rubric_call(reviewers=2)
    for n in range(3):
        reviewer(f"R{n}")
    items = [make_in_review(call) for _ in range(3)]
    made = suggestions.suggest(call, items, DUE)
    assert suggestions.apply(made, admin) == 6
    db.session.commit()
    stored = set(db.session.execute(select(Review.proposal_id, Review.reviewer_id)).all())
    assert stored == set(made.pairs)


def test_the_assign_button_never_gives_a_french_proposal_to_an_english_reader(ctx):
    """Before pools and profiles, automatic assignment ignored the proposal's language."""
    admin = make_user(Role.ADMIN)
    call = make_rubric_call(reviewers=1)
    make_user(Role.REVIEWER, name="Reads English", locale="en")
    proposal = make_in_review(call)
    proposal.language = "fr"
    db.session.commit()
    with pytest.raises(ReviewError):
        assignment.auto_assign([proposal], DUE, admin)
    db.session.rollback()
    assert db.session.scalars(select(Review)).all() == []
