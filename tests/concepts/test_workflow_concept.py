"""The concept stage in the proposal machine: its guards (deadline, completeness, chair not
conflicted, the call still open), single-stage calls untouched, and two screeners racing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fund import workflow
from fund.extensions import db
from fund.models import AuditEvent, Conflict, Proposal, ProposalState, Role
from fund.models.base import utcnow
from fund.proposals import drafts
from fund.workflow import TransitionRefused
from tests.concepts.helpers import concept_note, load_income_groups, two_stage_call
from tests.conftest import make_call, make_organisation, make_user
from tests.test_workflow_concurrency import _race

P = ProposalState


def refused(proposal, action, actor, **kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as caught:
        workflow.transition(proposal, action, actor, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(timedelta(seconds=-1), True), (timedelta(0), False)],
    ids=["one-second-before-the-concept-deadline", "at-the-concept-deadline"],
)
def test_a_concept_note_is_taken_until_the_concept_deadline_to_the_second(ctx, offset, allowed):
    member, proposal = concept_note()
    now = proposal.call.concept_closes_at + offset
    reason = workflow.check(proposal, "submit_concept", member, workflow.TransitionData(now=now))
    assert (reason is None) == allowed
    if not allowed:
        assert "not taking concept notes" in reason


def test_an_incomplete_concept_note_is_refused_naming_what_is_missing(ctx):
    member, proposal = concept_note()
    proposal.concept_answers = {}
    db.session.commit()
    error = refused(proposal, "submit_concept", member)
    assert error.status == 400 and "Why is this needed?" in error.reason
    assert proposal.state == P.CONCEPT_DRAFT


@pytest.mark.parametrize("action", ["shortlist", "decline_concept"])
def test_a_conflicted_chair_is_refused(ctx, action):
    _member, proposal = concept_note(state=P.CONCEPT_SUBMITTED)
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(user_id=chair.id, organisation_id=proposal.organisation_id, reason="Board.")
    )
    db.session.commit()
    error = refused(proposal, action, chair, comment="Reason.")
    # a conflicted chair does not act as a chair on the organisation's proposals (acts_as)
    assert error.status == 403 and error.reason
    assert proposal.state == P.CONCEPT_SUBMITTED


def test_nobody_is_invited_once_the_call_has_closed(ctx):
    _member, proposal = concept_note(state=P.CONCEPT_SUBMITTED)
    error = refused(
        proposal, "shortlist", make_user(Role.ADMIN), now=proposal.call.closes_at + timedelta(0)
    )
    assert error.status == 400 and "The call has closed" in error.reason


def test_an_invited_proposal_is_submitted_under_the_second_deadline(ctx):
    """`submit` takes an invited proposal like a draft, until the call closes."""
    from tests.proposals.submitting import fill_in

    member, proposal = concept_note(state=P.INVITED)
    fill_in(proposal)
    db.session.commit()
    late = proposal.call.closes_at
    assert "not open" in refused(proposal, "submit", member, now=late).reason
    workflow.transition(proposal, "submit", member)
    assert proposal.state == P.SUBMITTED


def test_a_single_stage_call_starts_drafts_as_today_and_a_two_stage_one_concept_notes(ctx):
    load_income_groups()
    member = make_user(Role.APPLICANT)
    organisation = make_organisation(member)
    single = drafts.start_proposal(make_call(), organisation, "One", member)
    double = drafts.start_proposal(two_stage_call(), organisation, "Two", member)
    assert (single.state, double.state) == (P.DRAFT, P.CONCEPT_DRAFT)
    assert workflow.check(single, "submit_concept", member) is not None


def test_the_states_of_the_concept_stage_read_as_words(ctx):
    for state in (P.CONCEPT_DRAFT, P.CONCEPT_SUBMITTED, P.CONCEPT_DECLINED, P.INVITED):
        assert workflow.state_label(state) != state.value


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("shortlist", "admin"), ("decline_concept", "chair")),
        (("shortlist", "admin"), ("shortlist", "chair")),
    ],
    ids=lambda race: "-".join(race),
)
def test_two_screeners_at_once_let_exactly_one_through(app, postgresql_only, first, second):
    with app.app_context():
        _member, proposal = concept_note(state=P.CONCEPT_SUBMITTED)
        ids = {"admin": make_user(Role.ADMIN).id, "chair": make_user(Role.CHAIR).id}
        proposal_id = proposal.id
        db.session.remove()
    barrier, results = threading.Barrier(2), {}
    threads = [
        threading.Thread(
            target=_race,
            args=(app, proposal_id, action, ids[who], barrier, results, f"{i}:{action}"),
        )
        for i, (action, who) in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values(), key=str) == [409, "applied"], results
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == proposal_id))
        assert [r.from_state for r in rows] == ["concept_submitted"]
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        assert db.session.get(Proposal, proposal_id).state in (P.INVITED, P.CONCEPT_DECLINED)
        db.session.remove()


def test_the_concept_deadline_lies_between_opening_and_closing(ctx):
    """The database refuses a two-stage call whose concept deadline is out of order."""
    from sqlalchemy.exc import IntegrityError

    call = two_stage_call()
    call.concept_closes_at = call.closes_at + timedelta(days=1)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    call = db.session.get(type(call), call.id)
    call.concept_closes_at = utcnow()
    db.session.commit()
