"""The state machines (proposal, grant, progress report, safeguarding concern, erasure request,
reviewer pool invitation, grant amendment, payment, bank details) and the one engine that runs them.

The transition tables are data. `transition()` is the only code that assigns a state: it checks
the actor's role and its right over the object, runs the guards (each returns the reason a user
sees), changes the state only if nobody changed it meanwhile (compare-and-set on the old state),
writes one audit row and queues the notifications, all in the caller's transaction.

This package's interface is what it exports here (`from fund import workflow;
workflow.transition(...)`): the engine (engine.py), the states' labels (labels.py) and one module
per machine or close family (proposal.py; grant.py for grants, reports and amendments;
payment.py for payments and bank details; safeguarding.py; erasure.py; pool.py).
"""

from __future__ import annotations

from fund.workflow.engine import (
    ADMIN,
    APPLICANT,
    CHAIR,
    MACHINES,
    SYSTEM,
    Guard,
    Machine,
    Transition,
    TransitionData,
    TransitionRefused,
    allowed_actions,
    allowed_actions_of,
    check,
    machine_for,
    reason_given,
    refusal,
    transition,
)
from fund.workflow.erasure import ERASURE
from fund.workflow.grant import AMENDMENT, GRANT, REPORT
from fund.workflow.labels import STATE_LABELS, state_label
from fund.workflow.payment import BANK_DETAILS, PAYMENT
from fund.workflow.pool import POOL
from fund.workflow.proposal import PROPOSAL
from fund.workflow.safeguarding import CONCERN

__all__ = [
    "ADMIN",
    "AMENDMENT",
    "APPLICANT",
    "BANK_DETAILS",
    "CHAIR",
    "CONCERN",
    "ERASURE",
    "GRANT",
    "MACHINES",
    "PAYMENT",
    "POOL",
    "PROPOSAL",
    "REPORT",
    "STATE_LABELS",
    "SYSTEM",
    "Guard",
    "Machine",
    "Transition",
    "TransitionData",
    "TransitionRefused",
    "allowed_actions",
    "allowed_actions_of",
    "check",
    "machine_for",
    "reason_given",
    "refusal",
    "state_label",
    "transition",
]

# The registry the engine looks machines up in, in the order the machines were written.
MACHINES.update(
    (machine.model, machine)
    for machine in (
        PROPOSAL,
        GRANT,
        REPORT,
        CONCERN,
        ERASURE,
        POOL,
        AMENDMENT,
        PAYMENT,
        BANK_DETAILS,
    )
)
