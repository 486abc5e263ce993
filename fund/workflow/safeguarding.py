"""The safeguarding concern machine: open, closed with an outcome, reopened."""

from __future__ import annotations

from typing import Any

from fund.i18n import lazy_gettext as _l
from fund.models import ConcernState, Role, SafeguardingConcern
from fund.workflow.engine import Machine, Transition, TransitionData


def outcome_given(concern: SafeguardingConcern, actor: Any, data: TransitionData) -> str | None:
    # The outcome stays on the concern, which only leads read; the audit row gets no comment.
    if not str(data.extra.get("outcome", "")).strip():
        return str(_l("Record the outcome before closing the concern."))
    return None


S = ConcernState
LEAD = frozenset({Role.SAFEGUARDING_LEAD.value})
CONCERN = Machine(
    model=SafeguardingConcern,
    subject_type="safeguarding_concern",
    states=ConcernState,
    initial=S.OPEN,
    final_states=frozenset({S.CLOSED}),
    transitions=(
        Transition(
            "close",
            frozenset({S.OPEN}),
            S.CLOSED,
            LEAD,
            _l("Close the concern"),
            guards=(outcome_given,),
        ),
        Transition("reopen", frozenset({S.CLOSED}), S.OPEN, LEAD, _l("Reopen the concern")),
    ),
)
