"""The reviewer pool invitation machine: an invited reviewer accepts or declines."""

from __future__ import annotations

from fund.i18n import lazy_gettext as _l
from fund.models import PoolMember, PoolState, Role
from fund.workflow.engine import Machine, Transition

POOLS = PoolState
REVIEWER = frozenset({Role.REVIEWER.value})
# An invitation to a call's reviewer pool, answered by the invited reviewer (permissions.acts_as
# lets only that person answer). Both answers are final: the secretariat invites someone else.
POOL = Machine(
    model=PoolMember,
    subject_type="pool_member",
    states=PoolState,
    initial=POOLS.INVITED,
    final_states=frozenset({POOLS.ACCEPTED, POOLS.DECLINED}),
    transitions=(
        Transition("accept", frozenset({POOLS.INVITED}), POOLS.ACCEPTED, REVIEWER, _l("Accept")),
        Transition("decline", frozenset({POOLS.INVITED}), POOLS.DECLINED, REVIEWER, _l("Decline")),
    ),
)
