"""The workflow engine: every (state, action, actor) is applied or refused with a reason, guards,
no dead ends, compare-and-set, the buttons offered, and the mail a transition queues."""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fund import workflow
from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import (
    AuditEvent,
    BudgetCategory,
    BudgetLine,
    ProposalState,
    ReportKind,
    ReportState,
    Role,
    StoredFile,
    Strategy,
)
from fund.workflow import (
    AMENDMENT,
    ERASURE,
    GRANT,
    PAYMENT,
    POOL,
    PROPOSAL,
    REPORT,
    SYSTEM,
    TransitionRefused,
)
from tests.conftest import (
    answer_standard,
    make_call,
    make_grant,
    make_organisation,
    make_proposal,
    make_report,
    make_user,
    outbox,
)

MACHINES = (PROPOSAL, GRANT, REPORT)
# The structural rules hold for the machines of erasure requests, pool invitations, grant
# amendments and payments too. (A safeguarding concern is the exception by design: a lead may
# reopen a closed one; so are bank details, approved again after every change.)
ALL_MACHINES = (*MACHINES, ERASURE, POOL, AMENDMENT, PAYMENT)
# The proposal states that exist only in a two-stage call (whose concept window is open).
CONCEPT_STAGE = frozenset(
    {
        ProposalState.CONCEPT_DRAFT,
        ProposalState.CONCEPT_SUBMITTED,
        ProposalState.CONCEPT_DECLINED,
        ProposalState.INVITED,
    }
)
REASON = "Recorded for the file."
# What a transition's guards need besides the reason: the typed name and ticked confirmation.
EXTRA = {
    "accept_agreement": {"name": "Ana Member", "confirmed": True},
    # far ahead, so that "now" inside the transition is always before it
    "request_information": {"due_at": datetime(2100, 1, 1, tzinfo=UTC)},
}
ACTOR_KINDS = ("anonymous", "member", "outsider", "reviewer", "chair", "admin", "system")
# Which actor kind holds each role of a transition table (an applicant acts for its own
# organisation only, so only the member qualifies; "system" stands for actor=None).
KIND_OF_ROLE = {
    Role.APPLICANT: "member",
    Role.REVIEWER: "reviewer",
    Role.CHAIR: "chair",
    Role.ADMIN: "admin",
    SYSTEM: "system",
}


def make_complete_proposal(organisation, call=None, *, state: str = "draft"):
    """A proposal with everything it needs to be submitted (the completeness guard)."""
    proposal = make_proposal(organisation, call, state=state)
    proposal.summary = "Described in full."
    answer_standard(proposal, **dict.fromkeys(STANDARD_TEXT_IDS, "Described in full."))
    proposal.strategies = [Strategy.PARENT_SUPPORT.value]
    proposal.countries = [organisation.country_code]
    proposal.start_date = date.today() + timedelta(days=60)
    proposal.duration_months = 12
    proposal.budget_lines = [
        BudgetLine(
            position=1,
            category=BudgetCategory.ACTIVITIES,
            description="Workshops",
            amount=Decimal("10000"),
        )
    ]
    proposal.safeguarding_file = StoredFile(
        storage_name=uuid.uuid4().hex,
        original_name="policy.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        organisation_id=organisation.id,
    )
    db.session.commit()
    return proposal


@dataclass
class World:
    subject: Any
    actors: dict[str, Any]


def make_subject(machine, state: str, organisation, call=None):
    """A saved subject of `machine` in `state`, owned by `organisation`, whose guards can pass:
    the call is open and a grant has its final report accepted."""
    if machine is PROPOSAL and state in CONCEPT_STAGE:
        call = call or make_call(two_stage=True)
    call = call or make_call()
    if machine is PROPOSAL:
        return make_complete_proposal(organisation, call, state=state)
    proposal = make_proposal(organisation, call, state=ProposalState.AWARDED)
    if machine is GRANT:
        grant = make_grant(proposal, state=state)
        make_report(grant, kind=ReportKind.FINAL, state=ReportState.ACCEPTED)
        return grant
    grant = make_grant(proposal, state="active")
    report = make_report(grant, kind=ReportKind.INTERIM, state=state)
    fill_report(report)  # complete, so that "submit" passes its guard
    return report


def fill_report(report) -> None:
    """Every text and every reach count of a report (its proposal has no budget lines)."""
    from fund.models import ReportReach
    from fund.rules.report_content import REACH_CELLS

    for name in ("narrative", "activities_done", "challenges", "next_steps"):
        setattr(report, name, "Described in full.")
    report.reach = [ReportReach(sex=sex, age_band=band, count=0) for sex, band in REACH_CELLS]
    db.session.commit()


@contextmanager
def one_commit() -> Iterator[None]:
    """Let the factories flush instead of commit, then commit once: most tests here build a
    whole world, and a commit per object (an fsync each on SQLite) would make them slow."""
    with mock.patch.object(db.session, "commit", db.session.flush):
        yield
    db.session.commit()


def make_world(machine, state: str) -> World:
    """One verified user of each kind, and a subject owned by the member's organisation."""
    with one_commit():
        return _make_world(machine, state)


def _make_world(machine, state: str) -> World:
    member = make_user(Role.APPLICANT)
    outsider = make_user(Role.APPLICANT)
    organisation = make_organisation(member)
    make_organisation(outsider)
    actors = {
        "anonymous": AnonymousUserMixin(),
        "member": member,
        "outsider": outsider,
        "reviewer": make_user(Role.REVIEWER),
        "chair": make_user(Role.CHAIR),
        "admin": make_user(Role.ADMIN),
        "system": None,
    }
    return World(make_subject(machine, state, organisation), actors)


def who_may(transition) -> set[str]:
    """The actor kinds the table lets take `transition`."""
    return {KIND_OF_ROLE[role] for role in transition.roles}


def stored_state(machine, subject) -> str:
    """The state in the database, not the one in memory."""
    return db.session.scalar(select(machine.model.state).where(machine.model.id == subject.id))


def audit_rows(machine, subject) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == machine.subject_type, AuditEvent.subject_id == subject.id
            )
            .order_by(AuditEvent.id)
        )
    )


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def attempt(machine, subject, action: str, actor) -> str | int:
    """Try `action`; check what was (or was not) written, undo it, and say what happened:
    "applied", or the HTTP status of the refusal."""
    state, total_before = subject.state, audit_count()
    try:
        event = workflow.transition(subject, action, actor, comment=REASON, **EXTRA.get(action, {}))
    except TransitionRefused as refused:
        assert refused.reason.strip(), "a refusal without a reason"
        assert (
            workflow.check(
                subject,
                action,
                actor,
                workflow.TransitionData(comment=REASON, extra=EXTRA.get(action, {})),
            )
            == refused.reason
        )
        assert stored_state(machine, subject) == state
        assert audit_count() == total_before
        return refused.status
    else:
        target = machine.transition_for(action).target
        assert stored_state(machine, subject) == target == subject.state
        rows = audit_rows(machine, subject)
        assert [
            (r.id, r.from_state, r.to_state, r.action, r.actor_id, r.comment) for r in rows
        ] == [(event.id, state, target, action, getattr(actor, "id", None), REASON)]
        assert audit_count() == total_before + 1
        return "applied"
    finally:
        db.session.rollback()  # back to `state`, without the audit row or queued mail
        db.session.info.pop("outbox", None)


CASES = [
    pytest.param(
        machine, state.value, t.action, id=f"{machine.subject_type}-{state.value}-{t.action}"
    )
    for machine in MACHINES
    for state in machine.states
    for t in machine.transitions
]


@pytest.mark.parametrize(("machine", "state", "action"), CASES)
def test_every_state_action_and_actor_is_applied_or_refused_with_a_reason(
    ctx, machine, state, action
):
    """With every guard satisfiable, the table alone decides, for each kind of actor: applied
    (the target state, one audit row) when the state is a source and the actor holds a role;
    otherwise refused with a reason, 409 for the wrong state and 403 for the wrong actor, and
    nothing written."""
    world = make_world(machine, state)
    t = machine.transition_for(action)
    expected = {
        kind: ("applied" if kind in who_may(t) else 403) if state in t.sources else 409
        for kind in ACTOR_KINDS
    }
    outcomes = {
        kind: attempt(machine, world.subject, action, actor) for kind, actor in world.actors.items()
    }
    assert outcomes == expected


def test_an_applied_transition_is_committed_with_its_audit_row(ctx):
    """The audit row and the new state are written in the caller's transaction."""
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    admin = world.actors["admin"]
    event = workflow.transition(world.subject, "screen_in", admin, comment="  Fits.  ")
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.get(AuditEvent, event.id)
    assert (
        stored.subject_type,
        stored.subject_id,
        stored.from_state,
        stored.to_state,
        stored.action,
        stored.actor_id,
        stored.comment,
    ) == ("proposal", world.subject.id, "submitted", "in_review", "screen_in", admin.id, "Fits.")
    assert stored_state(PROPOSAL, world.subject) == ProposalState.IN_REVIEW


def test_an_unknown_action_is_refused_with_400(ctx):
    """An action that is not in the table is refused as a bad request."""
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(world.subject, "approve_everything", world.actors["admin"])
    assert refused.value.status == 400
    assert refused.value.reason
    assert audit_count() == 0


def test_an_inactive_user_cannot_act_even_with_the_role(ctx):
    """A deactivated member is refused as if logged out."""
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    member = world.actors["member"]
    member.active = False
    db.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(world.subject, "withdraw", member)
    assert refused.value.status == 403
    assert stored_state(PROPOSAL, world.subject) == ProposalState.DRAFT


# --- guards -----------------------------------------------------------------------------------

NEEDS_REASON = [
    pytest.param(machine, t, comment, id=f"{machine.subject_type}-{t.action}-{comment!r}")
    for machine in MACHINES
    for t in machine.transitions
    if workflow.reason_given in t.guards
    for comment in ("", "   \n\t ")
]


@pytest.mark.parametrize(("machine", "t", "comment"), NEEDS_REASON)
def test_a_transition_that_needs_a_reason_refuses_an_empty_or_blank_comment(
    ctx, machine, t, comment
):
    """Empty and whitespace-only comments are refused with the reason to give one."""
    state = sorted(t.sources)[0]
    world = make_world(machine, state)
    kind = sorted(who_may(t))[0]
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(world.subject, t.action, world.actors[kind], comment=comment)
    assert refused.value.status == 400
    assert "reason" in refused.value.reason
    assert stored_state(machine, world.subject) == state
    assert audit_count() == 0


def test_the_transitions_that_need_a_comment_are_the_ones_guarded_by_reason_given():
    """`needs_comment` (which shows a comment box) matches the guard that requires one."""
    for machine in ALL_MACHINES:
        for t in machine.transitions:
            assert t.needs_comment == (workflow.reason_given in t.guards), t.action


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (timedelta(seconds=-1), True),
        (timedelta(0), False),
        (timedelta(seconds=1), False),
    ],
    ids=["one-second-before-closing", "at-closing", "one-second-after-closing"],
)
def test_submit_is_allowed_until_the_call_closes(ctx, offset, allowed):
    """The closing time is enforced to the second, on the server's clock."""
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    proposal, member = world.subject, world.actors["member"]
    closes_at = proposal.call.closes_at
    if allowed:
        workflow.transition(proposal, "submit", member, now=closes_at + offset)
        assert stored_state(PROPOSAL, proposal) == ProposalState.SUBMITTED
    else:
        with pytest.raises(TransitionRefused) as refused:
            workflow.transition(proposal, "submit", member, now=closes_at + offset)
        assert refused.value.status == 400
        assert "not open" in refused.value.reason
        assert stored_state(PROPOSAL, proposal) == ProposalState.DRAFT
        assert audit_count() == 0


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(timedelta(seconds=-1), False), (timedelta(0), True)],
    ids=["one-second-before-opening", "at-opening"],
)
def test_submit_is_refused_before_the_call_opens(ctx, offset, allowed):
    """A call takes submissions from its opening time on."""
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    proposal, member = world.subject, world.actors["member"]
    now = proposal.call.opens_at + offset
    assert (
        workflow.check(proposal, "submit", member, workflow.TransitionData(now=now)) is None
    ) == allowed


def test_a_closed_call_refuses_submit(ctx):
    """A proposal to a call that closed yesterday cannot be submitted."""
    member = make_user(Role.APPLICANT)
    proposal = make_complete_proposal(make_organisation(member), make_call(open_now=False))
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(proposal, "submit", member)
    assert refused.value.status == 400
    assert stored_state(PROPOSAL, proposal) == ProposalState.DRAFT


@pytest.mark.parametrize(
    ("action", "state"),
    [("submit", ProposalState.DRAFT), ("resubmit", ProposalState.REVISION_REQUESTED)],
)
def test_an_unverified_member_cannot_submit(ctx, action, state):
    """Submitting needs a verified e-mail address, and says so."""
    member = make_user(Role.APPLICANT, verified=False)
    proposal = make_complete_proposal(make_organisation(member), state=state)
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(proposal, action, member)
    assert refused.value.status == 400
    assert "Verify" in refused.value.reason
    assert stored_state(PROPOSAL, proposal) == state


@pytest.mark.parametrize(
    "reports",
    [
        [],
        [(ReportKind.FINAL, ReportState.SUBMITTED)],
        [(ReportKind.INTERIM, ReportState.ACCEPTED)],
        [(ReportKind.INTERIM, ReportState.ACCEPTED), (ReportKind.FINAL, ReportState.UPCOMING)],
    ],
    ids=["no-reports", "final-submitted", "only-interim-accepted", "final-upcoming"],
)
def test_a_grant_closes_only_after_its_final_report_is_accepted(ctx, reports):
    """`complete` is refused until the final report is accepted."""
    admin = make_user(Role.ADMIN)
    organisation = make_organisation(make_user(Role.APPLICANT))
    grant = make_grant(make_proposal(organisation, state=ProposalState.AWARDED), state="active")
    for kind, state in reports:
        make_report(grant, kind=kind, state=state)
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(grant, "complete", admin)
    assert refused.value.status == 400
    assert "final report" in refused.value.reason
    assert stored_state(GRANT, grant) == "active"


def test_accepting_the_final_report_through_the_workflow_lets_the_grant_close(ctx):
    """The guard sees a report accepted in the same session, after the grant was loaded."""
    admin = make_user(Role.ADMIN)
    organisation = make_organisation(make_user(Role.APPLICANT))
    grant = make_grant(make_proposal(organisation, state=ProposalState.AWARDED), state="active")
    assert workflow.check(grant, "complete", admin) is not None  # loads grant.reports (empty)
    final = make_report(grant, kind=ReportKind.FINAL, state=ReportState.SUBMITTED)
    workflow.transition(final, "accept", admin)
    workflow.transition(grant, "complete", admin)
    db.session.commit()
    assert stored_state(GRANT, grant) == "closed"


# --- the shape of the tables ------------------------------------------------------------------


@pytest.mark.parametrize("machine", ALL_MACHINES, ids=lambda m: m.subject_type)
def test_every_state_is_in_the_table_and_reachable_from_the_initial_state(machine):
    """No state is left out of the table, and each can be reached from the initial one."""
    states = {s.value for s in machine.states}
    in_table = set()
    for t in machine.transitions:
        in_table |= set(t.sources) | {t.target}
    assert in_table == states
    assert machine.initial in states and machine.final_states <= states
    assert machine.starts <= states
    seen, queue = set(machine.starts), deque(sorted(machine.starts))
    while queue:
        state = queue.popleft()
        for t in machine.transitions:
            if state in t.sources and t.target not in seen:
                seen.add(t.target)
                queue.append(t.target)
    assert seen == states


@pytest.mark.parametrize("machine", ALL_MACHINES, ids=lambda m: m.subject_type)
def test_no_dead_ends_every_non_final_state_reaches_a_final_state(machine):
    """From every non-final state some sequence of transitions ends in a final state."""
    reaches_final = set(machine.final_states)
    changed = True
    while changed:  # walk the table backwards until nothing new is found
        changed = False
        for t in machine.transitions:
            if t.target in reaches_final and not t.sources <= reaches_final:
                reaches_final |= t.sources
                changed = True
    stuck = {s.value for s in machine.states} - reaches_final
    assert not stuck, f"dead ends in {machine.subject_type}: {sorted(stuck)}"


@pytest.mark.parametrize("machine", ALL_MACHINES, ids=lambda m: m.subject_type)
def test_final_states_have_no_way_out_and_other_states_do(machine):
    """Final states have no outgoing transitions; every other state has one."""
    for state in machine.states:
        outgoing = [t.action for t in machine.transitions if state in t.sources]
        if state in machine.final_states:
            assert outgoing == [], state
        else:
            assert outgoing, state


@pytest.mark.parametrize("machine", ALL_MACHINES, ids=lambda m: m.subject_type)
def test_every_transition_has_a_label_and_roles(machine):
    """Each action is named once, shows a button text and names who may take it."""
    actions = [t.action for t in machine.transitions]
    assert len(actions) == len(set(actions))
    for t in machine.transitions:
        assert str(t.label) and t.roles and t.sources
        assert t.target not in t.sources


def test_every_state_has_a_label():
    """Each state reads as words, not as its stored value."""
    for machine in ALL_MACHINES:
        for state in machine.states:
            assert workflow.state_label(state) == str(workflow.STATE_LABELS[state])


# --- compare-and-set --------------------------------------------------------------------------


def _move_elsewhere(proposal_id: int, state: str) -> None:
    """Change the state through another session and connection, and commit."""
    with Session(db.engine) as other:
        other.execute(
            update(workflow.PROPOSAL.model)
            .where(workflow.PROPOSAL.model.id == proposal_id)
            .values(state=state)
        )
        other.commit()


@pytest.mark.parametrize(
    ("loaded", "moved_to", "action", "kind"),
    [
        (ProposalState.SUBMITTED, ProposalState.IN_REVIEW, "screen_in", "admin"),
        (ProposalState.SUBMITTED, ProposalState.INELIGIBLE, "screen_out", "admin"),
        # withdraw is allowed from both states, but the row changed under the loaded object
        (ProposalState.DRAFT, ProposalState.SUBMITTED, "withdraw", "member"),
    ],
)
def test_a_stale_object_is_refused_with_409_and_nothing_is_written(
    ctx, loaded, moved_to, action, kind
):
    """Compare-and-set: if someone moved the subject on since it was loaded, 409, no audit."""
    world = make_world(PROPOSAL, loaded)
    proposal = world.subject
    with Session(db.engine) as first:
        stale = first.get(workflow.PROPOSAL.model, proposal.id)
        assert stale.state == loaded
        _move_elsewhere(proposal.id, moved_to)
        with pytest.raises(TransitionRefused) as refused:
            workflow.transition(stale, action, world.actors[kind], comment=REASON)
        assert refused.value.status == 409
        assert refused.value.reason
        assert stale.state == loaded
    db.session.rollback()
    assert stored_state(PROPOSAL, proposal) == moved_to
    assert audit_count() == 0
    assert outbox() == []


def test_a_stale_object_in_the_request_session_is_refused_too(ctx):
    """The object the request loaded itself is checked against the database, not memory."""
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    proposal = world.subject  # loaded in db.session
    _move_elsewhere(proposal.id, ProposalState.IN_REVIEW)
    with pytest.raises(TransitionRefused) as refused:
        workflow.transition(proposal, "screen_out", world.actors["admin"], comment=REASON)
    assert refused.value.status == 409
    db.session.rollback()
    assert stored_state(PROPOSAL, proposal) == ProposalState.IN_REVIEW
    assert audit_count() == 0
    assert outbox() == []


# --- allowed_actions --------------------------------------------------------------------------


def _actions(subject, user) -> set[str]:
    return {t.action for t in workflow.allowed_actions(subject, user)}


def test_a_member_sees_submit_and_withdraw_on_a_draft(ctx):
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    assert _actions(world.subject, world.actors["member"]) == {"submit", "withdraw"}


@pytest.mark.parametrize("kind", ["outsider", "anonymous", "reviewer", "chair", "admin"])
def test_nobody_but_the_members_sees_actions_on_a_draft(ctx, kind):
    world = make_world(PROPOSAL, ProposalState.DRAFT)
    assert _actions(world.subject, world.actors[kind]) == set()


def test_an_admin_sees_screen_in_and_screen_out_on_a_submitted_proposal(ctx):
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    assert _actions(world.subject, world.actors["admin"]) == {
        "screen_in",
        "screen_out",
        "request_information",
    }
    assert _actions(world.subject, world.actors["member"]) == {"withdraw"}


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.subject_type)
def test_nobody_sees_a_system_transition(ctx, machine):
    """Buttons never offer what only the system does, even to a user with every role."""
    everyone = make_user(Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN)
    organisation = make_organisation(everyone)
    system_actions = {t.action for t in machine.transitions if SYSTEM in t.roles}
    for state in machine.states:
        with one_commit():
            subject = make_subject(machine, state, organisation)
        offered = _actions(subject, everyone)
        assert not offered & system_actions
        for kind_user in (None, AnonymousUserMixin()):
            assert _actions(subject, kind_user) == set()


def test_allowed_actions_are_exactly_what_the_engine_would_let_through(ctx):
    """A button is shown only when the role check passes; pressing it then only meets guards."""
    world = make_world(PROPOSAL, ProposalState.REVIEWED)
    for kind, user in world.actors.items():
        for t in workflow.allowed_actions(world.subject, user):
            reason = workflow.check(
                world.subject, t.action, user, workflow.TransitionData(comment=REASON)
            )
            assert reason is None, (kind, t.action, reason)


def _allowed_one_by_one(subject, user) -> list:
    """What a button may offer, worked out the long way: every non-system transition from
    the subject's state whose role check (the engine's own, with its reasons) lets `user` in."""
    return [
        t
        for t in workflow.machine_for(subject).transitions
        if subject.state in t.sources
        and SYSTEM not in t.roles
        and workflow.engine._role_reason(t, subject, user) is None
    ]


def _conflicted_world(machines):
    """A world (a subject submitted) whose chair has a conflict with a second organisation, and
    a subject of each machine of `machines` in each of its states, of the world's own
    organisation and of that second one, in turn; with someone holding every role."""
    from fund.models import Conflict

    with one_commit():
        world = _make_world(PROPOSAL, ProposalState.SUBMITTED)
        own = world.subject.organisation
        other = make_organisation(make_user(Role.APPLICANT))
        db.session.add(
            Conflict(user_id=world.actors["chair"].id, organisation_id=other.id, reason="Board")
        )
        subjects = [
            make_subject(machine, state, organisation)
            for machine in machines
            for state in machine.states
            for organisation in (own, other)
        ]
        everyone = make_user(Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN)
    return world, subjects, everyone


def test_allowed_actions_of_a_page_are_each_rows_own(ctx):
    """A list page asks for every row at once (rows in every state, of the viewer's own
    organisation and of one a chair is conflicted with, proposals and grants mixed), and gets
    for each row exactly what the row alone would offer, through the `current_user` proxy too."""
    from werkzeug.local import LocalProxy

    world, subjects, everyone = _conflicted_world(MACHINES)
    actors = {**world.actors, "everyone": everyone}
    offered_somewhere = set()
    for kind, user in actors.items():
        expected = [_allowed_one_by_one(subject, user) for subject in subjects]
        assert workflow.allowed_actions_of(subjects, user) == expected, kind
        assert workflow.allowed_actions_of(subjects, LocalProxy(lambda u=user: u)) == expected
        assert [workflow.allowed_actions(s, user) for s in subjects] == expected
        offered_somewhere |= {(kind, t.action) for row in expected for t in row}
    # the page is varied enough to mean something: each role is offered something somewhere
    assert {kind for kind, _action in offered_somewhere} >= {"member", "chair", "admin", "everyone"}
    # and the conflicted chair is offered less on the other organisation's rows than on its own
    chair = world.actors["chair"]
    assert workflow.allowed_actions_of(subjects[0::2], chair) != workflow.allowed_actions_of(
        subjects[1::2], chair
    )


def test_allowed_actions_of_plain_rows_are_their_objects_own(ctx):
    """A list read as plain rows (no objects) gets, row by row, what the proposals themselves
    would offer: in every state, of the viewer's own organisation and of one a chair is
    conflicted with, for every kind of viewer, someone holding every role and no one."""
    from fund.models import Proposal

    world, proposals, everyone = _conflicted_world([PROPOSAL])
    by_id = {
        row.id: row
        for row in db.session.execute(
            select(Proposal.id, Proposal.state, Proposal.organisation_id).where(
                Proposal.id.in_([p.id for p in proposals])
            )
        )
    }
    rows = [by_id[p.id] for p in proposals]
    assert not any(isinstance(row, Proposal) for row in rows)
    actors = {**world.actors, "everyone": everyone}
    del actors["system"]  # nobody signed in: nothing offered, as for anonymous
    offered_somewhere = set()
    for kind, user in actors.items():
        expected = [_allowed_one_by_one(proposal, user) for proposal in proposals]
        assert workflow.allowed_actions_of(rows, user, PROPOSAL) == expected, kind
        assert workflow.allowed_actions_of(proposals, user, PROPOSAL) == expected, kind
        offered_somewhere |= {(kind, t.action) for row in expected for t in row}
    assert workflow.allowed_actions_of(rows, None, PROPOSAL) == [[] for _row in rows]
    assert {kind for kind, _action in offered_somewhere} >= {"member", "chair", "admin", "everyone"}
    # the conflict is read from the row too: the chair is offered less on the other's rows
    chair = world.actors["chair"]
    assert workflow.allowed_actions_of(rows[0::2], chair, PROPOSAL) != workflow.allowed_actions_of(
        rows[1::2], chair, PROPOSAL
    )


def test_a_page_asks_each_role_check_once_per_state_and_only_row_checks_per_row(ctx):
    """However many rows a page has, what a role check knows before the row (is the role held,
    does it act alike on every row) is asked once per machine and state; only a check that
    reads the row (an applicant's organisation, a chair's conflicts) is made for each row, and
    the answers stay each row's own."""
    from fund.permissions import core

    world, subjects, everyone = _conflicted_world(MACHINES)
    admin, chair = world.actors["admin"], world.actors["chair"]
    for user in (admin, chair, everyone):
        expected = [_allowed_one_by_one(subject, user) for subject in subjects]
        asked = []
        for times in (1, 3):
            with mock.patch.object(core, "has_role", wraps=core.has_role) as held:
                assert workflow.allowed_actions_of(subjects * times, user) == expected * times
            asked.append(held.call_count)
        assert asked[0] == asked[1] > 0
    # the conflicted chair's check reads the row: made once per proposal row offering it
    with mock.patch.object(core, "is_conflicted", wraps=core.is_conflicted) as read:
        workflow.allowed_actions_of(subjects, chair)
        once = read.call_count
        workflow.allowed_actions_of(subjects * 2, chair)
    assert once > 0 and read.call_count == 3 * once


# --- notifications ----------------------------------------------------------------------------


def test_submit_tells_every_active_member_in_their_own_language(ctx):
    """Each active member gets proposal_submitted, rendered in the member's locale."""
    english = make_user(Role.APPLICANT, locale="en")
    french = make_user(Role.APPLICANT, locale="fr")
    gone = make_user(Role.APPLICANT, active=False)
    stranger = make_user(Role.APPLICANT)
    make_organisation(stranger)
    proposal = make_complete_proposal(make_organisation(english, french, gone))
    workflow.transition(proposal, "submit", english)
    db.session.commit()
    messages = outbox(event="proposal_submitted")
    assert sorted(m.recipient for m in messages) == sorted([english.email, french.email])
    by_recipient = {m.recipient: m for m in messages}
    assert 'lang="fr"' in by_recipient[french.email].body_html
    assert 'lang="en"' in by_recipient[english.email].body_html
    for message in messages:
        assert proposal.title in message.body_text
    assert outbox(recipient=gone.email) == [] and outbox(recipient=stranger.email) == []


def test_screen_out_sends_the_reason_to_the_members(ctx):
    """proposal_screened_out carries the reason the secretariat gave."""
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    reason = "The organisation is registered outside the eligible countries."
    workflow.transition(world.subject, "screen_out", world.actors["admin"], comment=reason)
    db.session.commit()
    [message] = outbox(event="proposal_screened_out")
    assert message.recipient == world.actors["member"].email
    assert reason in message.body_text and reason in message.body_html
    assert outbox(event="proposal_submitted") == []


def test_a_refused_transition_queues_no_mail(ctx):
    """Nothing is queued when a transition is refused."""
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    with pytest.raises(TransitionRefused):
        workflow.transition(world.subject, "screen_out", world.actors["admin"], comment=" ")
    assert outbox() == []


def test_screen_in_sends_nothing(ctx):
    """Transitions without a template of their own queue no mail."""
    world = make_world(PROPOSAL, ProposalState.SUBMITTED)
    workflow.transition(world.subject, "screen_in", world.actors["admin"])
    db.session.commit()
    assert outbox() == []
