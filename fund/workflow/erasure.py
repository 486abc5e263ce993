"""The erasure request machine: a person asks for their account to be erased; the secretariat
erases it or keeps the data and explains why."""

from __future__ import annotations

from fund.i18n import lazy_gettext as _l
from fund.models import ErasureRequest, ErasureState
from fund.workflow.engine import ADMIN, Machine, Transition, reason_given

E = ErasureState
ERASURE = Machine(
    model=ErasureRequest,
    subject_type="erasure_request",
    states=ErasureState,
    initial=E.PENDING,
    final_states=frozenset({E.ERASED, E.KEPT}),
    transitions=(
        Transition("erase", frozenset({E.PENDING}), E.ERASED, ADMIN, _l("Erase the account")),
        Transition(
            "keep",
            frozenset({E.PENDING}),
            E.KEPT,
            ADMIN,
            _l("Keep the data and explain"),
            guards=(reason_given,),
            needs_comment=True,
        ),
    ),
)
