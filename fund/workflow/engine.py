"""The engine every state machine runs on: what a transition, a machine and a refusal are, who
takes a transition, and the only code that assigns a state.

`transition()` checks the actor's role and its right over the object, runs the guards (each
returns the reason a user sees), changes the state only if nobody changed it meanwhile
(compare-and-set on the old state), writes one audit row and queues the notifications, all in
the caller's transaction. The machines themselves are data, one module per machine or family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from fund import notifications, permissions
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import AuditEvent, Role
from fund.models.base import utcnow
from fund.workflow.labels import state_label

SYSTEM = "system"  # the role of transitions the application makes by itself

# A guard looks at the subject, the actor and the transition's data and returns None when the
# transition may go ahead, or the reason (already translated) that it may not.
Guard = Callable[[Any, Any, "TransitionData"], str | None]


@dataclass(frozen=True)
class TransitionData:
    """What the caller passes with a transition."""

    comment: str = ""
    now: datetime = field(default_factory=utcnow)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """One row of a transition table."""

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: Any  # the button text, lazily translated
    guards: tuple[Guard, ...] = ()
    needs_comment: bool = False


@dataclass(frozen=True)
class Machine:
    """A state machine: the model it drives, its states and its transitions."""

    model: type
    subject_type: str
    states: type
    initial: str
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    # the states a subject may be created in; by default only the initial one
    entry_states: frozenset[str] = frozenset()

    @property
    def starts(self) -> frozenset[str]:
        """The states a new subject may start in."""
        return self.entry_states | {self.initial}

    def transition_for(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)


class TransitionRefused(Exception):
    """A transition that may not happen; `reason` is shown to the user."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


# --- who takes a transition ---------------------------------------------------------------------

APPLICANT = frozenset({Role.APPLICANT.value})
ADMIN = frozenset({Role.ADMIN.value})
CHAIR = frozenset({Role.CHAIR.value})


# --- the guard every machine uses -------------------------------------------------------------


def reason_given(subject: Any, actor: Any, data: TransitionData) -> str | None:
    """The actor typed a reason (the transition's comment)."""
    if not data.comment.strip():
        return str(_l("Give a reason: it is recorded and shown to the people concerned."))
    return None


# --- the registry --------------------------------------------------------------------------------

# Every machine by the model it drives; filled by fund/workflow/__init__.py, which imports every
# machine module (this module cannot: they import it).
MACHINES: dict[type, Machine] = {}


def machine_for(subject: Any) -> Machine:
    """The machine that drives `subject`'s class."""
    return MACHINES[type(subject)]


# --- the engine -------------------------------------------------------------------------------


def _role_reason(t: Transition, subject: Any, actor: Any) -> str | None:
    """None if `actor` may take `t` on `subject` by role and ownership, else the reason."""
    if SYSTEM in t.roles:
        return None if actor is None else str(_l("This step is taken by the system, not by hand."))
    if actor is None or not permissions.is_signed_in(actor):
        return str(_l("Log in to do this."))
    if _acts_for(t, subject, actor):
        return None
    if Role.APPLICANT in t.roles and permissions.has_role(actor, Role.APPLICANT):
        return str(_l("Only members of the organisation concerned can do this."))
    return str(_l("Your role does not allow this."))


def _acts_for(t: Transition, subject: Any, actor: Any, model: type | None = None) -> bool:
    """Whether the signed-in `actor` acts on `subject` (a row of `model`'s table, if given) in
    one of `t`'s roles."""
    return any(permissions.acts_as(actor, Role(role), subject, model) for role in t.roles)


def refusal(
    subject: Any, action: str, actor: Any, data: TransitionData | None = None
) -> TransitionRefused | None:
    """None if `actor` may apply `action` to `subject` now, else why not (with an HTTP status).

    The order matters to the user: an impossible action (400), then a state that has moved on
    (409), then a missing right (403), then the first failing guard (400).
    """
    t = machine_for(subject).transition_for(action)
    if t is None:
        return TransitionRefused(str(_l("There is no such action.")), 400)
    if subject.state not in t.sources:
        label = state_label(subject.state)
        return TransitionRefused(
            str(_l("This cannot be done while the item is %(state)s.", state=label)), 409
        )
    reason = _role_reason(t, subject, actor)
    if reason:
        return TransitionRefused(reason, 403)
    data = data or TransitionData()
    for guard in t.guards:
        reason = guard(subject, actor, data)
        if reason:
            return TransitionRefused(reason, 400)
    return None


def check(subject: Any, action: str, actor: Any, data: TransitionData | None = None) -> str | None:
    """None if `actor` may apply `action` to `subject` now, else the reason it may not."""
    refused = refusal(subject, action, actor, data)
    return refused.reason if refused else None


def transition(
    subject: Any,
    action: str,
    actor: Any,
    *,
    comment: str = "",
    now: datetime | None = None,
    **extra: Any,
) -> AuditEvent:
    """Apply `action` to `subject` for `actor` (None for the system) in the caller's transaction.

    Raises TransitionRefused with the reason the user sees; status 409 when someone else moved
    the subject on since it was loaded.
    """
    machine = machine_for(subject)
    data = TransitionData(comment=comment.strip(), now=now or utcnow(), extra=extra)
    refused = refusal(subject, action, actor, data)
    if refused:
        raise refused
    t = machine.transition_for(action)
    old = subject.state
    model = machine.model
    result = db.session.execute(
        update(model)
        .where(model.id == subject.id, model.state == old)
        .values(state=t.target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise TransitionRefused(
            str(_l("Someone else changed this meanwhile. Reload the page to see where it stands.")),
            status=409,
        )
    set_committed_value(subject, "state", t.target)
    event = AuditEvent(
        subject_type=machine.subject_type,
        subject_id=subject.id,
        action=action,
        from_state=old,
        to_state=t.target,
        actor_id=actor.id if actor is not None else None,
        comment=data.comment,
        created_at=data.now,
    )
    db.session.add(event)
    db.session.flush()
    notifications.state_changed(machine.subject_type, subject, t, actor, data.comment)
    return event


def allowed_actions(subject: Any, user: Any) -> list[Transition]:
    """The transitions `user` may start on `subject` from its current state (for buttons).

    Guards are not run here: a button whose guard fails still shows, and pressing it explains.
    """
    return allowed_actions_of([subject], user)[0]


def allowed_actions_of(
    subjects: Iterable[Any], user: Any, machine: Machine | None = None
) -> list[list[Transition]]:
    """`allowed_actions(subject, user)` for each of `subjects` (a page of a list), in order.

    A list page asked it once per row: each row looked up its machine, went through every
    transition, resolved the `current_user` proxy at each role check and wrote out (translated)
    the reason of each refusal it then threw away. Here the proxy is resolved once, and the
    transitions a state offers, with what of their role checks can be known before the row
    (`permissions.acts_on`: whether the user holds the role, and whether the role acts alike on
    every row), once per machine and state; only a check that reads the row (an applicant's
    organisation, a chair's conflicts) is asked per row, without any reason. Asking each row's
    role checks whole was about a thirtieth of the screening list.

    With `machine`, `subjects` may be plain rows of its model's table (a list read without
    loading objects): each has the `state` and the columns the role checks read
    (`permissions.acts_as`), and gets the same answer as its object would.
    """
    resolve = getattr(user, "_get_current_object", None)
    user = resolve() if resolve is not None else user
    if user is None or not permissions.is_signed_in(user):
        return [[] for _subject in subjects]
    model = machine.model if machine is not None else None
    # per machine and state: the transitions offered on every row, and those offered on a row
    # that passes one of their checks
    offered: dict[tuple[Any, str], _Offer] = {}
    result = []
    for subject in subjects:
        state = subject.state
        kind = model or type(subject)
        offer = offered.get((kind, state))
        if offer is None:
            transitions = (machine or machine_for(subject)).transitions
            offer = offered[kind, state] = _offer(transitions, state, user, kind)
        always, checked = offer
        if not checked:
            result.append(list(always))
            continue
        result.append(
            [
                t
                for t, checks in checked
                if checks is True or any(check(subject) for check in checks)
            ]
        )
    return result


# The transitions a state offers a user, in the machine's order: all of them when none has a
# check that reads the row (`always`), else each with True or the checks to make (`checked`).
_Offer = tuple[tuple[Transition, ...], tuple[tuple[Transition, Any], ...]]


def _offer(transitions: Iterable[Transition], state: str, user: Any, model: type) -> _Offer:
    """What `allowed_actions_of` offers `user` on the rows of `model` in `state`."""
    checked = []
    for t in transitions:
        if state not in t.sources or SYSTEM in t.roles:
            continue
        checks = [permissions.acts_on(user, Role(role), model) for role in sorted(t.roles)]
        if any(check is True for check in checks):
            checked.append((t, True))
        elif any(checks):
            checked.append((t, tuple(check for check in checks if check is not False)))
    if all(checks is True for _t, checks in checked):
        return tuple(t for t, _checks in checked), ()
    return (), tuple(checked)
